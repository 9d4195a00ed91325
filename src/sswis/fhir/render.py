"""Registry rows as FHIR R4 resources (plain dicts, JSON-ready) of the mCSD directory.

:func:`resources_render` renders the current versions of many rows of one kind with a fixed number of
queries whatever their number. The per-resource functions (``practitioner_resource`` ...) take every
related row explicitly, so vread renders an older version (rebuilt from the audit history) with them too.

Mapping (``docs/fhir.md`` has the table): Worker -> Practitioner, Assignment -> PractitionerRole,
Organisation -> Organization, Location -> Location (a jurisdiction). References are relative
(``Practitioner/<uuid>``); ids are the rows' UUIDs.
"""

from __future__ import annotations

import base64
import datetime
import functools
import json
import uuid
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any, NamedTuple

from django.db.models import Model, Q, QuerySet, prefetch_related_objects
from django.utils import timezone, translation

from sswis.access import fhir_policy
from sswis.fhir import systems
from sswis.fhir.kinds import ResourceKind
from sswis.fhir.queries import filter_among
from sswis.fhir.versions import instant_text, last_updated, version_id
from sswis.geo.models import Location
from sswis.registry.models import (
    Assignment,
    Cadre,
    CadreCategory,
    EducationLevel,
    Organisation,
    OrganisationType,
    Sector,
    Worker,
)
from sswis.regulation.models import Registration, RegistrationStatus
from sswis.training.models import Completion

ENDED_REGISTRATION = frozenset({RegistrationStatus.LAPSED, RegistrationStatus.REMOVED})
UNSTATED_EDUCATION = frozenset({EducationLevel.UNKNOWN, EducationLevel.NONE})


def _meta(kind_name: str, instant: datetime.datetime) -> dict[str, Any]:
    return {
        "versionId": version_id(instant),
        "lastUpdated": instant_text(instant),
        "profile": [systems.PROFILES[kind_name]],
    }


def _reference(type_name: str, row: Any, display: str | None = None) -> dict[str, Any]:
    reference: dict[str, Any] = {"reference": f"{type_name}/{row.uuid}"}
    if display:
        reference["display"] = display
    return reference


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


@functools.lru_cache(maxsize=512)
def _label(choices: Any, value: str) -> str:
    """The English label of a choice: FHIR displays are not translated per reader (so a resource's
    version does not depend on who reads it). Cached: switching languages costs more than a resource."""
    with translation.override("en"):
        return str(dict(choices.choices).get(value, value))


def _active_on(assignment: Assignment | AssignmentRow, day: datetime.date) -> bool:
    return assignment.start_date <= day and (assignment.end_date is None or assignment.end_date >= day)


class WorkerRow(NamedTuple):
    """A worker as a Practitioner reads it, without a model instance (:func:`resource_rows`)."""

    pk: int
    uuid: uuid.UUID
    worker_id: str
    national_id: str
    education_level: str
    education_field: str
    updated_at: datetime.datetime
    given_name: str
    family_name: str
    sex: str
    phone: str
    email: str
    birth_date: datetime.date | None

    @property
    def full_name(self) -> str:
        return _FULL_NAME(self)


class AssignmentRow(NamedTuple):
    """An assignment as a PractitionerRole reads it, without a model instance (:func:`resource_rows`)."""

    pk: int
    uuid: uuid.UUID
    worker_id: int
    organisation_id: int
    location_id: int
    cadre_id: int
    start_date: datetime.date
    end_date: datetime.date | None
    updated_at: datetime.datetime


_LIGHT_ROWS: dict[str, type[WorkerRow] | type[AssignmentRow]] = {
    "Practitioner": WorkerRow,
    "PractitionerRole": AssignmentRow,
}


def resource_rows(*, kind: ResourceKind, queryset: QuerySet[Any]) -> list[Any]:
    """The rows of ``queryset`` (primary rows of ``kind``) as :func:`resources_render` takes them: for a
    Practitioner a :class:`WorkerRow` each, for a PractitionerRole an :class:`AssignmentRow` (a history
    page reads 1,000, and model instances took a tenth of the page), for the other kinds (a few hundred
    in a country) model instances."""
    light = _LIGHT_ROWS.get(kind.name)
    if light is None:
        return list(queryset)
    return list(map(light._make, queryset.values_list(*light._fields)))


