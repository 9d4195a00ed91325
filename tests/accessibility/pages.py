"""Which pages the accessibility run visits, as whom, and which routes it leaves out and why.

Every route of the URL configuration (``tests/access/routes.py``) is either a page to visit or skipped
with a reason: the administration (Django's own pages, not sswis's), the API, the SMS webhooks, routes
that answer GET with 405 (a button's POST target) and, once fetched, answers that are not HTML
(downloads). A page is visited by the first persona of ``VISIT_ORDER`` that the access matrix
(``tests/access/matrix.py``) lets read it, so that the run needs one visit per page and language;
every persona's front page is visited too (their menus differ). A page about an object gets a real
object of the demo country (``object_values``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.access.matrix import MATRIX, PERSONAS
from tests.access.routes import Route, all_routes, url_of

VISIT_ORDER = (
    "national",
    "subnational",
    "focal_point",
    "analyst",
    "registrar",
    "worker",
    "institution",
    "administrator",
    "anonymous",
)
"""Who visits a page: the first of these the access matrix gives a 200."""

DEMO_USERNAMES = {
    "administrator": "admin",
    "national": "manager",
    "subnational": "officer",
    "focal_point": "focal",
    "analyst": "analyst",
    "registrar": "registrar",
    "worker": "worker",
    "institution": "institute",
}
"""The demo's login of each persona (``sswis/demo/personas.py``)."""

HOME_ROUTES = {"worker": "web:own_record", "anonymous": "web:login"}
"""A persona's front page; ``web:dashboard`` for the others."""

SKIPPED_PREFIXES = {
    "admin": "the administration: Django's own pages, for the system administrator",
    "api": "the API: JSON for programs, not pages",
    "rapidpro": "the SMS webhooks: JSON for RapidPro, POST only",
}


OBJECT_KINDS = (
    "worker",
    "organisation",
    "assignment",
    "import",
    "scenario",
    "study",
    "registration",
    "exam",
    "complaint",
    "institution",
    "accreditation",
    "programme",
    "instructor",
    "completion",
    "framework",
    "student",
    "placement",
    "association",
    "membership",
    "relationship",
    "session",
    "instrument",
    "quality_score",
    "duplicate-pair",
    "duplicate-run",
    "merge",
)
"""The kinds of object (the access matrix's names) whose pages the run opens; ``object_values`` finds one
of each in the demo country."""


@dataclass(frozen=True)
class Visit:
    """One page to open: the route, the persona who opens it and its URL (real objects filled in)."""

    route: str
    persona: str
    url: str


@dataclass(frozen=True)
class Skip:
    route: str
    reason: str


def _namespace(route: Route) -> str:
    """``admin``, ``api``, ``web``...: the route's namespace, or the first part of its path if unnamed."""
    first = route.pattern.split("/", 1)[0]
    if first in SKIPPED_PREFIXES:
        return first
    return route.id.split(":", 1)[0] if not route.id.startswith(route.pattern) else first


def _reader(route_id: str) -> str | None:
    """The first persona of ``VISIT_ORDER`` whose GET the matrix answers with 200 (in scope)."""
    row = MATRIX.get(route_id)
    if row is None:
        return None
    for persona in VISIT_ORDER:
        if row.get[PERSONAS.index(persona)].split("/")[0] == "200":
            return persona
    return None


def _row_says(route_id: str) -> str:
    row = MATRIX.get(route_id)
    return " ".join(row.get) if row is not None else "no row in the access matrix"


