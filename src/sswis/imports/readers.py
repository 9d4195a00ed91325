"""Reading a template: a folder of CSV files, one CSV file, a ``.zip`` of CSV files or one ``.xlsx`` workbook.

Every reader gives the same thing for each template file present: the header (column names as written,
trimmed, and their :func:`header_key`) and an iterator of ``(row_number, cells)`` where row 1 is the
first line after the header and every cell is trimmed text. Completely empty rows are skipped but still
numbered, so row numbers match what a data clerk sees (row ``n`` is spreadsheet line ``n + 1``).

Cells of a workbook become the text a CSV file would hold: a whole number stored as a number
(``12.0``) becomes ``"12"`` (so a code typed as a number still matches), a date cell becomes
``YYYY-MM-DD``, a true/false cell ``yes``/``no``, a formula cell its value as last calculated. Text
cells are kept as they are (leading zeros stay).

CSV files are read as streams (a zip's members too: unpacked as they are read, never to disk). Their
character set is detected unless one is given (``encoding``): a byte order mark says UTF-8, UTF-16
or UTF-32; otherwise the whole file is first checked, a chunk at a time, and read as UTF-8 when it all
is valid UTF-8, else as Windows-1252 (whose five undefined bytes are read as Latin-1), so valid UTF-8
is never misread and no byte is ever dropped. When the character set was given or announced by a byte
order mark and a row does not fit it, that row is reported (the row number is exact). A given character
set must be one for text (``rot13`` is refused) and must agree with the file's byte order mark, if it has
one: a UTF-8 file with a mark read as ``cp1252`` is refused, not garbled (the user asked for something the
file contradicts, so they are told rather than overruled). The detection pass also counts the lines for
the progress estimate, so a CSV file (a zip member: unpacked) is read twice in all, not three times. The delimiter
(comma, semicolon or tab) is the one the header line has most of, outside quotes (comma on a tie).

Every file is checked by :mod:`sswis.imports.safety` before it is read (size, content sniffing, zip
and XML bombs, macros, passwords). Problems that stop a file from being read raise
:class:`TemplateReadError`, possibly in the middle of the iteration.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from zipfile import ZipInfo

from python_calamine import CalamineWorkbook

from sswis.imports import safety
from sswis.imports.messages import message
from sswis.imports.safety import TemplateReadError
from sswis.imports.schema import AUXILIARY_SHEETS, TEMPLATE

__all__ = [
    "TEMPLATE_NAMES",
    "RawTable",
    "TemplateReadError",
    "TemplateSource",
    "cell_text",
    "header_key",
    "template_source_open",
]

TEMPLATE_NAMES = tuple(spec.name for spec in TEMPLATE)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
DELIMITERS = (",", ";", "\t")

_BAD_TEXT = "\udcff"  # what an undecodable byte becomes when rows are checked (no decoder yields it)
_NUL = "\x00"


def _mark_bad_text(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return _BAD_TEXT, error.end


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    # The bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are read as Latin-1.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("sswis-mark-bad-text", _mark_bad_text)
codecs.register_error("sswis-latin-1-fallback", _latin1_fallback)


def header_key(name: str) -> str:
    """The form in which a column name is matched: without case, spaces, underscores or a byte order mark.

    Used for the schema's column names and the header alike, so "Worker ID", "worker_id", "WORKERID" and
    " worker id " are all the column ``worker_id``.
    """
    return "".join(name.split()).replace("_", "").replace("\ufeff", "").casefold()


@dataclass
class RawTable:
    """One template file as read: ``header`` as written and as matched, then the rows as a stream."""

    name: str  # template file name without extension, e.g. "workers"
    header: list[str]  # header_key of each header cell ("" for an empty cell)
    raw_header: list[str]  # trimmed, as written
    rows: Iterator[tuple[int, list[str]]]
    rows_estimate: int | None = None  # about how many data rows follow (for progress), if known


@dataclass(frozen=True)
class TextEncoding:
    """How a CSV file's bytes are decoded; ``checked``: rows are checked for undecodable bytes and NULs."""

    codec: str
    errors: str
    checked: bool
    label: str  # for messages, e.g. "UTF-8"


def _normalise_name(name: str) -> str:
    return name.strip().lower().removesuffix(".csv")