def practitioner_resource(
    worker: Worker | WorkerRow,
    *,
    registrations: Sequence[Registration],
    completions: Sequence[Completion],
    active: bool,
    birth_date: bool,
) -> dict[str, Any]:
    """A worker as a Practitioner. ``registrations`` and ``completions`` are the worker's (with their
    register and body, programme and institution loaded); ``active``: the worker has an assignment active
    today; ``birth_date``: whether the reader may see the birth date."""
    identifiers = [{"system": systems.identifier_system("worker-id"), "value": worker.worker_id}]
    if worker.national_id:
        identifiers.append({"system": systems.identifier_system("national-id"), "value": worker.national_id})
    qualifications: list[dict[str, Any]] = []
    if worker.education_level not in UNSTATED_EDUCATION:
        qualification: dict[str, Any] = {
            "code": {
                "coding": [
                    _coding(
                        systems.EDUCATION_LEVEL,
                        worker.education_level,
                        _label(EducationLevel, worker.education_level),
                    )
                ]
            }
        }
        if worker.education_field:
            qualification["code"]["text"] = worker.education_field
        qualifications.append(qualification)
    for registration in sorted(registrations, key=lambda r: (r.register.code, r.number, r.pk or 0)):
        if not registration.number:  # applied for or refused: not a qualification
            continue
        register = registration.register
        number = {"system": systems.register_system(register.code), "value": registration.number}
        identifiers.append(number)
        period: dict[str, str] = {}
        if registration.registered_on is not None:
            period["start"] = registration.registered_on.isoformat()
        if registration.status in ENDED_REGISTRATION:
            period["end"] = registration.status_since.isoformat()
        entry: dict[str, Any] = {
            "identifier": [number],
            "code": {
                "coding": [_coding(systems.REGISTER, register.code, register.name)],
                "text": register.name,
            },
            "issuer": {"display": register.body.name},
        }
        if period:
            entry["period"] = period
        qualifications.append(entry)
    for completion in sorted(completions, key=lambda c: (c.completed_on, c.programme.code, c.pk or 0)):
        programme = completion.programme
        entry = {
            "code": {
                "coding": [_coding(systems.PROGRAMME, programme.code, programme.name)],
                "text": programme.name,
            },
            "period": {"end": completion.completed_on.isoformat()},
        }
        if programme.institution is not None:
            entry["issuer"] = {"display": programme.institution.name}
        qualifications.append(entry)
    instant = last_updated(
        worker.updated_at,
        *(r.updated_at for r in registrations),
        *(c.updated_at for c in completions),
    )
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(worker.uuid),
        "meta": _meta("Practitioner", instant),
        "identifier": identifiers,
        "active": active,
        "name": [
            {
                "use": "official",
                "text": worker.full_name,
                "family": worker.family_name,
                "given": [worker.given_name],
            }
        ],
        "gender": worker.sex,
    }
    telecom = []
    if worker.phone:
        telecom.append({"system": "phone", "value": worker.phone})
    if worker.email:
        telecom.append({"system": "email", "value": worker.email})
    if telecom:
        resource["telecom"] = telecom
    if birth_date and worker.birth_date is not None:
        resource["birthDate"] = worker.birth_date.isoformat()
    if qualifications:
        resource["qualification"] = qualifications
    return resource


def practitioner_role_resource(
    assignment: Assignment | AssignmentRow,
    *,
    today: datetime.date,
    worker: Any = None,
    organisation: Organisation | None = None,
    location: Location | None = None,
    cadre: Cadre | None = None,
) -> dict[str, Any]:
    """An assignment as a PractitionerRole. Its worker (anything with its ``uuid`` and ``full_name``),
    organisation, location and cadre are those given, else the assignment's own (loaded: a model
    instance)."""
    if not isinstance(assignment, AssignmentRow):
        worker = assignment.worker if worker is None else worker
        organisation = assignment.organisation if organisation is None else organisation
        location = assignment.location if location is None else location
        cadre = assignment.cadre if cadre is None else cadre
    assert worker is not None and organisation is not None and location is not None and cadre is not None
    codings = [_coding(systems.CADRE, cadre.code, cadre.name)]
    if cadre.isco08:
        codings.append(_coding(systems.ISCO08, cadre.isco08))
    period = {"start": assignment.start_date.isoformat()}
    if assignment.end_date is not None:
        period["end"] = assignment.end_date.isoformat()
    return {
        "resourceType": "PractitionerRole",
        "id": str(assignment.uuid),
        "meta": _meta("PractitionerRole", assignment.updated_at),
        "active": _active_on(assignment, today),
        "period": period,
        "practitioner": _reference("Practitioner", worker, worker.full_name),
        "organization": _reference("Organization", organisation, organisation.name),
        "location": [_reference("Location", location, location.name)],
        "code": [{"coding": codings, "text": cadre.name}],
        "specialty": [
            {
                "coding": [
                    _coding(systems.CADRE_CATEGORY, cadre.category, _label(CadreCategory, cadre.category))
                ]
            }
        ],
    }


