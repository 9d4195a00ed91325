"""The support files of the mapping template: what supervision relationships, supervision sessions and caseloads
need beyond the generic loading (``extension.FileExtension``; the files and columns are ``schema.SUPERVISION``,
``schema.SUPERVISION_SESSIONS`` and ``schema.CASELOADS``, contract ``support.md``, "Files").

The rules are those of the support's services (``sswis.support.supervision``, ``sswis.support.caseloads``),
checked in bulk:

* ``supervision.csv``: a worker cannot supervise themselves; ``start_date`` is not after the day of the import;
  ``end_date``, when given, is not before ``start_date``.
* ``supervision_sessions.csv``: a worker cannot supervise themselves; ``date`` is not after the day of the
  import; a new session's source is ``template`` (one entered on a page or sent through the API keeps its own
  when the template updates it).
* ``caseloads.csv``: ``month`` (``YYYY-MM``, checked by the column's pattern) is stored as the month's first
  day and has begun; a row replaces the stored caseload of that worker, month and kind when its
  ``open_cases`` differs, and the caseload is then recorded as imported with the template (source
  ``template``, also when it was synced from Primero or entered on a page); the same figure again is
  unchanged, whatever its source, as ``caseloads.caseload_set`` has it.
* A subnational officer or an organisation focal point (``policy.ImportLimits``) imports only the rows of
  workers they see (``policy.worker_ids_outside_scope``): both workers of a relationship or a session. A worker
  they do not see is an error of the row with the same words as an unknown worker ID, so that the message does
  not tell whether the ID exists. A training institution's focal point may not import these files at all
  (``ImportRun.file_refusal``).

Everything is read in bulk, one query per chunk and worker column at most; every row written gets its history
record by the importing user (``writing.TableWriter``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sswis.access import policy
from sswis.database import lookup_batch_size
from sswis.imports.extension import FileExtension
from sswis.imports.messages import message
from sswis.support.caseloads import month_parse
from sswis.support.models import RecordSource

if TYPE_CHECKING:
    from sswis.imports.loading import FileLoad, Row

_Item = TypeVar("_Item")

TEMPLATE_SOURCE = RecordSource.TEMPLATE.value


def _batches(items: Sequence[_Item]) -> Iterator[Sequence[_Item]]:
    size = lookup_batch_size()
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _SupportExtension(FileExtension):
    """The workers of a row are seen by a restricted importer; the file's own rules (:meth:`check_row`)."""

    worker_columns: tuple[str, ...] = ()
    """The columns naming a worker: a restricted importer must see every one of them."""

    def check(self, load: FileLoad, rows: list[Row]) -> None:
        if load.run.limits is not None:
            self.check_scope(load, rows, load.run.limits)
        for row in rows:
            self.check_row(load, row)

    def check_row(self, load: FileLoad, row: Row) -> None:
        """The rules of one row, once its workers are resolved."""

    def check_scope(self, load: FileLoad, rows: list[Row], limits: policy.ImportLimits) -> None:
        """Workers the importer does not see are errors, each in its column (the worker IDs found nowhere are
        reported already, with the same words)."""
        ids = sorted(
            {row.values[column] for row in rows for column in self.worker_columns if column in row.refs}
        )
        outside: set[str] = set()
        for batch in _batches(ids):
            outside |= policy.worker_ids_outside_scope(user=load.run.actor, worker_ids=set(batch))
        if not outside:
            return
        for row in rows:
            for column in self.worker_columns:
                worker_id = row.values.get(column)
                if column in row.refs and worker_id in outside:
                    text = message(
                        "support_worker_not_yours",
                        value=worker_id,
                        entities=load.spec.entities,
                        where=limits.where,
                    )
                    load.run.problem(load.spec, row.number, column, worker_id, text)
                    row.ok = False

    @staticmethod
    def check_two_workers(load: FileLoad, row: Row) -> None:
        """A worker cannot supervise themselves (reported in the supervisee's column)."""
        supervisor, supervisee = row.refs.get("supervisor_worker_id"), row.refs.get("supervisee_worker_id")
        if supervisor is not None and supervisee is not None and supervisor[0] == supervisee[0]:
            worker_id = row.values["supervisee_worker_id"]
            text = message("self_supervision", value=worker_id)
            load.run.problem(load.spec, row.number, "supervisee_worker_id", worker_id, text)
            row.ok = False


class SupervisionExtension(_SupportExtension):
    """Two workers; a start not in the future; an end not before the start."""

    worker_columns = ("supervisor_worker_id", "supervisee_worker_id")

    def check_row(self, load: FileLoad, row: Row) -> None:
        run, spec = load.run, load.spec
        self.check_two_workers(load, row)
        start, end = row.values.get("start_date"), row.values.get("end_date")
        if start is not None and start > run.today:
            text = message("start_in_future", value=start.isoformat(), today=run.today.isoformat())
            run.problem(spec, row.number, "start_date", start.isoformat(), text)
            row.ok = False
        if start is not None and end is not None and end < start:
            text = message("end_before_start", end=end.isoformat(), start=start.isoformat())
            run.problem(spec, row.number, "end_date", end.isoformat(), text)
            row.ok = False


class SupervisionSessionsExtension(_SupportExtension):
    """Two workers; a day not in the future; a new session taken from the template."""

    worker_columns = ("supervisor_worker_id", "supervisee_worker_id")

    def check_row(self, load: FileLoad, row: Row) -> None:
        run = load.run
        self.check_two_workers(load, row)
        day = row.values.get("date")
        if day is not None and day > run.today:
            text = message("session_in_future", value=day.isoformat(), today=run.today.isoformat())
            run.problem(load.spec, row.number, "date", day.isoformat(), text)
            row.ok = False
        # A new session only: the source is compared with no stored row (an update keeps its own).
        row.fields["source"] = TEMPLATE_SOURCE


class CaseloadsExtension(_SupportExtension):
    """The month stored as its first day, and begun; a caseload written by the template is the template's."""

    worker_columns = ("worker_id",)

    def check_row(self, load: FileLoad, row: Row) -> None:
        run = load.run
        text = row.values.get("month")
        if not text:
            return  # missing or invalid: reported already
        month = month_parse(text)  # the column's pattern let only a month through
        row.fields["month"] = month
        if month > run.today:
            problem = message("month_not_begun", value=text, today=run.today.isoformat())
            run.problem(load.spec, row.number, "month", text, problem)
            row.ok = False
        row.fields["source"] = TEMPLATE_SOURCE

    def updating(self, load: FileLoad, updates: dict[int, dict[str, Any]]) -> None:
        """A caseload the template changes (only ``open_cases`` is compared) is the template's from now on."""
        for changes in updates.values():
            changes["source"] = TEMPLATE_SOURCE


SUPPORT_EXTENSIONS: dict[str, type[FileExtension]] = {
    "supervision": SupervisionExtension,
    "supervision_sessions": SupervisionSessionsExtension,
    "caseloads": CaseloadsExtension,
}
