"""The training's pages (``/training/``, namespace ``web``): institutions and programmes, completions,
competency frameworks and gaps, the field practicum."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import (
    training_catalogue,
    training_catalogue_forms,
    training_competencies,
    training_competency_gaps,
    training_completion_import,
    training_completions,
    training_practicum,
    training_practicum_offers,
)

urlpatterns: list[URLPattern | URLResolver] = [
    # institutions, programmes, instructors, intakes (catalogue)
    path("", training_catalogue.training_hub_view, name="training_hub"),
    path("institutions/", training_catalogue.institution_list_view, name="training_institution_list"),
    path("institutions/new/", training_catalogue_forms.institution_new_view, name="training_institution_new"),
    path(
        "institutions/<str:code>/",
        training_catalogue.institution_detail_view,
        name="training_institution_detail",
    ),
    path(
        "institutions/<str:code>/edit/",
        training_catalogue_forms.institution_edit_view,
        name="training_institution_edit",
    ),
    path(
        "institutions/<str:code>/accreditations/new/",
        training_catalogue_forms.accreditation_add_view,
        name="training_accreditation_add",
    ),
    path(
        "accreditations/<int:pk>/end/",
        training_catalogue_forms.accreditation_end_view,
        name="training_accreditation_end",
    ),
    path(
        "institutions/<str:code>/instructors/new/",
        training_catalogue_forms.instructor_add_view,
        name="training_instructor_add",
    ),
    path(
        "instructors/<int:pk>/edit/",
        training_catalogue_forms.instructor_edit_view,
        name="training_instructor_edit",
    ),
    path(
        "instructors/<int:pk>/end/",
        training_catalogue_forms.instructor_end_view,
        name="training_instructor_end",
    ),
    path("programmes/", training_catalogue.programme_list_view, name="training_programme_list"),
    path("programmes/new/", training_catalogue_forms.programme_new_view, name="training_programme_new"),
    path(
        "programmes/<str:code>/", training_catalogue.programme_detail_view, name="training_programme_detail"
    ),
    path(
        "programmes/<str:code>/edit/",
        training_catalogue_forms.programme_edit_view,
        name="training_programme_edit",
    ),
    path(
        "programmes/<str:code>/intakes/", training_catalogue_forms.intake_set_view, name="training_intake_set"
    ),
    # completions and their imports
    path("completions/", training_completions.completion_list_view, name="training_completion_list"),
    path("completions/new/", training_completions.completion_record_view, name="training_completion_record"),
    path(
        "completions/<uuid:uuid>/withdraw/",
        training_completions.completion_withdraw_view,
        name="training_completion_withdraw",
    ),
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
    path("practicum/", training_practicum_offers.availability_view, name="practicum_availability"),
    path("practicum/offers/", training_practicum_offers.offer_list_view, name="practicum_offer_list"),
    path("practicum/offers/set/", training_practicum_offers.offer_set_view, name="practicum_offer_set"),
    path("practicum/students/", training_practicum.student_list_view, name="practicum_student_list"),
    path("practicum/students/new/", training_practicum.student_edit_view, name="practicum_student_new"),
    path(
        "practicum/students/<int:pk>/",
        training_practicum.student_detail_view,
        name="practicum_student_detail",
    ),
    path(
        "practicum/students/<int:pk>/edit/",
        training_practicum.student_edit_view,
        name="practicum_student_edit",
    ),
    path("practicum/placements/", training_practicum.placement_list_view, name="practicum_placement_list"),
    path("practicum/placements/new/", training_practicum.placement_new_view, name="practicum_placement_new"),
    path(
        "practicum/placements/<int:pk>/",
        training_practicum.placement_detail_view,
        name="practicum_placement_detail",
    ),
    path(
        "practicum/placements/<int:pk>/<str:step>/",
        training_practicum.placement_step_view,
        name="practicum_placement_step",
    ),
]
