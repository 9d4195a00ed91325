"""Dangerous or mislabelled files are refused with a message naming the file, and nothing is written."""

from __future__ import annotations

import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sswis.imports.safety import TemplateReadError, member_chunks, ole_stream_names, text_check
from sswis.imports.services import template_import
from sswis.registry.models import Worker
from tests.conftest import Country, Personas
from tests.imports.conftest import Files, database_snapshot

Template = Callable[..., Path]

SAVE_AS_XLSX = 'In Excel choose File > Save As > "Excel Workbook (.xlsx)" and import that file.'
SAVE_AS_CSV = (
    'Save the sheet as CSV (in Excel: File > Save As > "CSV UTF-8 (comma delimited)") and import that file.'
)


def refused(personas: Personas, source: Path, **options: Any) -> list[tuple[str, int, str]]:
    """Import ``source``; check nothing was written; return the problems as (file, row, message)."""
    before = database_snapshot()
    report = template_import(actor=personas.national, source=source, **options)
    assert report.imported is False
    assert database_snapshot() == before
    return [(problem.file, problem.row, problem.message) for problem in report.problems]


def workbook_write(path: Path, files: Files) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for name, rows in files.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def zip_write(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def csv_bytes(rows: list[list[str]]) -> bytes:
    return "".join(",".join(row) + "\n" for row in rows).encode("utf-8")


def lie_about_size(path: Path, member: str, declared: bytes) -> None:
    """Patch the zip so that ``member`` claims to unpack to ``declared`` (size and checksum of a prefix).

    Python's own zipfile then reads just those bytes without complaint; the real data goes on.
    """
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    size, checksum = len(declared), zlib.crc32(declared)
    local = info.header_offset
    struct.pack_into("<I", data, local + 14, checksum)
    struct.pack_into("<I", data, local + 22, size)
    central = data.index(b"PK\x01\x02")  # the central directory entry of the member
    while data[central + 46 : central + 46 + len(member)] != member.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 16, checksum)
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.read(member) == declared  # what a trusting reader would get


def compound_file(path: Path, streams: list[str]) -> Path:
    """A minimal OLE compound file (512-byte sectors): one FAT sector, a directory over two sectors."""
    end, free, fat_marker = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 44, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<I", header, 76, 0)  # the FAT is sector 0
    for index in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * index, free)
    fat = [fat_marker, 2, end] + [free] * 125  # directory: sector 1, then sector 2
    entries = [("Root Entry", 5), *((name, 2) for name in streams)]
    directory = bytearray(1024)
    for index, (name, kind) in enumerate(entries):
        encoded = (name + "\0").encode("utf-16-le")
        offset = index * 128
        directory[offset : offset + len(encoded)] = encoded
        struct.pack_into("<HB", directory, offset + 64, len(encoded), kind)
        struct.pack_into("<I", directory, offset + 116, end)
    path.write_bytes(bytes(header) + struct.pack("<128I", *fat) + bytes(directory))
    return path


ENCRYPTED_STREAMS = ["\x06DataSpaces", "EncryptionInfo", "EncryptedPackage", "\x05SummaryInformation"]


# Workbooks -------------------------------------------------------------------------------------------------


