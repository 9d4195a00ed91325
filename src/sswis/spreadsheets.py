"""Writing tables for people to open in a spreadsheet program: CSV and XLSX, safe against formula injection.

Every export that leaves sswis as a spreadsheet (worker lists, import problem reports, ...) is written
here, so that one rule protects them all: a text cell that a spreadsheet program would run as a formula
(it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading
apostrophe, which spreadsheet programs show as text and never evaluate. Numbers, dates and booleans
are written as values (they cannot carry a formula), so a negative number stays a number.

Both writers stream: rows are consumed one at a time and never held in memory together.

Workbooks that programs read back (the blank mapping template, the XLSForm) must keep text exactly as
it is, so they cannot prefix an apostrophe: they write text through :func:`text_cell`, a cell typed as
text, which a spreadsheet program never evaluates either.
"""

from __future__ import annotations

import csv
import datetime
import decimal
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    # openpyxl (about 13 MB with its modules) is imported by the functions that write a workbook: the web
    # server and the background worker load it only when one is asked for (docs/load.md, memory).
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: Characters that make a spreadsheet program treat a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | decimal.Decimal | bool | datetime.date | None


def cell_neutralise(value: Any) -> Any:
    """``value`` made safe to write into a spreadsheet cell.

    Text starting with a formula trigger gets a leading apostrophe (``"=1+1"`` -> ``"'=1+1"``); text that
    does not, and numbers, dates, booleans and ``None``, are returned unchanged. Any other object is
    turned into its text first, then checked.
    """
    if value is None or isinstance(value, (bool, int, float, decimal.Decimal, datetime.date)):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def text_cell(*, sheet: WriteOnlyWorksheet, value: str, bold: bool = False) -> WriteOnlyCell:
    """A write-only cell holding ``value`` verbatim as text, never as a formula (for workbooks that
    programs read back; a code or a name may start with ``=``)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _csv_text(value: Any) -> str:
    safe = cell_neutralise(value)
    if safe is None:
        return ""
    if isinstance(safe, bool):
        return "yes" if safe else "no"
    if isinstance(safe, datetime.datetime):
        return safe.isoformat()
    if isinstance(safe, datetime.date):
        return safe.isoformat()
    return str(safe)


class _Echo:
    """A file-like object whose ``write`` returns what it was given (for streaming CSV responses)."""

    def write(self, value: str) -> str:
        return value


def table_csv_lines(*, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text of the table, one line at a time (for a streaming HTTP response).

    The first line starts with a UTF-8 byte order mark so that Excel opens the file as UTF-8.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([_csv_text(name) for name in header])
    for row in rows:
        yield writer.writerow([_csv_text(value) for value in row])


def table_write_csv(*, header: Sequence[str], rows: Iterable[Sequence[Any]], stream: IO[str]) -> int:
    """Write the table as CSV (UTF-8 with byte order mark) to ``stream``; return the number of data rows."""
    count = -1
    for count, line in enumerate(table_csv_lines(header=header, rows=rows)):  # noqa: B007
        stream.write(line)
    return count


def _xlsx_value(value: Any) -> Any:
    safe = cell_neutralise(value)
    if isinstance(safe, datetime.datetime) and safe.tzinfo is not None:
        # Excel has no time zones: write the local wall-clock time the user saw on the page.
        return safe.replace(tzinfo=None)
    if isinstance(safe, decimal.Decimal):
        return float(safe)
    return safe


def table_write_xlsx(
    *, header: Sequence[str], rows: Iterable[Sequence[Any]], path: Path, sheet: str = "data"
) -> int:
    """Write the table as a one-sheet ``.xlsx`` workbook at ``path``; return the number of data rows.

    The workbook is written in openpyxl's write-only mode, so memory stays flat for any number of rows.
    Dates are real date cells (formatted ``yyyy-mm-dd``); the header row is frozen.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.freeze_panes = "A2"
    worksheet.append([_xlsx_value(name) for name in header])
    count = 0
    for row in rows:
        worksheet.append([_xlsx_value(value) for value in row])
        count += 1
    workbook.save(path)
    return count
