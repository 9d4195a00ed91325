"""Writes of the surveys app: survey rounds, and the import of field submissions with their perceptions.

:func:`submissions_import` is the template import for submissions: the submissions are served as the
template's ``workers`` and ``assignments`` files (``sswis.surveys.source``) to the same ``ImportRun``,
inside one transaction, all or nothing, so they get exactly the template's validation, messages, counts
and audit. On top of it: the perception answers go to ``PerceptionResponse`` for the survey round, and
every submission imported is recorded by its UUID (``ImportedSubmission``), so importing the same
submissions again writes nothing and counts them unchanged.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from sswis.access import policy
from sswis.auditing import instance_save_audited
from sswis.geo.models import Location
from sswis.imports.loading import ImportRun, ProgressCallback
from sswis.imports.modes import ImportMode
from sswis.imports.report import (
    WARNING,
    FileCounts,
    ImportReport,
    Problem,
    problem_sort_key,
)
from sswis.imports.services import import_record_of_report, import_transaction_run
from sswis.registry.models import Worker
from sswis.surveys.models import ImportedSubmission, PerceptionResponse, SurveyRound
from sswis.surveys.perceptions import PERCEPTION_QUESTIONS, perception_answer_parse
from sswis.surveys.source import (
    SERVED,
    SubmissionTemplateSource,
    submission_location_code,
    submission_worker_id,
)
from sswis.surveys.submissions import Submission, SubmissionBatch, SubmissionFetchError
from sswis.text import text_problem, text_problem_message, text_shown

SUBMISSIONS_FILE = "submissions"
"""The report's name for problems of a submission as a whole (its UUID, answers given twice)."""

PERCEPTIONS_FILE = "perceptions"
"""The report's name for the perception answers (counts and problems)."""

_LOOKUP_BATCH = 500  # codes per IN (...) lookup: under SQLite's limit on query parameters


