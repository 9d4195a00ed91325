"""The demo country's supervision: relationships between the workers at work today and sessions over the
last year, so that the supervisor database and the compliance view have something to show on first start.

Per location, among the workers with a child protection assignment active today there (fewer than
``SMALLEST_TEAM``: nobody is supervised), the most experienced eighth supervise (in about one team in five the newest worker
instead of the last of them, often not eligible); about one supervisor in
three supervises only (norm 10, else 6); about one in five has one to three supervisees over the norm;
about one worker in seven, and whoever is left when every supervisor is full, has no supervisor. Each
relationship has a regularity: the share of the last four quarters (91 days each, back from today) with a
session on one of their days (so some supervisees had none in the last quarter, a few none all year). Deterministic for a seed and a day; rows and their audit records are written in
bulk (``bulk_create_with_history``), attributed to the demo's national data manager.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from sswis.registry.models import Assignment
from sswis.support.models import (
    SupervisionKind,
    SupervisionMode,
    SupervisionRelationship,
    SupervisionSession,
)

SMALLEST_TEAM = 3
SUPERVISORS_PER_WORKERS = 8
UNSUPERVISED_SHARE = 0.14
ONLY_DUTY_SHARE = 0.3
OVER_NORM_SHARE = 0.2
NEWCOMER_SHARE = 0.2
REGULARITIES = (0.0, 0.25, 0.5, 0.75, 1.0)
KINDS = (SupervisionKind.SUPPORTIVE, SupervisionKind.EDUCATIONAL, SupervisionKind.ADMINISTRATIVE)
MODES = (SupervisionMode.INDIVIDUAL, SupervisionMode.INDIVIDUAL, SupervisionMode.GROUP, SupervisionMode.PEER)
TOPICS = ("Case review", "Caseload and priorities", "Self-care and stress", "Safeguarding", "Court reports")


def _teams(today: datetime.date) -> dict[int, list[tuple[int, datetime.date]]]:
    """Per location, the workers at work today (their latest active child protection assignment's
    location) with the start of their earliest assignment."""
    placed: dict[int, int] = {}
    for worker_id, location_id in (
        Assignment.objects.filter(child_protection=True, start_date__lte=today)
        .exclude(end_date__lt=today)
        .order_by("worker_id", "start_date", "pk")
        .values_list("worker_id", "location_id")
    ):
        placed[worker_id] = location_id  # the latest-starting one wins
    first = dict(
        Assignment.objects.filter(worker_id__in=placed)
        .order_by()
        .values("worker_id")
        .annotate(first=Min("start_date"))
        .values_list("worker_id", "first")
    )
    teams: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)
    for worker_id, location_id in sorted(placed.items()):
        teams[location_id].append((worker_id, first[worker_id]))
    return teams


def _sessions(
    rng: random.Random, relationship: SupervisionRelationship, today: datetime.date
) -> list[SupervisionSession]:
    regularity = rng.choice(REGULARITIES)
    sessions = []
    for quarters_back in range(4):
        if rng.random() >= regularity:
            continue
        day = today - datetime.timedelta(days=quarters_back * 91 + rng.randint(0, 90))
        if day < relationship.start_date:
            continue
        sessions.append(
            SupervisionSession(
                supervisor_id=relationship.supervisor_id,
                supervisee_id=relationship.supervisee_id,
                date=day,
                duration_minutes=rng.choice((30, 45, 60, 90)),
                kind=relationship.kind,
                topics=rng.choice(TOPICS),
            )
        )
    return sessions


@transaction.atomic
def demo_supervision_set(*, actor: Any, seed: int, today: datetime.date | None = None) -> tuple[int, int]:
    """Write the demo's supervision (module docstring); return the relationships and sessions written. A
    country that has supervision relationships already is left as it is (the demo run again: nothing)."""
    if SupervisionRelationship.objects.exists():
        return 0, 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    relationships: list[SupervisionRelationship] = []
    for _location, team in sorted(_teams(today).items()):
        if len(team) < SMALLEST_TEAM:
            continue
        by_experience = sorted(team, key=lambda member: (member[1], member[0]))
        count = max(1, len(team) // SUPERVISORS_PER_WORKERS)
        supervisors, others = by_experience[:count], by_experience[count:]
        if rng.random() < NEWCOMER_SHARE:  # a newcomer supervising: often not eligible
            newcomer = by_experience[-1]
            supervisors, others = [*supervisors[:-1], newcomer], [*by_experience[count - 1 : -1]]
        rng.shuffle(others)
        others = [member for member in others if rng.random() >= UNSUPERVISED_SHARE]
        for supervisor_id, supervisor_start in supervisors:
            only_duty = rng.random() < ONLY_DUTY_SHARE
            capacity = 10 if only_duty else 6
            if rng.random() < OVER_NORM_SHARE:
                capacity += rng.randint(1, 3)
            taken, others = others[:capacity], others[capacity:]
            for supervisee_id, supervisee_start in taken:
                start = max(
                    supervisor_start, supervisee_start, today - datetime.timedelta(days=rng.randint(60, 900))
                )
                relationships.append(
                    SupervisionRelationship(
                        supervisor_id=supervisor_id,
                        supervisee_id=supervisee_id,
                        start_date=start,
                        kind=rng.choice(KINDS),
                        mode=rng.choice(MODES),
                        supervision_only_duty=only_duty,
                    )
                )
    sessions = [session for relationship in relationships for session in _sessions(rng, relationship, today)]
    bulk_create_with_history(relationships, SupervisionRelationship, default_user=actor, batch_size=1000)
    bulk_create_with_history(sessions, SupervisionSession, default_user=actor, batch_size=1000)
    return len(relationships), len(sessions)
