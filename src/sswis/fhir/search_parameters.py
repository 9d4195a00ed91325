"""The search parameters of each resource type (ITI-90), as data: the search applies them and the
CapabilityStatement lists them, so what is stated is what is done.

Every parameter turns one value (with its modifier) into a condition on the primary rows of its kind.
Strings: case-insensitive starts-with by default, ``:exact`` equal (case-sensitive), ``:contains``
anywhere, case-insensitive (accents are compared as written). Tokens: ``system|code``, ``code`` (any
system), ``system|`` (any code of the system), ``|code`` (no system: sswis gives none, so nothing).
References: ``Type/id`` or ``id``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Exists, Func, OuterRef, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sswis.fhir import systems
from sswis.fhir.parameters import (
    NOTHING,
    boolean,
    date_condition,
    reference_id,
    string_condition,
    token,
    uuid_or_none,
)
from sswis.registry.models import Assignment
from sswis.regulation.models import Registration

LAST_UPDATED = "fhir_last_updated"
"""The annotation holding a resource's last-updated instant (``sswis.fhir.versions``)."""


class NameText(Func):
    """A worker's full name as one text, ``given family``: what ``name:contains`` searches. PostgreSQL
    has a trigram index on exactly this expression, upper-cased (``sswis.fhir`` migration 0001)."""

    arg_joiner = " || ' ' || "
    template = "(%(expressions)s)"
    output_field = CharField()

    def __init__(self, **extra: Any) -> None:
        super().__init__("given_name", "family_name", **extra)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # the FHIR search parameter type: token, string, reference, date
    documentation: Promise | str
    condition: Callable[[str, str], Q]  # (modifier, one value) -> condition on the primary rows
    modifiers: tuple[str, ...] = ()  # besides none
    definition: str = ""  # the canonical SearchParameter it implements

    def applies(self, modifier: str, value: str) -> Q:
        return self.condition(modifier, value)


def _today() -> datetime.date:
    return timezone.localdate()


def _role_active_today(prefix: str = "") -> Q:
    today = _today()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def _id_parameter() -> Parameter:
    def condition(modifier: str, value: str) -> Q:
        identifier = uuid_or_none(value)
        return NOTHING if identifier is None else Q(uuid=identifier)

    return Parameter(
        "_id",
        "token",
        _("The resource's id (the registry row's UUID)."),
        condition,
        definition="http://hl7.org/fhir/SearchParameter/Resource-id",
    )


def _last_updated_parameter(column: str) -> Parameter:
    return Parameter(
        "_lastUpdated",
        "date",
        _(
            "When the resource last changed (meta.lastUpdated), with the prefixes eq, ne, gt, lt, ge, le, sa "
            "and eb, at the precision the value is given (a year down to a microsecond)."
        ),
        lambda modifier, value: date_condition("_lastUpdated", column, value),
        definition="http://hl7.org/fhir/SearchParameter/Resource-lastUpdated",
    )


def _reference(name: str, type_name: str, column: str, documentation: Promise) -> Parameter:
    def condition(modifier: str, value: str) -> Q:
        identifier = reference_id(name, value, type_name)
        return NOTHING if identifier is None else Q(**{f"{column}__uuid": identifier})

    return Parameter(name, "reference", documentation, condition)


def _boolean_all(name: str, documentation: Promise) -> Parameter:
    """``active`` of resources that are always active: true matches all, false none."""
    return Parameter(
        name, "token", documentation, lambda modifier, value: Q() if boolean(name, value) else NOTHING
    )


def _codes(value: str, choices: dict[str, str]) -> Q:
    """A token over coded columns (system -> column): the system's column, or any of them."""
    parsed = token(value)
    if parsed.system == "":
        return NOTHING
    columns = (
        list(choices.items()) if parsed.system is None else [(parsed.system, choices.get(parsed.system))]
    )
    condition = NOTHING
    for _system, column in columns:
        if column is None:
            continue
        condition |= ~Q(**{column: ""}) if parsed.code is None else Q(**{column: parsed.code})
    return condition


# --- Practitioner ---------------------------------------------------------------------------------------


def _practitioner_active(modifier: str, value: str) -> Q:
    active = Exists(Assignment.objects.filter(_role_active_today(), worker_id=OuterRef("pk")))
    return Q(active) if boolean("active", value) else ~Q(active)


def _practitioner_identifier(modifier: str, value: str) -> Q:
    parsed = token(value)
    if parsed.system == "":
        return NOTHING
    own = {
        systems.identifier_system("worker-id"): "worker_id",
        systems.identifier_system("national-id"): "national_id",
    }
    condition = NOTHING
    for system, column in own.items():
        if parsed.system in (None, system):
            condition |= ~Q(**{column: ""}) if parsed.code is None else Q(**{column: parsed.code})
    registrations = Registration.objects.filter(worker_id=OuterRef("pk")).exclude(number="")
    if parsed.system is None:
        condition |= Q(Exists(registrations.filter(number=parsed.code)))
    else:
        register = _register_of_system(parsed.system)
        if register is not None:
            registrations = registrations.filter(register__code=register)
            if parsed.code is not None:
                registrations = registrations.filter(number=parsed.code)
            condition |= Q(Exists(registrations))
    return condition


