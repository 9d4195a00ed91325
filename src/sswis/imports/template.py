"""The blank mapping template, generated from the schema: one ``.xlsx`` workbook or a ``.zip`` of CSV files.

The ``sswis template`` command, the web page and the API all call :func:`template_write`; nothing here
names a file or a column: everything comes from ``schema.TEMPLATE``, so an optional column added there
appears in the blank template (and its instructions) without any other change.

The workbook holds, in this order:

* ``instructions`` (``schema.INSTRUCTIONS_SHEET``): one row per column of every file (file, column,
  required, meaning, values, example), then each file's rules, then general notes, in the active language
  (sheet, file and column names and the values cells take stay as the import reads them);
* one sheet per template file, named as the import expects, with its header row (bold, frozen), column
  widths and column formats (dates ``yyyy-mm-dd``; codes and other text ``@``, so that leading zeros and a
  leading ``+`` survive typing), and data validations on data rows 1 to ``rows`` (spreadsheet lines 2 to
  ``rows + 1``): drop-downs for enumerations and yes/no columns and for codes of reference data (every
  location, organisation, cadre, register and programme code in the registry, see
  ``selectors.template_reference_codes``), date, whole-number and decimal checks from the schema's limits,
  and maximum lengths of text (none in a column of several codes);
* ``lists`` (``schema.LISTS_SHEET``, hidden): the values of the drop-downs that are kept in cells, one
  column per list: every list of codes, and any list of choices longer than the 255 characters Excel
  allows inside a validation.

A drop-down of codes only warns (Excel asks "Continue?"): a code that is new in this very template, say a
district added on the locations sheet, is right although the registry does not have it yet. Every other
check refuses the value. The checks help whoever fills in the sheets; the import still checks every value.

The zip holds ``<file>.csv`` (the header row only) for every template file and ``instructions.csv``; CSV
files have no drop-downs. ``instructions`` and ``lists`` are ``schema.AUXILIARY_SHEETS``: the import skips
them, so a filled-in template imports without a warning.

Memory stays flat for any number of codes: the workbook is written in openpyxl's write-only mode and the
codes are streamed from the database.
"""

from __future__ import annotations

import datetime
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import zip_longest
from typing import IO, TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sswis.imports.schema import (
    AUXILIARY_SHEETS,
    BOOLEAN_FALSE,
    BOOLEAN_TRUE,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    TEMPLATE,
    TEMPLATE_VERSION,
    Column,
    Kind,
    TemplateFile,
    column_description,
    column_maximum_is_technical,
    column_range_words,
    column_requirement,
    template_file,
)
from sswis.imports.selectors import template_reference_codes
from sswis.registry.dates import EARLIEST_DATE, LATEST_DATE
from sswis.spreadsheets import table_csv_lines, text_cell

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    # openpyxl is imported by the functions that write the workbook (sswis.spreadsheets says why).
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.datavalidation import DataValidation

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class TemplateFormat:
    """A format the blank template is offered in."""

    name: str  # "xlsx" | "csv"
    filename: str  # the default name of the file written
    media_type: str
    label: StrOrPromise  # for buttons and help texts, translated when shown


TEMPLATE_FORMATS: dict[str, TemplateFormat] = {
    "xlsx": TemplateFormat(
        "xlsx", "sswis-mapping-template.xlsx", XLSX_MEDIA_TYPE, gettext_lazy("Excel workbook (.xlsx)")
    ),
    "csv": TemplateFormat(
        "csv", "sswis-mapping-template.zip", "application/zip", gettext_lazy("CSV files (.zip)")
    ),
}

DEFAULT_ROWS = 5000
"""Data rows that carry the drop-downs and checks. Validations are ranges, so more rows cost nothing."""

MAXIMUM_ROWS = 1_048_575
"""An Excel sheet has 1,048,576 lines; the first is the header."""


def instructions_header() -> tuple[str, ...]:
    """The header row of the instructions, in the active language."""
    return (_("file"), _("column"), _("required"), _("meaning"), _("values"), _("example"))


