"""Completions from the lists of training institutions and online-course platforms
(:func:`completion_list_import`; the command ``sswis training_completions_import``), and the completions of
those lists that matched no worker (:func:`unmatched_completion_match`, :func:`unmatched_completion_set_aside`).

The file is a CSV export with the columns of :data:`LIST_COLUMNS` (``person_identifier``, ``course``,
``completion_date``, ``certificate_id`` and, optionally, ``name``), read by the shared list reader
(``sswis.imports.platform_lists``) exactly as a template file is: character set and delimiter detected, size
limit, binary files refused; column names without case, spaces or underscores; an unknown column is an
error. Each row says that a person completed a programme on a day:

* ``course`` is a programme's code, else (no code matches) a programme's name, exact but for capitals; an
  unknown course, or a name two programmes bear, is an error. When the list is of one ``programme`` (given
  to the import) the column may be left out or empty; a course naming another programme is an error. A
  course of a programme the importing user may not change (``training_policy.may_change_institution``: a
  focal point's is their institution's) is an error;
* the person is the registry worker whose worker ID is ``person_identifier``, else whose national ID is,
  else whose e-mail is (capitals do not matter), in that order; an identifier naming two workers at the
  same step is an error naming them;
* ``completion_date`` is not after the day of the import; a person, a course and a day appear once in the
  file.

A matched row is the worker's :class:`~sswis.training.models.Completion` (``source`` ``platform``): created;
or, when the worker already has it, unchanged, or updated when the list brings the certificate number it
lacked (a different certificate number is an error: an import never rewrites a certificate). A row whose
person matches no worker is kept as an :class:`~sswis.training.models.UnmatchedCompletion` (never dropped),
with the file's name and its row number, and listed in the report as a warning; someone then matches it to
a worker (:func:`unmatched_completion_match`) or sets it aside with a reason
(:func:`unmatched_completion_set_aside`). A kept row listed again is unchanged; once its person matches a
worker, the row becomes that worker's completion and the kept row is linked to it.

The report is the template import's (``sswis.imports.report``): every problem at once with its file, row,
column, value and sentence; the file's counts of created, updated, unchanged and rejected rows. All or
nothing: with any error nothing is written; a dry run writes nothing and reports the same. Importing the same
list twice creates nothing the second time and says so. Every row written is audited with its author.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sswis.access import training_policy
from sswis.auditing import instance_apply_changes, instance_save_audited
from sswis.imports import platform_lists
from sswis.imports.platform_lists import PERSON, ListRow, ListRun, batches, upload_kept
from sswis.imports.report import WARNING, ImportReport
from sswis.imports.schema import Column, Kind
from sswis.training.models import Completion, CompletionSource, Programme, UnmatchedCompletion
from sswis.training.unmatched_completions import (
    UNMATCHED_STATUSES,
    unmatched_completion_list,
    unmatched_completion_match,
    unmatched_completion_set_aside,
    unmatched_completions_visible,
    unmatched_status,
)

__all__ = [
    "LIST_COLUMNS",
    "UNMATCHED_STATUSES",
    "completion_list_import",
    "completion_list_import_upload",
    "unmatched_completion_list",
    "unmatched_completion_match",
    "unmatched_completion_set_aside",
    "unmatched_completions_visible",
    "unmatched_status",
    "workers_matching",
]

LIST_COLUMNS: tuple[Column, ...] = (
    Column(
        "person_identifier",
        Kind.CODE,
        _("the person: worker ID, national ID or e-mail"),
        "W000123",
        required=True,
        max_length=200,
        label=_("Person identifier"),
    ),
    Column(
        "course",
        Kind.CODE,
        _("the programme's code, or its name"),
        "CP-ONLINE-1",
        required=True,
        max_length=200,
        label=_("Course"),
    ),
    Column(
        "completion_date",
        Kind.DATE,
        _("the day the person completed it"),
        "2024-03-02",
        required=True,
        label=_("Completion date"),
    ),
    Column(
        "certificate_id",
        Kind.CODE,
        _("the certificate's number, if there is one"),
        "MOOC-88412",
        max_length=100,
        label=_("Certificate ID"),
    ),
    Column(
        "name",
        Kind.TEXT,
        _("the person's name as the list has it"),
        "Amina Okello",
        max_length=300,
        label=_("Name"),
    ),
)
"""The columns of a completions list, in the template's terms (``sswis.imports.schema``)."""

