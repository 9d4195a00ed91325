"""``sswis.access.fhir_policy``: who may read the directory, who gets birth dates, which locations each
reader gets (``tests/conftest.py``: the officer covers R1, the focal point works for NGO1 at D21)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from sswis.access import fhir_policy
from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from tests.conftest import Personas
from tests.factories import UserFactory
from tests.fhir.conftest import Directory


@pytest.mark.parametrize("persona", ["national", "subnational", "focal_point"])
def test_the_roles_that_see_people_read_the_directory(persona: str, personas: Personas) -> None:
    assert fhir_policy.require_directory(user=getattr(personas, persona)).role is not None


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_others_are_refused(persona: str, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        fhir_policy.require_directory(user=getattr(personas, persona))
    assert not fhir_policy.locations_visible(user=getattr(personas, persona)).exists()
    assert not fhir_policy.organizations_visible(user=getattr(personas, persona)).exists()


def test_a_registrar_is_refused(directory: Directory) -> None:
    from sswis.regulation.models import RegulatoryBody

    registrar = UserFactory(username="registrar")
    body = RegulatoryBody.objects.get(code="SSC")
    user_scope_grant(actor=None, user=registrar, role=Role.REGISTRAR, regulatory_body=body)
    with pytest.raises(PermissionDenied):
        fhir_policy.require_directory(user=registrar)


def test_birth_dates(personas: Personas) -> None:
    assert fhir_policy.birth_date_visible(user=personas.national)
    assert fhir_policy.birth_date_visible(user=personas.subnational)
    assert not fhir_policy.birth_date_visible(user=personas.focal_point)
    assert not fhir_policy.birth_date_visible(user=personas.analyst)


def test_locations_of_each_reader(directory: Directory, personas: Personas) -> None:
    def codes(user: object) -> list[str]:
        return sorted(fhir_policy.locations_visible(user=user).values_list("code", flat=True))

    assert codes(personas.national) == ["D11", "D12", "D21", "KD", "R1", "R2"]
    assert codes(personas.subnational) == ["D11", "D12", "KD", "R1"]  # subtree and ancestors
    assert codes(personas.focal_point) == ["D21", "KD", "R2"]  # where NGO1 works, and ancestors
