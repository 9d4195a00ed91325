"""The directory's read side: ``metadata``, ITI-90 search (GET and POST ``_search``), read and vread.

Thin views: they read the request, ask ``sswis.fhir.search`` / ``sswis.fhir.versions`` (which ask
``sswis.access.fhir_policy``) and render. Errors are OperationOutcomes (``sswis.fhir.http``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.fhir.capability import capability_statement
from sswis.fhir.http import FhirError, FhirView, not_found, operation_outcome
from sswis.fhir.kinds import KINDS
from sswis.fhir.parameters import uuid_or_none
from sswis.fhir.render import resources_render
from sswis.fhir.search import cursor_text, search_request_parse, search_run
from sswis.fhir.versions import instant_of_version, version_id
from sswis.fhir.vread import version_render


class MetadataView(FhirView):
    """``GET /fhir/metadata``: the CapabilityStatement (public: it names no one)."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response(capability_statement(base_url=self.base_url(request)))


def _lenient(request: Request) -> bool:
    """``Prefer: handling=lenient`` (RFC 7240; ``strict`` or nothing: unknown parameters are refused)."""
    preferences = [part.strip().lower() for part in request.headers.get("Prefer", "").split(",")]
    return "handling=lenient" in {part.replace(" ", "") for part in preferences}


class SearchView(FhirView):
    """``GET /fhir/<Type>``: ITI-90 search, a searchset Bundle."""

    type_name = ""

    def get(self, request: Request) -> Response:
        return self.search(request, list(request.query_params.lists()))

    def search(self, request: Request, grouped: list[tuple[str, list[str]]]) -> Response:
        params = [(name, value) for name, values in grouped for value in values]
        search = search_request_parse(type_name=self.type_name, params=params, lenient=_lenient(request))
        page = search_run(request=search, user=request.user)
        base = self.base_url(request)
        kind = search.kind
        entries: list[dict[str, Any]] = []
        for resource in resources_render(kind=kind, rows=page.rows, user=request.user, base_url=base):
            entries.append(_entry(base, resource, "match"))
        for included_kind, rows in page.included:
            for resource in resources_render(kind=included_kind, rows=rows, user=request.user, base_url=base):
                entries.append(_entry(base, resource, "include"))
        if search.ignored:
            outcome = operation_outcome(
                severity="warning",
                code="not-supported",
                message=gettext("Unknown parameters ignored: %(names)s.")
                % {"names": ", ".join(search.ignored)},
            )
            entries.append({"resource": outcome, "search": {"mode": "outcome"}})
        links = [{"relation": "self", "url": _url(base, self.type_name, search.query, None)}]
        if page.next_after is not None:
            links.append(
                {"relation": "next", "url": _url(base, self.type_name, search.query, page.next_after)}
            )
        bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset"}
        if page.total is not None:
            bundle["total"] = page.total
        bundle["link"] = links
        bundle["entry"] = entries
        return Response(bundle)


class SearchPostView(SearchView):
    """``POST /fhir/<Type>/_search``: the same search with its parameters in a form-encoded body (and
    any in the URL), for queries too long or too private for a URL."""

    def get(self, request: Request) -> Response:  # only POST is served
        raise FhirError(status=405, code="not-supported", message=gettext("Use POST for _search."))

    http_method_names = ["post", "options"]

    def post(self, request: Request) -> Response:
        body = request.data  # only form-encoded bodies are parsed (else 415); no body at all: none
        form = list(body.lists()) if isinstance(body, QueryDict) else []
        grouped = list(request.query_params.lists()) + form
        return self.search(request, grouped)


def _entry(base: str, resource: dict[str, Any], mode: str) -> dict[str, Any]:
    return {
        "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }


def _url(base: str, type_name: str, query: list[tuple[str, str]], after: int | None) -> str:
    pairs = list(query)
    if after is not None:
        pairs.append(("_cursor", cursor_text(after)))
    text = urlencode(pairs)
    return f"{base}/{type_name}" + (f"?{text}" if text else "")


class ReadView(FhirView):
    """``GET /fhir/<Type>/<id>``: the current version; 404 when unknown or out of the reader's scope."""

    type_name = ""

    def get(self, request: Request, resource_id: str) -> Response:
        kind = KINDS[self.type_name]
        identifier = uuid_or_none(resource_id)
        row = None if identifier is None else kind.visible(user=request.user).filter(uuid=identifier).first()
        if row is None:
            raise not_found(
                gettext("No %(type)s with the id %(id)s.") % {"type": self.type_name, "id": resource_id}
            )
        [resource] = resources_render(
            kind=kind, rows=[row], user=request.user, base_url=self.base_url(request)
        )
        return Response(resource, headers=_version_headers(resource))


def _version_headers(resource: dict[str, Any]) -> dict[str, str]:
    return {"ETag": f'W/"{resource["meta"]["versionId"]}"', "Last-Modified": resource["meta"]["lastUpdated"]}


class VersionReadView(FhirView):
    """``GET /fhir/<Type>/<id>/_history/<vid>``: the version ``vid`` (the current one, or one rebuilt
    from the audit history); 404 for an unknown version, 410 when the resource was deleted by then."""

    type_name = ""

    def get(self, request: Request, resource_id: str, version: str) -> Response:
        kind = KINDS[self.type_name]
        identifier = uuid_or_none(resource_id)
        instant = instant_of_version(version)
        if identifier is None or instant is None:
            raise not_found(
                gettext("No version %(version)s of %(type)s/%(id)s.")
                % {"version": version, "type": self.type_name, "id": resource_id}
            )
        base = self.base_url(request)
        row = kind.visible(user=request.user).filter(uuid=identifier).first()
        if row is not None:
            [current] = resources_render(kind=kind, rows=[row], user=request.user, base_url=base)
            if current["meta"]["versionId"] == version:
                return Response(current, headers=_version_headers(current))
        resource = version_render(
            kind=kind, identifier=identifier, instant=instant, user=request.user, visible=row
        )
        if resource is None or resource["meta"]["versionId"] != version_id(instant):
            raise not_found(
                gettext("No version %(version)s of %(type)s/%(id)s.")
                % {"version": version, "type": self.type_name, "id": resource_id}
            )
        return Response(resource, headers=_version_headers(resource))