def organization_resource(organisation: Organisation) -> dict[str, Any]:
    """An organisation as an Organization (its parent loaded)."""
    types = [
        {
            "coding": [
                _coding(
                    systems.ORGANISATION_TYPE,
                    organisation.type,
                    _label(OrganisationType, organisation.type),
                )
            ]
        }
    ]
    if organisation.sector:
        types.append(
            {"coding": [_coding(systems.SECTOR, organisation.sector, _label(Sector, organisation.sector))]}
        )
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": str(organisation.uuid),
        "meta": _meta("Organization", organisation.updated_at),
        "identifier": [
            {"system": systems.identifier_system("organisation-code"), "value": organisation.code}
        ],
        "active": True,
        "type": types,
        "name": organisation.name,
    }
    if organisation.parent is not None:
        resource["partOf"] = _reference("Organization", organisation.parent, organisation.parent.name)
    return resource


def location_resource(location: Location, *, managing: Organisation | None) -> dict[str, Any]:
    """A location as a jurisdiction Location (its parent loaded); ``managing``: the organisation whose
    ``manages_location`` is this location, if any."""
    identifiers = [{"system": systems.identifier_system("location-code"), "value": location.code}]
    if location.dhis2_uid:
        identifiers.append({"system": systems.identifier_system("dhis2-uid"), "value": location.dhis2_uid})
    types = [{"coding": [_coding(systems.MCSD_TYPES, "jurisdiction", "Jurisdiction")]}]
    if location.level:
        types.append({"coding": [_coding(systems.LOCATION_LEVEL, location.level.lower(), location.level)]})
    resource: dict[str, Any] = {
        "resourceType": "Location",
        "id": str(location.uuid),
        "meta": _meta(
            "Location", last_updated(location.updated_at, managing.updated_at if managing else None)
        ),
        "identifier": identifiers,
        "status": "active",
        "name": location.name,
        "mode": "instance",
        "type": types,
        "physicalType": {
            "coding": [_coding(systems.LOCATION_PHYSICAL_TYPE, "jdn", "Jurisdiction")],
        },
    }
    if location.parent is not None:
        resource["partOf"] = _reference("Location", location.parent, location.parent.name)
    if managing is not None:
        resource["managingOrganization"] = _reference("Organization", managing, managing.name)
    if location.boundary is not None:
        data = json.dumps(location.boundary, separators=(",", ":"), sort_keys=True).encode()
        resource["extension"] = [
            {
                "url": systems.BOUNDARY_EXTENSION,
                "valueAttachment": {
                    "contentType": "application/geo+json",
                    "data": base64.b64encode(data).decode("ascii"),
                },
            }
        ]
    return resource


