"""The training's writes: who may make each (a national data manager; an institution focal point their own
institution's only; nobody else), what each refuses (naming the field, writing nothing) and what the
audit trail keeps."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sswis.training.models import (
    Accreditation,
    Completion,
    Instructor,
    Intake,
    Programme,
    TrainingInstitution,
)
from sswis.training.services import (
    CERTIFICATION_CHANGED,
    accreditation_add,
    accreditation_end,
    completion_record,
    completion_withdraw,
    institution_change,
    institution_create,
    instructor_add,
    instructor_change,
    instructor_end,
    intake_set,
    programme_change,
    programme_create,
)
from tests.conftest import Personas
from tests.factories import UserFactory
from tests.training.fixtures import Training

D = datetime.date


def _refused(error: ValidationError) -> dict[str, list[str]]:
    return dict(error.message_dict)


# --- institutions and accreditation -------------------------------------------------------------------


def test_a_national_data_manager_adds_an_institution_and_its_focal_point_changes_it(
    training: Training, personas: Personas
) -> None:
    institution = institution_create(
        actor=personas.national, code=" TTI ", name="Teachers' institute", kind="other"
    )
    assert (institution.code, institution.history.latest().history_user) == ("TTI", personas.national)

    changed = institution_change(
        actor=training.north_focal, institution=training.north, changes={"name": "UNZA"}
    )
    training.north.refresh_from_db()
    assert (changed, training.north.name) == (["name"], "UNZA")
    assert training.north.history.latest().history_user == training.north_focal


@pytest.mark.parametrize("persona", ["analyst", "administrator", "subnational", "focal_point", "outsider"])
def test_only_a_national_data_manager_adds_an_institution(
    training: Training, personas: Personas, persona: str
) -> None:
    for actor in (getattr(personas, persona), training.north_focal):
        with pytest.raises(PermissionDenied):
            institution_create(actor=actor, code="X", name="X", kind="other")
    assert not TrainingInstitution.objects.filter(code="X").exists()


def test_a_focal_point_changes_nothing_of_another_institution(training: Training, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        institution_change(actor=training.south_focal, institution=training.north, changes={"name": "Mine"})
    with pytest.raises(PermissionDenied):
        accreditation_add(
            actor=training.south_focal,
            institution=training.north,
            accredited_by="X",
            valid_from=D(2020, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        instructor_add(actor=training.south_focal, institution=training.north, name="Someone")
    assert TrainingInstitution.objects.get(pk=training.north.pk).name == "University of the North"
    assert not training.north.accreditations.exists()


def test_control_characters_and_a_taken_code_are_refused_naming_the_field(
    training: Training, personas: Personas
) -> None:
    with pytest.raises(ValidationError) as unprintable:
        institution_create(actor=personas.national, code="NEW", name="Bad\x10name", kind="other")
    with pytest.raises(ValidationError) as taken:
        institution_create(actor=personas.national, code="UNI-N", name="Another", kind="other")
    assert "U+0010" in _refused(unprintable.value)["name"][0]
    assert list(_refused(taken.value)) == ["code"]
    assert TrainingInstitution.objects.count() == 2


def test_accreditation_periods_never_overlap(training: Training, personas: Personas) -> None:
    first = accreditation_add(
        actor=training.north_focal, institution=training.north, accredited_by="Council",
        valid_from=D(2020, 1, 1), valid_until=D(2022, 12, 31),
    )  # fmt: skip
    with pytest.raises(ValidationError) as overlapping:
        accreditation_add(
            actor=personas.national,
            institution=training.north,
            accredited_by="Council",
            valid_from=D(2022, 12, 31),
        )
    assert _refused(overlapping.value) == {
        "valid_from": ["It overlaps the accreditation from 2020-01-01 to 2022-12-31."]
    }
    second = accreditation_add(
        actor=personas.national, institution=training.north, accredited_by="Council", valid_from=D(2023, 1, 1)
    )
    with pytest.raises(ValidationError) as backwards:
        accreditation_add(
            actor=personas.national, institution=training.south, accredited_by="C",
            valid_from=D(2021, 1, 1), valid_until=D(2020, 1, 1),
        )  # fmt: skip
    assert list(_refused(backwards.value)) == ["valid_until"]
    # Lengthening the first into the second is refused; ending the open one is not.
    with pytest.raises(ValidationError) as longer:
        accreditation_end(actor=personas.national, accreditation=first, valid_until=D(2023, 6, 30))
    assert _refused(longer.value) == {
        "valid_until": ["It overlaps the accreditation from 2023-01-01, which has no end."]
    }
    with pytest.raises(ValidationError):
        accreditation_end(actor=personas.national, accreditation=second, valid_until=D(2022, 1, 1))
    accreditation_end(actor=training.north_focal, accreditation=second, valid_until=D(2024, 12, 31))
    assert list(
        Accreditation.objects.filter(institution=training.north).values_list("valid_from", "valid_until")
    ) == [
        (D(2020, 1, 1), D(2022, 12, 31)),
        (D(2023, 1, 1), D(2024, 12, 31)),
    ]
    with pytest.raises(PermissionDenied):
        accreditation_end(actor=training.south_focal, accreditation=second, valid_until=D(2025, 1, 1))


# --- programmes ---------------------------------------------------------------------------------------


def test_a_focal_point_adds_programmes_of_their_institution_only(
    training: Training, personas: Personas
) -> None:
    programme = programme_create(
        actor=training.north_focal,
        code="MSW",
        name="Master",
        kind="pre_service_degree",
        institution=training.north,
    )
    assert programme.institution == training.north
    with pytest.raises(PermissionDenied):
        programme_create(
            actor=training.north_focal, code="X1", name="X", kind="in_service", institution=training.south
        )
    with pytest.raises(PermissionDenied):  # a national programme: a national data manager's
        programme_create(actor=training.north_focal, code="X2", name="X", kind="in_service")
    with pytest.raises(PermissionDenied):
        programme_create(
            actor=personas.subnational, code="X3", name="X", kind="in_service", institution=training.north
        )
    with pytest.raises(PermissionDenied):  # moving a programme to another institution needs both
        programme_change(
            actor=training.north_focal, programme=programme, changes={"institution": training.south}
        )
    with pytest.raises(PermissionDenied):
        programme_change(actor=training.south_focal, programme=training.bsw, changes={"name": "Mine"})
    assert not Programme.objects.filter(code__startswith="X").exists()
    assert Programme.objects.get(code="MSW").institution == training.north


def test_changing_what_certifies_is_allowed_and_audited_as_such(
    training: Training, personas: Personas
) -> None:
    changed = programme_change(
        actor=training.north_focal,
        programme=training.bsw,
        changes={"government_recognised_from": D(2021, 1, 1), "name": "Diploma"},
    )
    record = training.bsw.history.latest()
    assert set(changed) == {"government_recognised_from", "name"}
    assert (record.history_user, record.history_change_reason) == (
        training.north_focal,
        CERTIFICATION_CHANGED,
    )
    assert record.prev_record.government_recognised_from == D(2020, 1, 1)

    programme_change(actor=personas.national, programme=training.bsw, changes={"practicum_hours": 400})
    assert training.bsw.history.latest().history_change_reason is None


def test_the_cadres_of_a_programme_change_with_an_audit_record(
    training: Training, personas: Personas, country: Any
) -> None:
    before = training.bsw.history.count()
    changed = programme_change(
        actor=personas.national,
        programme=training.bsw,
        changes={},
        cadres=[country.social_worker, country.volunteer],
    )
    assert changed == ["cadres"]
    assert sorted(training.bsw.cadres.values_list("code", flat=True)) == ["CPV", "SW"]
    assert training.bsw.history.count() == before + 1
    assert (
        programme_change(
            actor=personas.national,
            programme=training.bsw,
            changes={},
            cadres=[country.social_worker, country.volunteer],
        )
        == []
    )


def test_a_programme_with_a_refused_value_is_not_written(training: Training, personas: Personas) -> None:
    with pytest.raises(ValidationError) as refused:
        programme_create(
            actor=personas.national, code="P-1", name="P", kind="in_service", duration_months=200
        )
    assert list(_refused(refused.value)) == ["duration_months"]
    with pytest.raises(ValidationError) as unprintable:
        programme_change(actor=personas.national, programme=training.bsw, changes={"name": "Diploma\u202e"})
    assert list(_refused(unprintable.value)) == ["name"]
    assert not Programme.objects.filter(code="P-1").exists()
    assert Programme.objects.get(pk=training.bsw.pk).name == "Diploma in social work"


# --- instructors and intakes --------------------------------------------------------------------------


def test_instructors_are_added_changed_and_ended(training: Training, personas: Personas) -> None:
    instructor = instructor_add(
        actor=training.north_focal, institution=training.north, name="Part-timer", full_time=False,
        programmes=[training.bsw], active_from=D(2023, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as foreign:
        instructor_change(
            actor=training.north_focal, instructor=instructor, changes={}, programmes=[training.ccw]
        )
    assert _refused(foreign.value) == {"programmes": ["Not a programme of this institution: CCW."]}
    assert instructor_change(
        actor=training.north_focal, instructor=instructor, changes={"field": "Social work"}
    ) == ["field"]
    with pytest.raises(ValidationError) as early:
        instructor_end(actor=training.north_focal, instructor=instructor, active_until=D(2022, 12, 31))
    assert list(_refused(early.value)) == ["active_until"]
    instructor_end(actor=training.north_focal, instructor=instructor, active_until=D(2024, 12, 31))
    instructor.refresh_from_db()
    assert (instructor.field, instructor.active_until) == ("Social work", D(2024, 12, 31))
    with pytest.raises(PermissionDenied):
        instructor_end(actor=training.south_focal, instructor=instructor, active_until=D(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        instructor_add(actor=personas.analyst, institution=training.north, name="Nobody")
    assert Instructor.objects.filter(institution=training.north).count() == 2


def test_an_intake_is_set_once_a_year_and_changed_after(training: Training, personas: Personas) -> None:
    first = intake_set(actor=training.north_focal, programme=training.bsw, year=2024, enrolled=30)
    again = intake_set(actor=personas.national, programme=training.bsw, year=2024, enrolled=35)
    assert (first.pk, Intake.objects.get(pk=first.pk).enrolled) == (again.pk, 35)
    assert [record.history_user for record in again.history.order_by("history_date")] == [
        training.north_focal,
        personas.national,
    ]
    with pytest.raises(PermissionDenied):
        intake_set(actor=training.south_focal, programme=training.bsw, year=2025, enrolled=1)
    with pytest.raises(PermissionDenied):  # a national programme's intake: a national data manager's
        intake_set(actor=training.north_focal, programme=training.national_course, year=2025, enrolled=1)
    assert Intake.objects.count() == 1


# --- completions --------------------------------------------------------------------------------------


def test_a_completion_is_recorded_once_for_a_worker_programme_and_day(
    training: Training, personas: Personas
) -> None:
    completion = completion_record(
        actor=training.north_focal, worker=training.north_worker, programme=training.bsw,
        completed_on=D(2024, 6, 30), certificate_number=" C-1 ",
    )  # fmt: skip
    assert (completion.certificate_number, completion.history.latest().history_user) == (
        "C-1",
        training.north_focal,
    )
    with pytest.raises(ValidationError) as duplicate:
        completion_record(
            actor=personas.national,
            worker=training.north_worker,
            programme=training.bsw,
            completed_on=D(2024, 6, 30),
        )
    assert _refused(duplicate.value) == {
        "completed_on": ["W-NORTH's completion of BSW on 2024-06-30 is already recorded."]
    }
    assert Completion.objects.count() == 1
    assert Completion.history.count() == 1


def test_a_completion_in_the_future_or_before_the_tenth_birthday_is_refused(
    training: Training, personas: Personas
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        completion_record(
            actor=personas.national,
            worker=training.north_worker,
            programme=training.bsw,
            completed_on=tomorrow,
        )
    with pytest.raises(ValidationError) as young:
        completion_record(
            actor=personas.national,
            worker=training.north_worker,
            programme=training.bsw,
            completed_on=D(2000, 4, 30),
        )
    assert _refused(future.value) == {"completed_on": ["A completion cannot be in the future."]}
    assert _refused(young.value) == {
        "completed_on": ["The worker, born on 1990-05-01, was not yet 10 years old on that day."]
    }
    # On the tenth birthday itself: accepted.
    completion_record(
        actor=personas.national,
        worker=training.north_worker,
        programme=training.bsw,
        completed_on=D(2000, 5, 1),
    )
    assert Completion.objects.count() == 1


def test_a_certificate_number_with_a_control_character_is_refused(
    training: Training, personas: Personas
) -> None:
    with pytest.raises(ValidationError) as refused:
        completion_record(
            actor=personas.national, worker=training.north_worker, programme=training.bsw,
            completed_on=D(2024, 6, 30), certificate_number="C\x00-1",
        )  # fmt: skip
    assert list(_refused(refused.value)) == ["certificate_number"]
    assert not Completion.objects.exists()


@pytest.mark.parametrize("persona", ["subnational", "focal_point", "analyst", "administrator", "outsider"])
def test_only_the_institution_s_focal_point_and_a_national_data_manager_record_completions(
    training: Training, personas: Personas, persona: str
) -> None:
    for actor in (getattr(personas, persona), training.south_focal, UserFactory(username="nobody")):
        with pytest.raises(PermissionDenied):
            completion_record(
                actor=actor, worker=training.north_worker, programme=training.bsw, completed_on=D(2024, 6, 30)
            )
    assert not Completion.objects.exists()


def test_a_withdrawn_completion_is_kept_in_the_audit_trail_with_its_reason(
    training: Training, personas: Personas
) -> None:
    completion = completion_record(
        actor=personas.national,
        worker=training.north_worker,
        programme=training.bsw,
        completed_on=D(2024, 6, 30),
    )
    with pytest.raises(PermissionDenied):
        completion_withdraw(actor=training.south_focal, completion=completion, reason="Wrong worker")
    for reason, field in (("  ", "reason"), ("x" * 101, "reason"), ("Wrong\x07worker", "reason")):
        with pytest.raises(ValidationError) as refused:
            completion_withdraw(actor=training.north_focal, completion=completion, reason=reason)
        assert list(_refused(refused.value)) == [field]
    assert Completion.objects.filter(pk=completion.pk).exists()
    pk = completion.pk
    completion_withdraw(
        actor=training.north_focal, completion=completion, reason=" Recorded for the wrong worker "
    )
    record = Completion.history.filter(id=pk).latest()
    assert not Completion.objects.exists()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "-",
        training.north_focal,
        "Recorded for the wrong worker",
    )