INLINE_LIST_LIMIT = 255
"""Excel refuses a validation list typed inline (``"a,b,c"``) longer than this: longer lists go to cells."""

# Excel's limits on the texts of a validation.
_TITLE_LIMIT = 32
_MESSAGE_LIMIT = 255

# The plausible dates (sswis.registry.dates) as Excel serial numbers (days since 1899-12-30; Excel counts a
# 29 February 1900 that never was, so 1900-01-01 is 1 and every later date one day more than the real count).
_FIRST_DATE = "1"
_LAST_DATE = str((LATEST_DATE - datetime.date(1899, 12, 30)).days)


def template_format(*, name: str) -> TemplateFormat:
    """The format called ``name`` (``"xlsx"`` or ``"csv"``, any case). Raises ``ValueError`` naming the formats."""
    found = TEMPLATE_FORMATS.get(name.strip().lower())
    if found is None:
        raise ValueError(
            _("Unknown template format %(name)s: choose one of %(formats)s.")
            % {"name": repr(name), "formats": ", ".join(TEMPLATE_FORMATS)}
        )
    return found


def template_write(*, format: str, stream: IO[bytes], rows: int = DEFAULT_ROWS) -> TemplateFormat:
    """Write the blank template in ``format`` to the binary ``stream``; return the format written.

    ``rows``: how many data rows of each sheet carry the drop-downs and checks (workbook only), from 1 to
    :data:`MAXIMUM_ROWS`. Raises ``ValueError`` for an unknown format or a number of rows out of range,
    before anything is written. Reads the codes of reference data from the database (a few queries,
    whatever the number of codes).
    """
    chosen = template_format(name=format)
    if not 1 <= rows <= MAXIMUM_ROWS:
        raise ValueError(
            _("The number of rows must be between 1 and %(maximum)s, not %(rows)s.")
            % {"maximum": MAXIMUM_ROWS, "rows": rows}
        )
    if chosen.name == "xlsx":
        _write_workbook(stream=stream, rows=rows)
    else:
        _write_csv_zip(stream=stream)
    return chosen


IN_MEMORY_BYTES = 8 * 2**20
"""A template is well under a megabyte unless the registry holds very many codes: past this size
:func:`template_spooled` keeps it in a temporary file instead of memory."""


def template_spooled(*, format: str, rows: int = DEFAULT_ROWS) -> tuple[TemplateFormat, IO[bytes]]:
    """The blank template (see :func:`template_write`) in a temporary file, rewound, ready to be sent.

    The caller owns the file and closes it (Django's ``FileResponse`` does, once it is sent). Raises
    ``ValueError`` like :func:`template_write`, with no file left open.
    """
    chosen = template_format(name=format)
    spooled = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115  # handed to the caller
    try:
        template_write(format=chosen.name, stream=spooled, rows=rows)
    except BaseException:
        spooled.close()
        raise
    spooled.seek(0)
    return chosen, spooled


# Instructions -------------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Docs text without Markdown code marks (a spreadsheet shows them literally)."""
    return text.replace("`", "")


def instruction_rows() -> Iterator[tuple[str, str, str, str, str, str]]:
    """One row per column of every template file, in loading order (see :func:`instructions_header`), in
    the active language; file and column names, and the values a cell takes, stay as the import reads them."""
    for spec in TEMPLATE:
        for column in spec.columns:
            yield (
                spec.name,
                column.name,
                column_requirement(column=column),
                str(column.meaning),
                _plain(column_description(column=column)),
                column.example,
            )


@dataclass(frozen=True)
class FileReference:
    """One template file as the mapping template page explains it, in the active language: what a row
    is, one line per column (column, required, meaning, values, example; as the instructions sheet has
    them) and the file's rules."""

    name: str
    filename: str
    meaning: str
    columns: tuple[tuple[str, str, str, str, str], ...]
    rules: tuple[str, ...]


