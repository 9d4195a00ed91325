"""The generated XLSForm: converted by pyxform, with cascading and filtered answer lists from the registry."""

from __future__ import annotations

import io
import re
from typing import Any
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from sswis.imports.schema import ASSIGNMENTS, WORKERS
from sswis.registry.models import Organisation
from sswis.surveys.perceptions import PERCEPTION_QUESTIONS
from sswis.surveys.xlsform import XLSFormError, xlsform_generate

XF = "{http://www.w3.org/2002/xforms}"


def _xform(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(convert(xlsform=io.BytesIO(content), file_type=".xlsx").xform)


def _bindings(root: ElementTree.Element) -> dict[str, dict[str, str]]:
    """Binds by question path (below the ``/data`` root); expressions with single spaces."""
    return {
        bind.attrib["nodeset"].removeprefix("/data/"): {
            name: " ".join(value.split()) for name, value in bind.attrib.items()
        }
        for bind in root.iter(f"{XF}bind")
    }


def _sheet(content: bytes, name: str) -> list[dict[str, Any]]:
    sheet = load_workbook(io.BytesIO(content))[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.django_db
def test_form_converts_with_bindings_from_the_schema(country: Any) -> None:
    content = xlsform_generate(version="2025.1")
    root = _xform(content)
    binds = _bindings(root)
    assert binds["worker/given_name"]["required"] == "true()"
    assert binds["worker/given_name"]["type"] == "string"
    assert binds["worker/birth_date"]["type"] == "date"
    assert "required" not in binds["worker/worker_id"]
    assert binds["assignment/start_date"]["required"] == "true()"
    assert binds["assignment/fte"]["type"] == "decimal"
    assert binds["assignment/fte"]["constraint"] == ". > 0 and . <= 1"
    assert binds["assignment/end_date"]["constraint"] == ". >= /data/assignment/start_date"
    assert binds["assignment/exit_reason"]["relevant"] == "/data/assignment/end_date != ''"
    assert binds["assignment/paid"]["required"] == "true()"
    assert binds["assignment/location_code"]["calculate"] == (
        "coalesce( /data/assignment/location_2 , /data/assignment/location_1 )"
    )
    # Every worker and assignment column of the schema is a question (the worker and location by other means).
    names = {nodeset.rsplit("/", 1)[-1] for nodeset in binds}
    assert set(WORKERS.column_names) <= names
    assert set(ASSIGNMENTS.column_names) - {"worker_id"} <= names
    assert not {question.name for question in PERCEPTION_QUESTIONS} & names
    settings = _sheet(content, "settings")[0]
    assert settings["form_id"] == "sswis_worker_mapping"
    assert settings["version"] == "2025.1"
    form = root.find(f".//{XF}model/{XF}instance/{XF}data")
    assert form is not None
    assert form.attrib == {"id": "sswis_worker_mapping", "version": "2025.1"}


@pytest.mark.django_db
def test_answer_lists_cascade_and_filter(country: Any) -> None:
    content = xlsform_generate(version="1")
    choices = _sheet(content, "choices")
    regions = [
        (row["name"], row["label::English (en)"]) for row in choices if row["list_name"] == "location_1"
    ]
    assert regions == [("R1", "North"), ("R2", "South")]
    districts = [(row["name"], row["parent"]) for row in choices if row["list_name"] == "location_2"]
    assert districts == [("D11", "R1"), ("D12", "R1"), ("D21", "R2")]
    organisations = {
        row["name"]: (row["within_1"], row["within_2"])
        for row in choices
        if row["list_name"] == "organization_code"
    }
    assert organisations == {"MSW": (None, None), "NGO1": ("R2", None)}
    sexes = [(row["name"], row["label::English (en)"]) for row in choices if row["list_name"] == "sex"]
    assert sexes == [("female", "Female"), ("male", "Male"), ("other", "Other"), ("unknown", "Unknown")]
    xform = convert(xlsform=io.BytesIO(content), file_type=".xlsx").xform
    # The districts are filtered by the chosen region, the organisations by the chosen branch.
    itemsets = {
        match.group(1): " ".join(match.group(2).split())
        for match in re.finditer(r"<itemset nodeset=\"instance\('(\w+)'\)/root/item\[([^\]]*)\]", xform)
    }
    assert itemsets == {
        "location_2": "parent = /data/assignment/location_1",
        "organization_code": (
            "(within_1 = '' or /data/assignment/location_1 = '' or within_1 = /data/assignment/location_1 ) and "
            "(within_2 = '' or /data/assignment/location_2 = '' or within_2 = /data/assignment/location_2 )"
        ),
    }


@pytest.mark.django_db
def test_perceptions_section(country: Any) -> None:
    content = xlsform_generate(with_perceptions=True, version="3")
    binds = _bindings(_xform(content))
    assert binds["perceptions/leave_reason"]["relevant"] == (
        "/data/perceptions/intention_to_leave = 'yes' or /data/perceptions/intention_to_leave = 'undecided'"
    )
    assert binds["perceptions/training_received"]["constraint"] == (
        "not(selected(., 'none') and count-selected(.) > 1)"
    )
    assert {name.rsplit("/", 1)[1] for name in binds if name.startswith("perceptions/")} == {
        question.name for question in PERCEPTION_QUESTIONS
    }


@pytest.mark.django_db
def test_empty_registry_is_refused() -> None:
    with pytest.raises(XLSFormError, match="no location tree below the country"):
        xlsform_generate(version="1")


@pytest.mark.django_db
def test_bad_version_is_refused(country: Any) -> None:
    with pytest.raises(XLSFormError, match="form version 'a b'"):
        xlsform_generate(version="a b")


@pytest.mark.django_db
def test_command_writes_the_form(country: Any, tmp_path: Any) -> None:
    output = tmp_path / "form.xlsx"
    stdout = io.StringIO()
    call_command(
        "xlsform", "--with-perceptions", "--output", str(output), "--form-version", "7", stdout=stdout
    )
    assert stdout.getvalue() == f"Wrote {output} (form version 7).\n"
    assert _sheet(output.read_bytes(), "settings")[0]["form_id"] == "sswis_worker_mapping_perceptions"


@pytest.mark.django_db
def test_command_refuses_an_empty_registry(tmp_path: Any) -> None:
    output = tmp_path / "form.xlsx"
    with pytest.raises(CommandError, match="no location tree below the country"):
        call_command("xlsform", "--output", str(output))
    assert not output.exists()


@pytest.mark.django_db
def test_registry_names_starting_with_a_formula_sign_stay_labels(country: Any) -> None:
    Organisation.objects.filter(code="NGO1").update(name='=HYPERLINK("http://x")')

    content = xlsform_generate(version="1")

    sheet = load_workbook(io.BytesIO(content))["choices"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == '=HYPERLINK("http://x")']
    assert [cell.data_type for cell in cells] == ["s"] * len(settings.LANGUAGES)  # one label per language
    assert (
        '<value>=HYPERLINK("http://x")</value>'
        in convert(xlsform=io.BytesIO(content), file_type=".xlsx").xform
    )


@pytest.mark.django_db
def test_every_language_has_its_own_label_columns_and_the_asked_one_opens_first(country: Any) -> None:
    with translation.override("fr"):
        content = xlsform_generate(version="1")
    survey = {row["name"]: row for row in _sheet(content, "survey")}
    given = survey["given_name"]
    assert given["label::English (en)"] == "Given name"
    assert given["label::French (fr)"] == "Prénom"
    assert given["hint::English (en)"] == "Given name(s)"
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            assert given[f"label::{translation.get_language_info(code)['name']} ({code})"] == str(
                WORKERS.column("given_name").label
            )
    assert "label" not in given  # no column without a language, which ODK would show as "default"
    # Country data is the same in every language; answers of the schema are translated.
    regions = [row for row in _sheet(content, "choices") if row["list_name"] == "location_1"]
    assert {row["label::Arabic (ar)"] for row in regions} == {row["label::English (en)"] for row in regions}
    sexes = {row["name"]: row for row in _sheet(content, "choices") if row["list_name"] == "sex"}
    assert sexes["female"]["label::English (en)"] == "Female"
    assert sexes["female"]["label::French (fr)"] != "Female"
    settings_row = _sheet(content, "settings")[0]
    assert settings_row["default_language"] == "French (fr)"
    assert settings_row["form_title"] != "Social service workforce mapping"
    # pyxform turns the columns into the XForm's translations, one per language.
    root = _xform(content)
    languages = {element.attrib["lang"] for element in root.iter(f"{XF}translation")}
    assert languages == {
        f"{translation.get_language_info(code)['name']} ({code})" for code, _ in settings.LANGUAGES
    }