def survey_round_create(
    *,
    actor: Any,
    code: str,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> SurveyRound:
    """Create a survey round (a national data manager only). Raises ``ValidationError`` for a used code or
    an end before the start, ``PermissionDenied`` for anyone else; writes nothing then."""
    policy.require_national_import(user=actor)
    survey_round = SurveyRound(code=code.strip(), name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    survey_round.full_clean()
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The round cannot end before it starts.")})
    with transaction.atomic():
        instance_save_audited(survey_round, actor=actor)
    return survey_round


@dataclass
class _Perception:
    submission: Submission
    answers: dict[str, str]


def _batches(values: list[Any]) -> list[list[Any]]:
    return [values[start : start + _LOOKUP_BATCH] for start in range(0, len(values), _LOOKUP_BATCH)]


def _already_imported(submissions: list[Submission]) -> dict[str, ImportedSubmission]:
    """The records of submissions imported before, by the submissions' UUIDs (their stable identity).

    A submission whose identity is unknown but whose ``deprecated_id`` names a version imported before
    (an edit read from a source that gives no stable identity, e.g. an older KoboToolbox) is that
    record's submission: its ``uuid`` is set to the record's, so that it updates the same worker.
    """
    found: dict[str, ImportedSubmission] = {}
    for batch in _batches(sorted({submission.uuid for submission in submissions})):
        for record in ImportedSubmission.objects.filter(submission_uuid__in=batch).select_related("worker"):
            found[record.submission_uuid] = record
    orphans = [s for s in submissions if s.uuid not in found and s.deprecated_id]
    replaced: dict[str, ImportedSubmission] = {}
    for batch in _batches(sorted({submission.deprecated_id for submission in orphans})):
        for record in ImportedSubmission.objects.filter(
            Q(instance_id__in=batch) | Q(submission_uuid__in=batch)
        ).select_related("worker"):
            replaced[record.version] = record
            replaced.setdefault(record.submission_uuid, record)
    for submission in orphans:
        previous = replaced.get(submission.deprecated_id)
        if previous is not None:
            submission.uuid = previous.submission_uuid
            found[previous.submission_uuid] = previous
    return found


def _check_submissions(batch: SubmissionBatch, report: ImportReport) -> list[Submission]:
    """Problems of submissions as a whole; returns those that can be imported (a UUID, once)."""
    first_at: dict[str, int] = {}
    usable = []
    for submission in batch.submissions:
        where = f"Submission {submission.position}"
        if not submission.uuid:
            report.problems.append(
                Problem(
                    file=SUBMISSIONS_FILE,
                    row=submission.position,
                    column="instanceID",
                    value="",
                    message=f"{where} has no UUID (meta/instanceID, _uuid or KEY), so it cannot be "
                    "recognised when it is imported again; export it with its metadata.",
                )
            )
            continue
        refused = text_problem(submission.uuid) or text_problem(submission.instance_id)
        if refused is not None:
            report.problems.append(
                Problem(
                    file=SUBMISSIONS_FILE,
                    row=submission.position,
                    column="instanceID",
                    value=text_shown(submission.uuid),
                    message=text_problem_message(label=_("The submission's UUID"), problem=refused),
                )
            )
            continue
        if submission.uuid in first_at:
            report.problems.append(
                Problem(
                    file=SUBMISSIONS_FILE,
                    row=submission.position,
                    column="instanceID",
                    value=submission.uuid,
                    message=f"Submission {submission.uuid} appears more than once (first as submission "
                    f"{first_at[submission.uuid]}).",
                )
            )
            continue
        first_at[submission.uuid] = submission.position
        for name in submission.conflicts:
            report.problems.append(
                Problem(
                    file=SUBMISSIONS_FILE,
                    row=submission.position,
                    column=name,
                    value=submission.uuid,
                    message=f"Submission {submission.uuid} answers {name} twice, differently.",
                )
            )
        usable.append(submission)
    if batch.unrecognised:
        report.problems.append(
            Problem(
                file=SUBMISSIONS_FILE,
                row=0,
                column="",
                value=", ".join(batch.unrecognised),
                message="These answers are no question of the sswis form and were not read; was the form "
                "changed after it was generated (sswis xlsform)?",
                severity=WARNING,
            )
        )
    return usable


def _perceptions_parse(
    submissions: list[Submission], survey_round: SurveyRound | None, report: ImportReport
) -> list[_Perception]:
    """The perception answers of each submission that has any, checked; problems to ``report``."""
    found = []
    for submission in submissions:
        given = {q.name: submission.answers.get(q.name, "") for q in PERCEPTION_QUESTIONS}
        if not any(text.strip() for text in given.values()):
            continue
        answers: dict[str, str] = {}
        for question in PERCEPTION_QUESTIONS:
            try:
                answers[question.name] = perception_answer_parse(question=question, text=given[question.name])
            except ValueError as exc:
                report.problems.append(
                    Problem(
                        file=PERCEPTIONS_FILE,
                        row=submission.position,
                        column=question.name,
                        value=text_shown(given[question.name]),
                        message=str(exc),
                    )
                )
        if survey_round is None:
            report.problems.append(
                Problem(
                    file=PERCEPTIONS_FILE,
                    row=submission.position,
                    column="",
                    value="",
                    message="This submission has answers about the worker's perceptions: say which survey "
                    "round they belong to (the survey round on the page or in the API, --round CODE on the "
                    "command line).",
                )
            )
        found.append(_Perception(submission=submission, answers=answers))
    return found


def _perceptions_apply(
    *,
    actor: Any,
    survey_round: SurveyRound | None,
    perceptions: list[_Perception],
    report: ImportReport,
    counts: FileCounts,
) -> None:
    """Count each perception row as created, updated, unchanged or rejected, and write them when the import
    has no error (one response per worker and round; the newer submission replaces the answers).

    Counted like a template file in the all-or-nothing mode: a row is rejected when its submission has an
    error anywhere (its own answers, its worker or assignment row, the submission itself), as it refers to
    a rejected row; the other rows say what the import would do once the errors are fixed (their workers
    were loaded inside the transaction, which is rolled back).
    """
    failed = {problem.row for problem in report.errors if problem.row}
    loadable = [item for item in perceptions if item.submission.position not in failed]
    counts.rejected += len(perceptions) - len(loadable)
    if survey_round is None:  # every row has the error "say which survey round", so none is loadable
        counts.rejected += len(loadable)
        return
    worker_ids = [submission_worker_id(submission=item.submission) for item in loadable]
    location_codes = [submission_location_code(submission=item.submission) for item in loadable]
    workers: dict[str, int] = {}
    for batch in _batches(worker_ids):
        workers.update(Worker.objects.filter(worker_id__in=batch).values_list("worker_id", "pk"))
    locations: dict[str, int] = {}
    for batch in _batches(location_codes):
        locations.update(Location.objects.filter(code__in=batch).values_list("code", "pk"))
    existing: dict[int, PerceptionResponse] = {}
    for batch in _batches(list(workers.values())):
        for stored in PerceptionResponse.objects.filter(survey_round=survey_round, worker_id__in=batch):
            existing[stored.worker_id] = stored
    creates: list[PerceptionResponse] = []
    updates: list[PerceptionResponse] = []
    fields = [question.name for question in PERCEPTION_QUESTIONS]
    for item, worker_id, location_code in zip(loadable, worker_ids, location_codes, strict=True):
        if worker_id not in workers or location_code not in locations:
            counts.rejected += 1  # not loaded (the import run reported why)
            continue
        values: dict[str, Any] = {
            "worker_id": workers[worker_id],
            "location_id": locations[location_code],
            "submission_uuid": item.submission.uuid,
            **item.answers,
        }
        response = existing.get(values["worker_id"])
        if response is None:
            creates.append(PerceptionResponse(survey_round=survey_round, **values))
            continue
        if all(
            getattr(response, name) == value for name, value in values.items() if name != "submission_uuid"
        ):
            counts.unchanged += 1
            continue
        for name, value in values.items():
            setattr(response, name, value)
        updates.append(response)
    counts.created += len(creates)
    counts.updated += len(updates)
    if report.has_errors:
        return  # counted only: nothing of this import is kept
    user = actor if getattr(actor, "is_authenticated", False) else None
    if creates:
        bulk_create_with_history(creates, PerceptionResponse, default_user=user)
    if updates:
        now = timezone.now()
        for response in updates:
            response.updated_at = now
        bulk_update_with_history(
            updates,
            PerceptionResponse,
            [*fields, "location", "submission_uuid", "updated_at"],
            default_user=user,
        )


def _record_submissions(
    *,
    actor: Any,
    batch: SubmissionBatch,
    submissions: list[Submission],
    done: dict[str, ImportedSubmission],
) -> None:
    """Record every submission loaded: a new record, or the record of an edited one brought up to date."""
    worker_ids = [submission_worker_id(submission=submission) for submission in submissions]
    workers: dict[str, int] = {}
    for ids in _batches(worker_ids):
        workers.update(Worker.objects.filter(worker_id__in=ids).values_list("worker_id", "pk"))
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    creates: list[ImportedSubmission] = []
    updates: list[ImportedSubmission] = []
    for submission, worker_id in zip(submissions, worker_ids, strict=True):
        record = done.get(submission.uuid) or ImportedSubmission(submission_uuid=submission.uuid)
        record.instance_id = submission.instance_id
        record.source = batch.source
        record.form = batch.form[:500]
        record.worker_id = workers.get(worker_id)
        record.imported_at = now
        record.imported_by = user
        (updates if record.pk else creates).append(record)
    ImportedSubmission.objects.bulk_create(creates, batch_size=_LOOKUP_BATCH)
    ImportedSubmission.objects.bulk_update(
        updates,
        ["instance_id", "source", "form", "worker", "imported_at", "imported_by"],
        batch_size=_LOOKUP_BATCH,
    )


def _name_submissions(report: ImportReport, submissions: list[Submission]) -> None:
    """Put the submission's UUID in every problem of one of its rows (the row is its position)."""
    uuid_at = {submission.position: submission.uuid for submission in submissions}
    named = []
    for problem in report.problems:
        uuid = uuid_at.get(problem.row) if problem.row else None
        if uuid and problem.file in (*(f"{name}.csv" for name in SERVED), PERCEPTIONS_FILE):
            problem = replace(problem, message=f"Submission {uuid}: {problem.message}")
        named.append(problem)
    report.problems = named


def submissions_import(
    *,
    actor: Any,
    read: Callable[[], SubmissionBatch],
    round_code: str = "",
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    history: bool = True,
) -> ImportReport:
    """Import field submissions (``read`` fetches them) as workers, assignments and perception answers.

    ``actor`` must be allowed to import (a national data manager): ``PermissionDenied`` is raised before
    anything is read. Then, all or nothing, like ``template_import``: the report lists every problem
    (``row`` = the submission's position, and its UUID in the message) with per-file counts; with any
    error, or for a ``dry_run``, nothing is written. A source that cannot be read (HTTP error, refused
    connection, malformed answer) is one error and nothing is written.

    A submission is known by its stable identity (``submissions.ROOT_KEYS``: Kobo ``meta/rootUuid``,
    Central ``__id``/``KEY``, else ``meta/instanceID``). The same version imported before is not loaded
    again: it counts as unchanged (so a registry row edited since is not overwritten by an old
    submission). An edited version (another ``meta/instanceID``, or a ``meta/deprecatedID`` naming a
    version imported before) is loaded again as an update of the same worker, never as a second one. Perception answers need a survey
    round (``round_code``); a worker has at most one response per round, and a newer submission replaces
    the answers.

    Every import of submissions that were read (dry runs and imports with errors too) is kept in the
    import history (``ImportRecord``): the source (server and form, without credentials, or the file
    name), the SHA-256 and size of what was received, and the report. A source that could not be read
    is not recorded (nothing was received). ``history=False``: the caller keeps the record itself (a
    queued import, ``submissions_record_submit``). ``progress`` is told how far the import has read.
    """
    policy.require_national_import(user=actor)
    started_at = timezone.now()
    report = ImportReport(mode=ImportMode.of(dry_run=dry_run))
    survey_round = None
    if round_code:
        survey_round = SurveyRound.objects.filter(code=round_code).first()
        if survey_round is None:
            report.problems.append(
                Problem(
                    file="",
                    row=0,
                    column="",
                    value=round_code,
                    message=f"There is no survey round '{round_code}'; create it first (sswis survey_round).",
                )
            )
            return report
    try:
        batch = read()
    except SubmissionFetchError as exc:
        report.problems.append(Problem(file="", row=0, column="", value="", message=exc.message))
        return report
    if not batch.submissions:
        report.problems.append(
            Problem(
                file="",
                row=0,
                column="",
                value="",
                message=f"{batch.form} has no submissions.",
                severity=WARNING,
            )
        )
    done = _already_imported(batch.submissions)
    usable = _check_submissions(batch, report)
    # The same version again: nothing to do. An edited version: loaded again, as the same worker.
    seen_again = [s for s in usable if s.uuid in done and s.instance_id in ("", done[s.uuid].version)]
    fresh = [submission for submission in usable if submission not in seen_again]
    for submission in fresh:
        record = done.get(submission.uuid)
        if record is not None and record.worker is not None and not submission.answers.get("worker_id"):
            submission.answers["worker_id"] = record.worker.worker_id
    perceptions = _perceptions_parse(fresh, survey_round, report)
    perceptions_seen_again = _perceptions_parse(seen_again, survey_round, ImportReport())
    for name in SERVED:
        counts = report.files.setdefault(f"{name}.csv", FileCounts())
        counts.read += len(seen_again)
        counts.unchanged += len(seen_again)
    perception_counts = FileCounts(
        read=len(perceptions) + len(perceptions_seen_again), unchanged=len(perceptions_seen_again)
    )

    def work() -> None:
        if fresh:
            with SubmissionTemplateSource(submissions=fresh, form=batch.form) as source:
                ImportRun(source=source, report=report, actor=actor, progress=progress).run()
        _perceptions_apply(
            actor=actor,
            survey_round=survey_round,
            perceptions=perceptions,
            report=report,
            counts=perception_counts,
        )
        if perception_counts.read:
            report.files[PERCEPTIONS_FILE] = perception_counts
        if not report.has_errors:
            _record_submissions(actor=actor, batch=batch, submissions=fresh, done=done)

    import_transaction_run(report=report, work=work)
    _name_submissions(report, batch.submissions)
    report.problems.sort(key=problem_sort_key)
    if not history:
        return report
    import_record_of_report(
        actor=actor,
        file_name=batch.form,
        sha256=batch.sha256,
        size=batch.size,
        report=report,
        started_at=started_at,
    )
    return report
