"""The support's writes: who may make each (a national data manager anywhere; an officer or a focal point
for the workers they see, both workers of a relationship; nobody else), what each refuses (naming the
field, writing nothing) and what the audit trail keeps."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sswis.access.support_policy import caseloads_visible, relationships_visible
from sswis.support.caseloads import caseload_norm_set, caseload_remove, caseload_set, month_parse
from sswis.support.models import Caseload, SupervisionRelationship, SupervisionSession
from sswis.support.supervision import (
    relationship_change,
    relationship_create,
    relationship_end,
    rules_change,
    rules_current,
    session_delete,
    session_record,
)
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date


@pytest.fixture
def workers(country: Country) -> dict[str, Any]:
    """``north_a`` and ``north_b`` work in D11 (region R1), ``south`` at the NGO in D21."""
    made = {}
    for name, location, organisation in (
        ("north_a", country.district_11, country.ministry),
        ("north_b", country.district_11, country.ministry),
        ("south", country.district_21, country.ngo),
    ):
        worker = WorkerFactory(worker_id=name.upper())
        AssignmentFactory(
            worker=worker, location=location, organisation=organisation, cadre=country.social_worker
        )
        made[name] = worker
    return made


def test_the_rules_default_to_the_guidelines_and_change_audited(personas: Personas) -> None:
    rules = rules_current()
    assert (rules.pk, rules.norm(only_duty=True), rules.norm(only_duty=False)) == (None, 10, 6)
    changed = rules_change(actor=personas.national, changes={"supervisees_otherwise": 8})
    assert rules_current().pk == changed.pk and rules_current().norm(only_duty=False) == 8
    assert changed.history.latest().history_user == personas.national
    with pytest.raises(PermissionDenied):
        rules_change(actor=personas.subnational, changes={"supervisees_otherwise": 5})
    with pytest.raises(ValidationError) as refused:
        rules_change(actor=personas.national, changes={"supervisees_otherwise": 0})
    assert "supervisees_otherwise" in refused.value.message_dict


def test_a_relationship_is_made_changed_and_ended_by_whoever_sees_both(
    personas: Personas, workers: dict[str, Any]
) -> None:
    relationship = relationship_create(
        actor=personas.subnational,
        supervisor=workers["north_a"],
        supervisee=workers["north_b"],
        start_date=D(2025, 1, 1),
        supervision_only_duty=True,
    )
    assert relationship.history.latest().history_user == personas.subnational
    relationship_change(
        actor=personas.subnational, relationship=relationship, changes={"kind": "educational"}
    )
    relationship_end(actor=personas.subnational, relationship=relationship, end_date=D(2025, 6, 30))
    relationship.refresh_from_db()
    assert (relationship.kind, relationship.end_date, relationship.history.count()) == (
        "educational",
        D(2025, 6, 30),
        3,
    )
    with pytest.raises(PermissionDenied):  # the south worker is outside region R1
        relationship_create(
            actor=personas.subnational,
            supervisor=workers["north_a"],
            supervisee=workers["south"],
            start_date=D(2025, 1, 1),
        )
    for persona in (personas.analyst, personas.administrator, personas.outsider):
        with pytest.raises(PermissionDenied):
            relationship_end(actor=persona, relationship=relationship, end_date=D(2025, 7, 1))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"supervisee": "north_a"}, "supervisee"),  # themselves
        ({"end_date": D(2024, 12, 31)}, "end_date"),
        ({"start_date": D(2999, 1, 1)}, "start_date"),
        ({"kind": "friendly"}, "kind"),
        ({"mode": "remote"}, "mode"),
    ],
)
def test_a_bad_relationship_is_refused_naming_the_field(
    personas: Personas, workers: dict[str, Any], changes: dict[str, Any], field: str
) -> None:
    arguments: dict[str, Any] = {
        "supervisor": workers["north_a"],
        "supervisee": workers["north_b"],
        "start_date": D(2025, 1, 1),
        **changes,
    }
    if isinstance(arguments["supervisee"], str):
        arguments["supervisee"] = workers[arguments["supervisee"]]
    with pytest.raises(ValidationError) as refused:
        relationship_create(actor=personas.national, **arguments)
    assert field in refused.value.message_dict
    assert not SupervisionRelationship.objects.exists()


def test_a_second_relationship_of_the_same_start_is_refused(
    personas: Personas, workers: dict[str, Any]
) -> None:
    pair = {"supervisor": workers["north_a"], "supervisee": workers["north_b"], "start_date": D(2025, 1, 1)}
    relationship_create(actor=personas.national, **pair)
    with pytest.raises(ValidationError) as refused:
        relationship_create(actor=personas.national, **pair)
    assert refused.value.message_dict == {
        "start_date": ["NORTH_A already supervises NORTH_B from 2025-01-01."]
    }


def test_sessions_are_recorded_once_a_day_and_removed_audited(
    personas: Personas, workers: dict[str, Any]
) -> None:
    pair = {"supervisor": workers["north_a"], "supervisee": workers["north_b"]}
    session = session_record(
        actor=personas.national, date=D(2025, 3, 1), duration_minutes=45, topics=" caseload ", **pair
    )
    assert (session.topics, session.source) == ("caseload", "entered")
    with pytest.raises(ValidationError) as refused:
        session_record(actor=personas.national, date=D(2025, 3, 1), **pair)
    assert "date" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        session_record(actor=personas.national, date=D(2025, 3, 2), topics="bell\x07", **pair)
    assert "topics" in refused.value.message_dict
    session_delete(actor=personas.subnational, session=session)
    assert not SupervisionSession.objects.exists()
    assert SupervisionSession.history.latest().history_user == personas.subnational


def test_a_caseload_is_replaced_and_the_same_figure_is_unchanged(
    personas: Personas, workers: dict[str, Any]
) -> None:
    month = month_parse("2025-12")
    caseload, changed = caseload_set(
        actor=personas.national, worker=workers["south"], month=month, open_cases=14
    )
    assert changed and caseload.month == D(2025, 12, 1)
    _, changed = caseload_set(
        actor=personas.national, worker=workers["south"], month=month, open_cases=14, source="primero"
    )
    assert not changed
    caseload, changed = caseload_set(
        actor=personas.focal_point, worker=workers["south"], month=month, open_cases=9, source="primero"
    )
    assert changed and (caseload.open_cases, caseload.source, Caseload.objects.count()) == (9, "primero", 1)
    with pytest.raises(PermissionDenied):
        caseload_set(actor=personas.subnational, worker=workers["south"], month=month, open_cases=1)
    with pytest.raises(ValidationError) as refused:
        caseload_set(actor=personas.national, worker=workers["south"], month=month, open_cases=-1)
    assert "open_cases" in refused.value.message_dict
    caseload_remove(actor=personas.national, caseload=caseload)
    assert not Caseload.objects.exists()


@pytest.mark.parametrize("text", ["2025-13", "2025-1", "25-12", "December", ""])
def test_a_month_is_written_yyyy_mm(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_parse(text)


def test_caseload_norms_are_set_by_a_national_data_manager(personas: Personas, country: Country) -> None:
    norm = caseload_norm_set(
        actor=personas.national, cadre=country.social_worker, maximum_open_cases=17, source="CWLA"
    )
    again = caseload_norm_set(actor=personas.national, cadre=country.social_worker, maximum_open_cases=15)
    assert again.pk == norm.pk and again.maximum_open_cases == 15
    with pytest.raises(PermissionDenied):
        caseload_norm_set(actor=personas.focal_point, cadre=country.social_worker, maximum_open_cases=1)


def test_who_sees_which_records(personas: Personas, workers: dict[str, Any]) -> None:
    inside = relationship_create(
        actor=personas.national,
        supervisor=workers["north_a"],
        supervisee=workers["north_b"],
        start_date=D(2025, 1, 1),
    )
    across = relationship_create(
        actor=personas.national,
        supervisor=workers["south"],
        supervisee=workers["north_a"],
        start_date=D(2025, 1, 1),
    )
    caseload_set(actor=personas.national, worker=workers["south"], month=D(2025, 1, 1), open_cases=3)
    everything = SupervisionRelationship.objects.all()
    assert set(relationships_visible(user=personas.national, queryset=everything)) == {inside, across}
    assert set(relationships_visible(user=personas.subnational, queryset=everything)) == {inside, across}
    assert set(relationships_visible(user=personas.focal_point, queryset=everything)) == {across}
    for persona in (personas.analyst, personas.administrator, personas.outsider):
        assert not relationships_visible(user=persona, queryset=everything).exists()
        assert not caseloads_visible(user=persona, queryset=Caseload.objects.all()).exists()
    assert caseloads_visible(user=personas.focal_point, queryset=Caseload.objects.all()).count() == 1
    assert not caseloads_visible(user=personas.subnational, queryset=Caseload.objects.all()).exists()
