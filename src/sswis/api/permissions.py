"""DRF permission classes that ask ``sswis.access.policy`` who may call an endpoint at all.

They decide on the role only (may this user call this endpoint with this method?). Which rows a user sees
is decided by the policy querysets in the views, and whether a write is inside the user's scope by the
services. Anonymous requests are refused with 401 by ``IsAuthenticated``, which comes first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from sswis.access import (
    dhis2_policy,
    duplicates_policy,
    policy,
    primero_policy,
    regulation_policy,
    reports_policy,
    training_policy,
)


class PolicyPermission(BasePermission):
    """Turn a ``policy.require_*`` refusal into a DRF refusal carrying the policy's message."""

    message = "You may not use this endpoint."

    def requirement(self, request: Request) -> Callable[..., Any]:
        raise NotImplementedError

    def has_permission(self, request: Request, view: APIView) -> bool:
        try:
            self.requirement(request)(user=request.user)
        except PermissionDenied as refusal:
            self.message = str(refusal) or self.message
            return False
        return True


class AggregatesAccess(PolicyPermission):
    """Any user with a role (analysts included); outsiders refused."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return policy.require_aggregates


class ReferenceListAccess(PolicyPermission):
    """Reference lists: read by any user with a role, written by reference-list managers only."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        if request.method in SAFE_METHODS:
            return policy.require_aggregates
        return policy.require_reference_lists


class PersonRecordsAccess(PolicyPermission):
    """Person-level records and the establishment: national, subnational and focal-point roles only."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return policy.require_people


class ImportAccess(PolicyPermission):
    """Mapping-template imports (and the blank template): users allowed to import only."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return policy.require_import


class NationalImportAccess(PolicyPermission):
    """Field surveys (their questionnaire and submissions): national data managers only."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return policy.require_national_import


class RegistersAccess(PolicyPermission):
    """Registers and registrations: national data managers, registrars (their body's), officers and focal
    points (read, the workers they see); which rows and which changes: ``access.regulation_policy``."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return regulation_policy.require_regulation_read


class RegisterKeepersAccess(PolicyPermission):
    """National exams, complaints, the registers' figures, set-up and CPD imports: national data managers
    (every body's) and registrars (their body's) only; which rows, changes and case files:
    ``access.regulation_policy``."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return regulation_policy.require_register_keeper


class CatalogueAccess(PolicyPermission):
    """The training's catalogue (institutions, programmes, intakes): every role but a worker's own login;
    which changes: ``access.training_policy`` (in the views and services)."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return training_policy.require_catalogue_read


class CompletionsAccess(PolicyPermission):
    """Completions (persons' training): national data managers, subnational officers and organisation
    focal points (the workers they see), institution focal points (their institution's); which rows:
    ``access.training_policy.completions_visible``."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return training_policy.require_completions_read


class PracticumPeopleAccess(PolicyPermission):
    """The practicum's students and placements: read by national, subnational, organisation and institution
    focal points (which rows: ``access.training_policy``); written by a national data manager or an
    institution focal point (which institution: the services)."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        if request.method in SAFE_METHODS:
            return training_policy.require_practicum_people
        return training_policy.require_training_manager


class PracticumOffersAccess(PolicyPermission):
    """The places organisations offer: read by every role but a worker's own login; set by a national data
    manager, a subnational officer or an organisation focal point (which organisation: the services)."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        if request.method in SAFE_METHODS:
            return training_policy.require_catalogue_read
        return training_policy.require_offer_role


class TrainingManagersAccess(PolicyPermission):
    """What changes training (completions lists, their unmatched rows): national data managers and
    training institutions' focal points; which rows: ``access.training_policy``."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return training_policy.require_training_manager


AGGREGATES = [IsAuthenticated, AggregatesAccess]
REGISTER_KEEPERS = [IsAuthenticated, RegisterKeepersAccess]
REGISTERS = [IsAuthenticated, RegistersAccess]
REFERENCE_LISTS = [IsAuthenticated, ReferenceListAccess]
PERSON_RECORDS = [IsAuthenticated, PersonRecordsAccess]
IMPORTS = [IsAuthenticated, ImportAccess]
NATIONAL_IMPORTS = [IsAuthenticated, NationalImportAccess]
CATALOGUE = [IsAuthenticated, CatalogueAccess]
COMPLETIONS = [IsAuthenticated, CompletionsAccess]
PRACTICUM_PEOPLE = [IsAuthenticated, PracticumPeopleAccess]
PRACTICUM_OFFERS = [IsAuthenticated, PracticumOffersAccess]
TRAINING_MANAGERS = [IsAuthenticated, TrainingManagersAccess]


# The Primero link and the case hand-over directory (issue 13): ``access.primero_policy``.
class PrimeroSyncsAccess(PolicyPermission):
    """The Primero sync history: national data managers and system administrators."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return primero_policy.require_sync_read


class HandoverAccess(PolicyPermission):
    """The case hand-over directory: the roles that see people (which workers: their scope)."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return primero_policy.require_handover_read


PRIMERO_SYNCS = [IsAuthenticated, PrimeroSyncsAccess]
HANDOVER = [IsAuthenticated, HandoverAccess]


# The DHIS2 link (issue 14): ``access.dhis2_policy``.
class Dhis2Access(PolicyPermission):
    """The DHIS2 export, pushes and their history: national data managers only."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return dhis2_policy.require_dhis2


DHIS2 = [IsAuthenticated, Dhis2Access]


# The country workforce profile (issue 15): ``access.reports_policy``.
class ReportsAccess(PolicyPermission):
    """The workforce profiles: any role that sees aggregates (which profiles: ``profiles_visible``)."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        if request.method in SAFE_METHODS:
            return reports_policy.require_profile_read
        return reports_policy.require_profile_make


REPORTS = [IsAuthenticated, ReportsAccess]


# Duplicate detection (issue 16): ``access.duplicates_policy``.
class DuplicatesReviewAccess(PolicyPermission):
    """The review queue, the runs and the model: national data managers and subnational officers."""

    def requirement(self, request: Request) -> Callable[..., Any]:
        return duplicates_policy.require_duplicates_review


DUPLICATES = [IsAuthenticated, DuplicatesReviewAccess]
