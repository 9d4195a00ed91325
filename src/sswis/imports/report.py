"""What an import found and did: problems (errors and warnings) and per-file counts, and how to show them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sswis.imports.messages import message
from sswis.imports.modes import ImportMode
from sswis.imports.schema import TEMPLATE
from sswis.spreadsheets import table_write_csv, table_write_xlsx

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem of one cell, row or file.

    ``file`` is the template file name (``"workers.csv"``; in a workbook the sheet ``workers``), or ``""``
    for the source as a whole. ``row`` is 1 for the first data row (the line after the header, so row
    ``n`` is spreadsheet line ``n + 1``), 0 for the header or the file as a whole. ``column`` is ``""``
    when no single column is at fault.
    """

    file: str
    row: int
    column: str
    value: str
    message: str
    severity: Severity = ERROR


def database_refusal(exc: Exception) -> Problem:
    """The error an import reports when the database refuses its writes (the first line of its message)."""
    text = str(exc).strip()
    detail = text.splitlines()[0] if text else type(exc).__name__
    kind = "disk_full" if database_disk_full(exc) else "database"
    return Problem(file="", row=0, column="", value="", message=message(kind, detail=detail))


def database_disk_full(exc: BaseException) -> bool:
    """Whether the database refused a write because its disk (or its size limit) is full: SQLite's
    SQLITE_FULL ("database or disk is full"), PostgreSQL's ``disk_full`` (SQLSTATE 53100)."""
    cause = exc.__cause__
    return "database or disk is full" in str(exc) or getattr(cause, "sqlstate", None) == "53100"


@dataclass
class FileCounts:
    """Rows of one file: ``read`` = ``created + updated + unchanged + rejected``.

    ``rejected`` rows were not loaded: they have an error, or refer to a row that has one. When the
    import has errors, ``created``/``updated``/``unchanged`` say what it would do once they are fixed.
    """

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    @property
    def balanced(self) -> bool:
        """Every row read is accounted for: created, updated, unchanged or rejected (nothing dropped)."""
        return self.read == self.created + self.updated + self.unchanged + self.rejected


_FILE_ORDER = {spec.filename: index for index, spec in enumerate(TEMPLATE)}


def problem_sort_key(problem: Problem) -> tuple[int, int]:
    """Source-wide problems first, then template files in loading order, then other files; then by row."""
    if not problem.file:
        return (-1, problem.row)
    return (_FILE_ORDER.get(problem.file, len(_FILE_ORDER)), problem.row)