def test_a_macro_enabled_workbook_is_refused(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    by_name = workbook_write(tmp_path / "mapping.xlsm", {"workers": base_files["workers"]})
    with_macros = workbook_write(tmp_path / "mapping.xlsx", {"workers": base_files["workers"]})
    zip_write(with_macros, {**zip_members(with_macros), "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"})

    assert refused(personas, by_name) == [
        (
            "mapping.xlsm",
            0,
            f"mapping.xlsm is a macro-enabled workbook; such files are not accepted. {SAVE_AS_XLSX}",
        )
    ]
    assert refused(personas, with_macros) == [
        (
            "mapping.xlsx",
            0,
            f"mapping.xlsx is a macro-enabled workbook; such files are not accepted. {SAVE_AS_XLSX}",
        )
    ]


def test_a_password_protected_workbook_is_refused(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    path = compound_file(tmp_path / "mapping.xlsx", ENCRYPTED_STREAMS)

    assert ole_stream_names(path=path) == {"Root Entry", *ENCRYPTED_STREAMS}
    assert refused(personas, path) == [
        (
            "mapping.xlsx",
            0,
            "mapping.xlsx is protected with a password, so it cannot be read. In Excel open it, remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password, empty the box), save it as an Excel Workbook "
            "(.xlsx) and import that file.",
        )
    ]


def test_an_old_format_excel_file_is_refused(personas: Personas, country: Country, tmp_path: Path) -> None:
    legacy = compound_file(tmp_path / "mapping.xls", ["Workbook", "\x05SummaryInformation"])
    text = f"is an old-format Excel file (.xls, Excel 97-2003) or another Office document. {SAVE_AS_XLSX}"

    assert refused(personas, legacy) == [("mapping.xls", 0, f"mapping.xls {text}")]
    assert refused(personas, legacy.rename(tmp_path / "renamed.xlsx")) == [
        ("renamed.xlsx", 0, f"renamed.xlsx {text}")
    ]


def test_a_damaged_compound_file_has_no_stream_names(tmp_path: Path) -> None:
    path = compound_file(tmp_path / "cut.xls", ENCRYPTED_STREAMS)
    path.write_bytes(path.read_bytes()[:1100])  # the second directory sector is cut off

    assert ole_stream_names(path=path) == set()


def test_a_renamed_pdf_is_refused_as_a_workbook_and_as_a_csv_file(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    tmp_path.joinpath("mapping.xlsx").write_bytes(pdf)
    folder = tmp_path / "folder"
    folder.mkdir()
    folder.joinpath("workers.csv").write_bytes(pdf)

    assert refused(personas, tmp_path / "mapping.xlsx") == [
        (
            "mapping.xlsx",
            0,
            f"mapping.xlsx is not an Excel workbook although its name ends in .xlsx: it is a PDF document. {SAVE_AS_XLSX}",
        )
    ]
    assert refused(personas, folder) == [
        ("workers.csv", 0, f"workers.csv is not a CSV text file: it is a PDF document. {SAVE_AS_CSV}")
    ]


def test_a_zip_without_a_workbook_inside_is_not_a_workbook(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    path = zip_write(tmp_path / "mapping.xlsx", {"workers.csv": b"worker_id\n"})

    assert refused(personas, path) == [
        (
            "mapping.xlsx",
            0,
            "mapping.xlsx is not an Excel workbook although its name ends in .xlsx: it is a zip file with no "
            f"workbook inside. {SAVE_AS_XLSX}",
        )
    ]


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE worksheet [<!ENTITY lol "lol">]>',
        '<!DOCTYPE worksheet SYSTEM "file:///etc/passwd">',
        '<!ENTITY xxe SYSTEM "http://example.org/">',
        '<!doctype worksheet [<!entity lol "lol">]>',
        '<!DocType worksheet SYSTEM "file:///etc/passwd">',
        "< ! DOCTYPE worksheet>",
        "<!\n\tENTITY xxe SYSTEM 'http://example.org/'>",
    ],
)
def test_a_workbook_part_declaring_a_doctype_or_entities_is_refused(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path, declaration: str
) -> None:
    path = workbook_write(tmp_path / "mapping.xlsx", {"workers": base_files["workers"]})
    members = zip_members(path)
    sheet = members["xl/worksheets/sheet1.xml"].decode("utf-8")
    members["xl/worksheets/sheet1.xml"] = sheet.replace("<worksheet", declaration + "<worksheet", 1).encode()
    zip_write(path, members)

    assert refused(personas, path) == [
        (
            "mapping.xlsx",
            0,
            "mapping.xlsx is refused for safety: its part xl/worksheets/sheet1.xml declares a document type or "
            "entities (DOCTYPE, ENTITY), which Excel never writes. Open it in Excel, save it again as an Excel "
            "Workbook (.xlsx) and import that file.",
        )
    ]


def test_a_utf16_workbook_part_declaring_a_doctype_is_refused(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    path = workbook_write(tmp_path / "mapping.xlsx", {"workers": base_files["workers"]})
    members = zip_members(path)
    members["xl/styles.xml"] = '\ufeff<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "b">]><s/>'.encode(
        "utf-16-le"
    )
    zip_write(path, members)

    assert [problem[2][:60] for problem in refused(personas, path)] == [
        "mapping.xlsx is refused for safety: its part xl/styles.xml d"
    ]


@pytest.mark.parametrize("declaration", ["<!doctype s>", "<  !Entity a 'b'>"])
def test_a_utf16_workbook_part_declaring_a_doctype_in_lower_case_is_refused(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path, declaration: str
) -> None:
    path = workbook_write(tmp_path / "mapping.xlsx", {"workers": base_files["workers"]})
    members = zip_members(path)
    members["xl/styles.xml"] = f'<?xml version="1.0"?>{declaration}<s/>'.encode("utf-16-be")

    zip_write(path, members)

    assert [problem[2][:60] for problem in refused(personas, path)] == [
        "mapping.xlsx is refused for safety: its part xl/styles.xml d"
    ]


def test_a_declaration_split_across_chunks_is_found() -> None:
    from sswis.imports.safety import _declares_entities

    assert _declares_entities(iter([b"<s>x</s><", b" !", b"  ", b"docTYPE s>"])) is True
    assert _declares_entities(iter([b"<s>x</s>", b"<!-- a comment -->", b"<t/>"])) is False
    assert _declares_entities(iter([b"<!--", b" <!doctype> ", b"-->"])) is True  # refused even in a comment
    assert _declares_entities(iter([b"<" + b" " * 5000])) is True  # endless whitespace: refused, not scanned


def test_a_workbook_part_over_the_total_limit_is_refused_from_the_directory(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path, settings: Any
) -> None:
    path = workbook_write(tmp_path / "mapping.xlsx", {"workers": base_files["workers"]})
    members = zip_members(path)
    sheet = members["xl/worksheets/sheet1.xml"]
    # A sheet padded with whitespace between rows (random, so it is not held to the compression ratio).
    noise = "".join(random.Random(2).choices(" \n", k=3 * 2**20)).encode()
    members["xl/worksheets/sheet1.xml"] = sheet.replace(b"<sheetData>", b"<sheetData>" + noise, 1)
    zip_write(path, members)
    settings.SSWIS_IMPORT_MAX_TOTAL_BYTES = 2 * 2**20
    assert path.stat().st_size < 2**20

    assert refused(personas, path) == [
        (
            "mapping.xlsx",
            0,
            "xl/worksheets/sheet1.xml in mapping.xlsx unpacks to 3 MB, more than the 2 MB an import accepts; "
            "split it or ask for a higher limit.",
        )
    ]


@pytest.mark.parametrize("configured", [0, -1, None])
def test_a_limit_set_to_zero_or_absent_means_its_default_not_no_limit(settings: Any, configured: Any) -> None:
    from sswis.imports.safety import limits_current

    settings.SSWIS_IMPORT_MAX_BYTES = configured
    settings.SSWIS_IMPORT_MAX_TOTAL_BYTES = configured

    assert (limits_current().max_bytes, limits_current().max_total_bytes) == (200 * 2**20, 2048 * 2**20)


def test_a_sheet_larger_than_the_per_file_limit_is_read_when_the_workbook_is_not(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path, settings: Any
) -> None:
    """A national workbook's sheet XML is several times the workbook: the per-file limit is the file's."""
    path = workbook_write(tmp_path / "mapping.xlsx", {"workers": base_files["workers"]})
    members = zip_members(path)
    sheet = members["xl/worksheets/sheet1.xml"]
    noise = "".join(random.Random(2).choices(" \n", k=3 * 2**20)).encode()
    members["xl/worksheets/sheet1.xml"] = sheet.replace(b"<sheetData>", b"<sheetData>" + noise, 1)
    zip_write(path, members)
    settings.SSWIS_IMPORT_MAX_BYTES = 2 * 2**20
    assert path.stat().st_size < 2 * 2**20

    report = template_import(actor=personas.national, source=path, dry_run=True)

    assert report.errors == []


def test_a_workbook_bomb_is_refused_from_the_directory(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    path = workbook_write(tmp_path / "mapping.xlsx", {"workers": base_files["workers"]})
    zip_write(path, {**zip_members(path), "xl/media/padding.bin": bytes(20 * 2**20)})
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/media/padding.bin")
    ratio = info.file_size // info.compress_size

    assert ratio > 1000
    assert refused(personas, path) == [
        (
            "mapping.xlsx",
            0,
            f"xl/media/padding.bin in mapping.xlsx is compressed {ratio:,} times, far more than real data ever is "
            "(at most 100 times is accepted). The file is refused for safety: create it again from the original "
            "data.",
        )
    ]


def test_a_workbook_part_that_unpacks_beyond_its_declared_size_is_refused(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    path = workbook_write(tmp_path / "mapping.xlsx", {"workers": base_files["workers"]})
    sheet = zip_members(path)["xl/worksheets/sheet1.xml"]
    lie_about_size(path, "xl/worksheets/sheet1.xml", sheet[:100])

    assert refused(personas, path) == [
        (
            "mapping.xlsx",
            0,
            "mapping.xlsx is damaged: xl/worksheets/sheet1.xml does not unpack to what the zip directory says. "
            "Create the file again (zip the CSV files again, or save the workbook again in Excel) and import that.",
        )
    ]


def test_a_workbook_above_the_size_limit_is_refused(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path, settings: Any
) -> None:
    settings.SSWIS_IMPORT_MAX_BYTES = 2**20
    path = workbook_write(tmp_path / "big.xlsx", {"workers": base_files["workers"]})
    photo = random.Random(1).randbytes(2**20)  # a picture in the workbook: does not compress
    zip_write(path, {**zip_members(path), "xl/media/image1.jpeg": photo})
    assert path.stat().st_size > 2**20

    assert refused(personas, path) == [
        (
            "big.xlsx",
            0,
            "big.xlsx is larger than the 1 MB an import accepts; split it or ask for a higher limit.",
        )
    ]


# Zip files of CSV files ------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    bomb = csv_bytes(base_files["workers"]) + b" " * (50 * 2**20)
    path = zip_write(tmp_path / "mapping.zip", {"workers.csv": bomb})
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("workers.csv")
    ratio = info.file_size // info.compress_size

    assert path.stat().st_size < 100_000
    assert refused(personas, path) == [
        (
            "mapping.zip",
            0,
            f"workers.csv in mapping.zip is compressed {ratio:,} times, far more than real data ever is (at most "
            "100 times is accepted). The file is refused for safety: create it again from the original data.",
        )
    ]


def test_a_zip_member_that_unpacks_beyond_its_declared_size_is_refused(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    data = csv_bytes(base_files["workers"]) + b"".join(b"W%06d,A,B\n" % n for n in range(100_000))
    path = zip_write(tmp_path / "mapping.zip", {"workers.csv": data})
    lie_about_size(path, "workers.csv", data[:200])

    assert refused(personas, path) == [
        (
            "workers.csv",
            0,
            "mapping.zip is damaged: workers.csv does not unpack to what the zip directory says. Create the file "
            "again (zip the CSV files again, or save the workbook again in Excel) and import that.",
        )
    ]


def test_member_chunks_refuses_a_member_that_ends_early_or_has_a_wrong_checksum(tmp_path: Path) -> None:
    path = zip_write(tmp_path / "a.zip", {"a.csv": b"x" * 1000}, method=zipfile.ZIP_STORED)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("a.csv")
    info.file_size = info.compress_size = 2000  # ends early
    with pytest.raises(TemplateReadError, match=r"a\.zip is damaged: a\.csv does not unpack"):
        b"".join(member_chunks(path=path, info=info, file="a.zip"))
    info.file_size = info.compress_size = 1000
    info.CRC ^= 1
    with pytest.raises(TemplateReadError, match=r"a\.zip is damaged: a\.csv does not unpack"):
        b"".join(member_chunks(path=path, info=info, file="a.zip"))
    info.CRC ^= 1
    assert b"".join(member_chunks(path=path, info=info, file="a.zip")) == b"x" * 1000


def test_zip_limits_on_members_total_size_and_member_size(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path, settings: Any
) -> None:
    workers = csv_bytes(base_files["workers"])
    noise = "".join(random.Random(1).choices("0123456789,\n", k=3 * 2**20)).encode()
    many = zip_write(
        tmp_path / "many.zip", {f"notes/{n}.txt": b"x" for n in range(5)} | {"workers.csv": workers}
    )
    large = zip_write(tmp_path / "large.zip", {"workers.csv": workers, "cadres.csv": noise})
    settings.SSWIS_IMPORT_MAX_ARCHIVE_MEMBERS = 5
    settings.SSWIS_IMPORT_MAX_BYTES = 2 * 2**20

    assert refused(personas, many) == [
        ("many.zip", 0, "many.zip holds 6 files, more than the 5 an import accepts.")
    ]
    assert refused(personas, large) == [
        (
            "large.zip",
            0,
            "cadres.csv in large.zip unpacks to 3 MB, more than the 2 MB an import accepts; split it or ask for "
            "a higher limit.",
        )
    ]
    settings.SSWIS_IMPORT_MAX_BYTES = 4 * 2**20
    settings.SSWIS_IMPORT_MAX_TOTAL_BYTES = 2 * 2**20
    assert refused(personas, large) == [
        (
            "large.zip",
            0,
            "large.zip unpacks to 3 MB, more than the 2 MB an import accepts; split it or ask for a higher limit.",
        )
    ]


def test_a_folder_above_the_total_limit_is_refused(
    personas: Personas, country: Country, template: Template, settings: Any
) -> None:
    settings.SSWIS_IMPORT_MAX_TOTAL_BYTES = 1000
    folder = template()

    assert refused(personas, folder) == [
        (
            "template",
            0,
            "The template files in template hold 0.00 MB together, more than the 0 MB an import accepts; import "
            "them in parts or ask for a higher limit.",
        )
    ]


def test_a_password_protected_zip_and_an_unknown_compression_are_refused(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    path = zip_write(tmp_path / "locked.zip", {"workers.csv": csv_bytes(base_files["workers"])})
    data = bytearray(path.read_bytes())
    for offset, position in ((0, 6), (data.index(b"PK\x01\x02"), 8)):  # the "encrypted" flag bit
        data[offset + position] |= 1
    path.write_bytes(bytes(data))
    bzip2 = zip_write(tmp_path / "bzip2.zip", {"workers.csv": b"worker_id\n"}, method=zipfile.ZIP_BZIP2)

    assert refused(personas, path) == [
        (
            "locked.zip",
            0,
            "locked.zip is protected with a password (workers.csv); zip the CSV files again without one.",
        )
    ]
    assert refused(personas, bzip2) == [
        (
            "bzip2.zip",
            0,
            "bzip2.zip: workers.csv is compressed with a method the import cannot read. Zip the CSV files again "
            'with ordinary compression (e.g. Windows "Send to > Compressed (zipped) folder").',
        )
    ]


def test_a_zip_that_is_not_a_zip_is_refused(personas: Personas, country: Country, tmp_path: Path) -> None:
    text = tmp_path.joinpath("text.zip")
    text.write_text("worker_id,given_name\n", encoding="utf-8")
    cut = tmp_path.joinpath("cut.zip")
    cut.write_bytes(b"PK\x03\x04" + bytes(100))

    assert refused(personas, text) == [
        (
            "text.zip",
            0,
            "text.zip is not a zip file although its name ends in .zip: it holds plain text (perhaps a CSV file).",
        )
    ]
    assert refused(personas, cut) == [
        (
            "cut.zip",
            0,
            "cut.zip is not a zip file although its name ends in .zip: it is damaged or not a zip file (File is "
            "not a zip file).",
        )
    ]


# CSV files -------------------------------------------------------------------------------------------------


def test_binary_files_named_csv_are_refused(
    personas: Personas, country: Country, base_files: Files, tmp_path: Path
) -> None:
    workbook = workbook_write(tmp_path / "book.xlsx", {"workers": base_files["workers"]})
    cases = {
        "zip": (workbook.read_bytes(), "it is a zip file (an .xlsx workbook is one too)"),
        "ole": (
            compound_file(tmp_path / "old.xls", ["Workbook"]).read_bytes(),
            "it is an old-format Excel file (.xls) or another Office document",
        ),
        "utf-16 without a byte order mark": (
            "worker_id,given_name,family_name\n".encode("utf-16-le"),
            "it holds binary data (NUL bytes), not text",
        ),
        "nul late in the file": (
            csv_bytes(base_files["workers"]) * 20_000 + b"\x00",
            "it holds binary data (NUL bytes), not text",
        ),
    }
    for case, (data, content) in cases.items():
        folder = tmp_path / case
        folder.mkdir()
        folder.joinpath("workers.csv").write_bytes(data)

        assert refused(personas, folder / "workers.csv") == [
            ("workers.csv", 0, f"workers.csv is not a CSV text file: {content}. {SAVE_AS_CSV}")
        ], case


def test_a_binary_file_is_refused_even_with_a_given_encoding(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    tmp_path.joinpath("workers.csv").write_bytes(b"%PDF-1.4\nworker_id\n")

    assert refused(personas, tmp_path, encoding="latin-1") == [
        ("workers.csv", 0, f"workers.csv is not a CSV text file: it is a PDF document. {SAVE_AS_CSV}")
    ]


def test_text_check_reads_utf8_across_chunk_boundaries() -> None:
    assert text_check(chunks=iter([b"Am\xc3", b"\xadna\n"]), file="f.csv") is True
    assert text_check(chunks=iter([b"Am\xc3"]), file="f.csv") is False  # cut off at the end
    assert text_check(chunks=iter([b"Am\xeda\n"]), file="f.csv") is False


def test_an_unknown_kind_of_file_is_refused(personas: Personas, country: Country, tmp_path: Path) -> None:
    path = tmp_path / "mapping.ods"
    path.write_bytes(b"PK\x03\x04")

    assert refused(personas, path) == [
        (
            "mapping.ods",
            0,
            "mapping.ods is not a mapping template: give an Excel workbook (.xlsx), a .zip of CSV files, a folder "
            "of CSV files or one template CSV file (e.g. workers.csv).",
        )
    ]


def test_the_command_reports_a_refusal_and_exits_with_status_1(
    personas: Personas, country: Country, tmp_path: Path
) -> None:
    path = compound_file(tmp_path / "mapping.xlsx", ENCRYPTED_STREAMS)
    before = database_snapshot()

    with pytest.raises(CommandError, match=r"^Nothing was imported: 1 error\.$") as raised:
        call_command("import", str(path), "--user", "national", "--encoding", "utf-8")

    assert raised.value.returncode == 1
    assert database_snapshot() == before


def test_the_command_passes_the_encoding_on(
    personas: Personas, country: Country, template: Template, base_files: Files, tmp_path: Path
) -> None:
    base_files["workers"][3][1] = "Chausikú"
    folder = template({"workers": base_files["workers"]}, encoding="cp1252")

    with pytest.raises(CommandError, match=r"^Nothing was imported: 1 error\.$"):
        call_command("import", str(folder), "--user", "national", "--encoding", "utf-8")
    call_command("import", str(folder), "--user", "national", "--encoding", "cp1252")

    assert Worker.objects.get(worker_id="W003").given_name == "Chausikú"
