"""Costing: the workforce's yearly cost by salary scale (the post's grade wins), on-costs and non-salary
costs, and the cost of closing each location's gap, worked by hand."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.planning.costs import workforce_costs
from sswis.planning.services import cadre_cost_set, norm_set, salary_scale_set
from sswis.registry.models import Assignment
from tests.factories import PostFactory, UserFactory
from tests.planning.projection_world import projection_world


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """The projection world (K > D1, D2; social workers: 4 at D1, 1 at D2; para-social workers: 2 at D1),
    one of D1's social workers filling a post of grade "senior"; social workers paid 1,000 from 2020 and
    1,200 from 2024, seniors 2,000; on-costs 20% and 175 of other costs a worker from 2022; a norm of 10
    social workers per 100,000 children at K. Para-social workers have no salary scale."""
    world = projection_world()
    manager = UserFactory(username="manager")
    user_scope_grant(actor=None, user=manager, role=Role.NATIONAL_DATA_MANAGER)
    sw = world["sw"]
    assignment = Assignment.objects.filter(location=world["d1"], cadre=sw).order_by("pk").first()
    assert assignment is not None
    post = PostFactory(organisation=assignment.organisation, cadre=sw, grade="senior")
    Assignment.objects.filter(pk=assignment.pk).update(post=post)
    salary_scale_set(actor=manager, cadre=sw, annual_salary=Decimal(1000), valid_from=2020)
    salary_scale_set(actor=manager, cadre=sw, annual_salary=Decimal(1200), valid_from=2024)
    salary_scale_set(actor=manager, cadre=sw, grade="senior", annual_salary=Decimal(2000), valid_from=2020)
    cadre_cost_set(
        actor=manager,
        cadre=sw,
        valid_from=2022,
        on_cost_rate=Decimal("0.2"),
        supervision_per_worker=Decimal(100),
        transport_per_worker=Decimal(50),
        training_per_worker=Decimal(25),
    )
    norm_set(
        actor=manager,
        location=world["country"],
        cadre=sw,
        target_per_100k=Decimal(10),
        valid_from=2020,
        source="SW norm",
    )
    return world | {"manager": manager}


def test_costs_worked_by_hand(world: dict[str, Any]) -> None:
    rows = {(row.location, row.cadre): row for row in workforce_costs(year=2024, depth=1)}
    k = rows[("K", "SW")]
    # 4 at 1,200 and the senior at 2,000: 6,800; on-costs 1,360; 5 x 175 = 875; total 9,035. Required 10 of
    # 100,000 children: 5 short, each 1,200 x 1.2 + 175 = 1,615 a year: 8,075.
    assert (k.counted, k.unpriced, k.salary_cost, k.on_costs, k.non_salary_costs) == (5, 0, 6800, 1360, 875)
    assert (k.total_cost, k.shortage, k.cost_to_close) == (9035, 5, 8075)
    d1 = rows[("D1", "SW")]  # 3 x 1,200 + 2,000; 50,000 children: 5 required, 4 counted: 1 short
    assert (d1.salary_cost, d1.shortage, d1.cost_to_close) == (5600, 1, 1615)
    d2 = rows[("D2", "SW")]  # no population figure: no shortage known
    assert (d2.salary_cost, d2.shortage, d2.cost_to_close) == (1200, None, None)
    psw = rows[("K", "PSW")]  # no salary scale: said, not guessed
    assert (psw.counted, psw.unpriced, psw.salary_cost, psw.total_cost, psw.shortage) == (2, 2, 0, 0, None)
    # 2023: the 1,000 scale: 4,000 + 2,000.
    assert {(r.location, r.cadre): r for r in workforce_costs(year=2023)}[("K", "SW")].salary_cost == 6000


def test_a_location_with_a_shortage_but_nobody_counted_is_listed(world: dict[str, Any]) -> None:
    psw = world["psw"]
    norm_set(
        actor=world["manager"],
        location=world["country"],
        cadre=psw,
        target_per_100k=Decimal(10),
        valid_from=2020,
        source="PSW",
    )
    rows = {(row.location, row.cadre): row for row in workforce_costs(year=2024, location=world["d1"])}
    assert rows[("D1", "PSW")].shortage == 3  # 5 required, 2 counted


def test_only_national_planners_set_scales(world: dict[str, Any]) -> None:
    officer = UserFactory(username="officer")
    user_scope_grant(actor=None, user=officer, role=Role.SUBNATIONAL_OFFICER, location=world["d1"])
    with pytest.raises(PermissionDenied):
        salary_scale_set(actor=officer, cadre=world["sw"], annual_salary=Decimal(5), valid_from=2024)


def test_the_command_line_prints_the_costs(world: dict[str, Any]) -> None:
    out = io.StringIO()
    call_command("plan", "costs", "--year", "2024", "--location", "K", "--depth", "0", stdout=out)
    document = json.loads(out.getvalue())
    assert document["year"] == 2024
    assert [(row["location"], row["cadre"], row["total_cost"]) for row in document["rows"]] == [
        ("K", "PSW", 0.0),
        ("K", "SW", 9035.0),
    ]
