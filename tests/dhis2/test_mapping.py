"""The mapping file: a good file replaces the mapping whole and is audited with its author; a bad line is
refused with its line and problem, and nothing is written."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from sswis.dhis2.mapping import EXAMPLE_CSV, MappingError, dhis2_mapping_import, mapping_as_csv
from sswis.dhis2.models import DataElementMapping, Dhis2Mapping, OrgUnitMapping
from tests.conftest import Country, Personas
from tests.dhis2.conftest import MAPPING_CSV

HEADER = MAPPING_CSV.splitlines()[0]
GOOD_START = "\n".join(MAPPING_CSV.splitlines()[:3])  # header, data set, id scheme


def refused(content: str, *, file_name: str = "m.csv") -> list[tuple[str, str]]:
    with pytest.raises(MappingError) as error:
        dhis2_mapping_import(actor=None, content=content.encode(), file_name=file_name)
    return error.value.problems


def test_good_file_is_imported_and_audited(world: Country, personas: Personas) -> None:
    dhis2_mapping_import(actor=personas.national, content=MAPPING_CSV.encode(), file_name="mapping.csv")
    mapping = Dhis2Mapping.objects.get()
    assert (mapping.data_set, mapping.id_scheme, mapping.file_name) == ("DSworkforce", "uid", "mapping.csv")
    lines = list(
        DataElementMapping.objects.values_list("indicator", "part", "dimension", "group", "data_element")
    )
    assert lines == [
        ("workforce.count", "numerator", "", "", "DEcount0001"),
        ("workforce.count", "numerator", "sex", "female", "DEcountSex1"),
        ("workforce.count", "numerator", "sex", "male", "DEcountSex1"),
        ("workforce.count", "numerator", "cadre", "SW", "DEcadre0001"),
        ("workforce.female_share", "numerator", "", "", "DEfemale001"),
        ("workforce.female_share", "denominator", "", "", "DEknownSex1"),
        ("", "", "", "", "DEchildren1"),
    ]
    assert DataElementMapping.objects.get(group="female").adx_categories == {"SSW_SEX": "FEMALE"}
    assert list(OrgUnitMapping.objects.values_list("location__code", "org_unit")) == [("D21", "OUd21000001")]
    authors = {
        record.history_user
        for model in (Dhis2Mapping, DataElementMapping, OrgUnitMapping)
        for record in model.history.all()
    }
    assert authors == {personas.national}


def test_a_new_import_replaces_the_old_whole(mapped: Country, personas: Personas) -> None:
    dhis2_mapping_import(
        actor=personas.national,
        content=(GOOD_START + "\nvalue,workforce.count,numerator,,,,DEother0001,,,\n").encode(),
        file_name="second.csv",
    )
    assert list(DataElementMapping.objects.values_list("data_element", flat=True)) == ["DEother0001"]
    assert OrgUnitMapping.objects.count() == 0
    deleted = DataElementMapping.history.filter(history_type="-")
    assert deleted.count() == 7
    assert {record.history_user for record in deleted} == {personas.national}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("value,workforce.headcount,numerator,,,,DEcount0001,,,", "Unknown indicator 'workforce.headcount'"),
        ("value,workforce.count,numerator,sex,females,,DEcount0001,,,", "Unknown group 'females' of sex"),
        ("value,workforce.count,numerator,cadre,XYZ,,DEcount0001,,,", "Unknown group 'XYZ' of cadre"),
        ("value,workforce.count,numerator,colour,red,,DEcount0001,,,", "cannot be split by 'colour'"),
        ("value,workforce.female_share,numerator,sex,female,,DEcount0001,,,", "cannot be split by 'sex'"),
        ("value,workforce.count,denominator,,,,DEcount0001,,,", "workforce.count has no denominator"),
        ("value,workforce.count,ratio,,,,DEcount0001,,,", "Unknown part 'ratio'"),
        ("value,workforce.count,numerator,sex,,,DEcount0001,,,", "both a disaggregation and a group"),
        ("value,workforce.count,numerator,,,,DEcount001,,,", "'DEcount001' is not a DHIS2 uid"),
        ("value,workforce.count,numerator,,,,1Ecount0001,,,", "'1Ecount0001' is not a DHIS2 uid"),
        ("value,workforce.count,numerator,,,,DEcount0001,COC-female1,,", "'COC-female1' is not a DHIS2 uid"),
        ("value,workforce.count,numerator,,,,DEcount0001,,,SEX", "is not CATEGORY=OPTION"),
        ("value,workforce.count,numerator,,,,DEcount0001,,,value=F", "cannot be an ADX category attribute"),
        ("org_unit,,,,,D99,OUd99000001,,,", "Unknown location 'D99'"),
        ("org_unit,,,,,D11,OU-d11,,,", "'OU-d11' is not a DHIS2 uid"),
        ("total,,,,,,DEcount0001,,,", "Unknown record 'total'"),
        ("child_population,workforce.count,,,,,DEchildren1,,,", "The child population has no indicator"),
        ("value,workforce.count,numerator,,,,DE\x10count001,,,", "U+0010"),
    ],
)
def test_bad_line_is_refused_with_its_line_and_nothing_is_written(
    world: Country, line: str, message: str
) -> None:
    problems = refused(
        GOOD_START + "\nvalue,workforce.count,numerator,sex,female,,DEcount0001,,,\n" + line + "\n"
    )
    assert len(problems) == 1
    where, text = problems[0]
    assert where == "line 5"
    assert message in text
    assert Dhis2Mapping.objects.count() == 0
    assert DataElementMapping.objects.count() == 0


def test_every_problem_is_listed_and_the_mapping_in_force_stays(mapped: Country) -> None:
    content = (
        HEADER
        + "\ndata_set,,,,,,DS,,,\nid_scheme,,,,,,name,,,\n"
        + "value,workforce.count,numerator,,,,DEcount0001,,,\nvalue,workforce.count,numerator,,,,DEcount0002,,,\n"
    )
    problems = refused(content)
    assert problems == [
        ("line 3", "Unknown id scheme 'name': give uid or code."),
        ("", "The id scheme is missing (an id_scheme record: uid or code)."),
        (
            "data_set",
            "The data set 'DS' is not a DHIS2 uid: 11 letters and digits, the first a letter (id scheme uid).",
        ),
        ("line 5", "This figure is already mapped on line 4."),
    ]
    assert Dhis2Mapping.objects.get().data_set == "DSworkforce"
    assert DataElementMapping.objects.count() == 7


def test_code_scheme_accepts_codes(world: Country) -> None:
    content = (
        HEADER
        + "\ndata_set,,,,,,SSW_ANNUAL,,,\nid_scheme,,,,,,code,,,\nvalue,workforce.count,numerator,,,,SSW_COUNT,,,\n"
    )
    dhis2_mapping_import(actor=None, content=content.encode(), file_name="codes.csv")
    assert Dhis2Mapping.objects.get().id_scheme == "code"
    assert refused(
        HEADER
        + "\ndata_set,,,,,,SSW,,,\nid_scheme,,,,,,code,,,\nvalue,workforce.count,numerator,,,,"
        + "X" * 51
        + ",,,\n"
    )[0][1].endswith("is longer than 50 characters.")


def test_json_file(world: Country) -> None:
    document = {
        "data_set": "DSworkforce",
        "id_scheme": "uid",
        "values": [
            {"indicator": "workforce.count", "part": "numerator", "data_element": "DEcount0001"},
            {
                "indicator": "workforce.count",
                "part": "numerator",
                "disaggregation": "sex",
                "group": "female",
                "data_element": "DEcountSex1",
                "category_option_combo": "COCfemale01",
                "adx_categories": {"SSW_SEX": "FEMALE"},
            },
        ],
        "child_population": {"data_element": "DEchildren1"},
        "org_units": [{"location": "D21", "org_unit": "OUd21000001"}],
    }
    dhis2_mapping_import(actor=None, content=json.dumps(document).encode(), file_name="mapping.json")
    assert DataElementMapping.objects.count() == 3
    document["values"][1]["group"] = "women"
    problems = refused(json.dumps(document), file_name="mapping.json")
    assert [where for where, _ in problems] == ["values[1]"]


def test_header_and_encoding_problems(world: Country) -> None:
    assert "The header must hold the columns" in refused("record,dhis2,colour\n")[0][1]
    with pytest.raises(MappingError) as error:
        dhis2_mapping_import(actor=None, content=b"record,dhis2\n\xff\n", file_name="m.csv")
    assert "not UTF-8" in error.value.problems[0][1]


def test_only_a_national_data_manager_imports(world: Country, personas: Personas) -> None:
    for user in (personas.administrator, personas.analyst, personas.subnational, personas.outsider):
        with pytest.raises(PermissionDenied):
            dhis2_mapping_import(actor=user, content=MAPPING_CSV.encode(), file_name="m.csv")
    assert Dhis2Mapping.objects.count() == 0


def test_mapping_round_trips_and_example_is_valid(mapped: Country, tmp_path: Path) -> None:
    again = mapping_as_csv()
    dhis2_mapping_import(actor=None, content=again.encode(), file_name="again.csv")
    assert mapping_as_csv() == again
    example = tmp_path / "example.csv"
    example.write_text(EXAMPLE_CSV.replace(",D01,", ",D11,"))
    out = StringIO()
    call_command("dhis2", "import-mapping", str(example), stdout=out)
    assert "data set SSWdataSet1, id scheme uid, 10 figures, 1 org units" in out.getvalue()


def test_command_prints_each_problem(world: Country, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD_START + "\nvalue,workforce.nothing,numerator,,,,DEcount0001,,,\n")
    err = StringIO()
    with pytest.raises(CommandError, match="1 problems"):
        call_command("dhis2", "import-mapping", str(bad), stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith(f"{bad}: line 4: Unknown indicator 'workforce.nothing'")
