"""What people actually send: every character set, delimiter, header spelling, zips, formulas and dates."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from sswis.imports.readers import CsvSource, delimiter_detect, header_key
from sswis.imports.report import WARNING, FileCounts, Problem
from sswis.imports.schema import TEMPLATE
from sswis.imports.services import template_import
from sswis.registry.models import Assignment, Cadre, Worker
from tests.conftest import Country, Personas
from tests.imports.conftest import BASE_COUNTS, Files, database_snapshot

Template = Callable[..., Path]

CLEAN_COUNTS = {
    name: FileCounts(read=read, created=created, unchanged=unchanged)
    for name, (read, created, unchanged) in BASE_COUNTS.items()
}


def csv_text(rows: list[list[str]], *, delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def folder_write(folder: Path, files: Files, *, encode: Callable[[str], bytes], delimiter: str = ",") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        (folder / f"{name}.csv").write_bytes(encode(csv_text(rows, delimiter=delimiter)))
    return folder


def with_accents(files: Files) -> None:
    """Names a Windows-1252 file can hold: an acute accent, the euro sign, an oe ligature (0x9C)."""
    files["workers"][1][1] = "Amína"
    files["workers"][2][2] = "Mushi-Cœur €"


ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: text.encode("utf-8-sig"),
    "utf-16 LE with BOM": lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    "utf-16 BE with BOM": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "windows-1252": lambda text: text.encode("cp1252"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_every_common_character_set_is_detected(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path, encoding: str
) -> None:
    with_accents(base_files)

    report = template_import(
        actor=personas.national, source=folder_write(tmp_path / "t", base_files, encode=ENCODINGS[encoding])
    )

    assert report.problems == []
    assert report.files == CLEAN_COUNTS
    assert Worker.objects.get(worker_id="W001").given_name == "Amína"
    assert Worker.objects.get(worker_id="W002").family_name == "Mushi-Cœur €"


def test_bytes_windows_1252_leaves_undefined_are_read_as_latin_1(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    folder = folder_write(tmp_path / "t", base_files, encode=lambda text: text.encode("cp1252"))
    workers = folder / "workers.csv"
    workers.write_bytes(workers.read_bytes().replace(b"Amina", b"Am\x81\x8d\x8f\x90\x9dna\xe9"))

    report = template_import(actor=personas.national, source=folder)

    # Read as Latin-1, those bytes are C1 control characters, which no text field accepts (sswis.text).
    assert [(p.file, p.row, p.column, p.value, p.message) for p in report.problems] == [
        (
            "workers.csv",
            1,
            "given_name",
            "Am[U+0081][U+008D][U+008F][U+0090][U+009D]naé",
            "Given name contains a character that is not allowed: U+0081 (character 3). Remove it, or type "
            "the text again instead of pasting it.",
        )
    ]
    assert not Worker.objects.filter(worker_id="W001").exists()


def test_valid_utf8_is_never_read_as_windows_1252(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    # "Ã©" is what UTF-8 "é" looks like when misread as Windows-1252: the file must not be misread so.
    base_files["workers"][1][1] = "Amé"
    base_files["workers"][2][1] = "Ã©"
    # Beyond the first chunk read: 80,000 bytes of two-byte characters (one is cut by the chunk boundary).
    base_files["workers"][3][7] = "é" * 40_000

    report = template_import(
        actor=personas.national,
        source=folder_write(tmp_path / "t", base_files, encode=lambda text: text.encode("utf-8")),
    )

    assert [p.column for p in report.errors] == ["education_field"]  # too long, but read as UTF-8
    assert report.errors[0].message == "Education field has 40000 characters; at most 200 are allowed."
    assert len(report.problems) == 1


def test_a_single_windows_1252_byte_late_in_the_file_makes_it_windows_1252(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    base_files["workers"] += [[f"X{n:06d}", "Ama", "Bee"] + [""] * 8 for n in range(12_000)]
    base_files["workers"][-1][1] = "José"
    folder = folder_write(
        tmp_path / "t", {"workers": base_files["workers"]}, encode=lambda t: t.encode("cp1252")
    )
    assert (folder / "workers.csv").stat().st_size > 4 * 2**16  # many chunks of the check

    report = template_import(actor=personas.national, source=folder, dry_run=True)

    assert report.errors == []
    assert report.files["workers.csv"] == FileCounts(read=12_003, created=12_003)


def test_a_given_encoding_is_used_and_a_row_that_does_not_fit_is_reported_exactly(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    base_files["workers"][3][1] = "Chausikú"  # row 3
    folder = folder_write(tmp_path / "t", base_files, encode=lambda text: text.encode("cp1252"))
    before = database_snapshot()

    forced_utf8 = template_import(actor=personas.national, source=folder, encoding="utf-8")
    forced_latin1 = template_import(actor=personas.national, source=folder, encoding="latin-1")

    assert forced_utf8.problems == [
        Problem(
            "workers.csv",
            3,
            "",
            "",
            "workers.csv could not be read as utf-8 text at row 3. Give the character set it was saved in "
            "(--encoding), or leave the encoding out to have it detected; in Excel save it as "
            '"CSV UTF-8 (comma delimited)".',
        )
    ]
    assert forced_utf8.imported is False
    assert forced_latin1.problems == []
    assert Worker.objects.get(worker_id="W003").given_name == "Chausikú"
    assert database_snapshot() != before


def test_a_given_encoding_is_honoured_even_when_detection_would_choose_otherwise(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    base_files["workers"][1][1] = "Amèna"
    folder = folder_write(tmp_path / "t", base_files, encode=lambda text: text.encode("utf-8"))

    report = template_import(actor=personas.national, source=folder, encoding="cp1252")

    assert report.problems == []
    assert Worker.objects.get(worker_id="W001").given_name == "AmÃ¨na"


def test_an_unknown_encoding_name_is_an_error(
    personas: Personas, country: Country, template: Template
) -> None:
    report = template_import(actor=personas.national, source=template(), encoding="klingon")

    assert [(p.file, p.row, p.message) for p in report.problems] == [
        (
            "",
            0,
            "'klingon' is not a character set the import knows; give e.g. utf-8, utf-16, cp1252 or latin-1, or "
            "leave the encoding out to have it detected.",
        )
    ]


def test_a_file_marked_utf8_with_a_stray_byte_reports_its_row(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    folder = folder_write(tmp_path / "t", base_files, encode=lambda text: text.encode("utf-8-sig"))
    workers = folder / "workers.csv"
    workers.write_bytes(workers.read_bytes().replace(b"Baraka", b"Bar\xe1ka"))  # row 2

    report = template_import(actor=personas.national, source=folder)

    assert [(p.file, p.row) for p in report.problems] == [("workers.csv", 2)]
    assert report.problems[0].message.startswith("workers.csv could not be read as UTF-8 text at row 2.")


def test_a_nul_character_in_a_utf16_file_reports_its_row(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    base_files["workers"][2][1] = "Bar\x00aka"
    folder = folder_write(tmp_path / "t", base_files, encode=lambda text: text.encode("utf-16"))

    report = template_import(actor=personas.national, source=folder)

    assert report.problems == [
        Problem(
            "workers.csv",
            2,
            "",
            "",
            "workers.csv holds a character that is not text (a NUL byte) at row 2; it is damaged or not a CSV "
            'file. Save it again as "CSV UTF-8 (comma delimited)".',
        )
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab_are_detected_from_the_header(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path, delimiter: str
) -> None:
    base_files["organizations"][1][1] = "Delta Social Welfare Office; North, East"

    report = template_import(
        actor=personas.national,
        source=folder_write(
            tmp_path / "t", base_files, encode=lambda text: text.encode("utf-8"), delimiter=delimiter
        ),
    )

    assert report.problems == []
    assert report.files == CLEAN_COUNTS
    assert Assignment.objects.get(worker__worker_id="W001").organisation.name == (
        "Delta Social Welfare Office; North, East"
    )


def test_delimiter_detection_counts_outside_quotes_and_prefers_commas() -> None:
    assert delimiter_detect('"a,b,c";"d";e\r\n') == ";"
    assert delimiter_detect("a;b\tc,d\n") == ","
    assert delimiter_detect("a\tb\tc;d\n") == "\t"
    assert delimiter_detect("worker_id\n") == ","
    assert delimiter_detect("") == ","


def test_header_names_match_without_case_spaces_or_underscores(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["workers"][0][:5] = ["Worker ID", "given name", "FAMILYNAME", " Sex ", "Birth_Date"]
    base_files["assignments"][0][0] = "WORKER_ID"
    base_files["assignments"][0][5] = "\u00a0start  date\u00a0"

    report = template_import(actor=personas.national, source=template())

    assert report.problems == []
    assert report.files == CLEAN_COUNTS


def test_header_problems_name_the_column_as_written(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    base_files["workers"][0][0] = "Worker ID"
    base_files["workers"][0][1] = "First name"
    base_files["workers"][0].append(" worker_id ")
    for row in base_files["workers"][1:]:
        row.append("")

    report = template_import(actor=personas.national, source=template())

    assert [(p.file, p.row, p.column, p.message) for p in report.errors] == [
        (
            "workers.csv",
            0,
            "First name",
            "Column 'First name' is not a column of workers.csv; check its spelling. The columns are: worker_id, "
            "given_name, family_name, sex, birth_date, disability, education_level, education_field, "
            "national_id, phone, email.",
        ),
        ("workers.csv", 0, "worker_id", "Column 'worker_id' appears more than once in the header."),
        (
            "workers.csv",
            0,
            "given_name",
            "Column 'given_name' is required in workers.csv but the header does not have it.",
        ),
    ]


def test_header_key_is_one_form_for_every_spelling_and_keeps_the_schema_names_apart() -> None:
    assert {
        header_key(name) for name in ("Worker ID", "worker_id", "WORKERID", " worker id ", "\ufeffWorker_Id")
    } == {"workerid"}
    for spec in TEMPLATE:
        keys = [header_key(name) for name in spec.column_names]
        assert len(set(keys)) == len(keys), spec.name


def test_codes_keep_their_leading_zeros_in_csv(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    for name in ("workers", "assignments"):
        for row in base_files[name][1:]:
            row[0] = {"W002": "007"}.get(row[0], row[0])
    base_files["cadres"][2][3] = "0342"

    report = template_import(actor=personas.national, source=template())

    assert report.problems == []
    assert Assignment.objects.filter(worker__worker_id="007").count() == 2
    assert Cadre.objects.get(code="CCW").isco08 == "0342"


# Zip files of CSV files ----------------------------------------------------------------------------------


def zip_write(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_of_csv_files_in_a_folder_imports_like_the_folder(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    with_accents(base_files)
    members = {f"mapping/{name}.csv": csv_text(rows).encode("utf-8") for name, rows in base_files.items()}
    members["mapping/workers.csv"] = csv_text(base_files["workers"], delimiter=";").encode("cp1252")
    members["__MACOSX/mapping/._workers.csv"] = b"\x00\x05\x16\x07 resource fork"
    members["mapping/.DS_Store"] = b"\x00\x00\x00\x01Bud1"
    members["mapping/readme.txt"] = b"Prepared by the district office"

    report = template_import(actor=personas.national, source=zip_write(tmp_path / "mapping.zip", members))

    files = ", ".join(spec.filename for spec in TEMPLATE)
    assert report.problems == [
        Problem(
            "mapping/readme.txt",
            0,
            "",
            "",
            f"'mapping/readme.txt' is not a file of the mapping template and was not read. The files are: {files}.",
            WARNING,
        )
    ]
    assert report.files == CLEAN_COUNTS
    assert Worker.objects.get(worker_id="W002").family_name == "Mushi-Cœur €"


def test_a_zip_problem_names_the_template_file_and_row(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    base_files["workers"][2][4] = "31/12/1990"
    members = {f"{name}.csv": csv_text(rows).encode("utf-8") for name, rows in base_files.items()}

    report = template_import(actor=personas.national, source=zip_write(tmp_path / "mapping.zip", members))

    assert [(p.file, p.row, p.column, p.value) for p in report.errors] == [
        ("workers.csv", 2, "birth_date", "31/12/1990")
    ]
    assert report.imported is False


def test_a_template_file_twice_in_a_zip_is_refused(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    workers = csv_text(base_files["workers"]).encode("utf-8")
    source = zip_write(tmp_path / "mapping.zip", {"2023/Workers.csv": workers, "2024/workers.csv": workers})

    report = template_import(actor=personas.national, source=source)

    assert [(p.file, p.row, p.message) for p in report.problems] == [
        (
            "mapping.zip",
            0,
            "mapping.zip holds workers.csv more than once (2023/Workers.csv and 2024/workers.csv); keep only one "
            "of them.",
        )
    ]


def test_an_empty_zip_has_no_template_files(personas: Personas, country: Country, tmp_path: Path) -> None:
    report = template_import(actor=personas.national, source=zip_write(tmp_path / "empty.zip", {}))

    files = ", ".join(spec.filename for spec in TEMPLATE)
    assert [p.message for p in report.problems] == [
        f"empty.zip contains none of the template files: {files}."
    ]


# Workbooks: formulas and dates -----------------------------------------------------------------------------


def member_replace(path: Path, member: str, change: Callable[[str], str]) -> Path:
    """Rewrite ``member`` of the zip at ``path`` through ``change`` (the other members copied as they are)."""
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    contents[member] = change(contents[member].decode("utf-8")).encode("utf-8")
    return zip_write(path, contents)


def test_formula_cells_are_read_as_their_cached_values(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "cadres"
    sheet.append(["code", "name", "category", "isco08"])
    sheet.append(['=UPPER("ccw")', "Community child care worker", "para_professional", "=3400+12"])
    path = tmp_path / "formulas.xlsx"
    workbook.save(path)

    def cache_values(xml: str) -> str:
        # openpyxl writes no cached values; Excel does: <c t="str"><f>..</f><v>CCW</v></c>, <c><f>..</f><v>3412</v></c>.
        xml, text_count = re.subn(
            r'<c r="A2"><f>(.*?)</f><v(?:\s*/>|></v>)', r'<c r="A2" t="str"><f>\1</f><v>CCW</v>', xml
        )
        xml, number_count = re.subn(
            r'<c r="D2"><f>(.*?)</f><v(?:\s*/>|></v>)', r'<c r="D2"><f>\1</f><v>3412</v>', xml
        )
        assert (text_count, number_count) == (1, 1)
        return xml

    member_replace(path, "xl/worksheets/sheet1.xml", cache_values)

    report = template_import(actor=personas.national, source=path)

    assert report.problems == []
    assert Cadre.objects.filter(code="CCW").values_list("name", "isco08").get() == (
        "Community child care worker",
        "3412",
    )


def test_dates_as_date_cells_and_as_text_are_both_accepted(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "workers"
    for row in base_files["workers"]:
        sheet.append(row)
    sheet["E2"] = datetime.date(1988, 4, 12)  # a date cell
    sheet["E3"] = datetime.datetime(1990, 12, 31, 0, 0)  # a date-time cell at midnight
    sheet["E4"] = "2001-02-03"  # text
    path = tmp_path / "dates.xlsx"
    workbook.save(path)

    report = template_import(actor=personas.national, source=path)

    assert [p.severity for p in report.problems] == ["warning"] * 3  # workers without assignment
    assert dict(Worker.objects.values_list("worker_id", "birth_date")) == {
        "W001": datetime.date(1988, 4, 12),
        "W002": datetime.date(1990, 12, 31),
        "W003": datetime.date(2001, 2, 3),
    }


# Given character sets that cannot work (review M5, S8) ---------------------------------------------------


def test_utf16_given_for_a_file_without_its_byte_order_mark_is_reported_not_a_crash(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    folder = folder_write(
        tmp_path / "t", {"cadres": base_files["cadres"]}, encode=lambda t: t.encode("utf-8")
    )
    before = database_snapshot()

    report = template_import(actor=personas.national, source=folder, encoding="utf-16")

    assert [(p.file, p.row, p.message) for p in report.problems] == [
        (
            "cadres.csv",
            0,
            "cadres.csv could not be read as utf-16: it does not start with the byte order mark that says "
            "which byte order the file uses. Give utf-16-le or utf-16-be, or leave the encoding out to have "
            "it detected.",
        )
    ]
    assert report.imported is False
    assert database_snapshot() == before


def test_utf16_le_given_for_a_file_without_a_byte_order_mark_is_read(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    with_accents(base_files)
    folder = folder_write(tmp_path / "t", base_files, encode=lambda text: text.encode("utf-16-le"))

    report = template_import(actor=personas.national, source=folder, encoding="utf-16-le")

    assert report.problems == []
    assert Worker.objects.get(worker_id="W001").given_name == "Amína"


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib"])
def test_a_codec_that_is_not_a_character_set_is_refused_naming_the_file(
    personas: Personas, country: Country, template: Template, codec: str
) -> None:
    source = template()

    report = template_import(actor=personas.national, source=source, encoding=codec)

    assert [(p.file, p.row, p.message) for p in report.problems] == [
        (
            source.name,
            0,
            f"{source.name} cannot be read as '{codec}': that is not a character set for text. Give e.g. "
            "utf-8, utf-16, cp1252 or latin-1, or leave the encoding out to have it detected.",
        )
    ]


@pytest.mark.parametrize("given", ["cp1252", "latin-1", "utf-16"])
def test_a_byte_order_mark_that_contradicts_the_given_encoding_refuses_the_file(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path, given: str
) -> None:
    folder = folder_write(
        tmp_path / "t", {"cadres": base_files["cadres"]}, encode=lambda t: t.encode("utf-8-sig")
    )
    before = database_snapshot()

    report = template_import(actor=personas.national, source=folder, encoding=given)

    assert [(p.file, p.row, p.message) for p in report.problems] == [
        (
            "cadres.csv",
            0,
            f"cadres.csv starts with a UTF-8 byte order mark, so it is UTF-8 text, but it was to be read as "
            f"'{given}'. Leave the encoding out to have it detected, or give the one the file says.",
        )
    ]
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("given", "encode"),
    [
        ("utf-8", lambda text: text.encode("utf-8-sig")),
        ("UTF8", lambda text: text.encode("utf-8-sig")),
        ("utf-16", lambda text: text.encode("utf-16")),
        ("utf-16-le", lambda text: b"\xff\xfe" + text.encode("utf-16-le")),
        ("utf-32", lambda text: text.encode("utf-32")),
    ],
)
def test_a_byte_order_mark_that_agrees_with_the_given_encoding_is_read(
    personas: Personas,
    country: Country,
    base_files: Files,
    tmp_path: Path,
    given: str,
    encode: Callable[[str], bytes],
) -> None:
    folder = folder_write(tmp_path / "t", {"cadres": base_files["cadres"]}, encode=encode)

    report = template_import(actor=personas.national, source=folder, encoding=given, dry_run=True)

    assert report.problems == []
    assert report.files["cadres.csv"].read == len(base_files["cadres"]) - 1


def test_a_csv_file_is_read_twice_detection_and_line_count_in_one_pass(tmp_path: Path) -> None:
    data = b"code,name\r\n" + b"".join(b"C%04d,Cadre\r\n" % n for n in range(5000))
    opened: list[int] = []

    def opener() -> io.BytesIO:
        opened.append(1)
        return io.BytesIO(data)

    source = CsvSource(encoding=None)
    raw = source.csv_table(name="cadres", file="cadres.csv", opener=opener)
    rows = list(raw.rows)
    source.close()

    assert (raw.header, raw.rows_estimate, len(rows)) == (["code", "name"], 5000, 5000)
    assert len(opened) == 2  # one pass detects the character set and counts the lines, one reads