def _register_of_system(system: str) -> str | None:
    """The register code whose numbers have ``system``, by the configured prefix or a register's own."""
    from django.conf import settings

    configured: dict[str, str] = getattr(settings, "SSWIS_FHIR_IDENTIFIER_SYSTEMS", {}) or {}
    for key, uri in configured.items():
        if key.startswith("register:") and uri == system:
            return key.removeprefix("register:")
    prefix = systems.identifier_system("register")
    if system.startswith(prefix) and len(system) > len(prefix):
        return system[len(prefix) :]
    return None


def _practitioner_name(modifier: str, value: str) -> Q:
    if modifier == "contains":
        return Q(fhir_name_text__icontains=value)
    if modifier == "exact":
        return Q(given_name=value) | Q(family_name=value) | Q(fhir_name_text=value)
    return string_condition(("given_name", "family_name"), "", value)


STRING_MODIFIERS = ("exact", "contains")

PRACTITIONER = (
    _id_parameter(),
    _last_updated_parameter(LAST_UPDATED),
    Parameter(
        "active",
        "token",
        _("true: the worker has an assignment active today; false: none."),
        _practitioner_active,
        definition="http://hl7.org/fhir/SearchParameter/Practitioner-active",
    ),
    Parameter(
        "identifier",
        "token",
        _("The worker ID, the national ID or a registration number, each with its identifier system."),
        _practitioner_identifier,
        definition="http://hl7.org/fhir/SearchParameter/Practitioner-identifier",
    ),
    Parameter(
        "name",
        "string",
        _("The given name, the family name or the full name (given then family)."),
        _practitioner_name,
        STRING_MODIFIERS,
        definition="http://hl7.org/fhir/SearchParameter/Practitioner-name",
    ),
    Parameter(
        "given",
        "string",
        _("The given name."),
        lambda modifier, value: string_condition(("given_name",), modifier, value),
        STRING_MODIFIERS,
        definition="http://hl7.org/fhir/SearchParameter/individual-given",
    ),
    Parameter(
        "family",
        "string",
        _("The family name."),
        lambda modifier, value: string_condition(("family_name",), modifier, value),
        STRING_MODIFIERS,
        definition="http://hl7.org/fhir/SearchParameter/individual-family",
    ),
)

# --- PractitionerRole -----------------------------------------------------------------------------------


def _role_active(modifier: str, value: str) -> Q:
    return _role_active_today() if boolean("active", value) else ~_role_active_today()


PRACTITIONER_ROLE = (
    _id_parameter(),
    _last_updated_parameter("updated_at"),
    Parameter(
        "active",
        "token",
        _("true: the assignment is active today (started, not ended); false: not."),
        _role_active,
        definition="http://hl7.org/fhir/SearchParameter/PractitionerRole-active",
    ),
    _reference("location", "Location", "location", _("The location of the assignment.")),
    _reference("organization", "Organization", "organisation", _("The organisation of the assignment.")),
    _reference("practitioner", "Practitioner", "worker", _("The worker.")),
    Parameter(
        "role",
        "token",
        _("The cadre, by its sswis code or its ISCO-08 unit group."),
        lambda modifier, value: _codes(
            value, {systems.CADRE: "cadre__code", systems.ISCO08: "cadre__isco08"}
        ),
        definition="http://hl7.org/fhir/SearchParameter/PractitionerRole-role",
    ),
    Parameter(
        "service",
        "reference",
        _("A HealthcareService: sswis has none, so this parameter is understood and matches no role."),
        lambda modifier, value: NOTHING,
        definition="http://hl7.org/fhir/SearchParameter/PractitionerRole-service",
    ),
    Parameter(
        "specialty",
        "token",
        _("The cadre's category: professional, para_professional, volunteer or allied."),
        lambda modifier, value: _codes(value, {systems.CADRE_CATEGORY: "cadre__category"}),
        definition="http://hl7.org/fhir/SearchParameter/PractitionerRole-specialty",
    ),
)

# --- Location -------------------------------------------------------------------------------------------


def _location_type(modifier: str, value: str) -> Q:
    parsed = token(value)
    if parsed.system == "":
        return NOTHING
    if parsed.system in (None, systems.MCSD_TYPES) and parsed.code in (None, "jurisdiction"):
        return Q()  # every sswis location is a jurisdiction
    if parsed.system in (None, systems.LOCATION_LEVEL):
        return ~Q(level="") if parsed.code is None else Q(level__iexact=parsed.code)
    return NOTHING


