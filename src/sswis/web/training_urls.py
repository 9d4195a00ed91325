"""The training's pages (``/training/``, namespace ``web``): institutions and programmes, completions,
competency frameworks and gaps, the field practicum."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import training_practicum, training_practicum_offers

urlpatterns: list[URLPattern | URLResolver] = [
    # institutions, programmes, instructors, intakes (catalogue)
    # completions and their imports
    # competency frameworks, assessments, gaps, training needs
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
