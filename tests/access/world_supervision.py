"""Supervision's rows of the access matrix's world (issue 13): each side's worker supervises a second
worker of the same organisation and location from 1 January 2024, with one session on 1 March 2024."""

from __future__ import annotations

import datetime
from typing import Any

from sswis.support.supervision import relationship_create, session_record
from tests.factories import AssignmentFactory, WorkerFactory


def supervision_world_add(world: Any, *, side: str, supervisor: Any, assignment: Any, actor: Any) -> None:
    supervisee = WorkerFactory(worker_id=f"SUPERVISEE-{side}")
    AssignmentFactory(
        worker=supervisee,
        organisation=assignment.organisation,
        location=assignment.location,
        cadre=assignment.cadre,
        start_date=datetime.date(2021, 1, 1),
    )
    relationship = relationship_create(
        actor=actor, supervisor=supervisor, supervisee=supervisee, start_date=datetime.date(2024, 1, 1)
    )
    session = session_record(
        actor=actor, supervisor=supervisor, supervisee=supervisee, date=datetime.date(2024, 3, 1)
    )
    world.values[("relationship", side)] = {"relationship_uuid": str(relationship.uuid)}
    world.values[("session", side)] = {"session_uuid": str(session.uuid)}
