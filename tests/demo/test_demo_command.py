"""`sswis demo`: the synthetic country goes through the real importer, and every persona gets a login."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from sswis.access.models import Role
from sswis.access.policy import scope_of
from sswis.duplicates.models import CandidatePair, DuplicateRun
from sswis.imports.models import ImportRecord, ImportStatus
from sswis.planning.costs import workforce_costs
from sswis.planning.models import Norm, SalaryScale, Scenario, WisnStudyRecord
from sswis.planning.norms import norm_gaps
from sswis.planning.projection import scenario_project
from sswis.planning.selectors import scenario_parameters
from sswis.registry.models import Assignment, Worker

pytestmark = pytest.mark.django_db


def run_demo(tmp_path: Path) -> str:
    out = io.StringIO()
    call_command("demo", workers=300, template_dir=tmp_path / "template", stdout=out)
    return out.getvalue()


def test_demo_loads_the_country_and_prints_a_login_per_persona(tmp_path: Path) -> None:
    output = run_demo(tmp_path)
    # 300 live workers, and one person's second record merged into the first (the merge history's example).
    # 300 live workers, six of them recorded a second time (``-D``) for the duplicate review, and their
    # detection run: each planted copy is proposed with its original.
    assert Worker.objects.filter(merged_into__isnull=True).count() == 306
    run = DuplicateRun.objects.get()
    assert (run.status, run.origin, run.model.trained_by.username) == ("success", "demo", "manager")  # type: ignore[union-attr]
    proposed = {
        frozenset((pair.worker_a.worker_id, pair.worker_b.worker_id))
        for pair in CandidatePair.objects.filter(run=run).select_related("worker_a", "worker_b")
    }
    copies = Worker.objects.filter(worker_id__endswith="-D").values_list("worker_id", flat=True)
    assert len(copies) == 6
    assert {frozenset((copy[:-2], copy)) for copy in copies} <= proposed
    assert "candidate pairs of duplicate records to review" in output
    merged = Worker.objects.get(merged_into__isnull=False)
    assert merged.worker_id == f"{merged.merged_into.worker_id}-B"  # type: ignore[union-attr]
    assert merged.assignments.count() == 0
    assert Assignment.objects.count() > 300
    # The import is attributed to the demo's national data manager.
    assert {record.history_user.username for record in Worker.history.all()} == {"manager"}
    expected_roles = {
        "admin": Role.SYSTEM_ADMINISTRATOR,
        "manager": Role.NATIONAL_DATA_MANAGER,
        "officer": Role.SUBNATIONAL_OFFICER,
        "focal": Role.ORGANISATION_FOCAL_POINT,
        "analyst": Role.ANALYST,
        "outsider": None,
    }
    for username, role in expected_roles.items():
        assert f"{username}-demo-2025" in output
        user = authenticate(
            RequestFactory().post("/login/"), username=username, password=f"{username}-demo-2025"
        )
        assert user is not None, username
        assert scope_of(user).role == role


def test_the_demo_import_is_in_the_import_history(tmp_path: Path) -> None:
    run_demo(tmp_path)
    record = ImportRecord.objects.get()
    assert (record.user.username, record.file_name, record.status, record.imported) == (
        "manager",
        "template",
        ImportStatus.FINISHED,
        True,
    )
    assert record.counts["workers.csv"]["created"] == 300
    client = Client()
    client.force_login(record.user)
    page = client.get(reverse("web:import_list")).content.decode()
    assert f'href="{reverse("web:import_detail", args=[record.uuid])}">template</a>' in page


def test_running_the_demo_again_changes_nothing(tmp_path: Path) -> None:
    run_demo(tmp_path)
    before = (Worker.history.count(), Assignment.history.count())
    output = run_demo(tmp_path)
    assert (Worker.history.count(), Assignment.history.count()) == before
    assert "created      0  updated      0  unchanged    300" in output


def test_the_demo_has_example_norms_so_planning_shows_gaps(tmp_path: Path) -> None:
    run_demo(tmp_path)
    assert Norm.objects.count() == 4
    assert {norm.history.count() for norm in Norm.objects.all()} == {1}
    rows = norm_gaps(year=2025)
    assert rows and any(row.required is not None and row.gap is not None for row in rows)
    # Two WISN studies, three scenarios, salary scales and costs: the planning pages show something.
    assert sorted(WisnStudyRecord.objects.values_list("code", flat=True)) == ["demo-psw", "demo-sw"]
    assert sorted(Scenario.objects.values_list("code", flat=True)) == ["double-psw", "shift-30", "trend"]
    for scenario in Scenario.objects.all():
        projection = scenario_project(scenario=scenario_parameters(scenario=scenario))
        assert projection.rows and all(row.required is not None for row in projection.rows)
    costs = workforce_costs(year=2025, depth=0)
    assert any(row.cadre == "SW" and row.salary_cost > 0 and row.cost_to_close is not None for row in costs)
    run_demo(tmp_path)  # again: nothing is written twice
    assert {norm.history.count() for norm in Norm.objects.all()} == {1}
    assert {row.history.count() for row in Scenario.objects.all()} == {1}
    assert {row.history.count() for row in WisnStudyRecord.objects.all()} == {1}
    assert {row.history.count() for row in SalaryScale.objects.all()} == {1}
