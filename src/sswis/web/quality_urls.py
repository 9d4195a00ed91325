"""The quality-assurance score's pages (``/quality/``, namespace ``web``): the score of a year, recording a
criterion's score, an evidence file, and the normative framework inventory."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import quality, quality_framework

urlpatterns: list[URLPattern | URLResolver] = [
    path("", quality.quality_view, name="quality"),
    path("record/", quality.quality_record_view, name="quality_record"),
    path("scores/<uuid:score_uuid>/file/", quality.score_file_view, name="quality_score_file"),
    path("framework/", quality_framework.framework_view, name="quality_framework"),
    path("framework/new/", quality_framework.instrument_new_view, name="quality_instrument_new"),
    path("framework/<uuid:instrument_uuid>/", quality_framework.instrument_view, name="quality_instrument"),
    path(
        "framework/<uuid:instrument_uuid>/edit/",
        quality_framework.instrument_edit_view,
        name="quality_instrument_edit",
    ),
    path(
        "framework/<uuid:instrument_uuid>/end/",
        quality_framework.instrument_end_view,
        name="quality_instrument_end",
    ),
    path(
        "framework/<uuid:instrument_uuid>/file/",
        quality_framework.instrument_file_view,
        name="quality_instrument_file",
    ),
]
