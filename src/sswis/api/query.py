"""How the API reads a query string: a parameter sent with an empty value is a parameter not sent."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, QueryDict
from rest_framework.request import Request


def query_without_blank_values(query: QueryDict) -> QueryDict:
    """``query`` without its empty values; a parameter left with no value at all is removed.

    A browser's form sends every field, the empty ones too (``?cadre=&year=2024``), and clients built
    from forms do the same: in the API an empty value means "no filter" for every parameter alike, as
    the OpenAPI schema says (``allowEmptyValue``). A required parameter sent empty is then missing, and
    refused as such."""
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        given = [value for value in values if value != ""]
        if given:
            kept.setlist(name, given)
    kept._mutable = False
    return kept


class BlankQueryValuesMixin:
    """For an API view: read the query string without its empty values (``query_without_blank_values``),
    in the view and everything it calls (filters, query serializers, pagination)."""

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        if request.GET:
            # immutable again (the stubs' _ImmutableQueryDict is a type of theirs only)
            request.GET = query_without_blank_values(request.GET)  # type: ignore[assignment]
        return super().initialize_request(request, *args, **kwargs)  # type: ignore[misc]
