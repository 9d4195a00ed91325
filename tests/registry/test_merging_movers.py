"""Every reference to a worker follows a merge: a new foreign key to ``Worker`` without a mover fails here."""

from __future__ import annotations

from sswis.registry.merging import worker_movers
from sswis.registry.models import Worker
from sswis.registry.models_merging import WorkerMerge

# References that are the merge's own bookkeeping, not rows that follow the person.
_NOT_MOVED = {
    ("registry.worker", "merged_into"),
    ("registry.workermerge", "surviving"),
    ("registry.workermerge", "merged"),
    # A duplicate run's candidate pairs name the two records as they were compared (and the survivor
    # chosen): moving them would rewrite the review's history.
    ("duplicates.candidatepair", "worker_a"),
    ("duplicates.candidatepair", "worker_b"),
    ("duplicates.candidatepair", "surviving"),
}


def test_every_reference_to_a_worker_has_a_mover() -> None:
    references = set()
    for relation in Worker._meta._get_fields(forward=False, reverse=True, include_hidden=True):  # type: ignore[attr-defined]
        model = relation.related_model
        if getattr(model, "instance_type", None) is not None:  # a history table: a record, not a row
            continue
        references.add((model._meta.label_lower, relation.field.name))
    registered = {(mover.model._meta.label_lower, mover.field) for mover in worker_movers()}
    assert references - _NOT_MOVED - registered == set(), "add a worker_mover_register() for these"
    assert registered - references == set()
    assert {(WorkerMerge._meta.label_lower, "merged")} <= references


def test_the_known_references_are_registered() -> None:
    registered = sorted(f"{mover.model._meta.label_lower}.{mover.field}" for mover in worker_movers())
    assert registered == [
        "access.userscope.worker",
        "rapidpro.webhookcall.worker",
        "registry.assignment.worker",
        "regulation.complaint.worker",
        "regulation.cpdevidence.worker",
        "regulation.cpdrecord.worker",
        "regulation.examattempt.worker",
        "regulation.registration.worker",
        "support.caseload.worker",
        "support.membership.worker",
        "support.supervisionrelationship.supervisee",
        "support.supervisionrelationship.supervisor",
        "support.supervisionsession.supervisee",
        "support.supervisionsession.supervisor",
        "surveys.importedsubmission.worker",
        "surveys.perceptionresponse.worker",
        "training.competencyassessment.worker",
        "training.completion.worker",
        "training.placement.supervisor",
        "training.student.worker",
    ]