@dataclass
class ImportReport:
    """The outcome of ``template_import``.

    ``imported`` is true only when the data was written: never for a dry run; in the all-or-nothing mode
    only without errors; when skipping invalid rows, unless the source as a whole could not be read.
    ``files`` holds the template files that were present, in loading order; for each of them
    ``read = created + updated + unchanged + rejected`` (see :meth:`unbalanced_files`). ``problems``
    are sorted by file then row. ``also_created`` counts the rows created besides the files' own, by kind
    (:data:`ALSO_CREATED`): the training institutions that programmes.csv names for the first time.
    """

    problems: list[Problem] = field(default_factory=list)
    files: dict[str, FileCounts] = field(default_factory=dict)
    imported: bool = False
    mode: ImportMode = ImportMode.ALL_OR_NOTHING
    also_created: dict[str, int] = field(default_factory=dict)

    @property
    def also_created_text(self) -> str:
        """What was created besides the files' own rows, in words ("2 training institutions"); ``""``: nothing."""
        return ", ".join(
            also_created_words(kind=kind, count=count) for kind, count in self.also_created.items() if count
        )

    @property
    def dry_run(self) -> bool:
        return self.mode.dry_run

    def unbalanced_files(self) -> list[str]:
        """Files whose rows read are not all counted as created, updated, unchanged or rejected.

        Always empty: ``template_import`` checks it before committing and refuses to write otherwise.
        """
        return [name for name, counts in self.files.items() if not counts.balanced]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == WARNING]

    @property
    def has_errors(self) -> bool:
        return any(problem.severity == ERROR for problem in self.problems)

    @property
    def source_refused(self) -> bool:
        """An error about the source as a whole (unreadable, no template file, database refusal, ...):
        then nothing is imported, even when skipping invalid rows."""
        return any(problem.severity == ERROR and not problem.file for problem in self.problems)

    def totals(self) -> FileCounts:
        total = FileCounts()
        for counts in self.files.values():
            total.read += counts.read
            total.created += counts.created
            total.updated += counts.updated
            total.unchanged += counts.unchanged
            total.rejected += counts.rejected
        return total

    @property
    def summary(self) -> str:
        """One plain sentence, in the active language: what happened."""
        errors, warnings = len(self.errors), len(self.warnings)
        warned = f" ({_warnings(warnings)})" if warnings else ""
        total = self.totals()
        counts = {"created": total.created, "updated": total.updated, "unchanged": total.unchanged}
        if errors and self.mode.skip_invalid and not self.source_refused:
            if self.dry_run:
                rejected = ngettext(
                    "%(count)s row would be rejected", "%(count)s rows would be rejected", total.rejected
                )
            else:
                rejected = ngettext(
                    "%(count)s row was rejected", "%(count)s rows were rejected", total.rejected
                )
            rejected = rejected % {"count": total.rejected}
            problems = _errors(errors) + (", " + _warnings(warnings) if warnings else "")
            if self.dry_run:
                return _(
                    "Dry run, nothing was written: importing the valid rows would create %(created)s, update "
                    "%(updated)s and leave %(unchanged)s unchanged; %(rejected)s (%(problems)s)."
                ) % {**counts, "rejected": rejected, "problems": problems}
            return _(
                "Imported the valid rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged; "
                "%(rejected)s (%(problems)s)."
            ) % {**counts, "rejected": rejected, "problems": problems}
        if errors:
            return _("Nothing was imported: %(errors)s%(warned)s.") % {
                "errors": _errors(errors),
                "warned": warned,
            }
        if self.dry_run:
            return _(
                "Dry run, nothing was written: importing would create %(created)s, update %(updated)s and leave "
                "%(unchanged)s unchanged%(warned)s."
            ) % {**counts, "warned": warned}
        if not self.imported:
            return _("Nothing was imported%(warned)s.") % {"warned": warned}
        if total.created == 0 and total.updated == 0:
            return _(
                "Imported. Nothing changed: all %(unchanged)s rows were already in the registry%(warned)s."
            ) % {**counts, "warned": warned}
        return _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged%(warned)s.") % {
            **counts,
            "warned": warned,
        }


ALSO_CREATED = ("training_institutions",)
"""The kinds of rows an import creates besides the files' own (``ImportReport.also_created``): the training
institutions named in programmes.csv for the first time."""


def also_created_words(*, kind: str, count: int) -> str:
    """``count`` rows of ``kind`` (one of :data:`ALSO_CREATED`) in words, in the active language."""
    if kind == "training_institutions":
        return ngettext("%(count)s training institution", "%(count)s training institutions", count) % {
            "count": count
        }
    return f"{count} {kind}"


def _errors(count: int) -> str:
    return ngettext("%(count)s error", "%(count)s errors", count) % {"count": count}


def _warnings(count: int) -> str:
    return ngettext("%(count)s warning", "%(count)s warnings", count) % {"count": count}


def report_as_dict(*, report: ImportReport) -> dict[str, Any]:
    """A JSON-ready document: ``imported``, ``mode``, ``dry_run``, ``summary``, ``files`` (counts),
    ``also_created`` (rows created besides the files', by kind), ``problems``.

    :func:`report_from_dict` turns it back into the report.
    """
    return {
        "imported": report.imported,
        "mode": report.mode.value,
        "dry_run": report.dry_run,
        "summary": report.summary,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "files": {name: asdict(counts) for name, counts in report.files.items()},
        "also_created": dict(report.also_created),
        "problems": [asdict(problem) for problem in report.problems],
    }


def report_from_dict(data: dict[str, Any]) -> ImportReport:
    """The report that :func:`report_as_dict` described (e.g. as stored in the import history)."""
    return ImportReport(
        problems=[Problem(**problem) for problem in data.get("problems", [])],
        files={name: FileCounts(**counts) for name, counts in data.get("files", {}).items()},
        imported=bool(data.get("imported", False)),
        mode=ImportMode(data.get("mode", ImportMode.ALL_OR_NOTHING)),
        also_created={str(kind): int(count) for kind, count in data.get("also_created", {}).items()},
    )


PROBLEM_CODES = ("file", "row", "column", "value", "message", "severity")
"""The header of the problem report for programs (the API), the same in every language."""


