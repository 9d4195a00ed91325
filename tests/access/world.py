"""The data of the access matrix: a small country with two sides, one login per persona, and one row of
every kind a route can be about.

* **north**: ministry (MSW) worker at D11 (region R1, the subnational officer's area), post ``P-NORTH``,
  cadre SW, population of D11, survey round 2024, an import made by the subnational officer, the SW
  cadre's competency framework (which the worker lacks);
* **south**: NGO1 worker at D21 (region R2, the NGO1 focal point's organisation), post ``P-SOUTH``,
  cadre PSW, population of D21, survey round 2025, an import made by the focal point, the PSW cadre's
  competency framework.

Each side also has a regulatory council (C-north, C-south) with a register, the side's worker registered
on it, an exam session with that worker entered, and a complaint against the registration with a note in
its case file; the registrar persona keeps C-north. And a training institution (I-north, I-south) with an
accreditation, a programme (PR-north, PR-south), an instructor, the programme's 2024 intake and the side's
worker's completion of it; the institution persona is I-north's focal point.

Each side's institution (I-north, I-south) has a programme with a student placed at the side's
organisation under the side's worker, and the organisation offers practicum places for 2024; and an
online course with a completion whose person matched no worker.

Each side also has a professional association (north's regional, of R1; south's national) of which the
side's worker is a member.

So the subnational officer has north in scope and south out of scope, the focal point the reverse, and
the national data manager both. The two workers carry recognisable names, national ids, phone numbers
and e-mail addresses (``MARKERS``) that must never reach a persona who may not see them; the complainants
and the case files (``CASE_FILE_MARKERS``) are the registrar's office's of each council alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult
from knox.models import AuthToken

from sswis.access.models import Role
from sswis.access.services import user_create_with_role
from sswis.dhis2.models import Dhis2Push, Dhis2PushConflict
from sswis.exports.models import ExportFormat
from sswis.exports.services import worker_export
from sswis.geo.models import Location
from sswis.imports.modes import ImportMode
from sswis.imports.services import import_record_create, import_record_run
from sswis.planning.services import norm_set, scenario_save, wisn_study_save
from sswis.primero.models import PrimeroSync
from sswis.quality.services import instrument_add, score_record
from sswis.rapidpro.tokens import webhook_token_create
from sswis.registry.merging import worker_merge
from sswis.registry.models import Worker
from sswis.registry.selectors import WorkerFilters
from sswis.regulation.discipline import case_file_entry_add, complaint_receive
from sswis.regulation.exams import exam_candidate_enter, exam_session_set
from sswis.regulation.services import (
    register_set,
    registration_apply,
    registration_approve,
    registration_review,
    regulatory_body_set,
)
from sswis.reports.models import ProfileReport
from sswis.support.associations import association_create, membership_create
from sswis.support.caseloads import caseload_norm_set, caseload_set
from sswis.training.competencies import (
    competency_area_add,
    competency_save,
    framework_set,
    requirement_set,
)
from sswis.training.models import Programme, TrainingInstitution, UnmatchedCompletion
from sswis.training.practicum import placement_create, practicum_offer_set, student_create
from sswis.training.services import (
    accreditation_add,
    completion_record,
    instructor_add,
    intake_set,
    programme_create,
)
from tests.access.matrix import PERSONAS
from tests.access.world_supervision import supervision_world_add
from tests.factories import (
    AssignmentFactory,
    CadreFactory,
    LocationFactory,
    OrganisationFactory,
    PopulationEstimateFactory,
    PostFactory,
    SurveyRoundFactory,
    WorkerFactory,
)

PERSON_FIELDS = ("worker_id", "given_name", "family_name", "national_id", "phone", "email")
NAME_FIELDS = PERSON_FIELDS[:3]  # the first markers of each side: who the worker is, not how to reach them

NORTH_WORKER = {
    "worker_id": "WX-NORTH-7301",
    "given_name": "Zephyrine",
    "family_name": "Quillfeather",
    "national_id": "NID-730-19-42",
    "phone": "+260977730191",
    "email": "zephyrine.quillfeather@north.example",
}
SOUTH_WORKER = {
    "worker_id": "WX-SOUTH-8402",
    "given_name": "Bartholomew",
    "family_name": "Okonkwo-Vance",
    "national_id": "NID-840-27-53",
    "phone": "+260966840272",
    "email": "bartholomew.okonkwo@south.example",
}
MARKERS = {"north": tuple(NORTH_WORKER.values()), "south": tuple(SOUTH_WORKER.values())}
"""What identifies each side's worker: none of it may appear in a response to a persona who may not see
that worker (every side for an analyst, a system administrator, an outsider or an anonymous visitor)."""

CASE_FILE_MARKERS = {
    "north": ("Marigold Featherstonehaugh", "+260955731904", "Case note Quarrendale-North"),
    "south": ("Ignatius Pemberton-Lowe", "+260955842715", "Case note Quarrendale-South"),
}
"""Each side's complainant's name and contact and the text of its complaint's case file: only the
registrar persona (C-north's registrar's office) may receive north's, and only on that complaint's own
page and API answer; nobody south's (the national data manager included)."""

