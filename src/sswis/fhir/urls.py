"""The FHIR R4 mCSD directory (namespace ``fhir``), under ``/fhir/``.

The history routes (ITI-91, ``sswis.fhir.history_urls``) come first: ``Practitioner/_history`` must not
be read as the Practitioner whose id is ``_history``. Each resource type has its own routes (search,
``_search``, read, vread), named ``<type>-search`` ... with the type in lower case.
"""

from django.urls import URLPattern, URLResolver, include, path

from sswis.fhir import views
from sswis.fhir.kinds import KINDS

app_name = "fhir"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("sswis.fhir.history_urls")),
    path("metadata", views.MetadataView.as_view(), name="metadata"),
]
for _type in KINDS:
    _name = _type.lower()
    urlpatterns += [
        path(_type, views.SearchView.as_view(type_name=_type), name=f"{_name}-search"),
        path(f"{_type}/_search", views.SearchPostView.as_view(type_name=_type), name=f"{_name}-search-post"),
        path(f"{_type}/<str:resource_id>", views.ReadView.as_view(type_name=_type), name=f"{_name}-read"),
        path(
            f"{_type}/<str:resource_id>/_history/<str:version>",
            views.VersionReadView.as_view(type_name=_type),
            name=f"{_name}-vread",
        ),
    ]