def plan(values: dict[str, dict[str, str]], *, every_persona: bool = False) -> tuple[list[Visit], list[Skip]]:
    """The pages to visit and the routes skipped, with the reason.

    ``values`` gives the URL parameters of each kind of object the matrix names (``object_values``); a
    route whose object has no value in the demo is skipped and says so, as is a route that nobody may
    read (the matrix answers 405 or a refusal to every persona). ``every_persona``: each page without
    an object is also visited by every other persona the matrix lets read it (their menus, buttons and
    scopes differ; the demo's objects are not in every persona's scope, so pages about one are not).
    """
    visits: list[Visit] = []
    skips: list[Skip] = []
    for route in all_routes():
        namespace = _namespace(route)
        if namespace in SKIPPED_PREFIXES:
            skips.append(Skip(route.id, SKIPPED_PREFIXES[namespace]))
            continue
        reader = _reader(route.id)
        if reader is None:
            row_says = _row_says(route.id).split()
            why = "a form's POST target: GET answers 405" if "405" in row_says else "no persona gets a page"
            skips.append(Skip(route.id, f"{why} (the access matrix)"))
            continue
        row = MATRIX[route.id]
        parameters: dict[str, str] = {}
        if route.parameters:
            found = values.get(row.object or "")
            if found is None:
                skips.append(Skip(route.id, f"the demo country has no {row.object}"))
                continue
            parameters = found
        visits.append(Visit(route.id, reader, url_of(route, parameters)))
        if every_persona and not route.parameters:
            cells = [cell.split("/")[0] for cell in row.get]
            visits += [
                Visit(route.id, persona, url_of(route, {}))
                for persona in VISIT_ORDER
                if persona != reader and cells[PERSONAS.index(persona)] == "200"
            ]
    visited = {(visit.route, visit.persona) for visit in visits}
    for persona in VISIT_ORDER:
        home = HOME_ROUTES.get(persona, "web:dashboard")
        if (home, persona) not in visited:
            route = next(route for route in all_routes() if route.id == home)
            visits.append(Visit(home, persona, url_of(route, {})))
    return visits, skips


def _first(query: Callable[[], Any], make: Callable[[Any], dict[str, str]]) -> dict[str, str] | None:
    found = query()
    return make(found) if found is not None else None


