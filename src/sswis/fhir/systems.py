"""The URIs of the identifier systems and code systems the directory's resources use.

Identifier systems are configurable per kind of identifier (setting ``SSWIS_FHIR_IDENTIFIER_SYSTEMS``, a
dict from the kind to its URI, e.g. the national ID's system as the country's FHIR guide names it); the
defaults are sswis URNs. A registration number's system is the ``register`` kind followed by the register's
code, unless the setting names that register's own (``register:<code>``).
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

DEFAULT_IDENTIFIER_SYSTEMS = {
    "worker-id": "urn:sswis:identifier:worker-id",
    "national-id": "urn:sswis:identifier:national-id",
    "register": "urn:sswis:identifier:register:",
    "organisation-code": "urn:sswis:identifier:organisation-code",
    "location-code": "urn:sswis:identifier:location-code",
    "dhis2-uid": "urn:sswis:identifier:dhis2-organisation-unit",
}

CODE_SYSTEM_BASE = "urn:sswis:codesystem:"
CADRE = CODE_SYSTEM_BASE + "cadre"
CADRE_CATEGORY = CODE_SYSTEM_BASE + "cadre-category"
EDUCATION_LEVEL = CODE_SYSTEM_BASE + "education-level"
REGISTER = CODE_SYSTEM_BASE + "register"
PROGRAMME = CODE_SYSTEM_BASE + "training-programme"
ORGANISATION_TYPE = CODE_SYSTEM_BASE + "organisation-type"
SECTOR = CODE_SYSTEM_BASE + "sector"
LOCATION_LEVEL = CODE_SYSTEM_BASE + "location-level"

ISCO08 = "http://www.ilo.org/public/english/bureau/stat/isco/isco08/"
"""ISCO-08's URI as HL7's terminology (THO, NamingSystem ``ISCO08``) and WHO SMART guides spell it."""
MCSD_TYPES = "https://profiles.ihe.net/ITI/mCSD/CodeSystem/IHE.mCSD.Organization.Location.Types"
LOCATION_PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"
BOUNDARY_EXTENSION = "http://hl7.org/fhir/StructureDefinition/location-boundary-geojson"

PROFILES = {
    "Practitioner": "https://profiles.ihe.net/ITI/mCSD/StructureDefinition/IHE.mCSD.Practitioner",
    "PractitionerRole": "https://profiles.ihe.net/ITI/mCSD/StructureDefinition/IHE.mCSD.PractitionerRole",
    "Organization": "https://profiles.ihe.net/ITI/mCSD/StructureDefinition/IHE.mCSD.Organization",
    "Location": "https://profiles.ihe.net/ITI/mCSD/StructureDefinition/IHE.mCSD.JurisdictionLocation",
}


@functools.cache
def identifier_system(kind: str) -> str:
    """The identifier system of ``kind`` (a key of ``DEFAULT_IDENTIFIER_SYSTEMS``), as configured.

    Cached (a history page asks tens of thousands of times), and forgotten when the setting changes
    (``_forget_configured_systems``)."""
    configured: dict[str, str] = getattr(settings, "SSWIS_FHIR_IDENTIFIER_SYSTEMS", {}) or {}
    return configured.get(kind) or DEFAULT_IDENTIFIER_SYSTEMS[kind]


@functools.cache
def register_system(register_code: str) -> str:
    """The identifier system of the numbers of the register ``register_code`` (cached like
    ``identifier_system``)."""
    configured: dict[str, str] = getattr(settings, "SSWIS_FHIR_IDENTIFIER_SYSTEMS", {}) or {}
    own = configured.get(f"register:{register_code}")
    return own or identifier_system("register") + register_code


@receiver(setting_changed)
def _forget_configured_systems(*, setting: str, **kwargs: Any) -> None:
    """A changed ``SSWIS_FHIR_IDENTIFIER_SYSTEMS`` (tests, ``override_settings``) is read again."""
    if setting == "SSWIS_FHIR_IDENTIFIER_SYSTEMS":
        identifier_system.cache_clear()
        register_system.cache_clear()
