"""Who sees the national exams and the complaints, and whose bodies and registers each may change: a
national data manager every body's, a registrar their own body's, nobody else any (officers and focal
points read registrations, not exams or cases); the complainant and the case file for the body's registrar
only."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied

from sswis.access import regulation_policy
from sswis.access.models import Role
from sswis.access.policy import scope_of
from sswis.access.services import user_scope_grant
from sswis.registry.models import Worker
from sswis.regulation.models import Register, RegulatoryBody
from sswis.regulation.services import register_set, regulatory_body_set
from tests.conftest import Personas
from tests.factories import UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bodies(personas: Personas) -> dict[str, Any]:
    """Two councils, N (register N-REG) and S (register S-REG), N's registrar, and a worker's login."""
    made = {}
    for code in ("N", "S"):
        body = regulatory_body_set(actor=personas.national, code=code, name=f"Council {code}")
        register_set(actor=personas.national, body=body, code=f"{code}-REG", name=f"Register {code}")
        made[code] = body
    registrar = UserFactory(username="registrar-n")
    user_scope_grant(actor=None, user=registrar, role=Role.REGISTRAR, regulatory_body=made["N"])
    worker = UserFactory(username="worker-login")
    user_scope_grant(actor=None, user=worker, role=Role.WORKER, worker=cast(Worker, WorkerFactory()))
    return made | {"registrar": registrar, "worker": worker}


def _codes(queryset: Any, field: str = "code") -> list[str]:
    return sorted(queryset.values_list(field, flat=True))


def test_exams_and_cases_are_read_by_national_data_managers_and_registrars_only(
    personas: Personas, bodies: dict[str, Any]
) -> None:
    registers = Register.objects.all()
    readers = {"national": personas.national, "registrar": bodies["registrar"]}
    others = {
        "subnational": personas.subnational,
        "focal_point": personas.focal_point,
        "analyst": personas.analyst,
        "administrator": personas.administrator,
        "outsider": personas.outsider,
        "worker": bodies["worker"],
    }
    seen = {
        name: _codes(regulation_policy.exams_and_cases_visible(user=user, queryset=registers))
        for name, user in readers.items()
    }
    assert seen == {"national": ["N-REG", "S-REG"], "registrar": ["N-REG"]}
    for name, user in readers.items():
        assert regulation_policy.require_register_keeper(user=user).reads_exams_and_cases, name
    for name, user in others.items():
        assert not scope_of(user).reads_exams_and_cases, name
        assert not regulation_policy.is_register_keeper(user=user), name
        with pytest.raises(PermissionDenied):
            regulation_policy.require_register_keeper(user=user)
        assert _codes(regulation_policy.exams_and_cases_visible(user=user, queryset=registers)) == [], name
    # Officers and focal points still read registers (of the workers they see), not exams or cases.
    assert scope_of(personas.subnational).reads_registers


def test_bodies_and_registers_changeable_and_the_case_file(
    personas: Personas, bodies: dict[str, Any]
) -> None:
    everything = RegulatoryBody.objects.all()
    registrar, national = bodies["registrar"], personas.national
    assert _codes(regulation_policy.bodies_changeable(user=national, queryset=everything)) == ["N", "S"]
    assert _codes(regulation_policy.bodies_changeable(user=registrar, queryset=everything)) == ["N"]
    assert _codes(
        regulation_policy.registers_changeable(user=registrar, queryset=Register.objects.all())
    ) == ["N-REG"]
    for user in (personas.subnational, personas.focal_point, personas.analyst, bodies["worker"]):
        assert _codes(regulation_policy.bodies_changeable(user=user, queryset=everything)) == []
        assert (
            _codes(regulation_policy.registers_changeable(user=user, queryset=Register.objects.all())) == []
        )
    case_file = {
        (name, code): regulation_policy.may_see_case_file(user=user, body_id=bodies[code].pk)
        for name, user in (("national", national), ("registrar", registrar))
        for code in ("N", "S")
    }
    assert case_file == {
        ("national", "N"): False,
        ("national", "S"): False,
        ("registrar", "N"): True,
        ("registrar", "S"): False,
    }