def template_reference() -> list[FileReference]:
    """Every template file, in loading order, explained as the instructions sheet explains it."""
    return [
        FileReference(
            name=spec.name,
            filename=spec.filename,
            meaning=str(spec.meaning),
            columns=tuple(row[1:] for row in instruction_rows() if row[0] == spec.name),
            rules=tuple(str(rule) for rule in spec.rules),
        )
        for spec in TEMPLATE
    ]


def _rule_rows() -> Iterator[tuple[str, str]]:
    for spec in TEMPLATE:
        for rule in spec.rules:
            yield spec.name, str(rule)


def _notes(*, rows: int | None) -> list[str]:
    """General notes; ``rows`` is the extent of the validations (``None`` for CSV files: no drop-downs)."""
    reference = ", ".join(spec.name for spec in TEMPLATE if spec.reference_data)
    notes = [
        _(
            "Mapping template version %(version)s. Fill in one sheet per file (as CSV: one file per sheet, "
            "named like the sheet with .csv). Keep the sheet and column names; the order of the columns is free; "
            "leave out the columns and files you do not have. An empty cell means not known."
        )
        % {"version": TEMPLATE_VERSION},
        _(
            "Dates are YYYY-MM-DD; yes/no columns take yes or no; codes are text and keep their leading zeros."
        ),
        _("These sheets (and files) are not imported: %(sheets)s.") % {"sheets": ", ".join(AUXILIARY_SHEETS)},
    ]
    if rows is not None:
        notes += [
            _(
                "The drop-down lists of codes (%(files)s) hold every code in the registry on %(day)s: they are "
                "reference data, the same for every user. A code that is new in this template (e.g. a district "
                "added on the locations sheet) is not in the list: keep it when Excel asks whether to continue."
            )
            % {"files": reference, "day": timezone.localdate().isoformat()},
            _(
                "The drop-down lists and checks cover the first %(rows)s data rows of each sheet; the import "
                "checks every value of every row in any case."
            )
            % {"rows": rows},
        ]
    return notes


def _section_rules() -> tuple[str, str]:
    return (_("file"), _("rule"))


def _section_notes() -> tuple[str]:
    return (_("notes"),)


def _instruction_table(*, rows: int | None) -> Iterator[Sequence[str]]:
    """The instructions after their header row: columns, a blank line, rules, a blank line, notes."""
    yield from instruction_rows()
    yield ()
    yield _section_rules()
    yield from _rule_rows()
    yield ()
    yield _section_notes()
    for note in _notes(rows=rows):
        yield (note,)


# Workbook -----------------------------------------------------------------------------------------------


def _range(column_index: int, first: int, last: int) -> str:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column_index)
    return f"{letter}{first}:{letter}{last}"


