"""Submissions served to the template import as its ``workers`` and ``assignments`` files.

:class:`SubmissionTemplateSource` is a ``TemplateSource`` (``sswis.imports.readers``): each submission
is one row of ``workers`` and one row of ``assignments``, numbered by the submission's position (row
``n`` = the n-th submission of the source, so a problem names the submission), so submissions are
checked and loaded by the same ``ImportRun`` as a template, with the same messages and counts.

Only the template columns that some submission answers are in the header (plus the required ones, so
that a missing answer is reported on its row): a column absent from the header is left untouched on
update, as in a template. Two columns are derived: ``worker_id`` (the answer, else
``SUB-<submission UUID>``: a worker new to the registry keeps that ID when the same submission is seen
again) and the assignment's ``location_code`` (the answer of the form's ``location_code`` calculation,
else the deepest ``location_N`` answered).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sswis.imports.readers import RawTable, TemplateSource, header_key
from sswis.imports.schema import template_file
from sswis.surveys.submissions import LOCATION_LEVEL, Submission

SERVED = ("workers", "assignments")
NEW_WORKER_PREFIX = "SUB-"


def submission_worker_id(*, submission: Submission) -> str:
    """The worker's ID: the answer, else ``SUB-<submission UUID>`` for a worker new to the registry."""
    return submission.answers.get("worker_id", "").strip() or f"{NEW_WORKER_PREFIX}{submission.uuid}"


def submission_location_code(*, submission: Submission) -> str:
    """Where the worker works: the form's ``location_code``, else the deepest ``location_N`` answered."""
    answers = submission.answers
    if answers.get("location_code", "").strip():
        return answers["location_code"].strip()
    levels = sorted(
        (int(name.rsplit("_", 1)[1]), text.strip())
        for name, text in answers.items()
        if LOCATION_LEVEL.fullmatch(name) and text.strip()
    )
    return levels[-1][1] if levels else ""


class SubmissionTemplateSource(TemplateSource):
    """Submissions as the template files ``workers`` and ``assignments`` (see the module docstring)."""

    def __init__(self, *, submissions: list[Submission], form: str) -> None:
        self.path = Path(form)  # named in the import's messages about the source as a whole
        self.submissions = submissions

    def present(self) -> list[str]:
        return list(SERVED) if self.submissions else []

    def others(self) -> list[str]:
        return []

    def size_of(self, *, name: str) -> int:
        return 0  # already in memory: no file size limit applies

    def _value(self, submission: Submission, column: str) -> str:
        if column == "worker_id":
            return submission_worker_id(submission=submission)
        if column == "location_code":
            return submission_location_code(submission=submission)
        return submission.answers.get(column, "").strip()

    def table(self, *, name: str) -> RawTable:
        spec = template_file(name=name)
        derived = {"worker_id", "location_code"}
        answered = {key for submission in self.submissions for key in submission.answers}
        header = [
            column.name
            for column in spec.columns
            if column.required or column.name in derived or column.name in answered
        ]

        def rows() -> Iterator[tuple[int, list[str]]]:
            for submission in self.submissions:
                yield submission.position, [self._value(submission, column) for column in header]

        return RawTable(
            name=name, header=[header_key(column) for column in header], raw_header=header, rows=rows()
        )
