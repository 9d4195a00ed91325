"""Reading the lists that institutions and online-course platforms send, one completion a row: the
person (``person_identifier``: a worker ID, national ID or e-mail), the course, the day and the certificate.
Shared by the completions lists of training (``training.completion_lists``) and the CPD lists of regulation
(``regulation.cpd_import``): each importer subclasses :class:`ListRun` with its columns, how it resolves a
row's course and what it writes; the reading, the matching of persons and the report are here.

:meth:`ListRun.import_file` reads a CSV file exactly as a template file is (``sswis.imports.readers``:
character set and delimiter detected, size limit, binary files refused). Column names are matched without
case, spaces or underscores; an unknown or repeated column, or a missing required one, is an error and makes
every row unusable. Each cell is checked (an empty required cell, control characters, the column's kind:
``imports.values``); an empty optional cell is ``""``. Every problem goes to the report (``imports.report``)
with its file, row, column and value. Then, in one transaction undone for a dry run or on any error
(``imports.services.import_transaction_run``), the importer's :meth:`ListRun.resolve` and
:meth:`ListRun.write`.
"""

from __future__ import annotations

import datetime
import tempfile
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django.db.models.functions import Lower

from sswis.database import lookup_batch_size
from sswis.imports.messages import message
from sswis.imports.modes import ImportMode
from sswis.imports.readers import CsvSource, RawTable, TemplateReadError, header_key
from sswis.imports.report import ERROR, FileCounts, ImportReport, Problem, Severity
from sswis.imports.safety import limits_current
from sswis.imports.schema import Column
from sswis.imports.services import import_transaction_run
from sswis.imports.values import column_parser
from sswis.registry.models import Worker
from sswis.text import text_problem, text_shown

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = ["PERSON", "ListRow", "ListRun", "batches", "upload_kept", "workers_matching"]

PERSON = "person_identifier"
"""The column naming the person of a row."""

Course = TypeVar("Course")


def batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    """``items`` sorted, in lists of at most one ``IN (...)`` lookup (``database.lookup_batch_size``)."""
    ordered, size = sorted(items), lookup_batch_size()
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def workers_matching(
    *, identifiers: set[str], first_step_only: bool
) -> dict[str, tuple[str, dict[int, str]]]:
    """For each of ``identifiers`` that names a worker: the first step that names one (``worker_id``,
    ``national_id``, then ``email`` without capitals, as the database's ``LOWER()`` makes them) and the
    workers named (primary key -> worker ID). With ``first_step_only`` they are those of that step, and a
    later step looks only for the identifiers no earlier step found; else they are those of every step (an
    identifier that is one worker's ID and another's national ID names both). An identifier naming no worker
    is absent."""
    found: dict[str, dict[str, dict[int, str]]] = defaultdict(dict)

    def wanted() -> set[str]:
        return identifiers - found.keys() if first_step_only else identifiers

    for step in ("worker_id", "national_id"):
        for batch in batches(wanted()):
            rows = Worker.objects.filter(**{f"{step}__in": batch}).values_list("pk", "worker_id", step)
            for pk, worker_id, identifier in rows:
                found[identifier].setdefault(step, {})[pk] = worker_id
    lowered: dict[str, set[str]] = defaultdict(set)
    for identifier in wanted():
        lowered[identifier.lower()].add(identifier)
    for batch in batches(lowered):
        rows = (
            Worker.objects.annotate(email_key=Lower("email"))
            .filter(email_key__in=batch)
            .values_list("pk", "worker_id", "email")
        )
        for pk, worker_id, email in rows:
            for identifier in lowered.get(email.lower(), ()):
                found[identifier].setdefault("email", {})[pk] = worker_id
    # The steps ran in order, so an identifier's first step is the first it was found at.
    return {
        identifier: (
            next(iter(steps)),
            {pk: worker for named in steps.values() for pk, worker in named.items()},
        )
        for identifier, steps in found.items()
    }


