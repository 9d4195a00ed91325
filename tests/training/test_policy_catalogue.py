"""The rules ``access.training_policy`` adds for the catalogue and the completions: who reads completions
at all, whose instructors, and whom a completion may be recorded of."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sswis.access import training_policy
from sswis.registry.models import Worker
from tests.conftest import Personas
from tests.training.fixtures import Training


@pytest.mark.parametrize(
    ("persona", "reads"),
    [
        ("national", True),
        ("subnational", True),
        ("focal_point", True),
        ("north_focal", True),
        ("analyst", False),
        ("administrator", False),
        ("outsider", False),
    ],
)
def test_who_reads_completions(training: Training, personas: Personas, persona: str, reads: bool) -> None:
    user = training.north_focal if persona == "north_focal" else getattr(personas, persona)
    assert training_policy.may_read_completions(user=user) is reads
    if not reads:
        with pytest.raises(PermissionDenied):
            training_policy.require_completions_read(user=user)


def test_instructors_are_read_by_those_who_change_the_institution(
    training: Training, personas: Personas
) -> None:
    training_policy.require_instructors_read(user=personas.national, institution_id=training.north.pk)
    training_policy.require_instructors_read(user=training.north_focal, institution_id=training.north.pk)
    for user, institution in ((training.north_focal, training.south), (personas.analyst, training.north)):
        with pytest.raises(PermissionDenied):
            training_policy.require_instructors_read(user=user, institution_id=institution.pk)


def test_completions_are_recorded_of_any_worker_by_a_national_data_manager_or_an_institution_focal_point(
    training: Training, personas: Personas
) -> None:
    def count(user: Any) -> int:
        return training_policy.workers_for_completion(user=user, queryset=Worker.objects.all()).count()

    assert (count(personas.national), count(training.north_focal)) == (2, 2)
    assert (count(personas.subnational), count(personas.focal_point), count(personas.analyst)) == (0, 0, 0)