ENTITY = _("completion")

MESSAGES: dict[str, Any] = {
    "person_ambiguous": _("'{value}' is the {step} of {count} workers ({workers}); give the worker ID."),
    "course_unknown": _("Course '{value}' is neither the code nor the name of a programme."),
    "course_ambiguous": _(
        "Course '{value}' is the name of {count} programmes ({codes}); give the programme's code."
    ),
    "course_not_the_programme": _(
        "Course '{value}' is programme {code}, but this list is of programme {programme}."
    ),
    "course_not_yours": _(
        "Course '{value}' is programme {code} of another institution: you may import only the completions of "
        "your institution's programmes."
    ),
    "completed_in_future": _("Completion date {value} is in the future (the import ran on {today})."),
    "listed_twice": _(
        "{person} completed programme {programme} on {day} on row {first} already; a completion counts once."
    ),
    "certificate_differs": _(
        "Worker {worker} has programme {programme} of {day} recorded with certificate '{stored}', not "
        "'{given}'; an import does not change a certificate: correct the row."
    ),
    "unmatched": _(
        "No worker has the worker ID, national ID or e-mail '{value}': the completion of programme {programme} "
        "on {day} is kept among the unmatched completions, to match to a worker or to set aside."
    ),
}
"""The sentences of the list import's own problems (the others are the template import's, ``imports.messages``)."""

STEPS = {"worker_id": _("worker ID"), "national_id": _("national ID"), "email": _("e-mail")}
"""The steps of matching a person to a worker, in order: the words of each for messages."""


def list_message(key: str, /, **fields: Any) -> str:
    """The list import's message ``key`` with its fields filled in, in the active language."""
    return str(MESSAGES[key]).format(**fields)


def workers_matching(*, identifiers: set[str]) -> dict[str, tuple[str, dict[int, str]]]:
    """For each of ``identifiers`` that names a worker: the first step that names one (``worker_id``,
    ``national_id``, then ``email`` without capitals) and the workers it names there (primary key -> worker
    ID; several when the identifier is ambiguous at that step). An identifier naming no worker is absent."""
    return platform_lists.workers_matching(identifiers=identifiers, first_step_only=True)


_Row = ListRow[Programme]


