from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sswis.access.policy import scope_of


def access_scope(request: HttpRequest) -> dict[str, Any]:
    """Expose the user's scope to templates so menus only offer what the user may open."""
    return {"access_scope": scope_of(getattr(request, "user", None))}
