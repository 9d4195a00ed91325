"""The demo country's training beyond the template's programmes and completions: its two institutions'
kinds, accreditation periods and instructors, the programmes' durations and cadres, yearly intakes, the
competency frameworks of social workers and para-social workers (and what the programmes build), a few
assessments, and field practicum students, offers and placements.

Everything goes through the training's services, attributed to the demo's national data manager, from a
fixed seed: every demo start gives the same training. Needs the demo template (with ``programmes.csv`` and
``completions.csv``) imported and the regulation set (practicum supervisors must be registered).
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sswis.demo.training_files import TRAINING_UNIT, UNIVERSITY
from sswis.geo.models import Location
from sswis.registry.models import Assignment, Cadre, Organisation, OrganisationType, Worker
from sswis.training.competencies import (
    competency_area_add,
    competency_assessment_record,
    competency_save,
    framework_set,
    programme_competency_set,
    requirement_set,
)
from sswis.training.models import Programme, TrainingInstitution
from sswis.training.models_competencies import Competency, CompetencyAssessment
from sswis.training.practicum import (
    placement_create,
    placement_evaluate,
    placement_hours_record,
    practicum_offer_set,
    student_create,
)
from sswis.training.services import (
    accreditation_add,
    institution_change,
    instructor_add,
    intake_set,
    programme_change,
)

# institution name -> code, kind, accreditations (accredited by, from, until)
INSTITUTIONS: dict[str, tuple[str, str, tuple[tuple[str, str, str | None], ...]]] = {
    UNIVERSITY: (
        "UKSSW",
        "university",
        (("National Council for Higher Education", "2015-01-01", "2029-12-31"),),
    ),
    TRAINING_UNIT: (
        "KCPTU",
        "ngo_training_unit",
        (
            ("Ministry of Gender, Children and Social Welfare", "2018-01-01", "2022-12-31"),
            ("Ministry of Gender, Children and Social Welfare", "2023-01-01", None),
        ),
    ),
}

# programme code -> duration (months), education awarded, cadres, practicum hours, supervisor's years,
# yearly intake (0: none recorded)
PROGRAMMES: dict[str, tuple[int, str, tuple[str, ...], int, int, int]] = {
    "BSW": (48, "bachelor", ("SWO", "SW", "PO", "CM"), 400, 3, 70),
    "DSW": (24, "diploma", ("SW", "CM"), 200, 2, 45),
    "CHILD-VICTIMS": (3, "", ("SWO", "SW", "PO", "CM", "PSW", "CCYCW"), 0, 0, 90),
    "PSW-CERT": (6, "certificate", ("PSW", "CCYCW"), 80, 2, 140),
    "CM-COURSE": (1, "", ("SW", "CM", "PSW"), 0, 0, 60),
    "PFA-ONLINE": (1, "", (), 0, 0, 0),
}

# framework cadre -> name, areas: (code, name, ((competency code, level required), ...))
FRAMEWORKS: dict[str, tuple[str, tuple[tuple[str, str, tuple[tuple[str, int], ...]], ...]]] = {
    "SW": (
        "Social worker competency framework",
        (
            (
                "PRACTICE",
                "Child protection practice",
                (("CASE-MGMT", 3), ("CP-LAW", 2), ("CHILD-VICTIMS", 2)),
            ),
            ("SUPPORT", "Support to children and families", (("PSS", 2), ("FAMILY", 2), ("ALT-CARE", 2))),
            ("PROFESSION", "Professional practice", (("ETHICS", 2), ("RECORDS", 2))),
        ),
    ),
    "PSW": (
        "Para-social worker competency framework",
        (
            ("PRACTICE", "Child protection practice", (("CASE-MGMT", 1), ("CHILD-VICTIMS", 1))),
            ("SUPPORT", "Support to children and families", (("PSS", 1), ("FAMILY", 1))),
            ("PROFESSION", "Professional practice", (("ETHICS", 1), ("RECORDS", 1))),
        ),
    ),
}

# competency code -> name, levels, perception survey topic
COMPETENCIES: dict[str, tuple[str, int, str]] = {
    "CASE-MGMT": ("Child protection case management", 3, "case_management"),
    "CP-LAW": ("Child protection law and procedures", 3, "child_protection_law"),
    "CHILD-VICTIMS": ("Working with child victims of violence", 3, "gender_based_violence"),
    "PSS": ("Psychosocial support", 3, "psychosocial_support"),
    "FAMILY": ("Family strengthening and parenting support", 3, "family_strengthening"),
    "ALT-CARE": ("Alternative care", 3, "alternative_care"),
    "ETHICS": ("Professional ethics and values", 3, ""),
    "RECORDS": ("Records and information management", 3, "information_management"),
}

# programme code -> competencies built (code, level)
BUILT: dict[str, tuple[tuple[str, int], ...]] = {
    "BSW": (
        ("CASE-MGMT", 2),
        ("CP-LAW", 2),
        ("PSS", 2),
        ("FAMILY", 2),
        ("ALT-CARE", 2),
        ("ETHICS", 2),
        ("RECORDS", 2),
    ),
    "DSW": (("CASE-MGMT", 2), ("PSS", 1), ("FAMILY", 2), ("ETHICS", 1), ("RECORDS", 1)),
    "CHILD-VICTIMS": (("CHILD-VICTIMS", 2), ("CP-LAW", 2)),
    "PSW-CERT": (("CASE-MGMT", 1), ("PSS", 1), ("FAMILY", 1), ("ETHICS", 1), ("RECORDS", 1)),
    "CM-COURSE": (("CASE-MGMT", 3), ("RECORDS", 2)),
    "PFA-ONLINE": (("PSS", 1),),
}

GIVEN_NAMES = ("Amina", "Baraka", "Chiku", "Daudi", "Esther", "Faraji", "Grace", "Hamisi", "Imani", "Juma")
FAMILY_NAMES = (
    "Achieng",
    "Banda",
    "Chanda",
    "Dlamini",
    "Evans",
    "Farah",
    "Gatete",
    "Hassan",
    "Idris",
    "Jere",
)


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _institutions_set(*, actor: Any) -> dict[str, TrainingInstitution]:
    capital = Location.objects.filter(parent__isnull=True).first()
    found: dict[str, TrainingInstitution] = {}
    for name, (code, kind, periods) in INSTITUTIONS.items():
        institution = TrainingInstitution.objects.get(name=name)
        institution_change(
            actor=actor, institution=institution, changes={"code": code, "kind": kind, "location": capital}
        )
        if not institution.accreditations.exists():
            for accredited_by, valid_from, valid_until in periods:
                accreditation_add(
                    actor=actor,
                    institution=institution,
                    accredited_by=accredited_by,
                    valid_from=_day(valid_from) or datetime.date.min,
                    valid_until=_day(valid_until),
                )
        found[name] = institution
    return found


def _programmes_set(*, actor: Any, last_year: int) -> dict[str, Programme]:
    cadres = {cadre.code: cadre for cadre in Cadre.objects.all()}
    programmes = {programme.code: programme for programme in Programme.objects.filter(code__in=PROGRAMMES)}
    for code, (months, awards, cadre_codes, hours, years, intake) in PROGRAMMES.items():
        programme = programmes[code]
        programme_change(
            actor=actor,
            programme=programme,
            changes={
                "duration_months": months,
                "awards_education": awards,
                "practicum_hours": hours,
                "supervisor_experience_years": years,
            },
            cadres=[cadres[cadre] for cadre in cadre_codes if cadre in cadres],
        )
        for offset, year in enumerate(range(last_year - 6, last_year + 1)):
            if intake:
                intake_set(actor=actor, programme=programme, year=year, enrolled=intake + 3 * offset)
    return programmes


def _instructors_add(
    *, actor: Any, institutions: dict[str, TrainingInstitution], programmes: dict[str, Programme]
) -> None:
    staff = {
        UNIVERSITY: (("BSW", "DSW", "CHILD-VICTIMS"), 8, "master"),
        TRAINING_UNIT: (("PSW-CERT", "CM-COURSE", "PFA-ONLINE"), 5, "bachelor"),
    }
    for name, (codes, count, qualification) in staff.items():
        institution = institutions[name]
        if institution.instructors.exists():
            continue
        for index in range(count):
            instructor_add(
                actor=actor,
                institution=institution,
                name=f"{GIVEN_NAMES[index]} {FAMILY_NAMES[(index * 3) % len(FAMILY_NAMES)]}",
                qualification="doctorate" if index == 0 and name == UNIVERSITY else qualification,
                field="Social work",
                full_time=index % 3 != 2,
                programmes=[programmes[codes[index % len(codes)]]],
                active_from=datetime.date(2015 + index % 4, 1, 1),
            )


def _frameworks_set(*, actor: Any, programmes: dict[str, Programme]) -> None:
    competencies = {
        code: competency_save(actor=actor, code=code, name=name, levels=levels, survey_topic=topic)
        for code, (name, levels, topic) in COMPETENCIES.items()
    }
    for cadre_code, (name, areas) in FRAMEWORKS.items():
        cadre = Cadre.objects.filter(code=cadre_code).first()
        if cadre is None:
            continue
        framework = framework_set(actor=actor, cadre=cadre, name=name)
        for area_code, area_name, required in areas:
            area = framework.areas.filter(code=area_code).first() or competency_area_add(
                actor=actor, framework=framework, code=area_code, name=area_name
            )
            for competency_code, level in required:
                requirement_set(actor=actor, area=area, competency=competencies[competency_code], level=level)
    for programme_code, built in BUILT.items():
        for competency_code, level in built:
            programme_competency_set(
                actor=actor,
                programme=programmes[programme_code],
                competency=competencies[competency_code],
                level=level,
            )


def _assessments_record(*, actor: Any, rng: random.Random, last_year: int) -> None:
    """Supervisors' assessments of some para-social workers' ethics and records, in the last year (once)."""
    if CompetencyAssessment.objects.exists():
        return
    workers = list(
        Worker.objects.filter(assignments__cadre__code="PSW", assignments__end_date__isnull=True)
        .order_by("worker_id")
        .distinct()[:60]
    )
    for worker in workers:
        for code in ("ETHICS", "RECORDS"):
            if rng.random() < 0.5:
                competency_assessment_record(
                    actor=actor,
                    worker=worker,
                    competency=Competency.objects.get(code=code),
                    level=rng.choice((1, 1, 2)),
                    assessed_on=datetime.date(last_year, rng.randint(1, 11), rng.randint(1, 28)),
                    assessor="District social welfare officer",
                )


def _supervisors(*, day: datetime.date, years: int) -> list[Worker]:
    """Workers in service on ``day`` who started at least ``years`` years before (the service checks the
    registration)."""
    started_by = day.replace(year=day.year - years)
    return list(
        Worker.objects.filter(
            assignments__cadre__code__in=("SW", "SWO", "CM"),
            assignments__start_date__lte=started_by,
            registrations__isnull=False,
        )
        .exclude(assignments__end_date__lt=day)
        .order_by("worker_id")
        .distinct()[:200]
    )


def _practicum_set(
    *, actor: Any, rng: random.Random, programmes: dict[str, Programme], last_year: int
) -> int:
    """Students of the last intakes of the programmes with a practicum; most placed in ``last_year``; places
    offered by government and NGO organisations of the districts. Returns the number of placements."""
    organisations = list(
        Organisation.objects.filter(type__in=(OrganisationType.GOVERNMENT, OrganisationType.NGO))
        .exclude(location__parent__isnull=True)
        .order_by("code")[:24]
    )
    for index, organisation in enumerate(organisations):
        practicum_offer_set(actor=actor, organisation=organisation, year=last_year, places=1 + index % 3)
    placed = 0
    for code, students in (("BSW", 24), ("DSW", 12), ("PSW-CERT", 20)):
        programme = programmes[code]
        _, _, _, hours, years, _ = PROGRAMMES[code]
        starts_on = datetime.date(last_year, 2 + rng.randint(0, 5), 1)
        supervisors = _supervisors(day=starts_on, years=years)
        for number in range(students):
            student = programme.students.filter(
                student_number=f"{code}-{last_year - 1}-{number + 1:03d}"
            ).first()
            if student is None:
                student = student_create(
                    actor=actor,
                    programme=programme,
                    student_number=f"{code}-{last_year - 1}-{number + 1:03d}",
                    given_name=rng.choice(GIVEN_NAMES),
                    family_name=rng.choice(FAMILY_NAMES),
                    sex=rng.choice(("female", "male")),
                    intake_year=last_year - 1,
                )
            if number % 4 == 3 or not supervisors or not organisations:  # a quarter still need a place
                continue
            placed += _placement_try(
                actor=actor,
                rng=rng,
                student=student,
                organisations=organisations,
                supervisors=supervisors,
                starts_on=starts_on,
                hours=hours,
            )
    return placed


def _placement_try(
    *,
    actor: Any,
    rng: random.Random,
    student: Any,
    organisations: list[Organisation],
    supervisors: list[Worker],
    starts_on: datetime.date,
    hours: int,
) -> int:
    if student.placements.exists():
        return 0
    for supervisor in rng.sample(supervisors, min(5, len(supervisors))):
        organisation = Organisation.objects.filter(
            pk__in=Assignment.objects.filter(worker=supervisor, end_date__isnull=True).values("organisation")
        ).first() or rng.choice(organisations)
        try:
            with transaction.atomic():
                placement = placement_create(
                    actor=actor,
                    student=student,
                    organisation=organisation,
                    supervisor=supervisor,
                    starts_on=starts_on,
                    ends_on=starts_on + datetime.timedelta(days=90),
                    hours_planned=hours,
                )
        except ValidationError:
            continue  # not eligible that day (not registered then): the next candidate
        done_on = starts_on + datetime.timedelta(days=60)
        placement_hours_record(actor=actor, placement=placement, hours_done=hours * 2 // 3, on=done_on)
        if rng.random() < 0.5:
            placement_evaluate(
                actor=actor,
                placement=placement,
                evaluation=rng.choice(("satisfactory", "good", "excellent")),
                on=done_on,
            )
        return 1
    return 0


@transaction.atomic
def demo_training_set(*, actor: Any, last_year: int = 2025, seed: int = 2024) -> int:
    """Set the demo's training after its template is imported; return the number of practicum placements.

    Run again on the same database, it changes nothing it already set (institutions, accreditations,
    instructors, intakes, frameworks, students and placements are found before they are added).
    """
    rng = random.Random(f"{seed}-training-setup")
    institutions = _institutions_set(actor=actor)
    programmes = _programmes_set(actor=actor, last_year=last_year)
    _instructors_add(actor=actor, institutions=institutions, programmes=programmes)
    _frameworks_set(actor=actor, programmes=programmes)
    _assessments_record(actor=actor, rng=rng, last_year=last_year)
    return _practicum_set(actor=actor, rng=rng, programmes=programmes, last_year=last_year)
