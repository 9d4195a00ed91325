"""The training's API (``/api/v1/training/``): institutions and programmes, completions, competency
frameworks and gaps, the field practicum."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views import training_competencies

urlpatterns: list[URLPattern | URLResolver] = [
    # institutions, programmes, instructors, intakes (catalogue)
    # completions and their imports
    # competency frameworks, assessments, gaps, training needs
    path(
        "competencies/frameworks/",
        training_competencies.FrameworkListView.as_view(),
        name="training-competency-frameworks",
    ),
    path(
        "competencies/frameworks/<str:code>/",
        training_competencies.FrameworkDetailView.as_view(),
        name="training-competency-framework",
    ),
    path(
        "competencies/frameworks/<str:code>/<str:what>/",
        training_competencies.FrameworkChangeView.as_view(),
        name="training-competency-framework-change",
    ),
    path(
        "competencies/import/",
        training_competencies.FrameworkImportView.as_view(),
        name="training-competency-import",
    ),
    path(
        "competencies/programmes/",
        training_competencies.ProgrammeCompetencyListView.as_view(),
        name="training-programme-competencies",
    ),
    path("competencies/gaps/", training_competencies.GapsView.as_view(), name="training-competency-gaps"),
    path(
        "competencies/missing/",
        training_competencies.MissingView.as_view(),
        name="training-competency-missing",
    ),
    path("competencies/needs/", training_competencies.NeedsView.as_view(), name="training-competency-needs"),
    path(
        "competencies/workers/<str:worker_id>/",
        training_competencies.WorkerCompetenciesView.as_view(),
        name="training-worker-competencies",
    ),
    # field practicum
]
