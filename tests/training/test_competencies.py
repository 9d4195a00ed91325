"""The services of competency frameworks, programme competencies and assessments
(``training.competencies``): who may write, what is refused with which message, nothing half-written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.training import competencies as services
from sswis.training.models_competencies import CompetencyArea, RequiredCompetency
from tests.factories import AssignmentFactory, OrganisationFactory, UserFactory, WorkerFactory
from tests.training.factories_competencies import (
    AssessmentFactory,
    CompetencyFactory,
    ProgrammeCompetencyFactory,
    ProgrammeFactory,
)


def test_a_framework_with_areas_added_renamed_reordered_and_removed(country: Any, personas: Any) -> None:
    actor = personas.national
    framework = services.framework_set(actor=actor, cadre=country.social_worker, name="SW framework")
    assert services.framework_set(actor=actor, cadre=country.social_worker, name="Renamed").pk == framework.pk
    case = services.competency_area_add(actor=actor, framework=framework, code="CASE", name="Case work")
    law = services.competency_area_add(actor=actor, framework=framework, code="LAW", name="Law")
    assert (case.position, law.position) == (0, 1)
    services.competency_area_change(actor=actor, area=law, code="LAW", name="Law and procedures")
    services.competency_area_move(actor=actor, area=law, step=-1)
    assert list(
        CompetencyArea.objects.filter(framework=framework).order_by("position").values_list("code", "name")
    ) == [
        ("LAW", "Law and procedures"),
        ("CASE", "Case work"),
    ]
    competency = services.competency_save(actor=actor, code="CM", name="Case management", levels=3)
    services.requirement_set(actor=actor, area=case, competency=competency, level=2)
    services.competency_area_remove(actor=actor, area=case)
    assert list(CompetencyArea.objects.filter(framework=framework).values_list("code", flat=True)) == ["LAW"]
    assert RequiredCompetency.objects.count() == 0
    with pytest.raises(ValidationError) as refused:
        services.competency_area_add(actor=actor, framework=framework, code="LAW", name="Again")
    assert refused.value.message_dict == {"code": ["This framework already has an area with the code LAW."]}


def test_only_an_administrator_or_a_national_data_manager_changes_frameworks(
    country: Any, personas: Any
) -> None:
    services.framework_set(actor=personas.administrator, cadre=country.volunteer, name="Volunteers")
    for refused in (personas.analyst, personas.subnational, personas.focal_point, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.framework_set(actor=refused, cadre=country.social_worker, name="SW")


def test_a_requirement_is_once_per_framework_and_within_the_competency_s_levels(
    country: Any, personas: Any
) -> None:
    actor = personas.national
    framework = services.framework_set(actor=actor, cadre=country.social_worker, name="SW")
    case = services.competency_area_add(actor=actor, framework=framework, code="CASE", name="Case work")
    law = services.competency_area_add(actor=actor, framework=framework, code="LAW", name="Law")
    competency = services.competency_save(actor=actor, code="CM", name="Case management", levels=3)
    with pytest.raises(ValidationError) as refused:
        services.requirement_set(actor=actor, area=case, competency=competency, level=4)
    assert refused.value.message_dict == {"level": ["Competency CM has levels 1 to 3, not 4."]}
    services.requirement_set(actor=actor, area=case, competency=competency, level=2)
    with pytest.raises(ValidationError) as refused:
        services.requirement_set(actor=actor, area=law, competency=competency, level=1)
    assert refused.value.message_dict == {
        "competency": [
            "Competency CM is already required in area CASE of this framework; a framework requires a competency once."
        ]
    }
    moved = services.requirement_set(actor=actor, area=law, competency=competency, level=1, move=True)
    assert (moved.area_id, moved.level) == (law.pk, 1)
    services.requirement_remove(actor=actor, requirement=moved)
    assert RequiredCompetency.objects.count() == 0


def test_levels_may_not_drop_below_a_level_in_use(country: Any, personas: Any) -> None:
    actor = personas.national
    competency = services.competency_save(
        actor=actor, code="CM", name="Case management", levels=4, survey_topic="case_management"
    )
    ProgrammeCompetencyFactory(competency=competency, level=3)
    with pytest.raises(ValidationError) as refused:
        services.competency_save(actor=actor, code="CM", name="Case management", levels=2)
    assert refused.value.message_dict == {
        "levels": [
            "Competency CM is in use at level 3 (required by a framework, built by a programme or assessed): it "
            "needs at least 3 levels."
        ]
    }
    assert services.competency_save(actor=actor, code="CM", name="Case management", levels=3).levels == 3
    with pytest.raises(ValidationError) as refused:
        services.competency_save(
            actor=actor, code="CM", name="Case management", levels=3, survey_topic="cooking"
        )
    assert list(refused.value.message_dict) == ["survey_topic"]
    with pytest.raises(ValidationError) as refused:
        services.competency_save(actor=actor, code="X", name="Too many", levels=6)
    assert list(refused.value.message_dict) == ["levels"]


def test_programme_competencies_are_changed_by_the_institution_s_focal_point(
    country: Any, personas: Any
) -> None:
    programme = ProgrammeFactory()
    other = ProgrammeFactory()
    competency = CompetencyFactory(levels=3)
    focal = UserFactory(username="institution")
    user_scope_grant(
        actor=None, user=focal, role=Role.INSTITUTION_FOCAL_POINT, training_institution=programme.institution
    )
    built = services.programme_competency_set(
        actor=focal, programme=programme, competency=competency, level=2
    )
    assert built.level == 2
    assert (
        services.programme_competency_set(actor=focal, programme=programme, competency=competency, level=3).pk
        == built.pk
    )
    with pytest.raises(PermissionDenied):
        services.programme_competency_set(actor=focal, programme=other, competency=competency, level=1)
    with pytest.raises(PermissionDenied):
        services.programme_competency_set(
            actor=personas.analyst, programme=programme, competency=competency, level=1
        )
    services.programme_competency_remove(actor=personas.national, programme=programme, competency=competency)
    assert programme.competencies_built.count() == 0


def test_assessments_are_recorded_for_workers_in_scope(country: Any, personas: Any) -> None:
    competency = CompetencyFactory(levels=3)
    north = WorkerFactory()
    AssignmentFactory(worker=north, organisation=OrganisationFactory(location=country.district_11))
    south = WorkerFactory()
    AssignmentFactory(worker=south, organisation=country.ngo, location=country.district_21)
    day = datetime.date(2025, 1, 15)
    recorded = services.competency_assessment_record(
        actor=personas.subnational,
        worker=north,
        competency=competency,
        level=2,
        assessed_on=day,
        assessor="Supervisor",
    )
    again = services.competency_assessment_record(
        actor=personas.subnational, worker=north, competency=competency, level=3, assessed_on=day
    )
    assert (again.pk, again.level) == (recorded.pk, 3)
    with pytest.raises(PermissionDenied):
        services.competency_assessment_record(
            actor=personas.subnational, worker=south, competency=competency, level=1, assessed_on=day
        )
    with pytest.raises(PermissionDenied):
        services.competency_assessment_record(
            actor=personas.analyst, worker=north, competency=competency, level=1, assessed_on=day
        )
    with pytest.raises(ValidationError) as refused:
        services.competency_assessment_record(
            actor=personas.national, worker=north, competency=competency, level=0, assessed_on=day
        )
    assert refused.value.message_dict == {
        "level": [f"Competency {competency.code} has levels 1 to 3, not 0."]
    }
    with pytest.raises(ValidationError):
        services.competency_assessment_record(
            actor=personas.national,
            worker=north,
            competency=competency,
            level=1,
            assessed_on=datetime.date.today() + datetime.timedelta(days=1),
        )
    AssessmentFactory(worker=north, competency=competency, level=3)
    with pytest.raises(ValidationError):
        services.competency_save(actor=personas.national, code=competency.code, name="x", levels=2)
