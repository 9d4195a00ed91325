"""Shared fixtures: a small country and one user per persona, including an outsider who is refused."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.models import F
from django.utils import translation

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.geo.models import Location
from sswis.registry.models import COPIED_COLUMNS, Cadre, Organisation
from sswis.surveys.models import SurveyRound
from tests.factories import CadreFactory, LocationFactory, OrganisationFactory, UserFactory

# Whole installations run in child processes (backup, restore, faults): built once per test process.
pytest_plugins = ["tests.faults.fixtures"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """After every test that used the database, and before its rollback: every copied column
    (``registry.models.COPIED_COLUMNS``) still equals its source, whichever way the test wrote rows."""
    result = yield
    uses_database = item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(getattr(item, "fixturenames", ()))
    )
    if uses_database and not connection.needs_rollback and connection.connection is not None:
        for copy in COPIED_COLUMNS:
            try:
                stale = list(
                    copy.model._default_manager.exclude(
                        **{copy.column: F(f"{copy.via.removesuffix('_id')}__{copy.source}")}
                    ).values_list("pk", flat=True)[:5]
                )
            except DatabaseError:  # the test left its transaction unusable (on purpose): nothing to read
                break
            assert not stale, f"{copy.model.__name__}.{copy.column} differs from its source in rows {stale}."
    return result


@pytest.fixture(autouse=True)
def caches_emptied() -> None:
    """Every test starts with empty caches: a test's rows are rolled back after it, and the next test
    may create rows with the same ids and versions (a state no real database goes back to), which the
    indicators cache's stamp would take for the same data (``sswis.indicators.cache``)."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def language_restored() -> Iterator[None]:
    """Every test starts and ends in the default language. A page request leaves the language it
    activated (``LocaleMiddleware``) in the test's thread, where a server's next request would activate
    its own again; without this, a test that asked for Arabic made later tests run in Arabic."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh ``DATA_DIR`` per test: what a test stores there (imported files) never reaches ``./data``."""
    folder = tmp_path_factory.mktemp("data")
    settings.DATA_DIR = folder
    return folder


@dataclass
class Country:
    """Root ``KD`` > regions ``R1``, ``R2`` > districts ``D11``, ``D12`` (in R1) and ``D21`` (in R2)."""

    root: Location
    region_1: Location
    region_2: Location
    district_11: Location
    district_12: Location
    district_21: Location
    ministry: Organisation  # government, at the root
    ngo: Organisation  # non-government, in D21
    social_worker: Cadre
    para_social_worker: Cadre
    volunteer: Cadre


@pytest.fixture
def country(db: Any) -> Country:
    root = LocationFactory(code="KD", name="Kandara", level="country")
    region_1 = LocationFactory(code="R1", name="North", parent=root, level="region")
    region_2 = LocationFactory(code="R2", name="South", parent=root, level="region")
    return Country(
        root=root,
        region_1=region_1,
        region_2=region_2,
        district_11=LocationFactory(code="D11", name="Alpha", parent=region_1),
        district_12=LocationFactory(code="D12", name="Beta", parent=region_1),
        district_21=LocationFactory(code="D21", name="Gamma", parent=region_2),
        ministry=OrganisationFactory(
            code="MSW", name="Ministry of Social Welfare", type="government", location=root
        ),
        ngo=OrganisationFactory(code="NGO1", name="Hope for Children", type="ngo", location=region_2),
        social_worker=CadreFactory(code="SW", name="Social worker", category="professional", isco08="2635"),
        para_social_worker=CadreFactory(code="PSW", name="Para-social worker", category="para_professional"),
        volunteer=CadreFactory(code="CPV", name="Child protection volunteer", category="volunteer"),
    )


@dataclass
class Personas:
    national: Any
    subnational: Any  # covers region R1
    focal_point: Any  # HR focal point of the NGO
    analyst: Any
    administrator: Any
    outsider: Any  # logged in, no role: refused everywhere


@pytest.fixture
def personas(country: Country) -> Personas:
    def user(name: str, role: Role | None, **scope: Any) -> Any:
        account = UserFactory(username=name)
        if role is not None:
            user_scope_grant(actor=None, user=account, role=role, **scope)
        return account

    return Personas(
        national=user("national", Role.NATIONAL_DATA_MANAGER),
        subnational=user("north", Role.SUBNATIONAL_OFFICER, location=country.region_1),
        focal_point=user("hope", Role.ORGANISATION_FOCAL_POINT, organisation=country.ngo),
        analyst=user("analyst", Role.ANALYST),
        administrator=user("admin", Role.SYSTEM_ADMINISTRATOR),
        outsider=user("outsider", None),
    )


@pytest.fixture
def survey_round(db: Any) -> SurveyRound:
    """The survey round ``2025`` that field-survey tests import perception answers into."""
    return SurveyRound.objects.create(
        code="2025", name="National mapping 2025", starts_on=datetime.date(2025, 3, 1)
    )
