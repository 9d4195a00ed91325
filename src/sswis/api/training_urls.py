"""The training's API (``/api/v1/training/``): institutions and programmes, completions, competency
frameworks and gaps, the field practicum."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views.training_completion_import import (
    CompletionListImportView,
    UnmatchedCompletionListView,
    UnmatchedCompletionMatchView,
    UnmatchedCompletionSetAsideView,
)

urlpatterns: list[URLPattern | URLResolver] = [
    # institutions, programmes, instructors, intakes (catalogue)
    # completions and their imports
    path("completions/import/", CompletionListImportView.as_view(), name="training-completions-import"),
    path(
        "completions/unmatched/", UnmatchedCompletionListView.as_view(), name="training-unmatched-completions"
    ),
    path(
        "completions/unmatched/<int:pk>/match/",
        UnmatchedCompletionMatchView.as_view(),
        name="training-unmatched-completion-match",
    ),
    path(
        "completions/unmatched/<int:pk>/set-aside/",
        UnmatchedCompletionSetAsideView.as_view(),
        name="training-unmatched-completion-set-aside",
    ),
    # competency frameworks, assessments, gaps, training needs
    # field practicum
]
