"""The export of a year's counts: exact values worked out by hand (``conftest``), the same numbers as the
``sswis indicators`` command, what is left out, the JSON and ADX shapes, the ADX schema."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from sswis.dhis2.export import ExportError, dhis2_export_build
from sswis.dhis2.formats import ADX_NAMESPACE, AdxInvalid, adx_validate, export_as_adx, export_as_json
from tests.conftest import Country

# (org unit, data element, combo, value) in the export's order, by hand (conftest's table).
EXPECTED = [
    ("OUkd0000001", "DEcount0001", "", "5"),
    ("OUkd0000001", "DEcountSex1", "COCfemale01", "3"),
    ("OUkd0000001", "DEcountSex1", "COCmale0001", "2"),
    ("OUkd0000001", "DEcadre0001", "COCcadreSW1", "3"),
    ("OUkd0000001", "DEfemale001", "", "3"),
    ("OUkd0000001", "DEknownSex1", "", "5"),
    ("OUkd0000001", "DEchildren1", "", "110000"),
    ("OUr10000001", "DEcount0001", "", "4"),
    ("OUr10000001", "DEcountSex1", "COCfemale01", "3"),
    ("OUr10000001", "DEcountSex1", "COCmale0001", "1"),
    ("OUr10000001", "DEcadre0001", "COCcadreSW1", "2"),
    ("OUr10000001", "DEfemale001", "", "3"),
    ("OUr10000001", "DEknownSex1", "", "4"),
    ("OUr10000001", "DEchildren1", "", "60000"),
    ("OUd11000001", "DEcount0001", "", "3"),
    ("OUd11000001", "DEcountSex1", "COCfemale01", "2"),
    ("OUd11000001", "DEcountSex1", "COCmale0001", "1"),
    ("OUd11000001", "DEcadre0001", "COCcadreSW1", "2"),
    ("OUd11000001", "DEfemale001", "", "2"),
    ("OUd11000001", "DEknownSex1", "", "3"),
    ("OUd11000001", "DEchildren1", "", "40000"),
    ("OUd12000001", "DEcount0001", "", "1"),
    ("OUd12000001", "DEcountSex1", "COCfemale01", "1"),
    ("OUd12000001", "DEcountSex1", "COCmale0001", "0"),
    ("OUd12000001", "DEcadre0001", "COCcadreSW1", "0"),
    ("OUd12000001", "DEfemale001", "", "1"),
    ("OUd12000001", "DEknownSex1", "", "1"),
    ("OUd12000001", "DEchildren1", "", "20000"),
    ("OUd21000001", "DEcount0001", "", "1"),
    ("OUd21000001", "DEcountSex1", "COCfemale01", "0"),
    ("OUd21000001", "DEcountSex1", "COCmale0001", "1"),
    ("OUd21000001", "DEcadre0001", "COCcadreSW1", "1"),
    ("OUd21000001", "DEfemale001", "", "0"),
    ("OUd21000001", "DEknownSex1", "", "1"),
    ("OUd21000001", "DEchildren1", "", "50000"),
]


def test_export_values_by_hand(mapped: Country) -> None:
    export = dhis2_export_build(year=2024)
    assert [(v.org_unit, v.data_element, v.category_option_combo, v.value) for v in export.values] == EXPECTED
    assert export.unmapped_locations == ["R2"]
    assert export.unmapped_groups == [
        {"indicator": "workforce.count", "disaggregation": "cadre", "group": "CPV", "locations": 3},
        {"indicator": "workforce.count", "disaggregation": "cadre", "group": "PSW", "locations": 3},
    ]
    assert export.unmapped_indicators == [
        "workforce.per_100k_children",
        "posts.vacancy_rate",
        "workforce.licensed_share",
        "workforce.certified_share",
        "support.supervised_share",
        "support.supervisors_over_norm",
        "support.sessions_per_supervisee",
        "support.caseload_mean",
        "support.caseload_over_norm_share",
        "support.turnover_rate",
    ]
    assert export.no_figure == []


def test_export_equals_the_indicators_command(mapped: Country) -> None:
    """Every count sent is the numerator or denominator the ``sswis indicators`` command prints."""
    printed: dict[tuple[str, str, str, str], int | None] = {}
    for by in ((), ("sex",), ("cadre",)):
        out = StringIO()
        call_command("indicators", "--year", "2024", *[a for d in by for a in ("--by", d)], stdout=out)
        for row in json.loads(out.getvalue())["rows"]:
            group = ",".join(f"{k}={v}" for k, v in row["group"].items())
            printed[(row["indicator"], row["location"], group, "numerator")] = row["numerator"]
            printed[(row["indicator"], row["location"], group, "denominator")] = row["denominator"]
    export = dhis2_export_build(year=2024)
    compared = 0
    for value in export.values:
        if value.figure == "children":
            expected = printed[("workforce.per_100k_children", value.location, "", "denominator")]
        else:
            indicator, part, *group = value.figure.split(" ")
            expected = printed.get((indicator, value.location, group[0] if group else "", part), 0)
        assert (value.location, value.figure, value.value) == (value.location, value.figure, str(expected))
        compared += 1
    assert compared == 35


def test_json_document(mapped: Country) -> None:
    document = export_as_json(dhis2_export_build(year=2024))
    assert document["dataSet"] == "DSworkforce"
    assert document["period"] == "2024"
    assert document["dataValues"][:2] == [
        {"dataElement": "DEcount0001", "period": "2024", "orgUnit": "OUkd0000001", "value": "5"},
        {
            "dataElement": "DEcountSex1",
            "period": "2024",
            "orgUnit": "OUkd0000001",
            "categoryOptionCombo": "COCfemale01",
            "value": "3",
        },
    ]
    assert len(document["dataValues"]) == 35


def test_adx_message_is_valid_and_has_the_disaggregation_as_attributes(mapped: Country) -> None:
    message = export_as_adx(dhis2_export_build(year=2024))
    adx_validate(message)  # the schema accepts it (it is checked when made, too)
    root = etree.fromstring(message)
    assert root.tag == f"{{{ADX_NAMESPACE}}}adx"
    groups = root.findall(f"{{{ADX_NAMESPACE}}}group")
    assert [(g.get("orgUnit"), g.get("period"), g.get("dataSet")) for g in groups] == [
        (unit, "2024-01-01/P1Y", "DSworkforce")
        for unit in ("OUkd0000001", "OUr10000001", "OUd11000001", "OUd12000001", "OUd21000001")
    ]
    first = [dict(v.attrib) for v in groups[0]]
    assert first[:4] == [
        {"dataElement": "DEcount0001", "value": "5"},
        {"dataElement": "DEcountSex1", "SSW_SEX": "FEMALE", "value": "3"},
        {"dataElement": "DEcountSex1", "SSW_SEX": "MALE", "value": "2"},
        {"dataElement": "DEcadre0001", "categoryOptionCombo": "COCcadreSW1", "value": "3"},
    ]
    values = [(g.get("orgUnit"), v.get("dataElement"), v.get("value")) for g in groups for v in g]
    assert values == [(unit, element, value) for unit, element, _combo, value in EXPECTED]


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        (
            b'<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="A" period="2024-01-01/P1Y">'
            b'<dataValue dataElement="X" value="1"/></group></adx>',
            "exported",
        ),
        (
            b'<adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-01-01T00:00:00Z"><group orgUnit="A" '
            b'period="2024"><dataValue dataElement="X" value="1"/></group></adx>',
            "period",
        ),
        (
            b'<adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-01-01T00:00:00Z"><group orgUnit="A" '
            b'period="2024-01-01/P1Y"><dataValue dataElement="X" value="0.25 of all"/></group></adx>',
            "value",
        ),
        (b'<adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-01-01T00:00:00Z"></adx>', "group"),
        (b'<adx xmlns="urn:wrong" exported="2024-01-01T00:00:00Z"/>', "adx"),
        (b"<adx", "not XML"),
    ],
)
def test_a_broken_adx_message_is_refused(message: bytes, problem: str) -> None:
    with pytest.raises(AdxInvalid) as refused:
        adx_validate(message)
    assert problem in refused.value.message


def test_no_mapping_is_an_error(world: Country) -> None:
    with pytest.raises(ExportError) as refused:
        dhis2_export_build(year=2024)
    assert "No DHIS2 mapping" in refused.value.message


def test_unknown_child_population_is_listed_not_sent(mapped: Country) -> None:
    from sswis.geo.models import PopulationEstimate

    PopulationEstimate.objects.filter(location=mapped.district_12).delete()
    export = dhis2_export_build(year=2024)
    # D12 unknown; so are R1 (a child unknown) and KD (likewise): three children values not sent.
    assert [f["location"] for f in export.no_figure] == ["KD", "R1", "D12"]
    assert len(export.values) == 32


def test_command_writes_json_and_adx_and_lists_what_is_left_out(mapped: Country, tmp_path: Path) -> None:
    out, err = StringIO(), StringIO()
    call_command("dhis2", "export", "--year", "2024", stdout=out, stderr=err)
    assert len(json.loads(out.getvalue())["dataValues"]) == 35
    assert "Locations without an org unit (not sent): 1: R2" in err.getvalue()
    assert "workforce.count cadre=CPV (3), workforce.count cadre=PSW (3)" in err.getvalue()
    target = tmp_path / "out.xml"
    call_command(
        "dhis2",
        "export",
        "--year",
        "2024",
        "--format",
        "adx",
        "--output",
        str(target),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    adx_validate(target.read_bytes())
    with pytest.raises(CommandError, match="year"):
        call_command("dhis2", "export", "--year", "20x4", stdout=StringIO(), stderr=StringIO())