def _fits(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class _List:
    """A drop-down list kept in a column of the lists sheet."""

    title: str  # header of its column: the file whose codes it holds, or "file.column" for choices
    values: Iterable[str]
    count: int = 0
    formula: str = ""  # the absolute range of its values, once written


def _list_key(spec: TemplateFile, column: Column) -> str:
    return column.references if column.references else f"{spec.name}.{column.name}"


def _choices(column: Column) -> tuple[str, ...]:
    if column.kind == Kind.BOOLEAN:
        return (BOOLEAN_TRUE[0], BOOLEAN_FALSE[0])
    return column.choices


def _inline(column: Column) -> str | None:
    """The inline list formula of an enumeration or yes/no column, ``None`` when too long for Excel."""
    text = ",".join(_choices(column))
    return f'"{text}"' if len(text) <= INLINE_LIST_LIMIT else None


def _cell_lists() -> dict[str, _List]:
    """The lists the lists sheet holds, by :func:`_list_key`, in the order of their columns."""
    lists: dict[str, _List] = {}
    for spec in TEMPLATE:
        for column in spec.columns:
            key = _list_key(spec, column)
            if key in lists:
                continue
            if column.references and template_file(name=column.references).reference_data:
                target = template_file(name=column.references)
                lists[key] = _List(title=key, values=template_reference_codes(spec=target))
            elif column.kind in (Kind.ENUMERATION, Kind.BOOLEAN) and _inline(column) is None:
                lists[key] = _List(title=key, values=_choices(column))
    return lists


def _write_lists(sheet: WriteOnlyWorksheet, lists: dict[str, _List]) -> None:
    """Write every list in its own column (header: its title), streaming all of them side by side."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    sheet.sheet_state = "hidden"
    entries = list(lists.values())
    sheet.append([text_cell(sheet=sheet, value=entry.title, bold=True) for entry in entries])
    for values in zip_longest(*(entry.values for entry in entries)):
        row: list[Any] = []
        for entry, value in zip(entries, values, strict=True):
            if value is None:
                row.append(None)
            else:
                entry.count += 1
                row.append(text_cell(sheet=sheet, value=value))
        sheet.append(row)
    for index, entry in enumerate(entries, start=1):
        letter = get_column_letter(index)
        entry.formula = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${entry.count + 1}"


def _bounds(column: Column) -> tuple[str, str | None, str | None] | None:
    """(operator, formula1, formula2) of a number check, ``None`` when the schema sets no limit."""
    low: int | Decimal | None = column.minimum
    high = None if column_maximum_is_technical(column=column) else column.maximum
    operator_low = "greaterThanOrEqual"
    if low is not None and column.minimum_exclusive:
        if column.kind == Kind.INTEGER:
            low = low + 1
        elif column.decimal_places:
            low = low + Decimal(1).scaleb(-column.decimal_places)
        else:
            operator_low = "greaterThan"
    if low is not None and high is not None:
        # Excel's "between" includes both ends: an exclusive minimum without decimal places is left to
        # the import's own check.
        return "between", str(low), str(high)
    if low is not None:
        return operator_low, str(low), None
    if high is not None:
        return "lessThanOrEqual", str(high), None
    return None


def _column_validation(
    *, spec: TemplateFile, column: Column, lists: dict[str, _List]
) -> DataValidation | None:
    """The data validation of ``column`` (no cells yet), ``None`` when the column has nothing to check.

    Empty cells are always allowed: whether a value is required is the import's check (it depends on
    other rows, e.g. the single root location).
    """
    from openpyxl.worksheet.datavalidation import DataValidation

    title = _fits(column.name, _TITLE_LIMIT)
    common: dict[str, Any] = {
        "allow_blank": True,
        "showErrorMessage": True,
        "errorTitle": title,
        "showInputMessage": True,
        "promptTitle": title,
        "prompt": _fits(str(column.meaning), _MESSAGE_LIMIT),
    }
    if column.kind == Kind.CODE_LIST:
        return None  # several codes in one cell: no drop-down or length fits it (the import checks each)
    entry = lists.get(_list_key(spec, column)) if column.references else None
    # Codes of personal data and the establishment (workers, posts) are never listed; and an empty
    # registry has no codes to list: such code columns get the length check below.
    if column.references and entry is not None and entry.count:
        target = template_file(name=column.references)
        error = _(
            "This is not a %(code)s of the registry. Keep it only if the %(sheet)s sheet of this template "
            "defines it."
        ) % {"code": str(target.key_label).lower(), "sheet": target.name}
        return DataValidation(
            type="list", formula1=entry.formula, errorStyle="warning", error=error, **common
        )
    if column.kind in (Kind.ENUMERATION, Kind.BOOLEAN):
        formula = _inline(column) or lists[_list_key(spec, column)].formula
        error = _("%(column)s: choose one of %(choices)s.") % {
            "column": column.title,
            "choices": ", ".join(_choices(column)),
        }
        if len(error) > _MESSAGE_LIMIT:
            error = _("%(column)s: choose a value from the drop-down list.") % {"column": column.title}
        return DataValidation(type="list", formula1=formula, errorStyle="stop", error=error, **common)
    if column.kind == Kind.DATE:
        error = _("%(column)s: enter a date from %(first)s to %(last)s, e.g. %(example)s.") % {
            "column": column.title,
            "first": EARLIEST_DATE.isoformat(),
            "last": LATEST_DATE.isoformat(),
            "example": column.example,
        }
        return DataValidation(
            type="date", operator="between", formula1=_FIRST_DATE, formula2=_LAST_DATE, error=error, **common
        )
    if column.kind in (Kind.INTEGER, Kind.DECIMAL):
        bounds = _bounds(column)
        if bounds is None:
            return None
        operator, low, high = bounds
        if column.kind == Kind.INTEGER:
            error = _("%(column)s: enter a whole number %(range)s.")
        else:
            error = _("%(column)s: enter a number %(range)s.")
        error = error % {"column": column.title, "range": column_range_words(column=column)}
        return DataValidation(
            type="whole" if column.kind == Kind.INTEGER else "decimal",
            operator=operator,
            formula1=low,
            formula2=high,
            error=error,
            **common,
        )
    if column.max_length:
        error = _("%(column)s: at most %(length)s characters.") % {
            "column": column.title,
            "length": column.max_length,
        }
        return DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(column.max_length),
            error=error,
            **common,
        )
    return None


def _column_number_format(*, column: Column) -> str:
    """Dates as ``yyyy-mm-dd``, numbers as numbers; everything else is text (``@``), so that Excel keeps
    ``007`` and ``+255 712 345 678`` as typed instead of turning them into numbers or formulas."""
    if column.kind == Kind.DATE:
        return "yyyy-mm-dd"
    if column.kind in (Kind.INTEGER, Kind.DECIMAL):
        return "General"
    return "@"


def _width(*texts: str) -> float:
    return float(min(max(12, *(len(text) + 4 for text in texts)), 50))


def _write_file_sheet(
    sheet: WriteOnlyWorksheet, spec: TemplateFile, *, rows: int, lists: dict[str, _List]
) -> None:
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    for index, column in enumerate(spec.columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = _width(column.name, column.example)
        dimension.number_format = _column_number_format(column=column)
        validation = _column_validation(spec=spec, column=column, lists=lists)
        if validation is not None:
            validation.add(_range(index, 2, rows + 1))
            sheet.data_validations.append(validation)
    sheet.append([text_cell(sheet=sheet, value=name, bold=True) for name in spec.column_names])


def _write_instructions(sheet: WriteOnlyWorksheet, *, rows: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    for index, width in enumerate((16, 20, 14, 60, 60, 24), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([text_cell(sheet=sheet, value=name, bold=True) for name in instructions_header()])
    headings = (_section_rules(), _section_notes())
    for line in _instruction_table(rows=rows):
        # Section headings ("file"/"rule", "notes") are bold like the header.
        bold = tuple(line) in headings
        sheet.append([text_cell(sheet=sheet, value=value, bold=bold) for value in line])


def _write_workbook(*, stream: IO[bytes], rows: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    workbook.properties.title = _("sswis mapping template, version %(version)s") % {
        "version": TEMPLATE_VERSION
    }
    # Sheets are created in tab order; the lists are written first, as the validations need their ranges.
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    file_sheets = [(workbook.create_sheet(spec.name), spec) for spec in TEMPLATE]
    lists = _cell_lists()
    _write_lists(workbook.create_sheet(LISTS_SHEET), lists)
    for sheet, spec in file_sheets:
        _write_file_sheet(sheet, spec, rows=rows, lists=lists)
    _write_instructions(instructions, rows=rows)
    workbook.save(stream)


# CSV files ----------------------------------------------------------------------------------------------


def _write_csv_zip(*, stream: IO[bytes]) -> None:
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for spec in TEMPLATE:
            with archive.open(spec.filename, "w") as entry:
                for line in table_csv_lines(header=spec.column_names, rows=()):
                    entry.write(line.encode("utf-8"))
        with archive.open(f"{INSTRUCTIONS_SHEET}.csv", "w") as entry:
            for line in table_csv_lines(header=instructions_header(), rows=_instruction_table(rows=None)):
                entry.write(line.encode("utf-8"))
