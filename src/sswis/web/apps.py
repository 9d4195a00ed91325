from typing import Any

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sswis.web"
    label = "web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_language_to_session, dispatch_uid="sswis-language-to-session")


def _language_to_session(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At login, the language the user chose (if any) goes into their session (``UserLanguageMiddleware``)."""
    from sswis.access.selectors import user_language_of
    from sswis.web.middleware import SESSION_LANGUAGE_KEY

    chosen = user_language_of(user=user)
    if chosen and request is not None and hasattr(request, "session"):
        request.session[SESSION_LANGUAGE_KEY] = chosen
