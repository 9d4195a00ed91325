"""The training's pages (``/training/``, namespace ``web``): institutions and programmes, completions,
competency frameworks and gaps, the field practicum."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import training_competencies, training_competency_gaps

urlpatterns: list[URLPattern | URLResolver] = [
    # institutions, programmes, instructors, intakes (catalogue)
    # completions and their imports
    # competency frameworks, assessments, gaps, training needs
    path("competencies/", training_competencies.framework_list_view, name="training_frameworks"),
    path(
        "competencies/import/", training_competencies.framework_import_view, name="training_framework_import"
    ),
    path(
        "competencies/export/", training_competencies.framework_export_view, name="training_framework_export"
    ),
    path(
        "competencies/programmes/",
        training_competencies.programme_competency_view,
        name="training_programme_competencies",
    ),
    path("competencies/gaps/", training_competency_gaps.gaps_view, name="training_gaps"),
    path("competencies/missing/", training_competency_gaps.missing_view, name="training_missing"),
    path("competencies/needs/", training_competency_gaps.needs_view, name="training_needs"),
    path("competencies/needs.csv", training_competency_gaps.needs_csv_view, name="training_needs_csv"),
    path(
        "competencies/frameworks/<str:code>/",
        training_competencies.framework_detail_view,
        name="training_framework",
    ),
    path(
        "competencies/frameworks/<str:code>/<str:what>/",
        training_competencies.framework_change_view,
        name="training_framework_change",
    ),
    path(
        "workers/<str:worker_id>/competencies/",
        training_competency_gaps.worker_competencies_view,
        name="training_worker_competencies",
    ),
    # field practicum
]
