"""The training's pages (``/training/``, namespace ``web``): institutions and programmes, completions,
competency frameworks and gaps, the field practicum."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import training_completion_import

urlpatterns: list[URLPattern | URLResolver] = [
    # institutions, programmes, instructors, intakes (catalogue)
    # completions and their imports
    path(
        "completions/import/",
        training_completion_import.training_completion_import_view,
        name="training_completion_import",
    ),
    path(
        "completions/unmatched/<int:pk>/match/",
        training_completion_import.training_unmatched_match_view,
        name="training_unmatched_match",
    ),
    path(
        "completions/unmatched/<int:pk>/set-aside/",
        training_completion_import.training_unmatched_set_aside_view,
        name="training_unmatched_set_aside",
    ),
    # competency frameworks, assessments, gaps, training needs
    # field practicum
]
