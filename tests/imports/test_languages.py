"""The mapping template, the import's messages and its reports in the reader's language; the names and
values the import reads (files, sheets, columns, ``yes``, ``female``) the same in every language."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from sswis.imports.report import ERROR, WARNING, ImportReport, Problem, report_as_text, report_write
from sswis.imports.schema import TEMPLATE, WORKERS
from sswis.imports.template import instruction_rows, template_reference, template_write
from tests.conftest import Country


def _workbook(language: str) -> Any:
    stream = io.BytesIO()
    with translation.override(language):
        template_write(format="xlsx", stream=stream, rows=5)
    return load_workbook(io.BytesIO(stream.getvalue()))


def test_the_instructions_sheet_and_column_help_are_in_the_reader_s_language(country: Country) -> None:
    english, french = _workbook("en"), _workbook("fr")
    assert english.sheetnames == french.sheetnames  # the import finds its sheets in any language
    rows_en, rows_fr = list(english["instructions"].values), list(french["instructions"].values)
    assert rows_en[0] == ("file", "column", "required", "meaning", "values", "example")
    assert rows_fr[0] == ("fichier", "colonne", "obligatoire", "signification", "valeurs", "exemple")
    columns = sum(len(spec.columns) for spec in TEMPLATE)
    # File and column names and the examples stay; what they mean is French.
    assert [(row[0], row[1], row[5]) for row in rows_fr[1 : columns + 1]] == [
        (row[0], row[1], row[5]) for row in rows_en[1 : columns + 1]
    ]
    meanings = {row[1]: row[3] for row in rows_fr[1 : columns + 1] if row[0] == "workers"}
    with translation.override("fr"):
        assert meanings["given_name"] == str(WORKERS.column("given_name").meaning) != "given name(s)"
    # The header row of each file and the values of its drop-downs are the import's, in every language.
    assert [cell.value for cell in french["workers"][1]] == list(WORKERS.column_names)
    sex_en = [
        v
        for v in english["workers"].data_validations.dataValidation
        if v.formula1 == '"female,male,other,unknown"'
    ]
    sex_fr = [
        v
        for v in french["workers"].data_validations.dataValidation
        if v.formula1 == '"female,male,other,unknown"'
    ]
    assert sex_en and sex_fr
    assert sex_en[0].prompt != sex_fr[0].prompt  # the help shown on the cell is French


def test_every_language_explains_every_column(db: Any) -> None:
    for language in ("fr", "pt", "es", "ar", "sw"):
        with translation.override(language):
            rows = list(instruction_rows())
            reference = template_reference()
        assert [row[:2] for row in rows] == [
            (spec.name, column.name) for spec in TEMPLATE for column in spec.columns
        ]
        assert [file.filename for file in reference] == [spec.filename for spec in TEMPLATE]


def _report() -> ImportReport:
    return ImportReport(
        problems=[
            Problem(file="workers.csv", row=2, column="sex", value="f", message="x", severity=ERROR),
            Problem(file="workers.csv", row=3, column="", value="", message="y", severity=WARNING),
        ],
    )


def test_the_problem_report_download_has_its_headers_and_severities_in_the_reader_s_language(
    tmp_path: Path,
) -> None:
    with translation.override("fr"):
        report_write(report=_report(), path=tmp_path / "problems.csv")
        summary = _report().summary
    lines = (tmp_path / "problems.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "fichier,ligne,colonne,valeur,message,gravité"
    assert lines[1].split(",")[-1] == "erreur"
    assert lines[2].split(",")[-1] == "avertissement"
    assert summary == "Rien n'a été importé\xa0: 1 erreur (1 avertissement)."


def test_the_report_text_of_the_command_line_follows_its_language() -> None:
    with translation.override("es"):
        text = report_as_text(report=_report())
    assert "Problemas (1 error, 1 advertencia):" in text
    assert "ERROR: workers.csv, fila 2, columna sex [f]: x" in text
    assert "ADVERTENCIA: workers.csv, fila 3: y" in text


def test_a_command_writes_and_explains_itself_in_the_language_of_the_command_line(
    country: Country, tmp_path: Path, capsys: Any
) -> None:
    output = io.StringIO()
    with translation.override("fr"):
        call_command("template", "--output", str(tmp_path / "t.xlsx"), stdout=output)
    assert output.getvalue().startswith("Modèle de cartographie vierge")
    from sswis.imports.management.commands.template import Command

    with translation.override("fr"):
        help_text = Command().create_parser("sswis", "template").format_help()
    assert "Écrire le modèle vierge de cartographie du personnel" in help_text
    assert "--format {xlsx,csv}" in help_text  # options are the command's, in every language