def problem_columns(*, translated: bool = True) -> tuple[str, ...]:
    """The header of a problem report download (one row per problem): in the active language for people,
    :data:`PROBLEM_CODES` for programs (``translated=False``)."""
    if not translated:
        return PROBLEM_CODES
    return (_("file"), _("row"), _("column"), _("value"), _("message"), _("severity"))


def severity_text(severity: str) -> str:
    """``error`` or ``warning`` in the active language."""
    return _("error") if severity == ERROR else _("warning")


REPORT_FORMATS = (".csv", ".xlsx")


def problem_rows(
    problems: list[Problem], *, translated: bool = True
) -> Iterator[tuple[str, int | None, str, str, str, str]]:
    """One table row per problem, in :func:`problem_columns` order; the row is empty for a whole file. The
    severity is in the active language (``error``/``warning`` when not ``translated``); the message is in
    the language the import was run in."""
    # Read now: the rows are streamed later, maybe after the request's language is gone.
    severities: dict[str, str] = {ERROR: ERROR, WARNING: WARNING}
    if translated:
        severities = {ERROR: severity_text(ERROR), WARNING: severity_text(WARNING)}
    return _problem_rows(problems, severities)


def _problem_rows(
    problems: list[Problem], severities: dict[str, str]
) -> Iterator[tuple[str, int | None, str, str, str, str]]:
    for problem in problems:
        row = problem.row or None
        yield (
            problem.file,
            row,
            problem.column,
            problem.value,
            problem.message,
            severities[problem.severity],
        )


def report_write(*, report: ImportReport, path: Path) -> int:
    """Write the problems to ``path`` as CSV or XLSX (by its suffix); return how many were written.

    Goes through :mod:`sswis.spreadsheets`, so a value such as ``=HYPERLINK(...)`` typed into a template
    cell comes out as text, never as a formula. Raises ``ValueError`` for another suffix.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as stream:
            return table_write_csv(
                header=problem_columns(), rows=problem_rows(report.problems), stream=stream
            )
    if suffix == ".xlsx":
        return table_write_xlsx(
            header=problem_columns(), rows=problem_rows(report.problems), path=path, sheet="problems"
        )
    raise ValueError(_("A report is written as .csv or .xlsx, not %(name)s.") % {"name": path.name})


def report_as_text(*, report: ImportReport) -> str:
    """The counts table, then every problem (file, row, column, value, message), then the summary, in the
    active language."""
    lines: list[str] = []
    headings = (_("file"), _("read"), _("created"), _("updated"), _("unchanged"), _("rejected"))
    table = [
        (name, str(c.read), str(c.created), str(c.updated), str(c.unchanged), str(c.rejected))
        for name, c in report.files.items()
    ]
    if table:
        total = report.totals()
        table.append(
            (
                _("total"),
                str(total.read),
                str(total.created),
                str(total.updated),
                str(total.unchanged),
                str(total.rejected),
            )
        )
        widths = [max(len(row[i]) for row in [headings, *table]) for i in range(len(headings))]

        def render(row: tuple[str, ...]) -> str:
            cells = [row[0].ljust(widths[0])] + [cell.rjust(widths[i]) for i, cell in enumerate(row) if i]
            return "  ".join(cells).rstrip()

        lines.append(render(headings))
        lines.extend(render(row) for row in table)
        lines.append("")
    if report.also_created_text:
        lines.append(_("Also created: %(rows)s.") % {"rows": report.also_created_text})
        lines.append("")
    if report.problems:
        counted = f"{_errors(len(report.errors))}, {_warnings(len(report.warnings))}"
        lines.append(_("Problems (%(counted)s):") % {"counted": counted})
        severities = {ERROR: severity_text(ERROR).upper(), WARNING: severity_text(WARNING).upper()}
        for problem in report.problems:
            where = problem.file or _("template")
            if problem.row:
                where += ", " + _("row %(row)s") % {"row": problem.row}
            elif problem.file:
                where += ", " + _("header") if problem.column else ""
            if problem.column:
                where += ", " + _("column %(column)s") % {"column": problem.column}
            value = f" [{problem.value}]" if problem.value else ""
            lines.append(f"  {severities[problem.severity]}: {where}{value}: {problem.message}")
        lines.append("")
    if report.has_errors and not report.mode.skip_invalid:
        lines.append(
            report.summary + " " + _("The counts show what the import would do once the errors are fixed.")
        )
    else:
        lines.append(report.summary)
    return "\n".join(lines) + "\n"
