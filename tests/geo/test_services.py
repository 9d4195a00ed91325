from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sswis.geo.models import Location
from sswis.geo.services import location_create, location_paths_rebuild, location_update
from tests.conftest import Country, Personas

pytestmark = pytest.mark.django_db


def test_location_create_sets_materialised_path(personas: Personas, country: Country) -> None:
    ward = location_create(
        actor=personas.national, code="W111", name="Ward", parent=country.district_11, level="ward"
    )
    assert ward.path == f"{country.district_11.path}{ward.pk}/"
    assert ward.depth == 3
    subtree = Location.objects.filter(path__startswith=country.region_1.path).values_list("code", flat=True)
    assert sorted(subtree) == ["D11", "D12", "R1", "W111"]
    assert ward.history.get().history_user == personas.national


def test_second_root_refused(personas: Personas, country: Country) -> None:
    with pytest.raises(ValidationError):
        location_create(actor=personas.national, code="X", name="X", parent=None)


def test_move_repaths_subtree_and_refuses_cycles(personas: Personas, country: Country) -> None:
    ward = location_create(actor=personas.national, code="W111", name="Ward", parent=country.district_11)
    location_update(actor=personas.national, location=country.district_11, parent=country.region_2)
    ward.refresh_from_db()
    assert ward.path.startswith(country.region_2.path)
    assert ward.depth == 3
    with pytest.raises(ValidationError):
        location_update(actor=personas.national, location=country.region_2, parent=ward)
    assert location_paths_rebuild() == 0


def test_location_writes_refused_for_officers(personas: Personas, country: Country) -> None:
    with pytest.raises(PermissionDenied):
        location_create(actor=personas.subnational, code="W9", name="W", parent=country.district_11)