def encoding_given(*, name: str, file: str = "") -> TextEncoding:
    """The decoding for a character set named by the user.

    Raises ``TemplateReadError`` for an unknown name, and for a codec that does not decode bytes to text
    (``rot13``, ``base64``, ``zlib``, ...: Python knows them, but they are not character sets). ``file``
    names the source in that message.
    """
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise TemplateReadError(message("unknown_encoding", encoding=name)) from None
    if not getattr(info, "_is_text_encoding", True):
        raise TemplateReadError(message("not_text_encoding", file=file, encoding=name), file=file)
    codec = info.name
    if codec == "utf-8":
        codec = "utf-8-sig"  # a byte order mark is not part of the text
    return TextEncoding(codec=codec, errors="sswis-mark-bad-text", checked=True, label=name)


_BYTE_ORDER_MARKS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def _byte_order_mark(head: bytes) -> tuple[str, str] | None:
    """The family (``"utf-8"``, ``"utf-16"``, ``"utf-32"``) and label of the byte order mark ``head`` starts with."""
    for mark, family, label in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return family, label
    return None


def encoding_agrees(*, given: TextEncoding, head: bytes, file: str) -> None:
    """Refuse a file whose byte order mark contradicts the character set the user gave.

    A byte order mark says for certain which Unicode encoding a file is in. Read with another character set
    (say ``cp1252`` for a UTF-8 file with a mark) the first column would silently become ``ï»¿worker_id``
    and every accented letter would be garbled, so the file is refused with a message naming the file, the
    mark and the encoding given, rather than the mark quietly overriding what the user asked for. Any
    encoding of the mark's family agrees (``utf-16``, ``utf-16-le`` for a UTF-16 mark).
    """
    found = _byte_order_mark(head)
    if found is None:
        return
    family, label = found
    if not given.codec.replace("_", "-").startswith(family):
        text = message("byte_order_mark_contradicts", file=file, mark=label, encoding=given.label)
        raise TemplateReadError(text)


