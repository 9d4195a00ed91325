"""ITI-91 views: ``GET /fhir/<Type>/_history`` and ``GET /fhir/_history`` (Bundle type ``history``).

Thin: the reader is checked by ``FhirView`` (``fhir_policy.require_directory``; errors as OperationOutcome),
then validate ``_since``, ``_count`` and the cursor,
read one page (``sswis.fhir.history``), render it. Parameters: ``_since`` (a FHIR instant with its time
zone, exclusive; without it the whole history from the beginning), ``_count`` (1-1000, default 100),
``_cursor`` (only as given by a ``next`` link), ``_format`` (JSON only). Any other parameter is refused (400) unless the request
says ``Prefer: handling=lenient``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework.request import Request

from sswis.fhir.history import (
    DEFAULT_COUNT,
    MAX_COUNT,
    Cursor,
    HistoryParameterError,
    collection_paused,
    history_page,
    since_cursor,
)
from sswis.fhir.http import FhirJsonRenderer, FhirView, invalid
from sswis.fhir.kinds import KINDS, ResourceKind
from sswis.fhir.versions import instant_text

KNOWN_PARAMETERS = frozenset({"_since", "_count", "_cursor", "_format"})  # _format: JSON only (FhirView)

# FHIR's ``instant``: a date, a time to the second (fractions optional) and a time zone, always.
INSTANT = re.compile(
    r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{1,9})?(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
)


def since_parse(value: str) -> datetime.datetime:
    """The instant ``_since`` names; ``HistoryParameterError`` for anything but a FHIR instant with its time
    zone. Digits after the microseconds are dropped: with "strictly after", the same stamps qualify."""
    match = INSTANT.fullmatch(value)
    if match is None:
        raise HistoryParameterError(
            gettext(
                "_since must be a FHIR instant with its time zone, such as 2026-01-31T08:00:00Z or "
                "2026-01-31T10:00:00.5+02:00, not %(value)r."
            )
            % {"value": value[:80]}
        )
    main, fraction, zone = value[:19], match[4] or ".", match[5]
    text = f"{main}.{(fraction[1:] + '000000')[:6]}{'+00:00' if zone == 'Z' else zone}"
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError as error:  # 31 February and the like
        raise HistoryParameterError(
            gettext("_since: %(value)r is not a day of the calendar.") % {"value": value[:80]}
        ) from error


def count_parse(value: str) -> int:
    if not value.isascii() or not value.isdigit() or not 1 <= int(value[:5]) <= MAX_COUNT:
        raise HistoryParameterError(
            gettext("_count must be a whole number from 1 to %(max)d, not %(value)r.")
            % {"max": MAX_COUNT, "value": value[:80]}
        )
    return int(value)


def lenient(request: Request) -> bool:
    """Whether the client asked to have unknown parameters ignored (``Prefer: handling=lenient``)."""
    prefer = request.headers.get("Prefer", "")
    return any(part.strip().lower() == "handling=lenient" for part in prefer.split(","))


class HistoryView(FhirView):
    """The history of one resource type (``kind`` given by the route) or of the whole directory."""

    kind: ResourceKind | None = None

    def get(self, request: Request) -> HttpResponse:
        parameters = request.query_params
        unknown = sorted(set(parameters) - KNOWN_PARAMETERS)
        if unknown and not lenient(request):
            raise invalid(
                gettext(
                    "Unknown parameter(s) for the history: %(names)s. Known: _since, _count, _cursor, _format; "
                    "send 'Prefer: handling=lenient' to have unknown parameters ignored."
                )
                % {"names": ", ".join(name[:40] for name in unknown)}
            )
        repeated = sorted(name for name in KNOWN_PARAMETERS if len(parameters.getlist(name)) > 1)
        if repeated:
            raise invalid(
                gettext("Give each of these parameters once: %(names)s.") % {"names": ", ".join(repeated)}
            )
        try:
            since = since_parse(parameters["_since"]) if "_since" in parameters else None
            count = count_parse(parameters["_count"]) if "_count" in parameters else DEFAULT_COUNT
            cursor = Cursor.decode(parameters["_cursor"]) if "_cursor" in parameters else since_cursor(since)
        except HistoryParameterError as error:
            raise invalid(str(error)) from error
        kinds = [self.kind] if self.kind is not None else list(KINDS.values())
        base_url = self.base_url(request)
        served_at = timezone.now()
        # Built and written out with the garbage collector paused, and dropped before it resumes
        # (``collection_paused``): the bytes are the response, as the renderer would have written them.
        with collection_paused():
            page = history_page(kinds=kinds, user=request.user, cursor=cursor, count=count, base_url=base_url)
            path = request.build_absolute_uri(request.path)
            links = [{"relation": "self", "url": request.build_absolute_uri()}]
            if page.next_cursor is not None:
                query: dict[str, Any] = {"_count": count, "_cursor": page.next_cursor.encode()}
                links.append({"relation": "next", "url": f"{path}?{urlencode(query)}"})
            bundle = {
                "resourceType": "Bundle",
                "meta": {"lastUpdated": instant_text(served_at)},
                "type": "history",
                "link": links,
                "entry": page.entries,
            }
            content = FhirJsonRenderer().render(bundle)
            del page, bundle
        return HttpResponse(content, content_type=f"{FhirJsonRenderer.media_type}; charset=utf-8")
