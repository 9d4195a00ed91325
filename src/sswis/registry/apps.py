from django.apps import AppConfig, apps


class RegistryConfig(AppConfig):
    name = "sswis.registry"
    label = "registry"

    def ready(self) -> None:
        # Every model of sswis (and its history model) gets the text rule on its text fields and the date
        # rules on its dates and years: one place, so that no field of any app can be left without them
        # (tests/registry/test_field_guards.py walks them all).
        from sswis.registry import merging  # noqa: F401  (registers the assignments' mover)
        from sswis.registry.dates import model_date_fields_guard
        from sswis.text import model_text_fields_guard

        for model in apps.get_models():
            if model.__module__.startswith("sswis."):
                model_text_fields_guard(model)
                model_date_fields_guard(model)
