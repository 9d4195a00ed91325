"""What an import found and did: problems (errors and warnings) and per-file counts, and how to show them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from sswis.imports.schema import TEMPLATE

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


_FILE_ORDER = {spec.filename: index for index, spec in enumerate(TEMPLATE)}


def problem_sort_key(problem: Problem) -> tuple[int, int]:
    """Source-wide problems first, then template files in loading order, then other files; then by row."""
    if not problem.file:
        return (-1, problem.row)
    return (_FILE_ORDER.get(problem.file, len(_FILE_ORDER)), problem.row)


@dataclass
class ImportReport:
    """The outcome of ``template_import``.

    ``imported`` is true only when the data was written (no errors and not a dry run). ``files`` holds
    the template files that were present, in loading order. ``problems`` are sorted by file then row.
    """

    problems: list[Problem] = field(default_factory=list)
    files: dict[str, FileCounts] = field(default_factory=dict)
    imported: bool = False
    dry_run: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == WARNING]

    @property
    def has_errors(self) -> bool:
        return any(problem.severity == ERROR for problem in self.problems)

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
        """One plain sentence: what happened."""
        errors, warnings = len(self.errors), len(self.warnings)
        warned = f" ({_plural(warnings, 'warning')})" if warnings else ""
        if errors:
            return f"Nothing was imported: {_plural(errors, 'error')}{warned}."
        total = self.totals()
        if self.dry_run:
            return (
                f"Dry run, nothing was written: importing would create {total.created}, update "
                f"{total.updated} and leave {total.unchanged} unchanged{warned}."
            )
        if not self.imported:
            return f"Nothing was imported{warned}."
        if total.created == 0 and total.updated == 0:
            return (
                f"Imported. Nothing changed: all {total.unchanged} rows were already in the registry{warned}."
            )
        return f"Imported: {total.created} created, {total.updated} updated, {total.unchanged} unchanged{warned}."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def report_as_dict(*, report: ImportReport) -> dict[str, Any]:
    """A JSON-ready document: ``imported``, ``dry_run``, ``summary``, ``files`` (counts), ``problems``."""
    return {
        "imported": report.imported,
        "dry_run": report.dry_run,
        "summary": report.summary,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "files": {name: asdict(counts) for name, counts in report.files.items()},
        "problems": [asdict(problem) for problem in report.problems],
    }


def report_as_text(*, report: ImportReport) -> str:
    """The counts table, then every problem (file, row, column, value, message), then the summary."""
    lines: list[str] = []
    headings = ("file", "read", "created", "updated", "unchanged", "rejected")
    table = [
        (name, str(c.read), str(c.created), str(c.updated), str(c.unchanged), str(c.rejected))
        for name, c in report.files.items()
    ]
    if table:
        total = report.totals()
        table.append(
            (
                "total",
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
    if report.problems:
        counted = f"{_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')}"
        lines.append(f"Problems ({counted}):")
        for problem in report.problems:
            where = problem.file or "template"
            if problem.row:
                where += f", row {problem.row}"
            elif problem.file:
                where += ", header" if problem.column else ""
            if problem.column:
                where += f", column {problem.column}"
            value = f" [{problem.value}]" if problem.value else ""
            lines.append(f"  {problem.severity.upper()}: {where}{value}: {problem.message}")
        lines.append("")
    if report.has_errors:
        lines.append(report.summary + " The counts show what the import would do once the errors are fixed.")
    else:
        lines.append(report.summary)
    return "\n".join(lines) + "\n"
