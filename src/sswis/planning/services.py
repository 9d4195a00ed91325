"""Planning's writes: norms. Each function is atomic, checks the actor's scope through ``sswis.access``,
validates the whole row and records the change with its author. Invalid input raises ``ValidationError``
(field -> message) and writes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from sswis.access import policy
from sswis.auditing import instance_apply_changes
from sswis.geo.models import Location
from sswis.planning.inputs import PlanInputError
from sswis.planning.models import CadreCost, Norm, NormGroup, SalaryScale, Scenario, WisnStudyRecord
from sswis.planning.scenarios import CODE_PATTERN
from sswis.planning.selectors import scenario_checked, wisn_evaluate
from sswis.registry.models import Cadre

NORM_FIELDS = ("location", "group", "category", "cadre", "target_per_100k", "valid_from", "source")


@transaction.atomic
def norm_set(
    *,
    actor: Any,
    location: Location,
    target_per_100k: Decimal,
    valid_from: int,
    source: str,
    cadre: Cadre | None = None,
    category: str = "",
) -> Norm:
    """Record the target ratio of a group at ``location`` from ``valid_from``: of ``cadre`` when given,
    else of the cadre ``category`` when given, else of the whole workforce. The norm already recorded for
    that location, group and year is changed (its history keeps the old figure); otherwise one is added.

    Raises ``PermissionDenied`` outside the actor's area and ``ValidationError`` for a target that is not
    more than 0, a year out of 1900-2100, an empty source or a category that is not one.
    """
    policy.require_plan_change(user=actor, location=location)
    if cadre is not None:
        group, category = NormGroup.CADRE, ""
    elif category:
        group = NormGroup.CATEGORY
    else:
        group = NormGroup.WORKFORCE
    norm = (
        Norm.objects.filter(
            location=location, group=group, category=category, cadre=cadre, valid_from=valid_from
        ).first()
        or Norm()
    )
    changes = {
        "location": location,
        "group": group,
        "category": category,
        "cadre": cadre,
        "target_per_100k": target_per_100k,
        "valid_from": valid_from,
        "source": source.strip(),
    }
    instance_apply_changes(norm, actor=actor, changes=changes, allowed_fields=NORM_FIELDS)
    return norm


@transaction.atomic
def norm_delete(*, actor: Any, norm: Norm) -> None:
    """Remove a norm (its history keeps it, with who removed it)."""
    policy.require_plan_change(user=actor, location=norm.location)
    norm._history_user = actor  # type: ignore[attr-defined]
    norm.delete()


SCENARIO_FIELDS = ("code", "name", "location", "base_year", "horizon", "document")


@transaction.atomic
def scenario_save(*, actor: Any, data: object) -> Scenario:
    """Create the scenario described by ``data`` (the contract's document), or update the one with its
    code; its history keeps every earlier version with who changed it.

    ``actor`` ``None`` is the server's operator on the command line (``sswis plan scenario``), who has
    the database anyway; anyone else must be allowed to plan where the scenario is kept (and, for a
    change, where it was kept). Raises ``PlanInputError`` naming the field at fault and
    ``PermissionDenied`` outside the actor's area, writing nothing.
    """
    if actor is not None:
        policy.require_plan_role(user=actor)
    code = data.get("code") if isinstance(data, dict) else None
    scenario = Scenario.objects.select_related("location").filter(code=code).first() if code else None
    if actor is not None and scenario is not None:
        policy.require_plan_change(user=actor, location=scenario.location)
    parameters, location = scenario_checked(data=data)
    if actor is not None:
        policy.require_plan_change(user=actor, location=location)
    scenario = scenario or Scenario()
    changes = {
        "code": parameters.code,
        "name": parameters.name,
        "location": location,
        "base_year": parameters.base_year,
        "horizon": parameters.horizon,
        "document": parameters.document,
    }
    instance_apply_changes(scenario, actor=actor, changes=changes, allowed_fields=SCENARIO_FIELDS)
    return scenario


@transaction.atomic
def scenario_delete(*, actor: Any, scenario: Scenario) -> None:
    """Remove a scenario (its history keeps it, with who removed it)."""
    policy.require_plan_change(user=actor, location=scenario.location)
    scenario._history_user = actor  # type: ignore[attr-defined]
    scenario.delete()


STUDY_FIELDS = ("code", "name", "cadre", "location", "year", "document")


@transaction.atomic
def wisn_study_save(*, actor: Any, code: str, name: str, data: object) -> WisnStudyRecord:
    """Store the WISN study ``data`` (the contract's study document) under ``code`` and ``name``: a new
    one, or the one with that code changed (its history keeps the earlier versions with their author).

    ``actor`` ``None`` is the server's operator on the command line. Anyone else must be allowed to plan
    at the study's location (and, for a change, at the location it had). Raises ``PlanInputError``
    naming the field at fault (``code``, ``name``, or an input of the study) and ``PermissionDenied``,
    writing nothing.
    """
    if actor is not None:
        policy.require_plan_role(user=actor)
    code, name = code.strip(), name.strip()
    record = WisnStudyRecord.objects.select_related("location").filter(code=code).first()
    if actor is not None and record is not None:
        policy.require_plan_change(user=actor, location=record.location)
    if not CODE_PATTERN.match(code):
        raise PlanInputError(
            "code",
            gettext(
                "use up to 50 letters, digits, dots, dashes or underscores, starting with a letter or digit."
            ),
        )
    if not name or len(name) > 200:
        raise PlanInputError("name", gettext("give a name of at most 200 characters."))
    study, _result = wisn_evaluate(data=data)  # every input checked, codes included
    location = Location.objects.get(code=study.location)
    if actor is not None:
        policy.require_plan_change(user=actor, location=location)
    changes = {
        "code": code,
        "name": name,
        "cadre": Cadre.objects.get(code=study.cadre),
        "location": location,
        "year": study.year,
        "document": data,
    }
    record = record or WisnStudyRecord()
    instance_apply_changes(record, actor=actor, changes=changes, allowed_fields=STUDY_FIELDS)
    return record


@transaction.atomic
def wisn_study_delete(*, actor: Any, record: WisnStudyRecord) -> None:
    """Remove a stored study (its history keeps it, with who removed it)."""
    policy.require_plan_change(user=actor, location=record.location)
    record._history_user = actor  # type: ignore[attr-defined]
    record.delete()


def _require_national_plan(actor: Any) -> None:
    """Salary scales and costs are the country's: only who plans for the whole country changes them."""
    policy.require_plan_change(user=actor, location=None)


@transaction.atomic
def salary_scale_set(
    *, actor: Any, cadre: Cadre, annual_salary: Decimal, valid_from: int, grade: str = ""
) -> SalaryScale:
    """Record the yearly salary of ``cadre`` at ``grade`` (empty: the cadre's own) from ``valid_from``; the
    one of that cadre, grade and year is changed (its history keeps the old figure). National planners
    only. Raises ``ValidationError`` for a negative salary or a year out of range."""
    _require_national_plan(actor)
    scale = (
        SalaryScale.objects.filter(cadre=cadre, grade=grade.strip(), valid_from=valid_from).first()
        or SalaryScale()
    )
    changes = {
        "cadre": cadre,
        "grade": grade.strip(),
        "annual_salary": annual_salary,
        "valid_from": valid_from,
    }
    instance_apply_changes(scale, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return scale


@transaction.atomic
def cadre_cost_set(
    *,
    actor: Any,
    cadre: Cadre,
    valid_from: int,
    on_cost_rate: Decimal,
    supervision_per_worker: Decimal = Decimal("0"),
    transport_per_worker: Decimal = Decimal("0"),
    training_per_worker: Decimal = Decimal("0"),
) -> CadreCost:
    """Record the on-cost rate and non-salary costs per worker of ``cadre`` from ``valid_from`` (the one of
    that year is changed). National planners only. ``ValidationError`` for negative figures."""
    _require_national_plan(actor)
    cost = CadreCost.objects.filter(cadre=cadre, valid_from=valid_from).first() or CadreCost()
    changes = {
        "cadre": cadre,
        "valid_from": valid_from,
        "on_cost_rate": on_cost_rate,
        "supervision_per_worker": supervision_per_worker,
        "transport_per_worker": transport_per_worker,
        "training_per_worker": training_per_worker,
    }
    instance_apply_changes(cost, actor=actor, changes=changes, allowed_fields=tuple(changes))
    return cost
