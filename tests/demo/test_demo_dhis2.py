"""The demo's DHIS2 mapping: deterministic uids for every location, a mapping that imports, an export that
works on first start; a second run changes nothing."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from sswis.demo.dhis2 import demo_dhis2_set, demo_mapping_csv, demo_uid
from sswis.dhis2.export import dhis2_export_build
from sswis.dhis2.mapping import UID_PATTERN, mapping_read
from sswis.dhis2.models import DataElementMapping
from sswis.geo.models import Location
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory


def test_uids_are_deterministic_and_dhis2_shaped() -> None:
    assert demo_uid("location:KD") == demo_uid("location:KD")
    assert demo_uid("location:KD") != demo_uid("location:R1")
    assert all(UID_PATTERN.fullmatch(demo_uid(f"name {n}")) for n in range(200))


def test_demo_mapping_and_export(country: Country, personas: Personas) -> None:
    AssignmentFactory(
        location=country.district_11, organisation=country.ministry, cadre=country.social_worker
    )
    assert demo_dhis2_set(actor=personas.national) == 6
    assert dict(Location.objects.values_list("code", "dhis2_uid"))["D11"] == demo_uid("location:D11")
    # workforce.count: 1 + 4 sex groups + 4 categories; female share 2; vacancy 2; 3 attribute shares; children
    assert DataElementMapping.objects.count() == 1 + 4 + 4 + 2 + 2 + 3 + 1
    export = dhis2_export_build(year=2025)
    assert export.unmapped_locations == []
    assert len(export.values) == 6 * 17 - 6  # the child population is not recorded: unknown everywhere
    assert demo_dhis2_set(actor=personas.national) == 0
    out = StringIO()
    call_command("dhis2", "export", "--year", "2025", "--format", "adx", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("<?xml")


def test_code_scheme_mapping_reads(country: Country) -> None:
    read = mapping_read(content=demo_mapping_csv(scheme="code").encode(), file_name="m.csv")
    assert (read.data_set, read.id_scheme, len(read.values)) == ("SSW_WORKFORCE_ANNUAL", "code", 17)