def workers_active_today(*, worker_ids: Sequence[int], today: datetime.date) -> set[int]:
    """Which of these workers have an assignment active on ``today`` (one query)."""
    if not worker_ids:
        return set()
    return set(
        filter_among(Assignment.objects.filter(start_date__lte=today), "worker_id", worker_ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by()  # without the model's ordering, DISTINCT is on the worker alone
        .values_list("worker_id", flat=True)
        .distinct()
    )


def _registrations_of(worker_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Each worker's registrations as light rows (one query, register and body joined): the attributes
    ``practitioner_resource`` reads, without building model instances (the history renders thousands)."""
    grouped: dict[int, list[Any]] = {worker_id: [] for worker_id in worker_ids}
    bodies: dict[str, SimpleNamespace] = {}
    registers: dict[tuple[str, str, str], SimpleNamespace] = {}
    for row in filter_among(Registration.objects.all(), "worker_id", worker_ids).values_list(
        "pk",
        "worker_id",
        "number",
        "registered_on",
        "status",
        "status_since",
        "updated_at",
        "register__code",
        "register__name",
        "register__body__name",
    ):
        pk, worker_id, number, registered_on, status, status_since, updated_at, code, name, body = row
        register = registers.get((code, name, body))
        if register is None:
            body_row = bodies.setdefault(body, SimpleNamespace(name=body))
            register = registers.setdefault(
                (code, name, body), SimpleNamespace(code=code, name=name, body=body_row)
            )
        grouped[worker_id].append(
            SimpleNamespace(
                pk=pk,
                number=number,
                registered_on=registered_on,
                status=status,
                status_since=status_since,
                updated_at=updated_at,
                register=register,
            )
        )
    return grouped


def _completions_of(worker_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Each worker's training completions as light rows (one query, programme and institution joined)."""
    grouped: dict[int, list[Any]] = {worker_id: [] for worker_id in worker_ids}
    programmes: dict[tuple[str, str, str | None], SimpleNamespace] = {}
    for pk, worker_id, completed_on, updated_at, code, name, institution in filter_among(
        Completion.objects.all(), "worker_id", worker_ids
    ).values_list(
        "pk",
        "worker_id",
        "completed_on",
        "updated_at",
        "programme__code",
        "programme__name",
        "programme__institution__name",
    ):
        programme = programmes.get((code, name, institution))
        if programme is None:
            programme = programmes.setdefault(
                (code, name, institution),
                SimpleNamespace(
                    code=code,
                    name=name,
                    institution=None if institution is None else SimpleNamespace(name=institution),
                ),
            )
        grouped[worker_id].append(
            SimpleNamespace(pk=pk, completed_on=completed_on, updated_at=updated_at, programme=programme)
        )
    return grouped


def _render_practitioners(rows: list[Any], user: Any) -> list[dict[str, Any]]:
    ids = [row.pk for row in rows]
    registrations = _registrations_of(ids)
    completions = _completions_of(ids)
    today = timezone.localdate()
    active = workers_active_today(worker_ids=ids, today=today)
    birth_date = fhir_policy.birth_date_visible(user=user)
    return [
        practitioner_resource(
            row,
            registrations=registrations[row.pk],
            completions=completions[row.pk],
            active=row.pk in active,
            birth_date=birth_date,
        )
        for row in rows
    ]


# The worker's name as ``Worker.full_name`` makes it, applied to a light row.
_FULL_NAME: Callable[[Any], str] = Worker.full_name.fget  # type: ignore[attr-defined]


def _render_roles(rows: list[Any], user: Any) -> list[dict[str, Any]]:
    """Workers joined as light rows (uuid and name: all a role names), the few organisations, locations
    and cadres as instances, each read once by its id (rows: assignments or :class:`AssignmentRow`)."""
    worker_ids = {row.worker_id for row in rows}
    workers = {
        pk: SimpleNamespace(
            uuid=worker_uuid, full_name=_FULL_NAME(SimpleNamespace(given_name=given, family_name=family))
        )
        for pk, worker_uuid, given, family in filter_among(
            Worker.objects.all(), "id", worker_ids
        ).values_list("pk", "uuid", "given_name", "family_name")
    }
    organisations = Organisation.objects.in_bulk({row.organisation_id for row in rows})
    locations = Location.objects.in_bulk({row.location_id for row in rows})
    cadres = Cadre.objects.in_bulk({row.cadre_id for row in rows})
    today = timezone.localdate()
    return [
        practitioner_role_resource(
            row,
            today=today,
            worker=workers[row.worker_id],
            organisation=organisations[row.organisation_id],
            location=locations[row.location_id],
            cadre=cadres[row.cadre_id],
        )
        for row in rows
    ]


def _render_organizations(rows: list[Any], user: Any) -> list[dict[str, Any]]:
    prefetch_related_objects(rows, "parent")
    return [organization_resource(row) for row in rows]


def _render_locations(rows: list[Any], user: Any) -> list[dict[str, Any]]:
    prefetch_related_objects(rows, "parent")
    managing: dict[int | None, Organisation] = {}
    ids = [row.pk for row in rows]
    if ids:
        managing = {
            organisation.manages_location_id: organisation
            for organisation in Organisation.objects.filter(manages_location_id__in=ids)
        }
    return [location_resource(row, managing=managing.get(row.pk)) for row in rows]


_RENDERERS = {
    "Practitioner": _render_practitioners,
    "PractitionerRole": _render_roles,
    "Organization": _render_organizations,
    "Location": _render_locations,
}


def resources_render(
    *, kind: ResourceKind, rows: Sequence[Model], user: Any, base_url: str
) -> list[dict[str, Any]]:
    """The current versions of ``rows`` (primary rows of ``kind``, in that order) as resources, for
    ``user`` (who must be allowed the directory: ``birthDate`` follows ``fhir_policy``).

    Queries: Practitioner 3, PractitionerRole at most 4, Organization 1, Location 2, whatever the number
    of rows (none for no rows). References are relative to ``base_url`` (the directory's base, e.g.
    ``http://host/fhir``), so the same resources serve every base; it is checked to be absolute."""
    if not base_url.startswith(("http://", "https://")):
        raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
    listed = list(rows)
    if not listed:
        return []
    return _RENDERERS[kind.name](listed, user)
