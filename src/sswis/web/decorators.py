"""Access decorators for the pages: login first, then the role check of ``sswis.access.policy``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from sswis.access import (
    dhis2_policy,
    merging_policy,
    policy,
    primero_policy,
    quality_policy,
    rapidpro_policy,
    regulation_policy,
    support_policy,
    training_policy,
)

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def _guarded(check: Callable[..., Any]) -> Callable[[View[P]], View[P]]:
    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            check(user=request.user)
            return view(request, *args, **kwargs)

        # Anonymous visitors are sent to the login page before any role check.
        return login_required(wrapped)

    return decorator


aggregates_required = _guarded(policy.require_aggregates)
"""Login required; outsiders (no role) get 403. Every role may see aggregate figures."""

people_required = _guarded(policy.require_people)
"""Login required; only roles that see person records (national, subnational, focal point) pass."""

imports_required = _guarded(policy.require_import)
"""Login required; only roles that may import a mapping template (national, subnational, focal point) pass."""

national_import_required = _guarded(policy.require_national_import)
"""Login required; only a national data manager passes (field surveys, survey rounds)."""

plan_change_required = _guarded(policy.require_plan_role)
"""Login required; only a national data manager or a subnational officer (who plan for their area) pass."""

registers_required = _guarded(regulation_policy.require_regulation_read)
"""Login required; only the roles that read registrations pass (national, registrar, officer, focal point)."""

register_keepers_required = _guarded(regulation_policy.require_register_keeper)
"""Login required; only a national data manager or a registrar (their body's) pass: the national exams, the
complaints, the registers' figures, set-up and CPD imports."""

catalogue_required = _guarded(training_policy.require_catalogue_read)
"""Login required; every role but a worker's own login passes: the training's catalogue (institutions,
programmes, their figures) describes no person."""

training_managers_required = _guarded(training_policy.require_training_manager)
"""Login required; only a national data manager or an institution focal point (their institution's) pass:
the pages that change the training."""

completions_required = _guarded(training_policy.require_completions_read)
"""Login required; only the roles that read completions pass (national, subnational, organisation focal
point: the workers they see; institution focal point: their institution's)."""
practicum_people_required = _guarded(training_policy.require_practicum_people)
"""Login required; the practicum's students and placements: national, subnational, organisation and
institution focal points (which rows: ``access.training_policy``)."""

practicum_offers_required = _guarded(training_policy.require_offer_role)
"""Login required; setting practicum offers: national, subnational (their area), organisation focal point."""

framework_managers_required = _guarded(training_policy.require_framework_change)
"""Login required; a system administrator or a national data manager only: changing competency frameworks."""

competency_people_required = _guarded(training_policy.require_competencies_people)
"""Login required; the roles that see people, and a worker's own login (their own record): a worker's
competencies."""

sms_managers_required = _guarded(rapidpro_policy.require_sms_manage)
"""Login required; a national data manager only: the SMS gateway's tokens, calls and reminders."""
# The Primero link and the case hand-over directory (issue 13): ``access.primero_policy``.
primero_syncs_required = _guarded(primero_policy.require_sync_read)
"""Login required; a national data manager or a system administrator: the Primero sync history."""

primero_sync_run_required = _guarded(primero_policy.require_sync_run)
"""Login required; a national data manager only: running a sync from Primero."""

handover_required = _guarded(primero_policy.require_handover_read)
"""Login required; the roles that see people: the case hand-over directory (the workers they see)."""

# The DHIS2 link (issue 14): ``access.dhis2_policy``.
dhis2_required = _guarded(dhis2_policy.require_dhis2)
"""Login required; a national data manager only: the DHIS2 mapping, export, pushes and their history."""

# --- professional associations ---
support_read_required = _guarded(support_policy.require_support_read)
"""Login required; every role but outsiders and workers' own logins: the support's figures, the caseload
norms, professional associations and their membership figures (none describes a person)."""

rules_change_required = _guarded(support_policy.require_rules_change)
"""Login required; a national data manager or a system administrator: the supervision rules and the caseload
norms."""
association_managers_required = _guarded(support_policy.require_association_change)
"""Login required; a national data manager only: adding and changing professional associations."""

quality_read_required = _guarded(quality_policy.require_quality_read)
"""Login required; every role but outsiders and workers' own logins: the quality-assurance score, its
evidence and the normative framework inventory."""

quality_managers_required = _guarded(quality_policy.require_quality_change)
"""Login required; a national data manager only: recording scores, keeping the framework inventory."""

# Merging worker records of the same person (issue 16): ``access.merging_policy``.
merges_required = _guarded(merging_policy.require_merge_role)
"""Login required; a national data manager or a subnational officer: the merge history, merging and
undoing merges (of records in their area)."""
