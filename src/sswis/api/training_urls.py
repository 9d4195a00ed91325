"""The training's API (``/api/v1/training/``): institutions (their accreditation periods and instructors)
and programmes, completions, competency frameworks (and their export) and gaps, the field practicum."""

from django.urls import URLPattern, URLResolver, path

from sswis.api.views import training_catalogue, training_competencies, training_completions
from sswis.api.views import training_practicum as practicum
from sswis.api.views.training_completion_import import (
    CompletionListImportView,
    UnmatchedCompletionListView,
    UnmatchedCompletionMatchView,
    UnmatchedCompletionSetAsideView,
)
from sswis.api.views.training_framework_export import FrameworkExportView

urlpatterns: list[URLPattern | URLResolver] = [
    # institutions, programmes, instructors, intakes (catalogue)
    path("institutions/", training_catalogue.InstitutionListView.as_view(), name="training-institutions"),
    path(
        "institutions/<str:code>/",
        training_catalogue.InstitutionDetailView.as_view(),
        name="training-institution",
    ),
    path(
        "institutions/<str:code>/accreditations/",
        training_catalogue.AccreditationListView.as_view(),
        name="training-institution-accreditations",
    ),
    path(
        "accreditations/<int:pk>/end/",
        training_catalogue.AccreditationEndView.as_view(),
        name="training-accreditation-end",
    ),
    path(
        "institutions/<str:code>/instructors/",
        training_catalogue.InstructorListView.as_view(),
        name="training-institution-instructors",
    ),
    path(
        "instructors/<int:pk>/", training_catalogue.InstructorDetailView.as_view(), name="training-instructor"
    ),
    path(
        "instructors/<int:pk>/end/",
        training_catalogue.InstructorEndView.as_view(),
        name="training-instructor-end",
    ),
    path("programmes/", training_catalogue.ProgrammeListView.as_view(), name="training-programmes"),
    path(
        "programmes/<str:code>/", training_catalogue.ProgrammeDetailView.as_view(), name="training-programme"
    ),
    path(
        "programmes/<str:code>/intakes/",
        training_catalogue.IntakeListView.as_view(),
        name="training-programme-intakes",
    ),
    # completions and their imports
    path("completions/", training_completions.CompletionListView.as_view(), name="training-completions"),
    path(
        "completions/<uuid:uuid>/",
        training_completions.CompletionDetailView.as_view(),
        name="training-completion",
    ),
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
    path("competencies/export/", FrameworkExportView.as_view(), name="training-competency-export"),
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
    path("practicum/students/", practicum.StudentListView.as_view(), name="training-practicum-students"),
    path(
        "practicum/students/<int:pk>/",
        practicum.StudentDetailView.as_view(),
        name="training-practicum-student",
    ),
    path(
        "practicum/placements/", practicum.PlacementListView.as_view(), name="training-practicum-placements"
    ),
    path(
        "practicum/placements/<int:pk>/",
        practicum.PlacementDetailView.as_view(),
        name="training-practicum-placement",
    ),
    path(
        "practicum/placements/<int:pk>/hours/",
        practicum.PlacementHoursView.as_view(),
        name="training-practicum-placement-hours",
    ),
    path(
        "practicum/placements/<int:pk>/evaluation/",
        practicum.PlacementEvaluationView.as_view(),
        name="training-practicum-placement-evaluation",
    ),
    path(
        "practicum/placements/<int:pk>/end/",
        practicum.PlacementEndView.as_view(),
        name="training-practicum-placement-end",
    ),
    path("practicum/offers/", practicum.OfferListView.as_view(), name="training-practicum-offers"),
    path(
        "practicum/availability/",
        practicum.AvailabilityView.as_view(),
        name="training-practicum-availability",
    ),
]
