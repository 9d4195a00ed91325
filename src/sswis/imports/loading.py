"""Validating and loading the template files into the registry, in one pass per file.

How it works (``template_import`` in ``services.py`` wraps it in one transaction):

* Files are processed in loading order (``schema.TEMPLATE``). Each file is read as a stream and handled
  in chunks of :data:`CHUNK_ROWS` rows: every cell is read by its column's parser, references are
  resolved in bulk against the database, the file's rules are checked, and the chunk's valid rows are
  upserted by business key: one query finds the existing rows (none when the table was empty), new
  rows are inserted and changed rows updated in bulk, each with its history record by the actor
  (``writing.TableWriter``). Unchanged rows are not written. No query is made per row.
* On PostgreSQL new rows are written in a second thread while the next chunk is checked, and the
  foreign-key checks waiting for commit run there every :data:`CHECKS_CHUNKS` chunks and after each file
  (``background.BackgroundWrites``); every query of the loading waits for the writes before it, and each
  file's writes are done inside its savepoint. What the import wrote and later rows need (codes and their
  primary keys, posts' organisation, location and cadre, workers' birth dates and sex) is remembered
  rather than read back, so that a fresh import makes no query between chunks.
* Valid rows are written even after an error has been found, inside the transaction, so that later
  files resolve their references against exactly what the template defines; the caller then rolls
  everything back. This keeps a single pass over the data and reports every problem at once.
* A reference resolves when the code is in the database: rows of this template written earlier
  (earlier files, or earlier chunks) and the registry. A reference to a row of the template that was
  rejected is not reported again (the rejected row's own error is), the referring row is just not loaded;
  this holds even when that code is in the registry already (rejected in this import wins).
* Restricted importers (``policy.ImportLimits``): workers and posts of someone else, and assignments of
  workers of someone else, are errors (``check_limits``); a new worker that no loaded assignment puts in
  the importer's scope is rejected at the end (``reject_workers_out_of_sight``).
* A reference to a file whose key has several columns (a licence names its registration by the register's
  code and the registration number) is held by columns named like that key, resolved together.
* What a file needs beyond this (a post's code resolves to its organisation, location and cadre too; a
  register names its body and lists its cadres; a registration's status history is written from its
  dates; licences may not overlap; a programme names its institution) is its ``extension.FileExtension``,
  whose hooks work per chunk (``PostsExtension`` here, the regulation files' in ``regulation_files.py``,
  the training files' in ``training_files.py``, the support files' in ``support_files.py``).
* The training files (``TemplateFile.training``): a training institution's focal point imports only their
  institution's programmes and completions (``policy.ImportLimits.training_institution_id``, checked by
  ``training_files``); an officer's or an organisation focal point's are refused like any file their limits
  leave out.
* The support files (``TemplateFile.support``): an officer or an organisation focal point imports only the rows
  of workers they see, both workers of a supervision or a session (checked by ``support_files``); a training
  institution's focal point's are refused.
* The regulation files (``TemplateFile.regulation``) are refused, each with its error and every row
  counted as rejected, unless the actor may change regulation (``regulation_policy.require_regulation_change``).
* Files whose rows refer to rows of the same file (the parent of a location or of an organisation)
  are small: they are read whole, checked for loops (and, for locations, a single root), and loaded
  parents first, generation by generation.
* Memory: beyond one chunk, only the keys seen (to find duplicates and place warnings) and bounded
  caches of resolved codes are held.
* Every row read is counted once as created, updated, unchanged or rejected (``FileCounts.balanced``).
  A file that cannot be read to its end is rolled back to a savepoint and all its rows read count as
  rejected; a file the user may not import (``policy.ImportLimits``) is counted, row by row, as rejected.
* When skipping invalid rows (``skip_invalid``), a row that refers to a rejected row is reported too
  (with the reference), so that every rejected row has its reason; in the all-or-nothing mode it is not,
  as nothing is imported anyway and the rejected row's own error says what to fix.
* Progress: the optional ``progress`` callback gets an :class:`ImportProgress` when a file starts, every
  :data:`PROGRESS_ROWS` rows and when it ends (a counter test per row; no other cost).

Empty cells: an empty optional cell stands for the column's default, else the field's "unknown" (empty
text, no date, no number). On update it sets the field to that value: the file is the truth for the
columns it has. A column absent from the file is left untouched on update, and takes the model's
default on creation. A key column that may be left out (a caseload's kind) stands for its default on every
row of a file without it, so that the rows are still identified.
"""

from __future__ import annotations

import datetime
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from sys import intern
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext

from sswis.access import policy, regulation_policy
from sswis.database import lookup_batch_size
from sswis.geo.models import Location, PopulationEstimate
from sswis.geo.services import location_paths_rebuild
from sswis.imports.background import BackgroundWrites, background_writes
from sswis.imports.extension import FileExtension
from sswis.imports.messages import message
from sswis.imports.readers import RawTable, TemplateReadError, TemplateSource, header_key
from sswis.imports.regulation_files import REGULATION_EXTENSIONS
from sswis.imports.report import ERROR, WARNING, FileCounts, ImportReport, Problem
from sswis.imports.safety import limits_current
from sswis.imports.schema import TEMPLATE, Column, Kind, TemplateFile, template_file
from sswis.imports.support_files import SUPPORT_EXTENSIONS
from sswis.imports.training_files import TRAINING_EXTENSIONS
from sswis.imports.values import column_empty_value, column_parser
from sswis.imports.writing import TableWriter, field_column
from sswis.registry.dates import MINIMUM_WORKING_AGE, birthday, old_enough_on
from sswis.registry.models import Assignment, Worker
from sswis.text import text_problem, text_shown

CHUNK_ROWS = 5000
"""Rows handled together: one lookup query per reference column and one for existing rows per chunk."""

CHECKS_CHUNKS = 10
"""Chunks loaded between two runs of the waiting foreign-key checks (``BackgroundWrites.checks_run``)."""

CACHE_LIMIT = 1_500_000
"""Resolved codes kept per referenced file; the cache starts afresh beyond it (bounded memory: about 120
bytes per code, as the codes themselves are shared with the keys seen). It holds the workers of a
national template, so that its assignments resolve their workers without a query."""

POPULATION_TOLERANCE = 0.01
"""A location's own population may differ from the sum of its sub-locations' by this share (1%)."""

PROGRESS_ROWS = 1000
"""Rows read between two progress reports."""


@dataclass(frozen=True)
class ImportProgress:
    """How far an import has read: the current file, its rows read so far and about how many it has.

    ``file_rows_estimate`` is ``None`` when the reader cannot tell (and may be a little off: a line
    break inside a cell). ``files_done`` of ``files_total`` template files are finished.
    """

    file: str
    file_rows: int
    file_rows_estimate: int | None
    rows: int  # rows read so far in all files
    files_done: int
    files_total: int

    @property
    def fraction(self) -> float | None:
        """The share done, 0 to 1 (files done, plus the part of the current file), if it can be told."""
        if not self.files_total:
            return None
        part = 0.0
        if self.file_rows_estimate:
            part = min(self.file_rows / self.file_rows_estimate, 1.0)
        return min((self.files_done + part) / self.files_total, 1.0)


ProgressCallback = Callable[[ImportProgress], None]