# Which side a persona has in scope ("in") and out of scope ("out"). The national data manager sees both.
SIDES = {persona: ("north", "south") for persona in PERSONAS} | {"focal_point": ("south", "north")}
NAMES_IN_SCOPE = {"institution": {"north"}}
"""Whose names only (worker ID, given and family name: never the national ID, phone or e-mail) each persona
may receive besides ``PEOPLE_IN_SCOPE``: the north institution's focal point, the supervisor of its
student's practicum placement (north's worker, registered: a name the public register shows too)."""
PEOPLE_IN_SCOPE = {
    "national": {"north", "south"},
    "subnational": {"north"},
    "focal_point": {"south"},
    "registrar": {"north"},  # the north council's registrar: its registrations' identity fields
    "worker": {"north"},  # the north worker's own login
    "institution": {"north"},  # I-north's focal point: the identity of its programme's graduates
}
"""Whose markers each persona may receive; everyone else none."""

CADRES = b"code,name,category\nCCW,Community child care worker,allied\n"


@dataclass
class World:
    users: dict[str, Any]
    values: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    """(object kind, side) -> the URL parameters of that object."""

    def parameters(self, kind: str | None, side: str) -> dict[str, str]:
        base = {"format": "json", "extension": "csv", "url": "no-such-page/", "app_label": "registry"}
        if kind is None:
            return base
        return base | self.values[(kind, side)]


def _history(instance: Any) -> dict[str, str]:
    return {"#0": str(instance.pk), "#1": str(instance.history.latest().history_id)}


