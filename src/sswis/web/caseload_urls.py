"""The caseloads' pages (``/support/caseloads/``, namespace ``web``): the list, one caseload entered, the
grid of a month's caseloads, a caseload removed, the norms and the distribution."""

from django.urls import URLPattern, URLResolver, path

from sswis.web.views import caseload_figures, caseloads

urlpatterns: list[URLPattern | URLResolver] = [
    path("", caseloads.caseload_list_view, name="caseload_list"),
    path("new/", caseloads.caseload_new_view, name="caseload_new"),
    path("grid/", caseloads.caseload_grid_view, name="caseload_grid"),
    path("<uuid:uuid>/remove/", caseloads.caseload_remove_view, name="caseload_remove"),
    path("norms/", caseload_figures.norm_list_view, name="caseload_norms"),
    path("norms/<int:pk>/remove/", caseload_figures.norm_remove_view, name="caseload_norm_remove"),
    path("distribution/", caseload_figures.distribution_view, name="caseload_distribution"),
]