@dataclass(kw_only=True)
class _Run(ListRun[Programme]):
    """One import of one list (see the module docstring); a row's ``course`` is its programme."""

    columns = LIST_COLUMNS
    entity = ENTITY
    table = "completions"

    programme: Programme | None
    today: datetime.date

    def needs(self, column: Column) -> bool:
        return column.required and not (column.name == "course" and self.programme is not None)

    def person_ambiguous(self, identifier: str, step: str, workers: dict[int, str]) -> str:
        listed = ", ".join(sorted(workers.values()))
        return list_message(
            "person_ambiguous", value=identifier, step=STEPS[step], count=len(workers), workers=listed
        )

    # Resolving -------------------------------------------------------------------------------------------

    def resolve(self) -> None:
        """The programme and the worker of every row, in bulk; the row's own rules."""
        courses = self.values_of("course")
        by_code: dict[str, Programme] = {}
        for batch in batches(courses):
            for programme in Programme.objects.filter(code__in=batch).select_related("institution"):
                by_code[programme.code] = programme
        by_name: dict[str, list[Programme]] = defaultdict(list)
        names = {course.lower() for course in courses - by_code.keys()}
        for batch in batches(names):
            found = Programme.objects.annotate(name_key=Lower("name")).filter(name_key__in=batch)
            for programme in found.select_related("institution").order_by("code"):
                by_name[programme.name.lower()].append(programme)
        matches = workers_matching(identifiers=self.values_of(PERSON))
        for row in self.rows:
            self.resolve_course(row, by_code, by_name)
            self.match_person(row, matches)
            day: datetime.date | None = row.values.get("completion_date")
            if day is not None and day > self.today:
                text = list_message(
                    "completed_in_future", value=day.isoformat(), today=self.today.isoformat()
                )
                self.error(row, "completion_date", day, text)

    def resolve_course(
        self, row: _Row, by_code: dict[str, Programme], by_name: dict[str, list[Programme]]
    ) -> None:
        # Without the column, the list's own programme (else the missing column is reported).
        course = row.values.get("course", "" if self.programme is not None else None)
        if course is None:
            return  # an invalid cell, already reported
        if not course:
            row.course = self.programme  # empty: the list's own programme (else already reported)
            return
        named = by_name.get(course.lower(), [])
        programme = by_code.get(course) or (named[0] if len(named) == 1 else None)
        if len(named) > 1 and course not in by_code:
            codes = ", ".join(found.code for found in named)
            self.error(
                row,
                "course",
                course,
                list_message("course_ambiguous", value=course, count=len(named), codes=codes),
            )
        elif programme is None:
            self.error(row, "course", course, list_message("course_unknown", value=course))
        elif self.programme is not None and programme.pk != self.programme.pk:
            text = list_message(
                "course_not_the_programme", value=course, code=programme.code, programme=self.programme.code
            )
            self.error(row, "course", course, text)
        elif not training_policy.may_change_institution(
            user=self.actor, institution_id=programme.institution_id
        ):
            self.error(
                row, "course", course, list_message("course_not_yours", value=course, code=programme.code)
            )
        else:
            row.course = programme

    # Checking against the file and the stored rows, and writing --------------------------------------------

    def write(self) -> None:
        """Each row against the earlier rows and the stored completions; create, update or leave alone."""
        placed = [row for row in self.rows if row.course is not None and "completion_date" in row.values]
        stored: dict[tuple[int, int, datetime.date], Completion] = {}
        for batch in batches({row.worker for row in placed if row.worker is not None}):
            for completion in Completion.objects.filter(worker_id__in=batch):
                stored[(completion.worker_id, completion.programme_id, completion.completed_on)] = completion
        kept: dict[tuple[int, str, datetime.date], UnmatchedCompletion] = {}
        for batch in batches(self.values_of(PERSON, placed)):
            for unmatched in UnmatchedCompletion.objects.filter(person_identifier__in=batch):
                kept[(unmatched.programme_id, unmatched.person_identifier, unmatched.completed_on)] = (
                    unmatched
                )
        first_of_person: dict[tuple[int, str, datetime.date], int] = {}
        first_of_worker: dict[tuple[int, int, datetime.date], int] = {}
        for row in self.rows:
            if (
                row.course is not None
                and row.values.get("completion_date")
                and row.values.get("person_identifier")
            ):
                self.check_twice(row, first_of_person, first_of_worker)
                if row.ok:
                    self.write_row(row, stored, kept)
            if not row.ok:
                self.counts.rejected += 1

    def check_twice(
        self,
        row: _Row,
        first_of_person: dict[tuple[int, str, datetime.date], int],
        first_of_worker: dict[tuple[int, int, datetime.date], int],
    ) -> None:
        assert row.course is not None
        day, identifier = row.values["completion_date"], row.values["person_identifier"]
        keys: list[tuple[dict[Any, int], Any]] = [(first_of_person, (row.course.pk, identifier, day))]
        if row.worker is not None:
            keys.append((first_of_worker, (row.worker, row.course.pk, day)))
        for firsts, key in keys:
            if key in firsts:
                person = self.worker_ids.get(row.worker or 0, identifier)
                text = list_message(
                    "listed_twice",
                    person=person,
                    programme=row.course.code,
                    day=day.isoformat(),
                    first=firsts[key],
                )
                self.error(row, "person_identifier", identifier, text)
                return
        for firsts, key in keys:
            firsts[key] = row.number

    def write_row(
        self,
        row: _Row,
        stored: dict[tuple[int, int, datetime.date], Completion],
        kept: dict[tuple[int, str, datetime.date], UnmatchedCompletion],
    ) -> None:
        assert row.course is not None
        programme, day = row.course, row.values["completion_date"]
        identifier, certificate = row.values["person_identifier"], row.values.get("certificate_id", "")
        earlier = kept.get((programme.pk, identifier, day))
        if row.worker is None:
            self.keep_unmatched(row, earlier)
            return
        completion = stored.get((row.worker, programme.pk, day))
        if completion is not None and certificate and completion.certificate_number not in ("", certificate):
            text = list_message(
                "certificate_differs",
                worker=self.worker_ids[row.worker],
                programme=programme.code,
                day=day.isoformat(),
                stored=completion.certificate_number,
                given=certificate,
            )
            self.error(row, "certificate_id", certificate, text)
            return
        if completion is None:
            completion = Completion(
                worker_id=row.worker,
                programme=programme,
                completed_on=day,
                certificate_number=certificate,
                source=CompletionSource.PLATFORM,
            )
            completion.full_clean()
            instance_save_audited(completion, actor=self.actor)
            stored[(row.worker, programme.pk, day)] = completion
            self.counts.created += 1
            changed = None  # created
        else:
            # The certificate of a completion recorded without one: filled in, in its history.
            changed = bool(
                certificate
                and not completion.certificate_number
                and instance_apply_changes(
                    completion,
                    actor=self.actor,
                    changes={"certificate_number": certificate},
                    allowed_fields=("certificate_number",),
                )
            )
        if earlier is not None and earlier.matched_id is None and not earlier.set_aside_reason:
            # Kept from an earlier list, and the person is a worker now: the kept row is that completion.
            earlier.matched = completion
            instance_save_audited(earlier, actor=self.actor, update_fields=["matched", "updated_at"])
            changed = True if changed is not None else None
        if changed is not None:
            self.counts.updated += changed
            self.counts.unchanged += not changed

    def keep_unmatched(self, row: _Row, earlier: UnmatchedCompletion | None) -> None:
        assert row.course is not None
        programme, day, identifier = (
            row.course,
            row.values["completion_date"],
            row.values["person_identifier"],
        )
        if earlier is None:
            unmatched = UnmatchedCompletion(
                programme=programme,
                person_identifier=identifier,
                person_name=row.values.get("name", ""),
                completed_on=day,
                certificate_number=row.values.get("certificate_id", ""),
                file_name=self.file[:255],
                row_number=row.number,
            )
            unmatched.full_clean()
            instance_save_audited(unmatched, actor=self.actor)
            self.counts.created += 1
        else:
            self.counts.unchanged += 1
        if earlier is None or (earlier.matched_id is None and not earlier.set_aside_reason):
            text = list_message("unmatched", value=identifier, programme=programme.code, day=day.isoformat())
            self.problem(row.number, "person_identifier", identifier, text, WARNING)