@contextmanager
def upload_kept(*, file_name: str, chunks: Iterable[bytes], default: str) -> Iterator[Path]:
    """A file received by a page or the API (``chunks``: its content), kept in a temporary folder under its
    own base name (``default`` when it has none), so that a report names the file the user sent; removed
    after."""
    name = Path(file_name.replace("\\", "/")).name or default
    with tempfile.TemporaryDirectory(prefix=f"sswis-{Path(default).stem}-") as folder:
        source = Path(folder) / name
        with source.open("wb") as target:
            for chunk in chunks:
                target.write(chunk)
        yield source


@dataclass
class ListRow(Generic[Course]):
    """One row: its number (1: the line after the header), its values by column (a cell with a problem is
    absent), whether it may still be written, and the worker (primary key) and course it resolved to."""

    number: int
    values: dict[str, Any]
    ok: bool = True
    worker: int | None = None
    course: Course | None = None


@dataclass(kw_only=True)
class ListRun(ABC, Generic[Course]):
    """One import of one list (see the module docstring). A subclass names its :attr:`columns`, what a row
    is (:attr:`entity`, for messages) and the reader's name of its table, and implements :meth:`resolve` and
    :meth:`write`; ``dry_run``: the import is undone at the end."""

    columns: ClassVar[tuple[Column, ...]]
    entity: ClassVar[StrOrPromise]
    table: ClassVar[str]

    actor: Any
    file: str  # the file's name, as the report gives it
    dry_run: InitVar[bool] = False
    report: ImportReport = field(init=False)
    counts: FileCounts = field(init=False)
    rows: list[ListRow[Course]] = field(default_factory=list)
    worker_ids: dict[int, str] = field(default_factory=dict)  # worker pk -> worker ID, for messages

    def __post_init__(self, dry_run: bool) -> None:
        self.report = ImportReport(mode=ImportMode.of(dry_run=dry_run, skip_invalid=False))
        self.counts = self.report.files.setdefault(self.file, FileCounts())

    def needs(self, column: Column) -> bool:
        """Whether ``column`` (its header and its cells) must be given; the importer may relax it."""
        return column.required

    def problem(self, row: int, column: str, value: Any, text: str, severity: Severity = ERROR) -> None:
        shown = value.isoformat() if isinstance(value, datetime.date) else str(value or "")
        self.report.problems.append(Problem(self.file, row, column, shown, text, severity))

    def error(self, row: ListRow[Course], column: str, value: Any, text: str) -> None:
        self.problem(row.number, column, value, text)
        row.ok = False

    def values_of(self, column: str, rows: Iterable[ListRow[Course]] | None = None) -> set[Any]:
        """The values given in ``column`` of ``rows`` (default: every row), without the empty ones."""
        return {row.values[column] for row in (self.rows if rows is None else rows) if row.values.get(column)}

    # Reading ---------------------------------------------------------------------------------------------

    def import_file(self, path: Path, *, encoding: str | None) -> ImportReport:
        """Read ``path`` (``encoding``: its character set, ``None``: detected), then resolve and write its
        rows in one transaction. A source that cannot be read (no such file, too large, not CSV text, a
        character set it does not fit) is reported as a problem, not raised, and nothing is resolved."""
        report, counts, name = self.report, self.counts, self.file
        limit = limits_current().max_bytes
        if not path.is_file():
            report.problems.append(Problem("", 0, "", str(path), message("no_source", path=path)))
            return report
        if path.stat().st_size > limit:
            report.problems.append(
                Problem(name, 0, "", "", message("too_large", file=name, limit=limit // 2**20))
            )
            return report
        try:
            reader = CsvSource(encoding=encoding, source=name)
            with reader:
                self.read(reader.csv_table(name=self.table, file=name, opener=lambda: path.open("rb")))
        except TemplateReadError as exc:
            report.problems.append(Problem(name, exc.row, "", "", exc.message))
            counts.created = counts.updated = counts.unchanged = 0
            counts.rejected = counts.read
            return report

        def work() -> None:
            self.resolve()
            self.write()

        import_transaction_run(report=report, work=work)
        return report

    def read(self, table: RawTable) -> None:
        """Check the header and every cell; keep the rows (a list is small)."""
        known = {header_key(column.name): column for column in self.columns}
        names = ", ".join(column.name for column in self.columns)
        present: list[tuple[int, Column]] = []
        usable = bool(table.header)
        if not table.header:
            self.problem(0, "", "", message("empty_file", file=self.file))
        for index, (key, raw) in enumerate(zip(table.header, table.raw_header, strict=True)):
            column = known.get(key) if key else None
            if key and column is None:
                self.problem(0, raw, "", message("unknown_column", column=raw, file=self.file, columns=names))
                usable = False
            elif column is not None and any(column is other for _, other in present):
                self.problem(0, raw, "", message("duplicate_column", column=raw))
                usable = False
            elif column is not None:
                present.append((index, column))
        for column in self.columns:
            if table.header and self.needs(column) and all(column is not other for _, other in present):
                self.problem(
                    0, column.name, "", message("missing_column", column=column.name, file=self.file)
                )
                usable = False
        parsers = {column.name: column_parser(column=column) for _, column in present}
        width = len(table.header)
        for number, cells in table.rows:
            self.counts.read += 1
            row: ListRow[Course] = ListRow(number=number, values={}, ok=usable)
            if len(cells) > width and any(cells[width:]):
                self.error(row, "", ", ".join(cell for cell in cells[width:] if cell), message("extra_cells"))
            for index, column in present:
                self.read_cell(row, column, cells[index] if index < len(cells) else "", parsers[column.name])
            self.rows.append(row)

    def read_cell(self, row: ListRow[Course], column: Column, text: str, parser: Any) -> None:
        if not text:
            if self.needs(column):
                self.error(row, column.name, "", message("required", label=column.title, entity=self.entity))
            else:
                row.values[column.name] = ""
        elif (refused := text_problem(text)) is not None:
            found = message(
                "unprintable", label=column.title, code=refused.code_point, position=refused.position
            )
            self.error(row, column.name, text_shown(text), found)
        else:
            try:
                row.values[column.name] = parser(text)
            except ValueError as problem:
                self.error(row, column.name, text, str(problem))

    # Resolving and writing (the importer's) ----------------------------------------------------------------

    def match_person(self, row: ListRow[Course], matches: dict[str, tuple[str, dict[int, str]]]) -> None:
        """The row's worker, from ``matches`` (:func:`workers_matching` of :meth:`values_of` the person
        column); an identifier naming several workers is the error :meth:`person_ambiguous`, one naming none
        :meth:`person_unknown` (nothing here). A row without an identifier (already reported) is left."""
        identifier = row.values.get(PERSON)
        if not identifier:
            return
        step, workers = matches.get(identifier, ("", {}))
        if len(workers) == 1:
            ((row.worker, worker_id),) = workers.items()
            self.worker_ids[row.worker] = worker_id
        elif workers:
            self.error(row, PERSON, identifier, self.person_ambiguous(identifier, step, workers))
        else:
            self.person_unknown(row, identifier)

    @abstractmethod
    def person_ambiguous(self, identifier: str, step: str, workers: dict[int, str]) -> str:
        """The sentence for ``identifier`` naming several ``workers`` (the first of them at ``step``)."""

    def person_unknown(self, row: ListRow[Course], identifier: str) -> None:
        """What becomes of a row whose identifier names no worker: nothing here (an importer may refuse)."""

    @abstractmethod
    def resolve(self) -> None:
        """Each row's worker (:meth:`match_person`) and course, and the row's own rules."""

    @abstractmethod
    def write(self) -> None:
        """Each row against the earlier rows and the stored ones; write it, and count every row."""