class _LineCounter:
    """Counts the line breaks of the chunks it passes on: the data rows for progress, in a pass made anyway."""

    def __init__(self) -> None:
        self.breaks = 0
        self.last = b""

    def counted(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            self.breaks += chunk.count(b"\n")
            if chunk:
                self.last = chunk[-1:]
            yield chunk

    @property
    def rows_after_header(self) -> int:
        """Line breaks minus the header's: about the data rows (line breaks inside quoted cells count too)."""
        lines = self.breaks
        if self.last and self.last not in (b"\n", b"\x00"):
            lines += 1  # the last line has no line break
        return max(lines - 1, 0)


def csv_scan(
    *, opener: Callable[[], BinaryIO], file: str, given: TextEncoding | None = None
) -> tuple[TextEncoding, int]:
    """The decoding of the CSV bytes ``opener()`` gives and about how many data rows they hold, in one pass.

    The decoding is ``given`` (after checking that no byte order mark contradicts it:
    :func:`encoding_agrees`) or detected (see the module docstring); binary files are refused. The bytes are
    read through once (for a zip member: unpacked once), both to check them (``safety.text_check``, for
    a file without a byte order mark) and to count their lines for the progress estimate.
    """
    counter = _LineCounter()
    with opener() as stream:
        first = stream.read(safety.CHUNK_BYTES)
        head = first[:8]
        safety.text_head_check(head=head, file=file)
        chunks = counter.counted(itertools.chain([first], iter(lambda: stream.read(safety.CHUNK_BYTES), b"")))
        if given is not None:
            encoding_agrees(given=given, head=head, file=file)
            encoding = given
            for _chunk in chunks:
                pass
        elif (found := _byte_order_mark(head)) is not None:
            family, label = found
            codec = "utf-8-sig" if family == "utf-8" else family
            encoding = TextEncoding(codec=codec, errors="sswis-mark-bad-text", checked=True, label=label)
            for _chunk in chunks:
                pass
        elif safety.text_check(chunks=chunks, file=file):
            encoding = TextEncoding(codec="utf-8", errors="strict", checked=False, label="UTF-8")
        else:
            encoding = TextEncoding(
                codec="cp1252", errors="sswis-latin-1-fallback", checked=False, label="Windows-1252"
            )
    return encoding, counter.rows_after_header


def delimiter_detect(line: str) -> str:
    """The delimiter the header ``line`` has most of outside quotes: comma, semicolon or tab (comma on a tie)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for character in line:
        if character == '"':
            quoted = not quoted
        elif not quoted and character in counts:
            counts[character] += 1
    best = max(counts, key=lambda delimiter: counts[delimiter])  # the first of equals: comma
    return best if counts[best] else ","


class TemplateSource:
    """A template to read. Use :func:`template_source_open`; close it (or use ``with``) when done."""

    path: Path

    def present(self) -> list[str]:
        """Template file names (``"workers"``, ...) present in the source, in loading order."""
        raise NotImplementedError

    def others(self) -> list[str]:
        """Files or sheets that are not template files (not read), except ``schema.AUXILIARY_SHEETS``."""
        raise NotImplementedError

    def table(self, *, name: str) -> RawTable:
        """Open template file ``name`` (one of :meth:`present`). Raises ``TemplateReadError``."""
        raise NotImplementedError

    def size_of(self, *, name: str) -> int:
        """Bytes of the file holding ``name`` (for a workbook: of the whole workbook; in a zip: unpacked)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release open files."""

    def __enter__(self) -> TemplateSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _rows_of_text(rows: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    for number, cells in enumerate(rows, start=1):
        trimmed = [cell.strip() for cell in cells]
        if any(trimmed):
            yield number, trimmed


def _decoding_failed(error: UnicodeError, *, file: str, encoding: TextEncoding, row: int) -> str:
    """The message for bytes that ``encoding`` cannot decode at ``row``.

    Decoders raise ``UnicodeDecodeError`` for bytes that do not fit, but a plain ``UnicodeError`` when the
    character set needs a byte order mark the file lacks (``utf-16``, ``utf-32`` given for a file without
    one): that gets its own message, saying which byte-order variants to give instead.
    """
    if isinstance(error, UnicodeDecodeError):
        return message("bad_text", file=file, encoding=encoding.label, row=row)
    return message("no_byte_order_mark", file=file, encoding=encoding.label)


class CsvSource(TemplateSource):
    """Reading CSV files given as byte streams (shared by the folder and the zip sources)."""

    def __init__(self, *, encoding: str | None, source: str = "") -> None:
        self._given = encoding_given(name=encoding, file=source) if encoding else None
        self._open: list[Any] = []

    def csv_table(self, *, name: str, file: str, opener: Callable[[], BinaryIO]) -> RawTable:
        """Open the CSV file ``file`` (its bytes from ``opener``) as template file ``name``."""
        encoding, rows_estimate = csv_scan(opener=opener, file=file, given=self._given)
        handle = io.TextIOWrapper(opener(), encoding=encoding.codec, errors=encoding.errors, newline="")
        self._open.append(handle)
        try:
            first = handle.readline()
            reader = csv.reader(itertools.chain([first], handle), delimiter=delimiter_detect(first))
            raw_header = next(reader, None) or []
        except UnicodeError as exc:
            raise TemplateReadError(
                _decoding_failed(exc, file=file, encoding=encoding, row=0), row=0
            ) from exc
        except csv.Error as exc:
            raise TemplateReadError(message("damaged_csv", file=file, row=0, detail=exc), row=0) from exc
        if encoding.checked:
            self._check(raw_header, file=file, encoding=encoding, row=0)
        header = [cell.strip() for cell in raw_header]
        if header:
            header[0] = header[0].lstrip("\ufeff").strip()
        return RawTable(
            name=name,
            header=[header_key(cell) for cell in header],
            raw_header=header,
            rows=self._rows(reader, file, encoding),
            rows_estimate=rows_estimate,
        )

    @staticmethod
    def _check(cells: list[str], *, file: str, encoding: TextEncoding, row: int) -> None:
        line = "".join(cells)
        if _BAD_TEXT in line:
            raise TemplateReadError(message("bad_text", file=file, encoding=encoding.label, row=row), row=row)
        if _NUL in line:
            raise TemplateReadError(message("binary_in_text", file=file, row=row), row=row)

    @classmethod
    def _rows(cls, reader: Any, file: str, encoding: TextEncoding) -> Iterator[tuple[int, list[str]]]:
        number = 0
        checked = encoding.checked
        try:
            for cells in reader:
                number += 1
                if checked:
                    cls._check(cells, file=file, encoding=encoding, row=number)
                # csv gives lists of str; "if any(...)" skips lines that are blank or only delimiters.
                trimmed = [cell.strip() for cell in cells]
                if any(trimmed):
                    yield number, trimmed
        except UnicodeError as exc:
            text = _decoding_failed(exc, file=file, encoding=encoding, row=number + 1)
            raise TemplateReadError(text, row=number + 1) from exc
        except csv.Error as exc:
            text = message("damaged_csv", file=file, row=number + 1, detail=exc)
            raise TemplateReadError(text, row=number + 1) from exc

    def close(self) -> None:
        for handle in self._open:
            handle.close()
        self._open.clear()


def folder_csv_files(*, path: Path, only: Path | None = None) -> tuple[dict[str, Path], list[Path]]:
    """The CSV files of the folder ``path`` a :class:`FolderSource` reads, and those it only names.

    Returns the template files (``{"workers": .../Workers.csv}``; names matched case-insensitively, the
    first in name order wins) and the other ``.csv`` files (reported as not read), in name order. Hidden
    and lock files (``.x``, ``~$x``), the template's own auxiliary sheets and files of other kinds are
    left out. ``only``: consider that one file of the folder alone.
    """
    files: dict[str, Path] = {}
    others: list[Path] = []
    for entry in [only] if only is not None else sorted(path.iterdir()):
        if not entry.is_file() or entry.name.startswith((".", "~$")) or entry.suffix.lower() != ".csv":
            continue
        name = _normalise_name(entry.name)
        if name in TEMPLATE_NAMES and name not in files:
            files[name] = entry
        elif name not in AUXILIARY_SHEETS:
            others.append(entry)
    return files, others


class FolderSource(CsvSource):
    """A folder of ``<name>.csv`` files (file names matched case-insensitively)."""

    def __init__(self, path: Path, *, only: Path | None = None, encoding: str | None = None) -> None:
        super().__init__(encoding=encoding, source=(only or path).name)
        self.path = path
        self._files, others = folder_csv_files(path=path, only=only)
        self._others = [entry.name for entry in others]
        limits = safety.limits_current()
        total = sum(file.stat().st_size for file in self._files.values())
        if total > limits.max_total_bytes:
            text = message(
                "folder_too_large",
                file=path.name,
                size=f"{total / 2**20:,.2f}",
                limit=limits.max_total_bytes // 2**20,
            )
            raise TemplateReadError(text, file=path.name)

    def present(self) -> list[str]:
        return [name for name in TEMPLATE_NAMES if name in self._files]

    def others(self) -> list[str]:
        return list(self._others)

    def size_of(self, *, name: str) -> int:
        return self._files[name].stat().st_size

    def table(self, *, name: str) -> RawTable:
        path = self._files[name]
        return self.csv_table(name=name, file=path.name, opener=lambda: path.open("rb"))


def _ignored_member(member: str) -> bool:
    """Members a zip tool adds that are not the user's files: macOS resource forks, hidden and lock files."""
    parts = member.split("/")
    return parts[0] == "__MACOSX" or any(part.startswith((".", "~$")) for part in parts)


class ZipSource(CsvSource):
    """A ``.zip`` of ``<name>.csv`` files, at its top or in folders inside it (names matched case-insensitively).

    Members are unpacked only as they are read (``safety.member_open``), never written to disk. Other
    members are listed by :meth:`others`; ``__MACOSX/``, hidden and lock files are left out silently. A
    template file present twice (in two folders) is refused.
    """

    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        super().__init__(encoding=encoding, source=path.name)
        self.path = path
        self._archive = safety.zip_open(path=path)
        self._members: dict[str, ZipInfo] = {}
        self._others: list[str] = []
        try:
            for info in self._archive.infolist():
                member = info.filename.replace("\\", "/")
                if info.is_dir() or _ignored_member(member):
                    continue
                base = member.rsplit("/", 1)[-1]
                name = _normalise_name(base)
                if base.lower().endswith(".csv") and name in TEMPLATE_NAMES:
                    if name in self._members:
                        first = self._members[name].filename
                        text = message(
                            "archive_duplicate",
                            file=path.name,
                            name=f"{name}.csv",
                            first=first,
                            second=member,
                        )
                        raise TemplateReadError(text, file=path.name)
                    self._members[name] = info
                elif not (base.lower().endswith(".csv") and name in AUXILIARY_SHEETS):
                    self._others.append(member)
        except TemplateReadError:
            self._archive.close()
            raise

    def present(self) -> list[str]:
        return [name for name in TEMPLATE_NAMES if name in self._members]

    def others(self) -> list[str]:
        return list(self._others)

    def size_of(self, *, name: str) -> int:
        return self._members[name].file_size

    def table(self, *, name: str) -> RawTable:
        info = self._members[name]
        return self.csv_table(
            name=name,
            file=info.filename,
            opener=lambda: safety.member_open(path=self.path, info=info, file=self.path.name),
        )

    def close(self) -> None:
        super().close()
        self._archive.close()


def cell_text(value: Any) -> str:
    """The text of a workbook cell as a CSV file would hold it (see the module docstring)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value).strip()


class WorkbookSource(TemplateSource):
    """An ``.xlsx`` workbook with one sheet per template file (sheet names matched case-insensitively)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        safety.workbook_check(path=path)
        try:
            self._workbook = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises its own error types for every kind of damage
            text = message("damaged_workbook", file=path.name, detail=str(exc).strip().rstrip("."))
            raise TemplateReadError(text, file=path.name) from exc
        self._sheets: dict[str, str] = {}
        self._others: list[str] = []
        for sheet_name in self._workbook.sheet_names:
            name = _normalise_name(sheet_name)
            if name in TEMPLATE_NAMES and name not in self._sheets:
                self._sheets[name] = sheet_name
            elif name not in AUXILIARY_SHEETS:  # the generated template's own sheets: skipped quietly
                self._others.append(sheet_name)

    def present(self) -> list[str]:
        return [name for name in TEMPLATE_NAMES if name in self._sheets]

    def others(self) -> list[str]:
        return list(self._others)

    def size_of(self, *, name: str) -> int:
        return self.path.stat().st_size

    def table(self, *, name: str) -> RawTable:
        return self._sheet_table(name=name, sheet_name=self._sheets[name])

    def first_sheet_table(self) -> RawTable:
        """The workbook's first sheet, whatever its name (an export file of another tool), as ``RawTable``
        named after the sheet; same cells and row numbers as :meth:`table`."""
        names = self._workbook.sheet_names
        if not names:
            text = message("damaged_workbook", file=self.path.name, detail="it has no sheet")
            raise TemplateReadError(text, file=self.path.name)
        return self._sheet_table(name=names[0], sheet_name=names[0])

    def _sheet_table(self, *, name: str, sheet_name: str) -> RawTable:
        try:
            sheet = self._workbook.get_sheet_by_name(sheet_name)
            rows = iter(sheet.iter_rows())
            first = next(rows, None)
        except Exception as exc:  # a damaged sheet
            text = message("damaged_workbook", file=self.path.name, detail=f"sheet {sheet_name}: {exc}")
            raise TemplateReadError(text) from exc
        header = [cell_text(value) for value in first] if first is not None else []
        if header:
            header[0] = header[0].lstrip("\ufeff").strip()
        # Trailing empty header cells come from the sheet's used range, not from the user.
        while header and not header[-1]:
            header.pop()
        return RawTable(
            name=name,
            header=[header_key(cell) for cell in header],
            raw_header=header,
            rows=self._rows(rows),
            rows_estimate=max(sheet.height - 1, 0),
        )

    @staticmethod
    def _rows(rows: Iterator[list[Any]]) -> Iterator[tuple[int, list[str]]]:
        return _rows_of_text([cell_text(value) for value in cells] for cells in rows)

    def close(self) -> None:
        self._workbook.close()


def template_source_open(*, path: Path, encoding: str | None = None) -> TemplateSource:
    """Open a template: a folder of CSV files, one template CSV file, a ``.zip`` of CSV files or a workbook.

    ``encoding`` names the character set of the CSV files (detected when ``None``; workbooks have none).
    Raises ``TemplateReadError`` when there is nothing readable at ``path``, the encoding is unknown, or
    the source is refused by :mod:`sswis.imports.safety`.
    """
    if encoding:
        encoding_given(name=encoding, file=path.name)  # an unknown name is refused before anything is read
    suffix = path.suffix.lower()
    if path.is_dir():
        return FolderSource(path, encoding=encoding)
    if path.is_file() and suffix == ".csv" and _normalise_name(path.name) in TEMPLATE_NAMES:
        return FolderSource(path.parent, only=path, encoding=encoding)
    if path.is_file() and suffix in WORKBOOK_SUFFIXES:
        return WorkbookSource(path)
    if path.is_file() and suffix == ".zip":
        return ZipSource(path, encoding=encoding)
    if path.is_file():
        raise TemplateReadError(message("not_a_template", name=path.name), file=path.name)
    raise TemplateReadError(message("no_source", path=path))
