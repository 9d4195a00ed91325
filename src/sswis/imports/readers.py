"""Reading a template: a folder of CSV files or one ``.xlsx`` workbook, as streams of trimmed text cells.

Both readers give the same thing for each template file present: the header (column names trimmed
and lower-cased) and an iterator of ``(row_number, cells)`` where row 1 is the first line after the
header and every cell is trimmed text. Completely empty rows are skipped but still numbered, so row
numbers match what a data clerk sees (row ``n`` is spreadsheet line ``n + 1``).

Cells of a workbook become the text a CSV file would hold: a whole number stored as a number
(``12.0``) becomes ``"12"`` (so a code typed as a number still matches), a date cell becomes
``YYYY-MM-DD``, a true/false cell ``yes``/``no``. Text cells are kept as they are (leading zeros stay).

CSV files are read line by line (UTF-8, with or without a byte order mark). A workbook sheet is
decoded by python-calamine (its cells are held by calamine, not as Python objects) and converted row by
row. Problems that stop a file from being read raise :class:`TemplateReadError`, possibly in the middle
of the iteration (e.g. a byte that is not UTF-8 on row 5000).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from sswis.imports.messages import message
from sswis.imports.schema import TEMPLATE

TEMPLATE_NAMES = tuple(spec.name for spec in TEMPLATE)


class TemplateReadError(Exception):
    """A file (or the source) cannot be read. ``row`` is where reading stopped (0: before any row)."""

    def __init__(self, message: str, *, row: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass
class RawTable:
    """One template file as read: ``header`` as written and normalised, then the rows as a stream."""

    name: str  # template file name without extension, e.g. "workers"
    header: list[str]  # trimmed, lower-case
    raw_header: list[str]  # trimmed, as written
    rows: Iterator[tuple[int, list[str]]]
    rows_estimate: int | None = None  # about how many data rows follow (for progress), if known


def _normalise_name(name: str) -> str:
    return name.strip().lower().removesuffix(".csv")


class TemplateSource:
    """A template to read. Use :func:`template_source_open`; close it (or use ``with``) when done."""

    path: Path

    def present(self) -> list[str]:
        """Template file names (``"workers"``, ...) present in the source, in loading order."""
        raise NotImplementedError

    def others(self) -> list[str]:
        """Files or sheets in the source that are not template files (they are not read)."""
        raise NotImplementedError

    def table(self, *, name: str) -> RawTable:
        """Open template file ``name`` (one of :meth:`present`). Raises ``TemplateReadError``."""
        raise NotImplementedError

    def size_of(self, *, name: str) -> int:
        """Bytes of the file holding ``name`` (for a workbook: of the whole workbook)."""
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


class FolderSource(TemplateSource):
    """A folder of ``<name>.csv`` files (file names matched case-insensitively)."""

    def __init__(self, path: Path, *, only: Path | None = None) -> None:
        self.path = path
        self._files: dict[str, Path] = {}
        self._others: list[str] = []
        self._open: list[Any] = []
        for entry in [only] if only is not None else sorted(path.iterdir()):
            if not entry.is_file() or entry.name.startswith((".", "~$")):
                continue
            name = _normalise_name(entry.name)
            if entry.suffix.lower() == ".csv" and name in TEMPLATE_NAMES and name not in self._files:
                self._files[name] = entry
            elif entry.suffix.lower() == ".csv":
                self._others.append(entry.name)

    def present(self) -> list[str]:
        return [name for name in TEMPLATE_NAMES if name in self._files]

    def others(self) -> list[str]:
        return list(self._others)

    def size_of(self, *, name: str) -> int:
        return self._files[name].stat().st_size

    def table(self, *, name: str) -> RawTable:
        path = self._files[name]
        # utf-8-sig drops a byte order mark if there is one (Excel's "CSV UTF-8" writes one).
        handle = path.open(encoding="utf-8-sig", newline="")
        self._open.append(handle)
        reader = csv.reader(handle)
        try:
            raw_header = next(reader, None)
        except UnicodeDecodeError as exc:
            raise TemplateReadError(_not_utf8(path.name), row=0) from exc
        except csv.Error as exc:
            raise TemplateReadError(f"{path.name} could not be read: {exc}.", row=0) from exc
        if raw_header is None:
            raw_header = []
        header = [cell.strip() for cell in raw_header]
        return RawTable(
            name=name,
            header=[cell.lower() for cell in header],
            raw_header=header,
            rows=self._rows(reader, path.name),
            rows_estimate=_lines_after_header(path),
        )

    @staticmethod
    def _rows(reader: Any, filename: str) -> Iterator[tuple[int, list[str]]]:
        number = 0
        try:
            for cells in reader:
                number += 1
                # csv gives lists of str; "if any(...)" skips lines that are blank or only commas.
                trimmed = [cell.strip() for cell in cells]
                if any(trimmed):
                    yield number, trimmed
        except UnicodeDecodeError as exc:
            raise TemplateReadError(_not_utf8(filename), row=number + 1) from exc
        except csv.Error as exc:
            raise TemplateReadError(
                f"{filename} could not be read at row {number + 1}: {exc}.", row=number + 1
            ) from exc

    def close(self) -> None:
        for handle in self._open:
            handle.close()
        self._open.clear()


def _lines_after_header(path: Path) -> int:
    """Line breaks in the file minus the header's: the data rows, give or take line breaks inside cells.

    One quick pass over the bytes (well under a second for the largest file an import accepts).
    """
    lines, last = 0, b""
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    if last and last != b"\n":
        lines += 1  # the last line has no line break
    return max(lines - 1, 0)


def _not_utf8(filename: str) -> str:
    return (
        f'{filename} is not saved as UTF-8 text. In Excel choose Save as > "CSV UTF-8 (comma delimited)"; '
        "in LibreOffice choose the character set Unicode (UTF-8)."
    )


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
        try:
            self._workbook = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises its own error types for every kind of damage
            raise TemplateReadError(f"The workbook {path.name} could not be opened: {exc}.") from exc
        self._sheets: dict[str, str] = {}
        self._others: list[str] = []
        for sheet_name in self._workbook.sheet_names:
            name = _normalise_name(sheet_name)
            if name in TEMPLATE_NAMES and name not in self._sheets:
                self._sheets[name] = sheet_name
            else:
                self._others.append(sheet_name)

    def present(self) -> list[str]:
        return [name for name in TEMPLATE_NAMES if name in self._sheets]

    def others(self) -> list[str]:
        return list(self._others)

    def size_of(self, *, name: str) -> int:
        return self.path.stat().st_size

    def table(self, *, name: str) -> RawTable:
        sheet_name = self._sheets[name]
        try:
            sheet = self._workbook.get_sheet_by_name(sheet_name)
            rows = iter(sheet.iter_rows())
            first = next(rows, None)
        except Exception as exc:  # a damaged sheet
            raise TemplateReadError(f"The sheet {sheet_name} could not be read: {exc}.") from exc
        header = [cell_text(value) for value in first] if first is not None else []
        # Trailing empty header cells come from the sheet's used range, not from the user.
        while header and not header[-1]:
            header.pop()
        return RawTable(
            name=name,
            header=[cell.lower() for cell in header],
            raw_header=header,
            rows=self._rows(rows),
            rows_estimate=max(sheet.height - 1, 0),
        )

    @staticmethod
    def _rows(rows: Iterator[list[Any]]) -> Iterator[tuple[int, list[str]]]:
        return _rows_of_text([cell_text(value) for value in cells] for cells in rows)

    def close(self) -> None:
        self._workbook.close()


def template_source_open(*, path: Path) -> TemplateSource:
    """Open a template: a folder of CSV files, one template CSV file, or an ``.xlsx`` workbook.

    Raises ``TemplateReadError`` when there is nothing readable at ``path``.
    """
    if path.is_dir():
        return FolderSource(path)
    if path.is_file() and path.suffix.lower() == ".csv" and _normalise_name(path.name) in TEMPLATE_NAMES:
        return FolderSource(path.parent, only=path)
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        return WorkbookSource(path)
    if path.is_file():
        raise TemplateReadError(message("not_a_template", name=path.name))
    raise TemplateReadError(message("no_source", path=path))