def _location_status(modifier: str, value: str) -> Q:
    parsed = token(value)
    return (
        Q()
        if parsed.code == "active" and parsed.system in (None, "http://hl7.org/fhir/location-status")
        else NOTHING
    )


LOCATION = (
    _id_parameter(),
    _last_updated_parameter(LAST_UPDATED),
    Parameter(
        "identifier",
        "token",
        _("The location's code, or its DHIS2 organisation unit uid."),
        lambda modifier, value: _codes(
            value,
            {
                systems.identifier_system("location-code"): "code",
                systems.identifier_system("dhis2-uid"): "dhis2_uid",
            },
        ),
        definition="http://hl7.org/fhir/SearchParameter/Location-identifier",
    ),
    Parameter(
        "name",
        "string",
        _("The location's name."),
        lambda modifier, value: string_condition(("name",), modifier, value),
        STRING_MODIFIERS,
        definition="http://hl7.org/fhir/SearchParameter/Location-name",
    ),
    _reference(
        "organization",
        "Organization",
        "managing_organisation",
        _("The organisation that manages the jurisdiction (managingOrganization)."),
    ),
    _reference("partof", "Location", "parent", _("The location one level up.")),
    Parameter(
        "status",
        "token",
        _("Every sswis location is active."),
        _location_status,
        definition="http://hl7.org/fhir/SearchParameter/Location-status",
    ),
    Parameter(
        "type",
        "token",
        _(
            "jurisdiction (every location, mCSD's code), or the level of the location tree (region, district...)."
        ),
        _location_type,
        definition="http://hl7.org/fhir/SearchParameter/Location-type",
    ),
)

# --- Organization ---------------------------------------------------------------------------------------

ORGANIZATION = (
    _id_parameter(),
    _last_updated_parameter("updated_at"),
    _boolean_all("active", _("Every sswis organisation is active: true matches all, false none.")),
    Parameter(
        "identifier",
        "token",
        _("The organisation's code."),
        lambda modifier, value: _codes(value, {systems.identifier_system("organisation-code"): "code"}),
        definition="http://hl7.org/fhir/SearchParameter/Organization-identifier",
    ),
    Parameter(
        "name",
        "string",
        _("The organisation's name."),
        lambda modifier, value: string_condition(("name",), modifier, value),
        STRING_MODIFIERS,
        definition="http://hl7.org/fhir/SearchParameter/Organization-name",
    ),
    Parameter(
        "type",
        "token",
        _("The organisation's type (government, ngo...) or its sector (social_welfare, health...)."),
        lambda modifier, value: _codes(value, {systems.ORGANISATION_TYPE: "type", systems.SECTOR: "sector"}),
        definition="http://hl7.org/fhir/SearchParameter/Organization-type",
    ),
    _reference("partof", "Organization", "parent", _("The parent organisation.")),
)

PARAMETERS: dict[str, dict[str, Parameter]] = {
    "Practitioner": {parameter.name: parameter for parameter in PRACTITIONER},
    "PractitionerRole": {parameter.name: parameter for parameter in PRACTITIONER_ROLE},
    "Location": {parameter.name: parameter for parameter in LOCATION},
    "Organization": {parameter.name: parameter for parameter in ORGANIZATION},
}


@dataclass(frozen=True)
class Link:
    """An ``_include`` or ``_revinclude`` the directory serves: ``source`` resources' ``parameter``
    references ``target`` resources. ``column``: the source model's foreign key to the target, or, for
    ``Location:organization`` (the organisation points at the location it manages), the reverse name."""

    source: str
    parameter: str
    target: str
    column: str

    @property
    def value(self) -> str:
        return f"{self.source}:{self.parameter}"


INCLUDES: dict[str, dict[str, Link]] = {
    "PractitionerRole": {
        link.value: link
        for link in (
            Link("PractitionerRole", "practitioner", "Practitioner", "worker_id"),
            Link("PractitionerRole", "organization", "Organization", "organisation_id"),
            Link("PractitionerRole", "location", "Location", "location_id"),
        )
    },
    "Location": {
        "Location:organization": Link("Location", "organization", "Organization", "managing_organisation")
    },
}
"""``_include`` values per searched type."""

REVINCLUDES: dict[str, dict[str, Link]] = {
    "Organization": {
        "Location:organization": Link("Location", "organization", "Organization", "managing_organisation")
    },
    "Practitioner": {
        "PractitionerRole:practitioner": Link("PractitionerRole", "practitioner", "Practitioner", "worker_id")
    },
}
"""``_revinclude`` values per searched type."""

RESULT_PARAMETERS = ("_count", "_include", "_revinclude", "_total", "_format", "_cursor")
"""Parameters that shape the result rather than select resources (``_cursor``: the next page's place)."""