def object_values() -> dict[str, dict[str, str]]:
    """The URL parameters of one real object of each kind, read from the demo country's database.

    Objects are chosen to show much: the demo worker login's own worker (registered, assigned), the
    organisation of the demo focal point, the first of the rest. A kind the demo does not have is left out
    (its routes are then skipped, and the run says so).
    """
    from django.apps import apps

    from sswis.access.models import Role, UserScope
    from sswis.registry.models import Organisation, Worker

    def model(label: str) -> Any:
        return apps.get_model(label)

    Assignment, ImportRecord = model("registry.Assignment"), model("imports.ImportRecord")
    Scenario, WisnStudyRecord = model("planning.Scenario"), model("planning.WisnStudyRecord")
    Complaint, ExamSession = model("regulation.Complaint"), model("regulation.ExamSession")
    Registration = model("regulation.Registration")
    Association, Membership = model("support.Association"), model("support.Membership")
    SupervisionRelationship = model("support.SupervisionRelationship")
    SupervisionSession = model("support.SupervisionSession")
    Instrument, CriterionScore = model("quality.Instrument"), model("quality.CriterionScore")
    TrainingInstitution, Accreditation = (
        model("training.TrainingInstitution"),
        model("training.Accreditation"),
    )
    Programme, Instructor = model("training.Programme"), model("training.Instructor")
    Completion, CompetencyFramework = model("training.Completion"), model("training.CompetencyFramework")
    Student, Placement = model("training.Student"), model("training.Placement")
    WorkerMerge = model("registry.WorkerMerge")

    worker_scope = UserScope.objects.filter(role=Role.WORKER, worker__isnull=False).first()
    worker = (
        worker_scope.worker
        if worker_scope is not None
        else Worker.objects.filter(merged_into__isnull=True).order_by("worker_id").first()
    )
    focal_scope = UserScope.objects.filter(role=Role.ORGANISATION_FOCAL_POINT).first()
    organisation = (
        focal_scope.organisation if focal_scope is not None else Organisation.objects.order_by("code").first()
    )
    found: dict[str, dict[str, str] | None] = {
        "worker": {"worker_id": worker.worker_id} if worker is not None else None,
        "organisation": {"code": organisation.code} if organisation is not None else None,
        "assignment": _first(
            lambda: Assignment.objects.filter(worker=worker).order_by("start_date").first(),
            lambda item: {"assignment_uuid": str(item.uuid)},
        ),
        "import": _first(
            lambda: ImportRecord.objects.order_by("created_at").first(),
            lambda item: {"record_uuid": str(item.uuid), "extension": "csv"},
        ),
        "scenario": _first(
            lambda: Scenario.objects.order_by("code").first(),
            lambda item: {"code": item.code, "extension": "csv"},
        ),
        "study": _first(
            lambda: WisnStudyRecord.objects.order_by("code").first(),
            lambda item: {"code": item.code},
        ),
        "registration": _first(
            lambda: (
                Registration.objects.filter(worker=worker).order_by("pk").first()
                or Registration.objects.order_by("pk").first()
            ),
            lambda item: {"pk": str(item.pk)},
        ),
        "exam": _first(lambda: ExamSession.objects.order_by("pk").first(), lambda item: {"pk": str(item.pk)}),
        "complaint": _first(
            lambda: Complaint.objects.order_by("pk").first(), lambda item: {"pk": str(item.pk)}
        ),
        "institution": _first(
            lambda: TrainingInstitution.objects.order_by("code").first(),
            lambda item: {"code": item.code},
        ),
        "accreditation": _first(
            lambda: Accreditation.objects.order_by("pk").first(), lambda item: {"pk": str(item.pk)}
        ),
        "programme": _first(
            lambda: Programme.objects.order_by("code").first(),
            lambda item: {"code": item.code},
        ),
        "instructor": _first(
            lambda: Instructor.objects.order_by("pk").first(), lambda item: {"pk": str(item.pk)}
        ),
        "completion": _first(
            lambda: Completion.objects.order_by("pk").first(),
            lambda item: {"uuid": str(item.uuid)},
        ),
        "framework": _first(
            lambda: CompetencyFramework.objects.select_related("cadre").order_by("cadre__code").first(),
            lambda item: {"code": item.cadre.code},
        ),
        "student": _first(lambda: Student.objects.order_by("pk").first(), lambda item: {"pk": str(item.pk)}),
        "placement": _first(
            lambda: Placement.objects.order_by("pk").first(), lambda item: {"pk": str(item.pk)}
        ),
        "association": _first(
            lambda: Association.objects.order_by("code").first(),
            lambda item: {"code": item.code},
        ),
        "membership": _first(
            lambda: Membership.objects.order_by("pk").first(),
            lambda item: {"membership_uuid": str(item.uuid)},
        ),
        "relationship": _first(
            lambda: SupervisionRelationship.objects.order_by("pk").first(),
            lambda item: {"relationship_uuid": str(item.uuid)},
        ),
        "session": _first(
            lambda: SupervisionSession.objects.order_by("pk").first(),
            lambda item: {"session_uuid": str(item.uuid)},
        ),
        # With a file, so that the file's page has one to give (the demo attaches one to each).
        "instrument": _first(
            lambda: Instrument.objects.exclude(file="").order_by("pk").first(),
            lambda item: {"instrument_uuid": str(item.uuid), "uuid": str(item.uuid)},
        ),
        "quality_score": _first(
            lambda: CriterionScore.objects.exclude(file="").order_by("pk").first(),
            lambda item: {"score_uuid": str(item.uuid)},
        ),
        # The demo's stored run and one of its open pairs (``sswis.demo.duplicates``).
        "duplicate-pair": _first(
            lambda: model("duplicates.CandidatePair").objects.filter(status="open").order_by("pk").first(),
            lambda item: {"pair_id": str(item.pk)},
        ),
        "duplicate-run": _first(
            lambda: model("duplicates.DuplicateRun").objects.order_by("pk").first(),
            lambda item: {"run_id": str(item.pk), "uuid": str(item.uuid)},
        ),
        "merge": _first(
            lambda: WorkerMerge.objects.order_by("pk").first(),
            lambda item: {"merge_uuid": str(item.uuid), "uuid": str(item.uuid)},
        ),
    }
    assert set(found) == set(OBJECT_KINDS), "object_values and OBJECT_KINDS name the same kinds"
    return {kind: value for kind, value in found.items() if value is not None}