def world_build() -> World:
    """Create the data of the matrix (inside the caller's transaction)."""
    root = LocationFactory(code="KD", name="Kandara", level="country")
    region_1 = LocationFactory(code="R1", name="North", parent=root, level="region")
    region_2 = LocationFactory(code="R2", name="South", parent=root, level="region")
    d11 = LocationFactory(code="D11", name="Alpha", parent=region_1)
    d21 = LocationFactory(code="D21", name="Gamma", parent=region_2)
    ministry = OrganisationFactory(
        code="MSW", name="Ministry of Social Welfare", type="government", location=root
    )
    ngo = OrganisationFactory(code="NGO1", name="Hope for Children", type="ngo", location=region_2)
    social_worker = CadreFactory(code="SW", name="Social worker", category="professional")
    para = CadreFactory(code="PSW", name="Para-social worker", category="para_professional")

    def login(username: str, role: Role, **scope: Any) -> Any:
        staff = role in (Role.SYSTEM_ADMINISTRATOR, Role.NATIONAL_DATA_MANAGER)
        return user_create_with_role(
            actor=None, username=username, password=f"{username}-pw", role=role, is_staff=staff, **scope
        )

    users = {
        "administrator": login("admin", Role.SYSTEM_ADMINISTRATOR),
        "national": login("manager", Role.NATIONAL_DATA_MANAGER),
        "subnational": login("officer", Role.SUBNATIONAL_OFFICER, location=region_1),
        "focal_point": login("focal", Role.ORGANISATION_FOCAL_POINT, organisation=ngo),
        "analyst": login("analyst", Role.ANALYST),
    }
    councils = {
        side: regulatory_body_set(actor=users["national"], code=f"C-{side}", name=f"Council {side}")
        for side in ("north", "south")
    }
    users["registrar"] = login("registrar", Role.REGISTRAR, regulatory_body=councils["north"])
    institutions = {
        side: TrainingInstitution.objects.create(code=f"I-{side}", name=f"Institute {side}", kind="college")
        for side in ("north", "south")
    }
    users["institution"] = login(
        "institution", Role.INSTITUTION_FOCAL_POINT, training_institution=institutions["north"]
    )
    from django.contrib.auth import get_user_model

    users["outsider"] = get_user_model().objects.create_user(username="outsider", password="outsider-pw")
    users["anonymous"] = None
    world = World(users=users)

    sides = {
        "north": (NORTH_WORKER, ministry, d11, social_worker, "P-NORTH", "2024", users["subnational"]),
        "south": (SOUTH_WORKER, ngo, d21, para, "P-SOUTH", "2025", users["focal_point"]),
    }
    for side, (person, organisation, location, cadre, post_code, round_code, importer) in sides.items():
        worker = WorkerFactory(**person, sex="female")
        post = PostFactory(code=post_code, organisation=organisation, location=location, cadre=cadre)
        assignment = AssignmentFactory(
            worker=worker,
            organisation=organisation,
            location=location,
            cadre=cadre,
            post=post,
            start_date=datetime.date(2020, 1, 1),
        )
        population = PopulationEstimateFactory(location=location, year=2024, children=10000)
        survey_round = SurveyRoundFactory(code=round_code)
        record = import_record_create(
            actor=importer, file_name=f"{side}.csv", chunks=[CADRES], mode=ImportMode.DRY_RUN
        )
        record = import_record_run(record=record)
        values = world.values
        values[("worker", side)] = {"worker_id": worker.worker_id}
        values[("assignment", side)] = {"uuid": str(assignment.uuid), "assignment_uuid": str(assignment.uuid)}
        values[("organisation", side)] = {"code": organisation.code, "object_id": str(organisation.pk)}
        values[("location", side)] = {"code": location.code, "object_id": str(location.pk)}
        values[("cadre", side)] = {"code": cadre.code, "object_id": str(cadre.pk)}
        values[("post", side)] = {"code": post.code}
        values[("population", side)] = {"uuid": str(population.uuid), "object_id": str(population.pk)}
        values[("round", side)] = {"code": survey_round.code}
        values[("import", side)] = {"uuid": str(record.uuid), "record_uuid": str(record.uuid)}
        scenario = scenario_save(
            actor=None,
            data={
                "code": f"S-{side}",
                "name": f"Scenario {side}",
                "base_year": 2024,
                "horizon": 2,
                "location": location.code,
                "cadres": {cadre.code: {"target_per_100k": 10}},
            },
        )
        values[("scenario", side)] = {"code": scenario.code}
        norm = norm_set(
            actor=users["national"],
            location=location,
            target_per_100k=Decimal(10),
            valid_from=2024,
            source="Matrix",
        )
        values[("norm", side)] = {"pk": str(norm.pk)}
        study = wisn_study_save(
            actor=None,
            code=f"W-{side}",
            name=f"Study {side}",
            data={
                "cadre": cadre.code,
                "location": location.code,
                "year": 2024,
                "working_time": {
                    "working_days": 260,
                    "public_holidays": 12,
                    "annual_leave": 21,
                    "sick_leave": 10,
                    "other_leave": 5,
                    "hours_per_day": 8,
                },
                "activities": [{"name": "Visits", "annual_workload": 100, "unit_time_hours": 2}],
            },
        )
        values[("study", side)] = {"code": study.code}
        register = register_set(
            actor=users["national"], body=councils[side], code=f"REG-{side}", name=f"Register {side}"
        )
        registration = registration_apply(
            actor=users["national"], register=register, worker=worker, applied_on=datetime.date(2024, 1, 1)
        )
        values[("registration", side)] = {"pk": str(registration.pk), "step": "review"}
        registration_review(actor=users["national"], registration=registration, documents_checked=True)
        registration_approve(
            actor=users["national"],
            registration=registration,
            number=f"{side.upper()}-1",
            registered_on=datetime.date(2024, 1, 2),
        )
        session = exam_session_set(
            actor=users["national"],
            register=register,
            code=f"E-{side}",
            held_on=datetime.date(2024, 6, 1),
            pass_mark=Decimal(50),
            max_score=Decimal(100),
        )
        exam_candidate_enter(actor=users["national"], session=session, worker=worker)
        values[("exam", side)] = {"pk": str(session.pk), "step": "enter"}
        name, contact, note = CASE_FILE_MARKERS[side]
        complaint = complaint_receive(
            actor=users["national"],
            body=councils[side],
            registration=registration,
            complainant_kind="public",
            complainant_name=name,
            complainant_contact=contact,
            received_on=datetime.date(2024, 7, 1),
            summary=f"Complaint to Council {side}.",
        )
        case_file_entry_add(
            actor=users["national"], complaint=complaint, recorded_on=datetime.date(2024, 7, 2), text=note
        )
        values[("complaint", side)] = {"pk": str(complaint.pk), "step": "investigate"}
        institution = institutions[side]
        accreditation = accreditation_add(
            actor=users["national"],
            institution=institution,
            accredited_by=f"Council {side}",
            valid_from=datetime.date(2020, 1, 1),
        )
        programme = programme_create(
            actor=users["national"],
            code=f"PR-{side}",
            name=f"Diploma {side}",
            kind="pre_service_diploma",
            institution=institution,
            duration_months=24,
            cadres=[cadre],
            practicum_hours=400,
            supervisor_experience_years=2,
        )
        instructor = instructor_add(
            actor=users["national"],
            institution=institution,
            name=f"Instructor {side}",
            programmes=[programme],
        )
        intake_set(actor=users["national"], programme=programme, year=2024, enrolled=30)
        completion = completion_record(
            actor=users["national"],
            worker=worker,
            programme=programme,
            completed_on=datetime.date(2024, 6, 30),
        )
        values[("institution", side)] = {"code": institution.code}
        values[("accreditation", side)] = {"pk": str(accreditation.pk)}
        values[("programme", side)] = {"code": programme.code}
        values[("instructor", side)] = {"pk": str(instructor.pk)}
        values[("completion", side)] = {"uuid": str(completion.uuid)}
        student = student_create(
            actor=users["national"],
            programme=programme,
            student_number=f"ST-{side}",
            given_name="Student",
            family_name=side.capitalize(),
            intake_year=2023,
        )
        values[("student", side)] = {"pk": str(student.pk)}
        placement = placement_create(
            actor=users["national"],
            student=student,
            organisation=organisation,
            supervisor=worker,  # registered on 2 January 2024, working since 2020
            starts_on=datetime.date(2024, 3, 1),
            ends_on=datetime.date(2024, 6, 30),
            hours_planned=400,
        )
        values[("placement", side)] = {"pk": str(placement.pk), "step": "hours"}
        practicum_offer_set(actor=users["national"], organisation=organisation, year=2024, places=2)
        # A competency framework for the side's cadre (SW north, PSW south), which the side's worker lacks.
        framework = framework_set(actor=users["national"], cadre=cadre, name=f"Competencies {cadre.code}")
        area = competency_area_add(
            actor=users["national"], framework=framework, code="CASE", name="Case work"
        )
        competency = competency_save(
            actor=users["national"], code=f"CM-{side}", name="Case management", levels=3
        )
        requirement_set(actor=users["national"], area=area, competency=competency, level=2)
        values[("framework", side)] = {"code": cadre.code, "what": "rename"}
        # A completion of an online course of the side's institution whose person matched no worker.
        course = Programme.objects.create(
            code=f"LIST-{side}",
            name=f"Online course {side}",
            institution=institutions[side],
            kind="online_course",
        )
        unmatched = UnmatchedCompletion.objects.create(
            programme=course,
            person_identifier=f"learner-{side}@platform.example",
            person_name=f"Learner {side}",
            completed_on=datetime.date(2024, 3, 2),
            file_name=f"platform-{side}.csv",
            row_number=1,
        )
        values[("unmatched", side)] = {"pk": str(unmatched.pk)}
        supervision_world_add(
            world, side=side, supervisor=worker, assignment=assignment, actor=users["national"]
        )
        if side == "north":
            users["worker"] = login("worker", Role.WORKER, worker=worker)
        values[("organisation-history", side)] = _history(organisation)
        values[("location-history", side)] = _history(location)
        values[("cadre-history", side)] = _history(cadre)
        values[("population-history", side)] = _history(population)

    # Primero (issue 13): both sides' workers carry a Primero user name (the hand-over directory lists
    # them); a sync kept in the history names a Primero account that matched no worker.
    Worker.objects.filter(worker_id=NORTH_WORKER["worker_id"]).update(primero_user_name="zephyrine.q")
    Worker.objects.filter(worker_id=SOUTH_WORKER["worker_id"]).update(primero_user_name="bartholomew.ov")
    PrimeroSync.objects.create(
        origin="command",
        url="https://primero.example",
        month=datetime.date(2025, 1, 1),
        status="finished",
        unmatched=[{"user_name": "former.caseworker", "open_cases": 3}],
    )
    # DHIS2 (issue 14): a push kept in the history with a conflict on a value it sent (figures only).
    push = Dhis2Push.objects.create(
        origin="command",
        url="https://dhis2.example",
        year=2024,
        format="json",
        status="warning",
        values_sent=2,
    )
    Dhis2PushConflict.objects.create(
        push=push,
        object="OUr10000001",
        value="Period is locked",
        index=1,
        data_element="DEcount0001",
        sent_value="7",
    )
    for side in ("north", "south"):
        values[("dhis2-push", side)] = {"push_uuid": str(push.uuid), "uuid": str(push.uuid)}
    # Workforce profiles (issue 15): north's made by the subnational officer, south's by the focal point,
    # each finished with its file and not for publication: only its maker and the national data manager
    # may read it.
    for side, maker, place in (
        ("north", users["subnational"], region_1),
        ("south", users["focal_point"], region_2),
    ):
        report = ProfileReport.objects.create(
            user=maker,
            origin="page",
            location=place,
            year=2024,
            language="en",
            format="html",
            status="finished",
        )
        report.file.save(report.file_name, ContentFile(b"<!DOCTYPE html><title>profile</title>"), save=False)
        report.save(update_fields=["file"])
        world.values[("profile", side)] = {"report_uuid": str(report.uuid)}
    # Professional associations (support): north's is a regional association of R1, south's a national one;
    # each side's worker is a member of their side's association.
    for side, person, region in (("north", NORTH_WORKER, region_1), ("south", SOUTH_WORKER, None)):
        association = association_create(
            actor=users["national"],
            code=f"AS-{side}",
            name=f"Association {side}",
            scope="regional" if region is not None else "national",
            region=region,
        )
        membership = membership_create(
            actor=users["national"],
            worker=Worker.objects.get(worker_id=person["worker_id"]),
            association=association,
            member_from=datetime.date(2021, 1, 1),
        )
        world.values[("association", side)] = {"code": association.code}
        world.values[("membership", side)] = {
            "uuid": str(membership.uuid),
            "membership_uuid": str(membership.uuid),
        }
    # --- support: caseloads: each side's worker's caseload of June 2025, and a norm of the side's cadre.
    for side, (person, _organisation, _location, cadre, *_rest) in sides.items():
        caseload, _changed = caseload_set(
            actor=users["national"],
            worker=Worker.objects.get(worker_id=person["worker_id"]),
            month=datetime.date(2025, 6, 1),
            open_cases=12,
        )
        world.values[("caseload", side)] = {"uuid": str(caseload.uuid)}
        norm = caseload_norm_set(actor=users["national"], cadre=cadre, maximum_open_cases=10)
        world.values[("caseload_norm", side)] = {"pk": str(norm.pk)}

    # Rows of the other administration pages (one for both sides: they are not scoped).
    group = Group.objects.create(name="Matrix group")
    token, _secret = AuthToken.objects.create(user=users["national"])
    attempt = AccessAttempt.objects.create(
        username="someone",
        ip_address="10.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    access_log = AccessLog.objects.create(
        username="someone", ip_address="10.0.0.1", user_agent="test", http_accept="*/*", path_info="/login/"
    )
    failure = AccessFailureLog.objects.create(
        username="someone", ip_address="10.0.0.1", user_agent="test", http_accept="*/*", path_info="/login/"
    )
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="sswis.imports.tasks.import_run",
        backend_name="default",
        queue_name="default",
        run_after=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        exception_class_path="",
        traceback="",
    )
    export = worker_export(actor=users["national"], filters=WorkerFilters(), file_format=ExportFormat.CSV)
    location_type = ContentType.objects.get_for_model(Location)
    shared = {
        "group": {"object_id": str(group.pk)},
        "token": {"object_id": str(token.pk)},
        "accessattempt": {"object_id": str(attempt.pk)},
        "accesslog": {"object_id": str(access_log.pk)},
        "accessfailurelog": {"object_id": str(failure.pk)},
        "task": {"object_id": str(task.pk)},
        "user": {"object_id": str(users["analyst"].pk), "id": str(users["analyst"].pk)},
        "exportrecord": {"object_id": str(export.record.pk)},
        "content": {"content_type_id": str(location_type.pk), "object_id": str(d11.pk)},
    }
    shared["setup"] = {"what": "provider"}
    for kind, value in shared.items():
        world.values[(kind, "north")] = world.values[(kind, "south")] = value

    # SMS through RapidPro (issue 13 item 7): a webhook token, the same for both sides (tokens are not scoped).
    sms_token, _sms_secret = webhook_token_create(actor=users["national"], name="Matrix flows")
    world.values[("webhook_token", "north")] = world.values[("webhook_token", "south")] = {
        "pk": str(sms_token.pk)
    }

    # The quality-assurance score (not scoped: national documents): each side an instrument of the
    # normative framework and a score of record, each with a file.
    for side, year in (("north", 2023), ("south", 2024)):
        instrument = instrument_add(
            actor=users["national"],
            kind="law",
            title=f"Children's Act {side}",
            status="in_force",
            file=SimpleUploadedFile(f"act-{side}.pdf", b"%PDF act"),
        )
        score = score_record(
            actor=users["national"],
            year=year,
            criterion="framework",
            score=3,
            evidence="The Children's Act",
            file=SimpleUploadedFile(f"review-{side}.pdf", b"%PDF review"),
        )
        world.values[("instrument", side)] = {
            "instrument_uuid": str(instrument.uuid),
            "uuid": str(instrument.uuid),
        }
        world.values[("quality_score", side)] = {"score_uuid": str(score.uuid)}
    _duplicates_add(world)
    # Merges (issue 16): each side's worker absorbed a record of their own without rows (so that nothing
    # else of the world changes); the north one is in the subnational officer's area.
    for side, (person, *_rest) in sides.items():
        duplicate = WorkerFactory(worker_id=f"DUP-{side.upper()}", given_name="Recorded", family_name="Twice")
        merge = worker_merge(
            actor=users["national"],
            surviving=Worker.objects.get(worker_id=person["worker_id"]),
            merged=duplicate,
            reason="Recorded twice",
        )
        world.values[("merge", side)] = {"merge_uuid": str(merge.uuid), "uuid": str(merge.uuid)}
    _fhir_values_add(world, users["national"])
    return world


