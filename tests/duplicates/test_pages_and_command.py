"""The pages (queue, pair with the decision form, runs, run, model) and ``sswis duplicates find``."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from sswis.duplicates.models import CandidatePair, DuplicateRun, PairStatus, RunOrigin, RunStatus
from tests.conftest import Personas
from tests.duplicates.conftest import World, pair_of

pytestmark = pytest.mark.django_db


def test_the_queue_shows_the_open_pairs_in_the_officer_s_area(
    client: Client, personas: Personas, detected: DuplicateRun, world: World
) -> None:
    client.force_login(personas.subnational)
    page = client.get(reverse("web:duplicates")).content.decode()
    assert "Mohammed Hassan (K01002)" in page
    assert "Banda Grace" not in page  # the swapped pair: one record in the South
    client.force_login(personas.national)
    assert "Banda Grace (K01006)" in client.get(reverse("web:duplicates")).content.decode()


@pytest.mark.parametrize("persona", ["analyst", "focal_point", "outsider"])
def test_the_pages_refuse_everyone_else(
    client: Client, personas: Personas, detected: DuplicateRun, world: World, persona: str
) -> None:
    client.force_login(getattr(personas, persona))
    pair = pair_of(detected, world.pairs["mohamed"])
    for name, kwargs in (("web:duplicates", {}), ("web:duplicates_pair", {"pair_id": pair.pk}),
                         ("web:duplicates_runs", {}), ("web:duplicates_run", {"run_id": detected.pk}),
                         ("web:duplicates_model", {})):  # fmt: skip
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403, name


def test_a_pair_is_rejected_and_confirmed_on_its_page(
    client: Client, personas: Personas, detected: DuplicateRun, world: World
) -> None:
    client.force_login(personas.national)
    birth = pair_of(detected, world.pairs["birth"])
    url = reverse("web:duplicates_pair", kwargs={"pair_id": birth.pk})
    page = client.get(url).content.decode()
    assert "birth_date: day and month swapped" in page
    assert page.count("Esther") == 2 and page.count("900000000004") == 2
    refused = client.post(url, {"decision": "reject", "reason": ""})
    assert refused.status_code == 200 and "Give a reason." in refused.content.decode()
    assert client.post(url, {"decision": "reject", "reason": "Two colleagues"}).status_code == 302
    assert CandidatePair.objects.get(pk=birth.pk).status == PairStatus.REJECTED
    mohamed = pair_of(detected, world.pairs["mohamed"])
    url = reverse("web:duplicates_pair", kwargs={"pair_id": mohamed.pk})
    assert client.post(url, {"decision": "keep_b", "reason": ""}).status_code == 302
    mohamed.refresh_from_db()
    assert (mohamed.status, mohamed.surviving) == (PairStatus.CONFIRMED, world.pairs["mohamed"][1])
    assert mohamed.reviewed_by == personas.national


def test_a_subnational_officer_cannot_open_a_pair_outside_the_area(
    client: Client, personas: Personas, detected: DuplicateRun, world: World
) -> None:
    client.force_login(personas.subnational)
    swapped = pair_of(detected, world.pairs["swapped"])
    url = reverse("web:duplicates_pair", kwargs={"pair_id": swapped.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "reject", "reason": "x"}).status_code == 404
    assert CandidatePair.objects.get(pk=swapped.pk).status == PairStatus.OPEN


def test_a_run_is_started_on_the_runs_page_and_the_model_is_shown(
    client: Client, personas: Personas, world: World, trained_model: Any
) -> None:
    client.force_login(personas.national)
    response = client.post(reverse("web:duplicates_runs"), {"threshold": "0.9"})
    run = DuplicateRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:duplicates_run", args=[run.pk]
    )
    assert (run.origin, run.status, run.pairs_count) == (RunOrigin.PAGE, RunStatus.SUCCESS, 34)
    assert "34" in client.get(response["Location"]).content.decode()
    model_page = client.get(reverse("web:duplicates_model")).content.decode()
    assert "given and family names swapped" in model_page
    client.force_login(personas.subnational)
    assert client.post(reverse("web:duplicates_runs"), {"threshold": "0.9"}).status_code == 403
    assert DuplicateRun.objects.count() == 1


def test_the_command_prints_the_contract_s_json(world: World, trained_model: Any) -> None:
    output = io.StringIO()
    call_command("duplicates", "find", "--format", "json", stdout=output, stderr=io.StringIO())
    document = json.loads(output.getvalue())
    assert set(document) == {"pairs", "clusters"}
    assert len(document["pairs"]) == 34
    for item in document["pairs"]:
        assert set(item) == {"worker_ids", "probability", "reasons"}
        assert 0.9 <= item["probability"] <= 1
    by_ids = {tuple(item["worker_ids"]): item for item in document["pairs"]}
    assert by_ids[("K01005", "K01006")]["reasons"]["names"]["level"] == "given and family names swapped"
    assert ("K01009", "K01010") not in by_ids
    assert [item["probability"] for item in document["pairs"]] == sorted(
        (item["probability"] for item in document["pairs"]), reverse=True
    )


def test_the_command_in_words_and_its_refusals(world: World, trained_model: Any) -> None:
    output = io.StringIO()
    call_command(
        "duplicates", "find", "--format", "text", "--threshold", "0.99", stdout=output, stderr=io.StringIO()
    )
    text = output.getvalue()
    assert text.splitlines()[0].startswith("3") and "clusters among 1040 workers (threshold 0.99)" in text
    assert "K01001 Mohamed Hassan  ~  K01002 Mohammed Hassan" in text
    with pytest.raises(CommandError, match=r"--threshold: The threshold must be a number between 0 and 1\."):
        call_command("duplicates", "find", "--threshold", "2", stdout=io.StringIO(), stderr=io.StringIO())
    assert DuplicateRun.objects.count() == 1