def _batches(values: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch


READ_AHEAD_BATCH = 500
"""Rows passed at once from the reading thread (``read_ahead``) to the loading one."""

READ_AHEAD_BATCHES = 20
"""Batches the reading thread may be ahead (with :data:`READ_AHEAD_BATCH`, two chunks: bounded memory)."""


def read_ahead(
    cells: Iterable[tuple[int, list[str]]], parse: Callable[[int, list[str]], Row]
) -> Iterator[Row]:
    """``parse`` of every ``(number, cells)``, in order, computed in a second thread while the caller works.

    Reading and parsing a file is pure Python and touches no database, while loading spends most of its
    time waiting for the database (which releases the interpreter lock): running both at once hides the
    reading. The reading thread is at most :data:`READ_AHEAD_BATCHES` batches ahead, uses the caller's
    language for its messages, and stops when the caller stops iterating (or fails): it never outlives
    this generator. An exception in reading (e.g. ``TemplateReadError``) is raised here after every row
    before it has been handed out, exactly where a plain loop would raise it.
    """
    handoff: queue.Queue[tuple[list[Row], BaseException | None, bool]] = queue.Queue(READ_AHEAD_BATCHES)
    stop = threading.Event()
    language = translation.get_language()

    def give(item: tuple[list[Row], BaseException | None, bool]) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        batch: list[Row] = []
        try:
            with translation.override(language):
                for number, row_cells in cells:
                    batch.append(parse(number, row_cells))
                    if len(batch) >= READ_AHEAD_BATCH:
                        if not give((batch, None, False)):
                            return
                        batch = []
        except BaseException as exc:  # handed to the caller, raised there
            give((batch, exc, True))
            return
        give((batch, None, True))

    reader = threading.Thread(target=produce, name="sswis-import-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            batch, error, last = handoff.get()
            yield from batch
            if error is not None:
                raise error
            if last:
                return
    finally:
        stop.set()
        reader.join()


@dataclass(slots=True)
class Row:
    """One data row being loaded: ``values`` by column name; ``fields`` by model attribute."""

    number: int
    values: dict[str, Any]
    fields: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # column -> what the code resolved to
    ok: bool = True  # no error
    skip: bool = False  # refers to a rejected row: not loaded, no error of its own
    first: bool = True  # not a duplicate of an earlier row
    problems: list[Problem] = field(default_factory=list)  # found while reading, not yet in the report


class Resolver:
    """Codes of one template file -> ``(pk, *extra)`` from the database, looked up in bulk and cached.

    ``key`` is the model lookup of the code; for a file whose key has several columns (a registration:
    its register's code and its number) it is a tuple of lookups, and the codes are tuples too.
    Only codes found are cached (a code may be created later in the same import); the cache is emptied
    when it grows past :data:`CACHE_LIMIT`.
    """

    def __init__(
        self, *, model: type[models.Model], key: str | tuple[str, ...], extra: Sequence[str] = ()
    ) -> None:
        self.model = model
        self.key = key
        self.extra = tuple(extra)
        self.cache: dict[Any, tuple[Any, ...]] = {}
        self.postgresql = connection.vendor == "postgresql"
        self.sql = ""
        if isinstance(key, str):
            meta, quote = model._meta, connection.ops.quote_name
            pk_column = field_column(meta.pk) if meta.pk is not None else "id"
            column = quote(field_column(meta.get_field(key)))
            self.sql = f"SELECT {column}, {quote(pk_column)} FROM {quote(meta.db_table)} WHERE {column}"

    def resolve(self, *, codes: Iterable[Any]) -> dict[Any, tuple[Any, ...]]:
        wanted = set(codes)
        found = {code: self.cache[code] for code in wanted if code in self.cache}
        missing = [code for code in wanted if code not in found]
        for batch in _batches(missing, lookup_batch_size()):
            if not isinstance(self.key, str):
                # Each part narrows the query; the pairs that were not asked for are dropped here.
                parts = {
                    f"{lookup}__in": {code[index] for code in batch} for index, lookup in enumerate(self.key)
                }
                asked = set(batch)
                query = self.model._default_manager.filter(**parts)
                for row in query.values_list(*self.key, "pk", *self.extra):
                    code = tuple(row[: len(self.key)])
                    if code in asked:
                        found[code] = tuple(row[len(self.key) :])
                continue
            if self.extra:
                query = self.model._default_manager.filter(**{f"{self.key}__in": batch})
                for key, *rest in query.values_list(self.key, "pk", *self.extra):
                    found[key] = tuple(rest)
                continue
            # Codes and ids need no conversion: plain SQL spares the ORM's work per value. On PostgreSQL
            # the codes go as one array parameter: an IN list of thousands of placeholders costs the
            # driver more to bind than the query takes.
            with connection.cursor() as cursor:
                if self.postgresql:
                    cursor.execute(f"{self.sql} = ANY(%s::text[])", [batch])
                else:
                    cursor.execute(f"{self.sql} IN ({', '.join(['%s'] * len(batch))})", batch)
                for key, pk in cursor.fetchall():
                    found[key] = (pk,)
        self._keep(found)
        return found

    def remember(self, *, resolved: dict[Any, tuple[Any, ...]]) -> None:
        """Cache codes just written by this import (code -> primary key and ``extra`` as stored), so that
        later chunks and files resolve them without a query."""
        self._keep(resolved)

    def _keep(self, found: dict[Any, tuple[Any, ...]]) -> None:
        if len(self.cache) + len(found) > CACHE_LIMIT:
            self.cache.clear()
        self.cache.update(found)


POST_EXTRA = (
    "organisation_id",
    "location_id",
    "cadre_id",
    "organisation__code",
    "location__code",
    "cadre__code",
)
"""What a post code resolves to after its primary key: assignments must match the post's organisation,
location and cadre (``_rules_assignments``), whose codes the message names."""


class PostsExtension(FileExtension):
    """A post code resolves to the post's organisation, location and cadre as well (:data:`POST_EXTRA`)."""

    resolved_extra = POST_EXTRA

    def resolved(self, row: Row, pk: int) -> tuple[Any, ...]:
        """For a post just loaded from ``row``: the row's values are what is stored (the three columns are
        required, and a code resolves only to the row of exactly that code)."""
        fields, values = row.fields, row.values
        return (
            pk,
            fields["organisation_id"],
            fields["location_id"],
            fields["cadre_id"],
            values["organization_code"],
            values["location_code"],
            values["cadre_code"],
        )


EXTENSIONS: dict[str, type[FileExtension]] = {
    "posts": PostsExtension,
    **REGULATION_EXTENSIONS,
    **TRAINING_EXTENSIONS,
    **SUPPORT_EXTENSIONS,
}
"""The files that need more than the generic loading, with what they need (``extension.FileExtension``)."""


def _attname(model: type[models.Model], column: Column) -> str | None:
    """The model attribute holding ``column``'s value (``<field>_id`` for a foreign key); ``None`` for a
    many-to-many field, which is written apart (``FileExtension.written``)."""
    field = model._meta.get_field(column.target)
    if field.many_to_many:
        return None
    attname = getattr(field, "attname", None)
    assert isinstance(attname, str), column.name
    return attname


def _key_lookup(spec: TemplateFile, name: str) -> str:
    """The model lookup of the key column ``name`` of ``spec`` (``register__code`` for a registration's
    register code: a key column may be a reference to a file with a key of one column)."""
    column = spec.column(name)
    if not column.references:
        return column.target
    target = template_file(name=column.references)
    return f"{column.target}__{_key_lookup(target, target.key[0])}"


class ImportRun:
    """One import: the files of ``source`` loaded in order into the open transaction, problems to ``report``.

    The caller owns the transaction and rolls it back when ``report.has_errors`` (or for a dry run)
    unless it keeps the valid rows (``skip_invalid``). ``limits`` (from ``policy.import_limits``) restrict
    what the actor may import; ``None`` restricts nothing (the system itself, e.g. the demo). The
    regulation files (``TemplateFile.regulation``) are refused, each with its error, unless the actor may
    change regulation (``regulation_policy.require_regulation_change``) or ``system`` says the import acts for the
    system itself.
    """

    def __init__(
        self,
        *,
        source: TemplateSource,
        report: ImportReport,
        actor: Any,
        skip_invalid: bool = False,
        limits: policy.ImportLimits | None = None,
        progress: ProgressCallback | None = None,
        system: bool = False,
    ) -> None:
        self.source = source
        self.system = system
        self.report = report
        self.actor = actor
        self.skip_invalid = skip_invalid
        self.limits = limits if limits is not None and limits.restricted else None
        self.progress = progress
        self.rows_read = 0  # in all files, for progress
        self.files_done = 0
        self.files_total = 0
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)  # birth dates must not be after it
        # file -> keys of rows not loaded (codes; tuples of codes for a key of several columns)
        self.unloaded: dict[str, set[Any]] = defaultdict(set)
        self.blocked: set[str] = set()  # files none of whose rows were loaded
        self.seen: dict[str, dict[Any, int]] = {}  # file -> key (as codes) -> row of its first occurrence
        self.post_ids: set[int] = set()  # posts filled by assignments of the template
        self.assigned: set[str] = set()  # worker IDs named in assignments.csv, even in rejected rows
        # Restricted importers: IDs in workers.csv of workers not in the registry before this import.
        self.registered_workers: set[str] = set()
        self.resolvers: dict[str, Resolver] = {}
        # Birth dates of the workers this import has loaded, by primary key, as stored: the working-age
        # rule of assignments reads them here instead of querying them back (workers.csv comes first).
        self.birth_dates: dict[int, datetime.date | None] = {}
        # The sex of the workers this import created or updated (their rows are its own until it commits),
        # by primary key: their new assignments copy it (``Assignment.worker_sex``) without a query.
        self.worker_sexes: dict[int, str] = {}
        # New rows are written in the background while the next are checked (``background.BackgroundWrites``).
        self.writes = BackgroundWrites(background=False)

    # Problems ------------------------------------------------------------------------------------------

    def problem(
        self,
        spec: TemplateFile | str,
        row: int,
        column: str,
        value: Any,
        text: str,
        severity: str = ERROR,
        *,
        into: list[Problem] | None = None,
    ) -> None:
        """Record a problem in the report, or in ``into`` (the problems of a row being read ahead, which
        join the report when the row is handled: ``FileLoad.rows``)."""
        filename = spec.filename if isinstance(spec, TemplateFile) else spec
        (self.report.problems if into is None else into).append(
            Problem(
                file=filename,
                row=row,
                column=column,
                value="" if value is None else str(value),
                message=text,
                severity=ERROR if severity == ERROR else WARNING,
            )
        )

    # Orchestration -------------------------------------------------------------------------------------

    def run(self) -> None:
        """Load every file present, then look for warnings that need the whole result.

        Rows are written while the next are checked (``background.background_writes``); when this returns
        (or raises) every row is written."""
        with background_writes() as self.writes:
            self.load_files()

    def load_files(self) -> None:
        present = self.source.present()
        names = ", ".join(spec.filename for spec in TEMPLATE)
        for other in self.source.others():
            self.problem(other, 0, "", "", message("other_file", name=other, files=names), WARNING)
        if not present:
            self.problem("", 0, "", "", message("no_template_files", name=self.source.path.name, files=names))
            return
        limit = limits_current().max_bytes  # workbooks and zips were checked as they were opened
        self.files_total = len(present)
        for spec in TEMPLATE:
            if spec.name not in present:
                continue
            counts = self.report.files.setdefault(spec.filename, FileCounts())
            if limit and self.source.size_of(name=spec.name) > limit:
                self.problem(spec, 0, "", "", message("too_large", file=spec.filename, limit=limit // 2**20))
                self.blocked.add(spec.name)
            elif spec.regulation and (refusal := self.regulation_refusal()) is not None:
                self.refuse_file(
                    spec, counts, message("regulation_file_not_allowed", file=spec.filename, reason=refusal)
                )
            elif self.limits is not None and spec.name not in (self.limits.files or ()):
                self.refuse_file(spec, counts, self.file_refusal(spec))
            else:
                self.load_file(spec, counts)
            self.files_done += 1
            self.report_progress(spec.filename, counts.read, counts.read)
        if self.limits is not None:
            self.reject_workers_out_of_sight(self.limits)
        self.warnings_after_load(present=present)

    def load_file(self, spec: TemplateFile, counts: FileCounts) -> None:
        """Load one file; if it cannot be read to its end, undo it (savepoint) and reject all its rows."""
        try:
            with transaction.atomic():
                table = self.source.table(name=spec.name)
                try:
                    FileLoad(run=self, spec=spec, table=table, counts=counts).load()
                finally:
                    # The file's rows are all written inside its savepoint; a refused write is raised
                    # here, before whatever else stopped the file.
                    self.writes.wait()
        except TemplateReadError as exc:
            self.problem(spec, exc.row, "", "", message("unreadable", detail=exc.message))
            self.blocked.add(spec.name)
            counts.created = counts.updated = counts.unchanged = 0
            counts.rejected = counts.read
            # What was remembered of the rows just undone is gone with them, and so are the rows the file
            # created besides its own.
            for kind in EXTENSIONS.get(spec.name, FileExtension).also_creates:
                self.report.also_created.pop(kind, None)
            self.resolvers.clear()
            self.birth_dates.clear()
            self.worker_sexes.clear()
            return
        if spec.name == "locations" and spec.name not in self.blocked:
            location_paths_rebuild()

    def regulation_refusal(self) -> str | None:
        """Why the actor may not import regulation files (``regulation_policy.require_regulation_change``), or ``None``."""
        if self.system:
            return None
        try:
            # A council's lists create bodies and registers: the national data manager's (body_id None).
            regulation_policy.require_regulation_change(user=self.actor, body_id=None)
        except PermissionDenied as refusal:
            return str(refusal)
        return None

    def file_refusal(self, spec: TemplateFile) -> str:
        """Why a training file (to an officer or an organisation focal point) or a support file (to a training
        institution's focal point) is refused to the actor; ``""`` for another file (the generic words of
        ``refuse_file``)."""
        if not (spec.training or spec.support) or self.limits is None:
            return ""
        allowed = ", ".join(f"{name}.csv" for name in TEMPLATE_ORDER if name in (self.limits.files or ()))
        key = "training_file_not_allowed" if spec.training else "support_file_not_allowed"
        return message(key, file=spec.filename, files=allowed)

    def refuse_file(self, spec: TemplateFile, counts: FileCounts, text: str = "") -> None:
        """A file the actor may not import: one error (``text``, by default the files the limits allow), and
        every row counted as read and rejected."""
        if not text:
            assert self.limits is not None
            allowed = ", ".join(f"{name}.csv" for name in TEMPLATE_ORDER if name in (self.limits.files or ()))
            text = message("file_not_allowed", file=spec.filename, files=allowed)
        self.problem(spec, 0, "", "", text)
        self.blocked.add(spec.name)
        try:
            table = self.source.table(name=spec.name)
            for _ in table.rows:
                counts.read += 1
                counts.rejected += 1
        except TemplateReadError:
            pass  # the file is refused anyway; the rows read so far are counted

    def report_progress(self, file: str, file_rows: int, estimate: int | None) -> None:
        if self.progress is not None:
            self.progress(
                ImportProgress(
                    file=file,
                    file_rows=file_rows,
                    file_rows_estimate=estimate,
                    rows=self.rows_read,
                    files_done=self.files_done,
                    files_total=self.files_total,
                )
            )

    def resolver(self, name: str) -> Resolver:
        if name not in self.resolvers:
            spec = template_file(name=name)
            model = apps.get_model(spec.model)
            extension = EXTENSIONS.get(name, FileExtension)
            lookups = tuple(_key_lookup(spec, key) for key in spec.key)
            self.resolvers[name] = Resolver(
                model=model,
                key=lookups[0] if len(lookups) == 1 else lookups,
                extra=extension.resolved_extra,
            )
        return self.resolvers[name]

    # Rows rejected over the loaded result -------------------------------------------------------------

    def reject_workers_out_of_sight(self, limits: policy.ImportLimits) -> None:
        """Restricted importers: reject the new workers no loaded assignment puts in the importer's scope.

        Such a worker would be visible to no one in that scope (and importing them again would fail), so
        they are deleted again with their history records (they were created by this import, so nothing
        else refers to them) and counted as rejected. The message is the one for a worker of someone else
        (``worker_outside_scope``), so that the message itself does not tell the two apart (a dry run with an
        assignment in scope still does: a new worker is accepted, another's is not; worker IDs are unique
        across the registry, so whether an ID is taken cannot be hidden). In the all-or-nothing
        mode a worker named in a rejected assignment row is not reported (that row's error is, and nothing
        is imported), like every row rejected because of another row.
        """
        if "workers" in self.blocked or not self.registered_workers:
            return
        orphans: set[str] = set()
        for batch in _batches(self.registered_workers, lookup_batch_size()):
            orphans |= policy.worker_ids_outside_scope(user=self.actor, worker_ids=set(batch))
        if not orphans:
            return
        spec = template_file(name="workers")
        seen = self.seen.get("workers", {})
        for worker_id in sorted(orphans, key=lambda worker_id: (seen.get(worker_id, 0), worker_id)):
            if self.skip_invalid or worker_id not in self.assigned:
                text = message("worker_outside_scope", value=worker_id, where=limits.where)
                self.problem(spec, seen.get(worker_id, 0), "worker_id", worker_id, text)
        for batch in _batches(orphans, lookup_batch_size()):
            pks = list(Worker.objects.filter(worker_id__in=batch).values_list("pk", flat=True))
            Worker.objects.filter(pk__in=pks).delete()
            # After the delete, which records one more history row ("-") per worker.
            Worker.history.filter(id__in=pks).delete()
        counts = self.report.files[spec.filename]
        counts.created -= len(orphans)
        counts.rejected += len(orphans)
        self.unloaded["workers"].update(orphans)

    # Warnings over the loaded result -------------------------------------------------------------------

    def warnings_after_load(self, *, present: list[str]) -> None:
        if "workers" in present and "workers" not in self.blocked:
            self.warn_workers_without_assignment()
        if "assignments" in present and "assignments" not in self.blocked and self.post_ids:
            self.warn_posts_filled_twice()
        if "population" in present and "population" not in self.blocked:
            self.warn_population_sums()

    def warn_workers_without_assignment(self) -> None:
        seen = self.seen.get("workers", {})
        spec = template_file(name="workers")
        lonely = Worker.objects.filter(~Exists(Assignment.objects.filter(worker_id=OuterRef("pk"))))
        for worker_id in lonely.values_list("worker_id", flat=True).iterator(chunk_size=5000):
            row = seen.get(worker_id)
            # A worker named in a rejected assignment row does have one: the error is reported there.
            if row is not None and worker_id not in self.assigned:
                self.problem(
                    spec,
                    row,
                    "worker_id",
                    worker_id,
                    message("worker_without_assignment", value=worker_id),
                    WARNING,
                )

    def warn_posts_filled_twice(self) -> None:
        """Posts filled by the template's assignments: two assignments active on the same day."""
        pairs: list[tuple[int, int, datetime.date]] = []  # (later assignment, earlier one, first common day)
        current_post: int | None = None
        reach: tuple[int, datetime.date | None] | None = None  # assignment reaching furthest, its end
        rows = (
            Assignment.objects.filter(post_id__isnull=False)
            .order_by("post_id", "start_date", "pk")
            .values_list("pk", "post_id", "start_date", "end_date")
        )
        for pk, post_id, start, end in rows.iterator(chunk_size=10_000):
            if post_id != current_post:
                current_post, reach = post_id, None
            if post_id not in self.post_ids:
                continue
            if reach is not None and (reach[1] is None or reach[1] >= start):
                pairs.append((pk, reach[0], start))
            if reach is None or (reach[1] is not None and (end is None or end > reach[1])):
                reach = (pk, end)
        if not pairs:
            return
        identity: dict[int, tuple[Any, ...]] = {}
        wanted = {pk for pair in pairs for pk in pair[:2]}
        for batch in _batches(wanted, lookup_batch_size()):
            for pk, *codes in Assignment.objects.filter(pk__in=batch).values_list(
                "pk",
                "worker__worker_id",
                "organisation__code",
                "location__code",
                "cadre__code",
                "start_date",
                "post__code",
            ):
                identity[pk] = tuple(codes)
        spec = template_file(name="assignments")
        seen = self.seen.get("assignments", {})
        for later, earlier, day in pairs:
            later_key, earlier_key = identity[later][:5], identity[earlier][:5]
            later_row, earlier_row = seen.get(later_key), seen.get(earlier_key)
            if later_row is None and earlier_row is None:
                continue  # both already in the registry, not this import's doing
            if later_row is None:
                later_row, earlier_row = earlier_row, later_row
                later_key, earlier_key = earlier_key, later_key
            other_where = (
                gettext("row %(row)s") % {"row": earlier_row}
                if earlier_row is not None
                else gettext("in the registry")
            )
            post = identity[later][5]
            self.problem(
                spec,
                later_row or 0,
                "post_code",
                post,
                message(
                    "post_filled_twice",
                    post=post,
                    day=day.isoformat(),
                    worker=later_key[0],
                    other=earlier_key[0],
                    other_where=other_where,
                ),
                WARNING,
            )

    def warn_population_sums(self) -> None:
        """A location's own figure vs the sum of its sub-locations' (when all known), for the template's years."""
        seen = self.seen.get("population", {})
        years = {year for _, year in seen}
        if not years:
            return
        code_of: dict[int, str] = {}
        children_of: dict[int, list[int]] = defaultdict(list)
        for pk, code, parent_id in Location.objects.values_list("pk", "code", "parent_id").iterator(
            chunk_size=10_000
        ):
            code_of[pk] = code
            if parent_id is not None:
                children_of[parent_id].append(pk)
        figures: dict[tuple[int, int], tuple[int, int | None]] = {}
        for location_id, year, children, total in (
            PopulationEstimate.objects.filter(year__in=years)
            .values_list("location_id", "year", "children", "total")
            .iterator(chunk_size=10_000)
        ):
            figures[(location_id, year)] = (children, total)
        spec = template_file(name="population")
        for (location_id, year), (own_children, own_total) in sorted(figures.items()):
            kids = children_of.get(location_id)
            if not kids or any((kid, year) not in figures for kid in kids):
                continue
            rows = [seen.get((code_of[pk], year)) for pk in (location_id, *kids)]
            in_template = [row for row in rows if row is not None]
            if not in_template:
                continue
            row = rows[0] if rows[0] is not None else min(in_template)
            sums = {
                "children": (own_children, sum(figures[(kid, year)][0] for kid in kids)),
            }
            kid_totals = [figures[(kid, year)][1] for kid in kids]
            if own_total is not None and all(total is not None for total in kid_totals):
                sums["total"] = (own_total, sum(t for t in kid_totals if t is not None))
            for column, (own, total) in sums.items():
                # One warning per location and year: the total is looked at only if the children agree.
                if abs(own - total) > POPULATION_TOLERANCE * total:
                    percent = round(abs(own - total) * 100 / total, 1) if total else 100
                    self.problem(
                        spec,
                        row,
                        column,
                        own,
                        message(
                            f"population_{column}_mismatch",
                            year=year,
                            code=code_of[location_id],
                            own=f"{own:,}",
                            percent=percent,
                            count=len(kids),
                            total=f"{total:,}",
                        ),
                        WARNING,
                    )
                    break


TEMPLATE_ORDER = tuple(spec.name for spec in TEMPLATE)

REFERENCED = frozenset(column.references for spec in TEMPLATE for column in spec.columns if column.references)
"""The files other rows refer to: the keys of their rows just loaded are remembered (``Resolver.remember``)."""


class FileLoad:
    """Loading one template file (see the module docstring)."""

    def __init__(self, *, run: ImportRun, spec: TemplateFile, table: RawTable, counts: FileCounts) -> None:
        self.run = run
        self.spec = spec
        self.table = table
        self.counts = counts
        self.model: type[models.Model] = apps.get_model(spec.model)
        self.blocked = False  # header errors: rows are checked but none is loaded
        self.width = len(table.header)
        self.unnamed: list[int] = []  # header cells without a name
        self.names: set[str] = set()  # columns the file has
        # Key columns with a default that the file does not have (a caseload's kind): (column, value) of each.
        self.key_defaults: list[tuple[str, Any]] = []
        # Codes that are keys or references repeat across rows and files, and are held in the keys seen:
        # one string object per distinct code (sys.intern) keeps that memory small.
        self.shared = {column.name for column in spec.columns if column.references or column.name in spec.key}
        # (cell index, column, parser, empty value) of the columns the file has.
        self.present: list[tuple[int, str, Callable[[str], Any] | None, Any, int | None, Column]] = []
        # The reference columns, grouped by what they resolve together: one column, or the columns that
        # hold the key of a file whose key has several (a licence's register code and registration number).
        self.references: list[list[Column]] = []
        self.self_reference: Column | None = None
        self.key_columns = [spec.column(name) for name in spec.key]
        self.single_key = spec.key[0] if len(spec.key) == 1 else None
        self.extension = EXTENSIONS.get(spec.name, FileExtension)()
        # The model attributes identifying a row (two key columns may fill one: a licence's registration).
        self.key_attnames: list[str] = []
        for column in self.key_columns:
            attname = _attname(self.model, column)
            assert attname is not None, column.name
            if attname not in self.key_attnames:
                self.key_attnames.append(attname)
        self.compare: list[str] = []  # attnames compared with the stored row (present, not in the key)
        # (column, attribute) of the columns whose value is stored as it is read (not a reference or a
        # related row named otherwise, e.g. a register's body by its name: the extension sets those).
        self.copied: list[tuple[str, str]] = []
        self.seen: dict[Any, int] = run.seen.setdefault(spec.name, {})
        self.writer = TableWriter(model=self.model, actor=run.actor, now=run.now, writes=run.writes)
        self.table_was_empty = False

    # Header --------------------------------------------------------------------------------------------

    def check_header(self) -> None:
        spec, header = self.spec, self.table.header
        if not header:
            self.run.problem(spec, 0, "", "", message("empty_file", file=spec.filename))
            self.blocked = True
            self.run.blocked.add(spec.name)
            return
        # Header cells and column names are compared by header_key (no case, spaces or underscores).
        known = {header_key(name): name for name in spec.column_names}
        names = ", ".join(spec.column_names)
        found: dict[str, int] = {}
        for index, (key, raw) in enumerate(zip(header, self.table.raw_header, strict=True)):
            if not key:
                continue
            name = known.get(key)
            if name is None:
                text = message("unknown_column", column=raw, file=spec.filename, columns=names)
                self.run.problem(spec, 0, raw, "", text)
                self.blocked = True
            elif name in found:
                self.run.problem(spec, 0, raw, "", message("duplicate_column", column=raw))
                self.blocked = True
            else:
                found[name] = index
        for column in spec.columns:
            if column.required and column.name not in found:
                self.run.problem(
                    spec,
                    0,
                    column.name,
                    "",
                    message("missing_column", column=column.name, file=spec.filename),
                )
                self.blocked = True
        if self.blocked:
            self.run.blocked.add(spec.name)
        self.unnamed = [index for index, name in enumerate(header) if not name]
        groups: dict[str, list[Column]] = {}
        for column in spec.columns:
            if column.name not in found:
                if column.name in spec.key and column.default:
                    # Every row stands for the default, which identifies it like a cell would.
                    self.key_defaults.append((column.name, column_empty_value(column=column)))
                    self.copied.append((column.name, column.target))
                continue
            self.names.add(column.name)
            # Text and codes are kept as written: checked inline (length), not by a call per cell.
            plain = column.kind in (Kind.TEXT, Kind.CODE) and not column.pattern
            parser = None if plain else column_parser(column=column)
            empty = column_empty_value(column=column)
            self.present.append((found[column.name], column.name, parser, empty, column.max_length, column))
            attname = _attname(self.model, column)
            if column.references == spec.name:
                self.self_reference = column
            elif column.references:
                composite = len(template_file(name=column.references).key) > 1
                group = groups.setdefault(column.references if composite else column.name, [])
                if not group:
                    self.references.append(group)
                group.append(column)
            elif attname == column.target:
                self.copied.append((column.name, attname))
            if column.name not in spec.key and attname is not None and attname not in self.compare:
                self.compare.append(attname)
        self.compare.extend(name for name in self.extension.derived if name not in self.compare)

    # Rows ----------------------------------------------------------------------------------------------

    def parse(self, number: int, cells: list[str]) -> Row:
        """Read one row's cells; record its cell errors; detect a duplicate key (in row order)."""
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        ok = True
        width = self.width
        shared = self.shared
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        if self.unnamed or len(cells) > width:
            ok = self.check_extra_cells(number, cells, problems)
        for index, name, parser, empty, max_length, column in self.present:
            text = cells[index]
            if not text:
                if column.required:
                    text = message("required", label=column.title, entity=self.spec.entity)
                    self.run.problem(self.spec, number, name, "", text, into=problems)
                    ok = False
                else:
                    values[name] = empty
            elif not text.isprintable() and (refused := text_problem(text)) is not None:
                problem = message(
                    "unprintable", label=column.title, code=refused.code_point, position=refused.position
                )
                self.run.problem(self.spec, number, name, text_shown(text), problem, into=problems)
                ok = False
            elif parser is None:
                if max_length is not None and len(text) > max_length:
                    self.run.problem(
                        self.spec, number, name, text, self.too_long(column, text), into=problems
                    )
                    ok = False
                elif name in shared:
                    values[name] = intern(text)
                else:
                    values[name] = text
            else:
                try:
                    values[name] = parser(text)
                except ValueError as exc:
                    self.run.problem(self.spec, number, name, text, str(exc), into=problems)
                    ok = False
        for name, value in self.key_defaults:
            values[name] = value
        row = Row(number=number, values=values, ok=ok, problems=problems)
        single_key = self.single_key
        if single_key is not None:
            key = values.get(single_key) or None
        else:
            key = tuple(values.get(name) for name in self.spec.key)
            if None in key or "" in key:
                key = None
        if key is not None:
            first = self.seen.get(key)
            if first is None:
                self.seen[key] = number
            else:
                row.first = False
                self.duplicate(row, key, first)
        return row

    @staticmethod
    def too_long(column: Column, text: str) -> str:
        return message("too_long", label=column.title, length=len(text), max_length=column.max_length)

    def check_extra_cells(self, number: int, cells: list[str], problems: list[Problem]) -> bool:
        """Values beyond the header or under a header cell without a name: report them (into ``problems``);
        ``False`` if any."""
        ok = True
        if len(cells) > self.width and any(cells[self.width :]):
            extra = ", ".join(cell for cell in cells[self.width :] if cell)
            self.run.problem(self.spec, number, "", extra, message("extra_cells"), into=problems)
            ok = False
        for index in self.unnamed:
            if index < len(cells) and cells[index]:
                self.run.problem(self.spec, number, "", cells[index], message("unnamed_cell"), into=problems)
                ok = False
        return ok

    def duplicate(self, row: Row, key: Any, first: int) -> None:
        spec = self.spec
        if spec.name == "population":
            text = message("duplicate_population", location=key[0], year=key[1], first=first)
            self.run.problem(
                spec, row.number, "location_code", f"{key[0]}, {key[1]}", text, into=row.problems
            )
        elif spec.name == "assignments":
            worker, organisation, location, cadre, start = key
            text = message(
                "duplicate_assignment",
                worker=worker,
                organisation=organisation,
                location=location,
                cadre=cadre,
                start=start.isoformat(),
                first=first,
            )
            shown = ", ".join(str(part) for part in key[:4]) + f", {start.isoformat()}"
            self.run.problem(spec, row.number, "worker_id", shown, text, into=row.problems)
        elif len(spec.key) > 1:
            shown = ", ".join(
                part.isoformat() if isinstance(part, datetime.date) else str(part) for part in key
            )
            text = message("duplicate_key", entity=spec.entity, value=shown, file=spec.filename, first=first)
            self.run.problem(spec, row.number, spec.key[-1], shown, text, into=row.problems)
        else:
            text = message(
                "duplicate_code", key_label=spec.key_label, value=key, file=spec.filename, first=first
            )
            self.run.problem(spec, row.number, spec.key[0], key, text, into=row.problems)
        row.ok = False

    def rows(self) -> Generator[Row, None, None]:
        """The file's rows, read and parsed (``parse``) in order; counted, reported and their problems
        added to the report as they are handed out, so everything looks as if each were parsed right then."""
        counts, run = self.counts, self.run
        estimate, filename = self.table.rows_estimate, self.spec.filename
        problems = run.report.problems
        run.report_progress(filename, 0, estimate)
        for row in read_ahead(self.table.rows, self.parse):
            counts.read += 1
            run.rows_read += 1
            if counts.read % PROGRESS_ROWS == 0:
                run.report_progress(filename, counts.read, estimate)
            if row.problems:
                problems.extend(row.problems)
                row.problems = []
            yield row

    # Loading -------------------------------------------------------------------------------------------

    def load(self) -> None:
        self.check_header()
        if not self.table.header:
            return
        # Rows written earlier in this file have keys no later row can have (a repeated key is a
        # duplicate, rejected): when the table starts empty, no row needs to be looked up.
        self.table_was_empty = not self.model._default_manager.exists()
        if self.self_reference is None:
            rows_read = self.rows()
            try:
                for number, chunk in enumerate(_batches(rows_read, CHUNK_ROWS), start=1):
                    self.load_chunk(chunk)
                    if number % CHECKS_CHUNKS == 0:
                        self.run.writes.checks_run()
            finally:
                rows_read.close()  # stops the reading thread now, also when loading failed
            self.run.writes.checks_run()
            return
        rows = list(self.rows())
        self.check_loops(rows)
        for generation in self.generations(rows):
            for chunk in _batches(generation, CHUNK_ROWS):
                self.load_chunk(chunk)

    def row_key(self, row: Row) -> Any:
        """The row's key as codes (a tuple of them for a key of several columns); ``None`` when incomplete."""
        if self.single_key is not None:
            return row.values.get(self.single_key) or None
        key = tuple(row.values.get(name) for name in self.spec.key)
        return None if None in key or "" in key else key

    def load_chunk(self, rows: list[Row]) -> None:
        references = list(self.references)
        if self.self_reference is not None:
            references.append([self.self_reference])
        for group in references:
            self.resolve(rows, group)
        if self.run.limits is not None:
            self.check_limits(rows, self.run.limits)
        self.check_merged_workers(rows)
        if self.spec.name == "assignments":
            _rules_working_age(self, rows)
        checker = RULES.get(self.spec.name)
        copied = self.copied
        for row in rows:
            if checker is not None:
                checker(self, row)
            values, fields = row.values, row.fields
            for name, target in copied:
                if name in values:
                    fields[target] = values[name]
        self.extension.check(self, rows)
        loadable = [row for row in rows if row.ok and not row.skip and not self.blocked]
        rejected = len(rows) - len(loadable)
        self.counts.rejected += rejected
        if rejected:
            # A rejected duplicate does not make its key rejected: the first row of that key may be loaded.
            self.run.unloaded[self.spec.name].update(
                key
                for row in rows
                if (not row.ok or row.skip or self.blocked) and row.first and (key := self.row_key(row))
            )
        if self.spec.name == "assignments":
            self.run.assigned.update(row.values["worker_id"] for row in rows if row.values.get("worker_id"))
        if loadable:
            if self.spec.name == "assignments":
                self.run.post_ids.update(
                    row.fields["post_id"] for row in loadable if row.fields.get("post_id")
                )
            self.upsert(loadable)

    def resolve(self, rows: list[Row], columns: list[Column]) -> None:
        """Set ``<field>_id`` of every row from the code in ``columns`` (one column; or the columns that
        together hold the key of a file whose key has several); report codes found nowhere.

        A code list (``Kind.CODE_LIST``) resolves each of its codes; the primary keys found are kept in
        ``row.refs`` (the field is many-to-many: written by the file's extension). ``row.refs`` holds what
        each column's code resolved to."""
        target = columns[0].references
        target_spec = template_file(name=target)
        if len(columns) > 1:
            columns = sorted(columns, key=lambda column: target_spec.key.index(column.name))
        names = [column.name for column in columns]
        name = names[-1]  # the column problems are reported in
        listed = columns[0].kind == Kind.CODE_LIST
        attname = _attname(self.model, columns[0])

        def codes_of(row: Row) -> list[Any] | None:
            """The row's codes (none for an empty cell); ``None`` for an invalid cell, already reported."""
            if any(column not in row.values for column in names):
                return None
            if listed:
                return list(row.values[name])
            if len(names) == 1:
                return [row.values[name]] if row.values[name] else []
            return [tuple(row.values[column] for column in names)]

        wanted = {code for row in rows for code in (codes_of(row) or ())}
        found = self.run.resolver(target).resolve(codes=wanted) if wanted else {}
        unloaded = self.run.unloaded.get(target, set())
        silent = target in self.run.blocked
        for row in rows:
            codes = codes_of(row)
            if codes is None:
                continue
            if not codes and attname is not None:
                row.fields[attname] = None
            resolved: list[tuple[Any, ...]] = []
            for code in codes:
                shown = ", ".join(code) if isinstance(code, tuple) else code
                hit = found.get(code)
                # A row rejected in this import wins over the same code in the registry: what refers to it is
                # rejected too (``modes.ImportMode``), even when an earlier version of it is stored.
                rejected = code in unloaded
                if hit is not None and not rejected:
                    resolved.append(hit)
                elif silent or rejected:
                    row.skip = True
                    if self.run.skip_invalid:
                        # Skipping invalid rows imports the rest: say why this one is not imported.
                        key = "refers_to_rejected_row" if rejected else "refers_to_refused_file"
                        text = message(
                            key, key_label=target_spec.key_label, value=shown, target=target_spec.filename
                        )
                        self.run.problem(self.spec, row.number, name, shown, text)
                else:
                    if (
                        target == "workers"
                        and self.run.limits is not None
                        and self.run.limits.restricts_workers
                    ):
                        # The same words as for a worker of someone else: no telling whether the ID exists.
                        if self.spec.support:
                            text = message(
                                "support_worker_not_yours",
                                value=code,
                                entities=self.spec.entities,
                                where=self.run.limits.where,
                            )
                        else:
                            text = message("worker_not_yours", value=code, where=self.run.limits.where)
                    else:
                        text = message(
                            "unknown_reference",
                            key_label=target_spec.key_label,
                            value=shown,
                            target=target_spec.filename,
                        )
                    self.run.problem(self.spec, row.number, name, shown, text)
                    row.ok = False
            if len(resolved) != len(codes):
                continue
            if listed:
                row.refs[name] = tuple(hit[0] for hit in resolved)
            elif resolved:
                if attname is not None:
                    row.fields[attname] = resolved[0][0]
                for column in names:
                    row.refs[column] = resolved[0]

    def check_limits(self, rows: list[Row], limits: policy.ImportLimits) -> None:
        """Rows outside the actor's part of the country (``policy.ImportLimits``) are errors: workers and
        posts of someone else (as stored), assignments of a worker of someone else, and posts and
        assignments of another organisation or area."""
        if self.spec.name == "workers":
            ids = {row.values["worker_id"] for row in rows if row.values.get("worker_id")}
            outside: set[str] = set()
            for batch in _batches(ids, lookup_batch_size()):
                outside |= policy.worker_ids_outside_scope(user=self.run.actor, worker_ids=set(batch))
                existing = Worker.objects.filter(worker_id__in=batch).values_list("worker_id", flat=True)
                self.run.registered_workers.update(set(batch) - set(existing))
            for row in rows:
                worker_id = row.values.get("worker_id")
                if worker_id in outside:
                    text = message("worker_outside_scope", value=worker_id, where=limits.where)
                    self.run.problem(self.spec, row.number, "worker_id", worker_id, text)
                    row.ok = False
            return
        if self.spec.name == "posts":
            self.check_posts_stored(rows, limits)
        if self.spec.name == "assignments":
            self.check_assignment_workers(rows, limits)
        for row in rows:
            organisation_id = row.fields.get("organisation_id")
            if limits.organisation_id is not None and organisation_id not in (None, limits.organisation_id):
                code = row.values["organization_code"]
                text = message(
                    "outside_organisation", value=code, entities=self.spec.entities, where=limits.where
                )
                self.run.problem(self.spec, row.number, "organization_code", code, text)
                row.ok = False
            location_id = row.fields.get("location_id")
            if (
                limits.location_ids is not None
                and location_id is not None
                and location_id not in limits.location_ids
            ):
                code = row.values["location_code"]
                text = message("outside_area", value=code, entities=self.spec.entities, where=limits.where)
                self.run.problem(self.spec, row.number, "location_code", code, text)
                row.ok = False

    def check_posts_stored(self, rows: list[Row], limits: policy.ImportLimits) -> None:
        """An existing post whose stored organisation or location is outside the limits is an error, even
        if the row moves it inside (``policy.post_codes_outside_scope``): no taking over others' posts."""
        codes = {row.values["code"] for row in rows if row.values.get("code")}
        outside: set[str] = set()
        for batch in _batches(codes, lookup_batch_size()):
            outside |= policy.post_codes_outside_scope(user=self.run.actor, codes=set(batch))
        for row in rows:
            code = row.values.get("code")
            if code in outside:
                text = message("post_outside_scope", value=code, where=limits.where)
                self.run.problem(self.spec, row.number, "code", code, text)
                row.ok = False

    def check_merged_workers(self, rows: list[Row]) -> None:
        """A row naming a record merged into another (``sswis.registry.merging``) is an error naming the
        survivor, in every column that names a worker (the workers file's own ``worker_id``, and every
        column referring to a worker: assignments, registrations, completions, supervision, sessions,
        caseloads...): the merged record is no live worker, and a row written to it would count the person
        twice or hide what it records."""
        columns = [column.name for column in self.spec.columns if column.references == "workers"]
        if self.spec.name == "workers":
            columns.append("worker_id")
        ids = {row.values[column] for row in rows if row.ok for column in columns if row.values.get(column)}
        if not ids:
            return
        merged: dict[str, str] = {}
        for batch in _batches(ids, lookup_batch_size()):
            merged.update(
                Worker.objects.filter(worker_id__in=batch, merged_into__isnull=False).values_list(
                    "worker_id", "merged_into__worker_id"
                )
            )
        if not merged:
            return
        for row in rows:
            for column in columns:
                worker_id = row.values.get(column)
                if row.ok and worker_id in merged:
                    text = message("worker_merged", value=worker_id, survivor=merged[worker_id])
                    self.run.problem(self.spec, row.number, column, worker_id, text)
                    row.ok = False

    def check_assignment_workers(self, rows: list[Row], limits: policy.ImportLimits) -> None:
        """An assignment of an existing worker the actor may not see is an error
        (``policy.require_assignment_start``); workers registered by this import are the actor's own."""
        ids = {
            row.values["worker_id"]
            for row in rows
            if row.fields.get("worker_id") is not None and row.values["worker_id"]
        }
        ids -= self.run.registered_workers
        outside: set[str] = set()
        for batch in _batches(ids, lookup_batch_size()):
            outside |= policy.worker_ids_outside_scope(user=self.run.actor, worker_ids=set(batch))
        for row in rows:
            worker_id = row.values.get("worker_id")
            if worker_id in outside and row.fields.get("worker_id") is not None:
                text = message("worker_not_yours", value=worker_id, where=limits.where)
                self.run.problem(self.spec, row.number, "worker_id", worker_id, text)
                row.ok = False

    def upsert(self, rows: list[Row]) -> None:
        """Create the rows whose key is new; update those that differ; leave the others alone."""
        model, key_attnames, compare = self.model, self.key_attnames, self.compare
        extension = self.extension
        extension.prepare(self, rows)
        manager = model._default_manager
        existing: dict[Any, tuple[Any, ...]] = {}
        single = len(key_attnames) == 1
        lookup = key_attnames[0]
        wanted = set() if self.table_was_empty else {row.fields[lookup] for row in rows}
        for batch in _batches(wanted, lookup_batch_size()):
            for found in manager.filter(**{f"{lookup}__in": batch}).values_list(
                *key_attnames, "pk", *compare
            ):
                width = len(key_attnames)
                key = found[0] if single else tuple(found[:width])
                existing[key] = found[width:]
        creates: list[dict[str, Any]] = []
        created_rows: list[Row] = []
        updates: dict[int, dict[str, Any]] = {}
        stored_rows: dict[int, Row] = {}  # primary key -> the row of the file, for the rows stored already
        for row in rows:
            fields = row.fields
            key = fields[lookup] if single else tuple(fields[name] for name in key_attnames)
            stored = existing.get(key)
            if stored is None:
                creates.append(fields)
                created_rows.append(row)
                continue
            stored_rows[stored[0]] = row
            changed = {
                name: fields[name]
                for name, old in zip(compare, stored[1:], strict=True)
                if fields[name] != old
            }
            if changed:
                updates[stored[0]] = changed
        for pk in extension.differs(self, stored_rows):
            updates.setdefault(pk, {})  # only its data kept elsewhere changed: its history says who did it
        self.counts.unchanged += len(stored_rows) - len(updates)
        extension.updating(self, updates)
        known = {"worker_sex": self.run.worker_sexes} if self.spec.name == "assignments" else None
        created = self.writer.create(rows=creates, known=known)
        self.counts.created += len(creates)
        self.writer.update(changes=updates)
        self.counts.updated += len(updates)
        written = [*((row, pk) for pk, row in stored_rows.items()), *zip(created_rows, created, strict=True)]
        extension.written(self, written, set(created), updates)
        if self.spec.name in REFERENCED:
            self.run.resolver(self.spec.name).remember(
                resolved={self.row_key(row): extension.resolved(row, pk) for row, pk in written}
            )
        if single:
            loaded = {row.fields[lookup]: pk for row, pk in written}
            if self.spec.name == "workers":
                # Only where the file gives the birth date: without the column the stored one stands.
                self.run.birth_dates.update(
                    (loaded[row.fields[lookup]], row.fields["birth_date"])
                    for row in rows
                    if "birth_date" in row.fields
                )
                # The sex of new workers, and of updated ones where the file gives it; a worker left
                # unchanged is not held by this import: its sex is read (and locked) when copied.
                default_sex = Worker._meta.get_field("sex").get_default()
                self.run.worker_sexes.update(
                    zip(created, (fields.get("sex", default_sex) for fields in creates), strict=True)
                )
                self.run.worker_sexes.update(
                    (pk, row.fields["sex"])
                    for row in rows
                    if (pk := loaded[row.fields[lookup]]) in updates and "sex" in row.fields
                )

    # Files whose rows refer to the same file (locations, organisations) ------------------------------------

    def check_loops(self, rows: list[Row]) -> None:
        """Loops of parent codes (template and registry together); for locations also a single root."""
        column = self.self_reference
        assert column is not None
        key = self.spec.key[0]
        parent_field = column.target
        manager = self.model._default_manager
        parent_of: dict[str, str | None] = dict(
            manager.values_list(self.key_columns[0].target, f"{parent_field}__{self.key_columns[0].target}")
        )
        registry_roots = [code for code, parent in parent_of.items() if parent is None]
        row_of: dict[str, Row] = {}
        for row in rows:
            code = row.values.get(key)
            if not code or not row.first or column.name not in row.values:
                continue
            parent_of[code] = row.values[column.name] or None
            row_of[code] = row
        if self.spec.name == "locations":
            roots = [code for code, parent in parent_of.items() if parent is None]
            if len(roots) > 1:
                template_roots = sorted(
                    (row_of[code] for code in roots if code in row_of), key=lambda r: r.number
                )
                kept = next((code for code in registry_roots if parent_of.get(code) is None), None)
                if kept is None:
                    kept = template_roots[0].values[key]
                for row in template_roots:
                    code = row.values[key]
                    if code != kept:
                        self.run.problem(
                            self.spec,
                            row.number,
                            column.name,
                            "",
                            message("second_root", code=code, root=kept),
                        )
                        row.ok = False
        # Loops: walk up from every template row; a walk that comes back to a code on its own path is a loop.
        state: dict[str, int] = {}  # 1 = on the current path, 2 = known to reach a root or an unknown code
        in_loop: dict[str, list[str]] = {}
        for start in row_of:
            path: list[str] = []
            walk: str | None = start
            while walk is not None and walk in parent_of and state.get(walk) is None:
                state[walk] = 1
                path.append(walk)
                walk = parent_of[walk]
            if walk is not None and state.get(walk) == 1:
                loop = path[path.index(walk) :]
                for looped in loop:
                    in_loop[looped] = loop
            for visited in path:
                state[visited] = 2
        for code, loop in in_loop.items():
            member = row_of.get(code)
            if member is None:
                continue
            index = loop.index(code)
            shown = " > ".join([*loop[index:], *loop[:index], code])
            text_key = "location_loop" if self.spec.name == "locations" else "organisation_loop"
            self.run.problem(
                self.spec,
                member.number,
                column.name,
                member.values[column.name],
                message(text_key, code=code, loop=shown),
            )
            member.ok = False
        self.run.unloaded[self.spec.name].update(
            row.values[key] for row in rows if not row.ok and row.first and row.values.get(key)
        )

    def generations(self, rows: list[Row]) -> Iterator[list[Row]]:
        """Rows in an order where every parent defined in the file comes before its children."""
        column = self.self_reference
        assert column is not None
        key = self.spec.key[0]
        in_file = {row.values[key]: row for row in rows if row.first and row.values.get(key)}
        waiting: dict[str, list[Row]] = defaultdict(list)
        current: list[Row] = []
        for row in rows:
            parent = row.values.get(column.name)
            if (
                row.first
                and row.values.get(key)
                and parent
                and parent in in_file
                and parent != row.values[key]
            ):
                waiting[parent].append(row)
            else:
                current.append(row)
        placed = 0
        while current:
            yield current
            placed += len(current)
            current = [
                child for row in current if row.first for child in waiting.pop(row.values.get(key, ""), [])
            ]
        leftovers = [row for children in waiting.values() for row in children]  # in loops, or below one
        if leftovers:
            yield sorted(leftovers, key=lambda row: row.number)


# Rules of single rows, after references are resolved --------------------------------------------------


def _rules_population(load: FileLoad, row: Row) -> None:
    children, total = row.values.get("children"), row.values.get("total")
    if children is not None and total is not None and total < children:
        load.run.problem(
            load.spec,
            row.number,
            "total",
            total,
            message("total_below_children", total=total, children=children),
        )
        row.ok = False


def _rules_workers(load: FileLoad, row: Row) -> None:
    birth = row.values.get("birth_date")
    if birth is not None and birth > load.run.today:
        text = message("birth_in_future", value=birth.isoformat(), today=load.run.today.isoformat())
        load.run.problem(load.spec, row.number, "birth_date", birth.isoformat(), text)
        row.ok = False


def _rules_working_age(load: FileLoad, rows: list[Row]) -> None:
    """Assignments starting before their worker is 15 (``sswis.registry.dates``), with the birth dates as
    stored: those of the workers this import loaded (workers.csv comes before assignments.csv, in the same
    transaction) as it loaded them, the others in one query per chunk."""
    worker_ids = {row.fields["worker_id"] for row in rows if row.fields.get("worker_id") and row.ok}
    known = load.run.birth_dates
    births: dict[int, datetime.date | None] = {pk: known[pk] for pk in worker_ids if pk in known}
    for batch in _batches(sorted(worker_ids - births.keys()), lookup_batch_size()):
        births.update(
            Worker.objects.filter(pk__in=batch, birth_date__isnull=False).values_list("pk", "birth_date")
        )
    if not births:
        return
    for row in rows:
        birth = births.get(row.fields.get("worker_id"))  # type: ignore[arg-type]
        start = row.values.get("start_date")
        if birth is None or start is None or old_enough_on(birth_date=birth, day=start):
            continue
        text = message(
            "too_young",
            start=start.isoformat(),
            worker=row.values["worker_id"],
            birth=birth.isoformat(),
            birthday=birthday(birth_date=birth, age=MINIMUM_WORKING_AGE).isoformat(),
        )
        load.run.problem(load.spec, row.number, "start_date", start.isoformat(), text)
        row.ok = False


def _rules_posts(load: FileLoad, row: Row) -> None:
    established, abolished = row.values.get("established_on"), row.values.get("abolished_on")
    if established is not None and abolished is not None and abolished <= established:
        text = message(
            "abolished_not_after", abolished=abolished.isoformat(), established=established.isoformat()
        )
        load.run.problem(load.spec, row.number, "abolished_on", abolished.isoformat(), text)
        row.ok = False


def _rules_assignments(load: FileLoad, row: Row) -> None:
    values, run, spec = row.values, load.run, load.spec
    start, end = values.get("start_date"), values.get("end_date")
    if start is not None and end is not None and end < start:
        text = message("end_before_start", end=end.isoformat(), start=start.isoformat())
        run.problem(spec, row.number, "end_date", end.isoformat(), text)
        row.ok = False
    reason = values.get("exit_reason")
    end_invalid = "end_date" in load.names and "end_date" not in values  # already reported
    if reason and end is None and not end_invalid:
        run.problem(spec, row.number, "exit_reason", reason, message("exit_without_end", value=reason))
        row.ok = False
    post = row.refs.get("post_code")
    if post is not None:
        _, organisation_id, location_id, cadre_id, organisation, location, cadre = post
        fields = row.fields
        mine = (fields.get("organisation_id"), fields.get("location_id"), fields.get("cadre_id"))
        limits = run.limits
        if None not in mine and mine != (organisation_id, location_id, cadre_id):
            if limits is not None and not limits.covers(
                organisation_id=organisation_id, location_id=location_id
            ):
                # A post of someone else: its organisation, location and cadre are not shown.
                text = message("post_not_yours", post=values["post_code"], where=limits.where)
                run.problem(spec, row.number, "post_code", values["post_code"], text)
                row.ok = False
                return
            text = message(
                "post_mismatch",
                post=values["post_code"],
                post_organisation=organisation,
                post_location=location,
                post_cadre=cadre,
                organisation=values["organization_code"],
                location=values["location_code"],
                cadre=values["cadre_code"],
            )
            run.problem(spec, row.number, "post_code", values["post_code"], text)
            row.ok = False


RULES: dict[str, Callable[[FileLoad, Row], None]] = {
    "workers": _rules_workers,
    "population": _rules_population,
    "posts": _rules_posts,
    "assignments": _rules_assignments,
}