def _fhir_values_add(world: World, reader: Any) -> None:
    """The FHIR directory (issue 14): each side's worker, assignment, organisation and location as the
    resources ``fhir-<type>`` with their id and current version (for read and vread)."""
    from sswis.fhir.kinds import KINDS
    from sswis.fhir.render import resources_render

    for side, person in (("north", NORTH_WORKER), ("south", SOUTH_WORKER)):
        worker = Worker.objects.get(worker_id=person["worker_id"])
        assignment = worker.assignments.get()
        rows = {
            "Practitioner": worker,
            "PractitionerRole": assignment,
            "Organization": assignment.organisation,
            "Location": assignment.location,
        }
        for type_name, row in rows.items():
            [resource] = resources_render(
                kind=KINDS[type_name], rows=[row], user=reader, base_url="http://testserver/fhir"
            )
            world.values[(f"fhir-{type_name.lower()}", side)] = {
                "resource_id": resource["id"],
                "version": resource["meta"]["versionId"],
            }


def _duplicates_add(world: World) -> None:
    """Duplicate detection (issue 16): a finished run (not scoped) with, on each side, a pair of the side's
    worker and a second record of them in the same district; and a stored model (untrained settings)."""
    from django.utils import timezone

    from sswis.duplicates.linkage import settings_create
    from sswis.duplicates.models import CandidatePair, DuplicateRun, LinkageModel
    from sswis.registry.models import Worker

    LinkageModel.objects.create(splink_settings=settings_create().get_settings("duckdb").as_dict())
    run = DuplicateRun.objects.create(
        origin="command", threshold=0.9, status="success", finished_at=timezone.now(), pairs_count=2
    )
    for side in ("north", "south"):
        worker = Worker.objects.get(worker_id=world.values[("worker", side)]["worker_id"])
        first = worker.assignments.get()
        copy = WorkerFactory(given_name=worker.given_name, family_name=worker.family_name, sex="female")
        AssignmentFactory(
            worker=copy, organisation=first.organisation, location=first.location, cadre=first.cadre,
            start_date=datetime.date(2021, 1, 1),
        )  # fmt: skip
        low, high = sorted((worker, copy), key=lambda person: person.pk)
        pair = CandidatePair.objects.create(
            run=run, worker_a=low, worker_b=high, probability=0.99, match_weight=10.0, reasons={}, cluster=1
        )
        world.values[("duplicate-pair", side)] = {"pair_id": str(pair.pk)}
        world.values[("duplicate-run", side)] = {"run_id": str(run.pk), "uuid": str(run.uuid)}