def completion_list_import(
    *,
    actor: Any,
    file: Path,
    programme: Programme | None = None,
    dry_run: bool = False,
    encoding: str | None = None,
) -> ImportReport:
    """Import the completions of the CSV list ``file`` (see the module docstring); ``programme``: the list
    is of that one programme.

    ``actor`` must be a national data manager or an institution's focal point
    (``training_policy.require_training_manager``), and may change ``programme`` when given: else
    ``PermissionDenied`` before anything is read; a row of a programme the actor may not change is an
    error. Returns the report of the one file (named as ``file``): every problem, the unmatched rows as
    warnings, and its counts (``read = created + updated + unchanged + rejected``). ``report.imported`` is
    true only when the rows were written: never for a dry run (the whole import, undone at the end) nor
    with any error. A source that cannot be read (no such file, too large, not CSV text, a character set it
    does not fit) is reported as a problem, not raised. ``encoding`` names the character set (``None``:
    detected).
    """
    training_policy.require_training_manager(user=actor)
    if programme is not None:
        training_policy.require_institution_change(user=actor, institution_id=programme.institution_id)
    run = _Run(actor=actor, file=file.name, dry_run=dry_run, programme=programme, today=timezone.localdate())
    return run.import_file(file, encoding=encoding)


def completion_list_import_upload(
    *,
    actor: Any,
    file_name: str,
    chunks: Iterable[bytes],
    programme: Programme | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """:func:`completion_list_import` of a file received by the page or the API (``chunks``: its content):
    kept in a temporary folder under its own base name, so that the report and the unmatched rows name the
    file the user sent, and removed after."""
    training_policy.require_training_manager(user=actor)
    with upload_kept(file_name=file_name, chunks=chunks, default="completions.csv") as source:
        return completion_list_import(actor=actor, file=source, programme=programme, dry_run=dry_run)
