"""The CapabilityStatement of ``GET /fhir/metadata``: exactly what the directory serves.

Built from the same data the directory runs on (``sswis.fhir.kinds``, ``sswis.fhir.search_parameters``),
so a parameter, an ``_include`` or a ``_revinclude`` is stated if and only if it is served.
"""

from __future__ import annotations

from typing import Any

from sswis.fhir import systems
from sswis.fhir.kinds import KINDS
from sswis.fhir.search import DEFAULT_COUNT, MAXIMUM_COUNT, TOTAL_COUNTED_UP_TO
from sswis.fhir.search_parameters import INCLUDES, PARAMETERS, REVINCLUDES

MCSD_DIRECTORY = "https://profiles.ihe.net/ITI/mCSD/CapabilityStatement/IHE.mCSD.Directory"
MCSD_UPDATE_DIRECTORY = "https://profiles.ihe.net/ITI/mCSD/CapabilityStatement/IHE.mCSD.Directory.Update"
STATEMENT_DATE = "2026-12-07"
"""When what the directory serves last changed (CapabilityStatement.date)."""


def _resource(type_name: str) -> dict[str, Any]:
    parameters = [
        {
            "name": parameter.name,
            **({"definition": parameter.definition} if parameter.definition else {}),
            "type": parameter.type,
            "documentation": str(parameter.documentation)
            + (" Modifiers: :exact, :contains." if parameter.modifiers else ""),
        }
        for parameter in PARAMETERS[type_name].values()
    ]
    resource: dict[str, Any] = {
        "type": type_name,
        "profile": systems.PROFILES[type_name],
        "interaction": [
            {"code": "read"},
            {"code": "vread", "documentation": "Versions rebuilt from the audit history."},
            {
                "code": "search-type",
                "documentation": "ITI-90: GET [type] or POST [type]/_search (form-encoded). Unknown parameters "
                "are refused (400) unless the request says Prefer: handling=lenient. "
                f"_count from 0 to {MAXIMUM_COUNT} (default {DEFAULT_COUNT}); pages follow the Bundle's next "
                "link. The total is exact with _total=accurate, left out with _total=none, and otherwise "
                f"exact up to {TOTAL_COUNTED_UP_TO:,} matches and left out beyond.",
            },
            {
                "code": "history-type",
                "documentation": "ITI-91: GET [type]/_history?_since=<instant>, deletions included, paged.",
            },
        ],
        "versioning": "versioned",
        "readHistory": True,
        "updateCreate": False,
        "searchParam": parameters,
    }
    includes = list(INCLUDES.get(type_name, {}))
    if includes:
        resource["searchInclude"] = includes
    revincludes = list(REVINCLUDES.get(type_name, {}))
    if revincludes:
        resource["searchRevInclude"] = revincludes
    return resource


def capability_statement(*, base_url: str) -> dict[str, Any]:
    """The directory's CapabilityStatement (FHIR R4 4.0.1, JSON), at ``base_url``."""
    return {
        "resourceType": "CapabilityStatement",
        "url": f"{base_url}/metadata",
        "name": "SswisMcsdDirectory",
        "title": "sswis social service workforce directory (IHE mCSD)",
        "status": "active",
        "date": STATEMENT_DATE,
        "publisher": "sswis",
        "description": "The social service workforce registry as an IHE mCSD Directory with the Update Option: "
        "workers as Practitioners, their assignments as PractitionerRoles, organisations and the "
        "location tree (jurisdictions).",
        "kind": "instance",
        "instantiates": [MCSD_DIRECTORY, MCSD_UPDATE_DIRECTORY],
        "software": {"name": "sswis"},
        "implementation": {"description": "sswis FHIR directory", "url": base_url},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read-only. Errors are OperationOutcomes.",
                "security": {
                    "service": [
                        {
                            "text": "Authorization: Token <key> (an sswis API token), or a signed-in session.",
                        }
                    ],
                    "description": "A token of a national data manager, a subnational officer (their area) or "
                    "an organisation focal point (their organisation); other roles are refused (403).",
                },
                "resource": [_resource(type_name) for type_name in KINDS],
                "interaction": [
                    {
                        "code": "history-system",
                        "documentation": "ITI-91: GET /_history?_since=<instant>: every type, deletions included.",
                    }
                ],
            }
        ],
    }
