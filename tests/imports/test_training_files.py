"""Importing the training files of the template (programmes.csv, completions.csv): what is written, with its
history by the importing user; an institution named for the first time created once and counted; importing
again; who may import them (a training institution's focal point: their own institution's rows only)."""

from __future__ import annotations

import copy
import datetime
import io
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from sswis.imports.modes import ImportMode
from sswis.imports.report import (
    WARNING,
    FileCounts,
    Problem,
    report_as_dict,
    report_as_text,
    report_from_dict,
)
from sswis.imports.services import template_import
from sswis.imports.template import template_write
from sswis.imports.training_files import institution_code_new
from sswis.registry.models import Worker
from sswis.training.models import Completion, Programme, TrainingInstitution
from tests.conftest import Personas
from tests.factories import WorkerFactory
from tests.imports.conftest import Files, database_snapshot
from tests.imports.test_workbook import workbook_write
from tests.training.factories_imports import (
    ProgrammeFactory,
    TrainingInstitutionFactory,
    institution_focal_point,
)

Template = Callable[..., Path]
D = datetime.date

PROGRAMME_HEADER = [
    "code",
    "name",
    "institution",
    "kind",
    "government_recognised_from",
    "certifies_child_victims",
]
COMPLETION_HEADER = ["worker_id", "programme_code", "completed_on", "certificate_number"]

TRAINING: Files = {
    "programmes": [
        PROGRAMME_HEADER,
        # The stored institution, named in other capitals and spaces.
        [
            "BSW",
            "Bachelor of Social Work",
            "institute of  SOCIAL work",
            "pre_service_degree",
            "2015-07-01",
            "yes",
        ],
        # A new institution, named twice: created once, at its first row.
        ["CP-IN", "Child protection in practice", "Child Protection Academy", "in_service", "", ""],
        ["CP-ON", "Child protection online", "child protection academy", "online_course", "2020-01-01", "no"],
        ["PSW-C", "Para-social work certificate", "", "pre_service_certificate", "", ""],
    ],
    "completions": [
        COMPLETION_HEADER,
        ["W1", "BSW", "2019-11-30", "ISW-2019-0042"],
        ["W1", "CP-IN", "2023-05-02", ""],
        ["W2", "CP-ON", "2024-01-15", "CPA-7"],
    ],
}

CREATED = {"programmes.csv": FileCounts(read=4, created=4), "completions.csv": FileCounts(read=3, created=3)}
NEW_INSTITUTION = Problem(
    "programmes.csv",
    2,
    "institution",
    "Child Protection Academy",
    "Training institution 'Child Protection Academy' is not in sswis: it is created, with code "
    "CHILD-PROTECTION-ACADEMY. If you meant an institution already in sswis, write its name as sswis has it.",
    WARNING,
)


@pytest.fixture
def training(country: Any) -> dict[str, Any]:
    """The stored institution ISW and the workers W1 and W2 of the registry."""
    return {
        "institution": TrainingInstitutionFactory(code="ISW", name="Institute of Social Work"),
        "amina": WorkerFactory(worker_id="W1"),
        "baraka": WorkerFactory(worker_id="W2"),
    }


@pytest.fixture
def files() -> Files:
    return copy.deepcopy(TRAINING)


@pytest.fixture
def write(template: Template) -> Template:
    """``write(files)``: those files alone, each call in a folder of its own."""
    calls = itertools.count(1)
    return lambda files: template(files, folder=f"import-{next(calls)}")


def stored_programmes() -> list[tuple[Any, ...]]:
    return list(
        Programme.objects.order_by("code").values_list(
            "code",
            "name",
            "institution__code",
            "kind",
            "government_recognised_from",
            "certifies_child_victims",
        )
    )


def stored_completions() -> list[tuple[Any, ...]]:
    return list(
        Completion.objects.order_by("worker__worker_id", "programme__code").values_list(
            "worker__worker_id", "programme__code", "completed_on", "certificate_number", "source"
        )
    )


def test_programmes_and_completions_are_imported_with_exact_counts_and_rows(
    personas: Personas, training: dict[str, Any], write: Template, files: Files
) -> None:
    report = template_import(actor=personas.national, source=write(files))

    assert report.problems == [NEW_INSTITUTION]
    assert report.files == CREATED
    assert report.also_created == {"training_institutions": 1}
    assert report.summary == "Imported: 7 created, 0 updated, 0 unchanged (1 warning)."
    assert stored_programmes() == [
        ("BSW", "Bachelor of Social Work", "ISW", "pre_service_degree", D(2015, 7, 1), True),
        ("CP-IN", "Child protection in practice", "CHILD-PROTECTION-ACADEMY", "in_service", None, False),
        (
            "CP-ON",
            "Child protection online",
            "CHILD-PROTECTION-ACADEMY",
            "online_course",
            D(2020, 1, 1),
            False,
        ),
        ("PSW-C", "Para-social work certificate", None, "pre_service_certificate", None, False),
    ]
    academy = TrainingInstitution.objects.get(code="CHILD-PROTECTION-ACADEMY")
    assert (academy.name, academy.kind, TrainingInstitution.objects.count()) == (
        "Child Protection Academy",  # as first written
        "other",
        2,
    )
    assert stored_completions() == [
        ("W1", "BSW", D(2019, 11, 30), "ISW-2019-0042", "template"),
        ("W1", "CP-IN", D(2023, 5, 2), "", "template"),
        ("W2", "CP-ON", D(2024, 1, 15), "CPA-7", "template"),
    ]


def test_every_row_written_has_its_history_by_the_importing_user(
    personas: Personas, training: dict[str, Any], write: Template, files: Files
) -> None:
    template_import(actor=personas.national, source=write(files))

    for model, count in ((Programme, 4), (Completion, 3)):
        authors = list(model.history.values_list("history_user", "history_type"))  # type: ignore[attr-defined]
        assert authors == [(personas.national.pk, "+")] * count
    created = TrainingInstitution.history.filter(code="CHILD-PROTECTION-ACADEMY")
    assert list(created.values_list("history_user", "history_type")) == [(personas.national.pk, "+")]


def test_importing_the_same_files_again_creates_nothing_and_says_so(
    personas: Personas, training: dict[str, Any], write: Template, files: Files
) -> None:
    template_import(actor=personas.national, source=write(files))
    before = database_snapshot()

    again = template_import(actor=personas.national, source=write(files))

    assert again.problems == []  # the institution is there now: no warning
    assert again.files == {
        "programmes.csv": FileCounts(read=4, unchanged=4),
        "completions.csv": FileCounts(read=3, unchanged=3),
    }
    assert again.also_created == {}
    assert again.summary == "Imported. Nothing changed: all 7 rows were already in the registry."
    assert database_snapshot() == before


def test_a_changed_row_is_updated_and_a_column_left_out_is_left_alone(
    personas: Personas, training: dict[str, Any], write: Template, files: Files
) -> None:
    template_import(actor=personas.national, source=write(files))
    changed = {
        "programmes": [
            ["code", "name", "kind", "certifies_child_victims"],  # no institution column: kept as stored
            ["BSW", "Bachelor of Social Work", "pre_service_degree", "no"],
            ["CP-IN", "Child protection in practice", "in_service", ""],
        ],
        "completions": [COMPLETION_HEADER, ["W1", "CP-IN", "2023-05-02", "CPA-1"]],
    }

    report = template_import(actor=personas.national, source=write(changed))

    assert report.problems == []
    assert report.files == {
        "programmes.csv": FileCounts(read=2, updated=1, unchanged=1),
        "completions.csv": FileCounts(read=1, updated=1),
    }
    assert Programme.objects.get(code="BSW").institution == training["institution"]
    assert Programme.objects.get(code="BSW").certifies_child_victims is False
    completion = Completion.objects.get(programme__code="CP-IN")
    assert (completion.certificate_number, completion.source) == ("CPA-1", "template")
    assert completion.history.latest().history_user == personas.national  # type: ignore[attr-defined]


def test_a_completion_entered_before_keeps_its_source(
    personas: Personas, training: dict[str, Any], write: Template
) -> None:
    programme = ProgrammeFactory(code="BSW", institution=training["institution"])
    Completion.objects.create(
        worker=training["amina"], programme=programme, completed_on=D(2019, 11, 30), source="platform"
    )
    files = {"completions": [COMPLETION_HEADER, ["W1", "BSW", "2019-11-30", "ISW-9"]]}

    report = template_import(actor=personas.national, source=write(files))

    assert report.files == {"completions.csv": FileCounts(read=1, updated=1)}
    assert stored_completions() == [("W1", "BSW", D(2019, 11, 30), "ISW-9", "platform")]


def test_the_new_institutions_are_counted_in_every_form_of_the_report(
    personas: Personas, training: dict[str, Any], write: Template, files: Files
) -> None:
    report = template_import(actor=personas.national, source=write(files), dry_run=True)

    assert report.also_created == {"training_institutions": 1}
    assert "Also created: 1 training institution." in report_as_text(report=report)
    document = report_as_dict(report=report)
    assert document["also_created"] == {"training_institutions": 1}
    assert report_from_dict(document).also_created == {"training_institutions": 1}
    assert TrainingInstitution.objects.count() == 1  # a dry run: nothing written


def test_an_institution_named_only_by_a_rejected_row_is_not_created_nor_counted(
    personas: Personas, training: dict[str, Any], write: Template
) -> None:
    files = {
        "programmes": [
            PROGRAMME_HEADER,
            ["X1", "Unknown kind", "Nowhere Academy", "evening_class", "", ""],
        ]
    }

    report = template_import(actor=personas.national, source=write(files), mode=ImportMode.SKIP_INVALID)

    assert [problem.column for problem in report.problems] == ["kind"]
    assert (report.also_created, TrainingInstitution.objects.count()) == ({}, 1)


def test_a_new_institution_code_is_made_from_its_name_and_never_taken() -> None:
    assert institution_code_new(name="Institute of Social Work", taken=set()) == "INSTITUTE-OF-SOCIAL-WORK"
    assert institution_code_new(name="Institute of Social Work", taken={"INSTITUTE-OF-SOCIAL-WORK"}) == (
        "INSTITUTE-OF-SOCIAL-WORK-2"
    )
    assert institution_code_new(name="***", taken=set()) == "INSTITUTION"
    long_name = "University of the Western Highlands School of Social and Community Work"
    code = institution_code_new(name=long_name, taken=set())
    assert (code, len(code)) == ("UNIVERSITY-OF-THE-WESTERN-HIGHLANDS-SCHOOL-OF", 45)


def test_two_institutions_of_the_same_name_make_the_name_ambiguous(
    personas: Personas, training: dict[str, Any], write: Template
) -> None:
    TrainingInstitutionFactory(code="ISW-2", name="INSTITUTE OF SOCIAL WORK")
    files = {
        "programmes": [
            PROGRAMME_HEADER,
            ["BSW", "Bachelor", "Institute of Social Work", "in_service", "", ""],
        ]
    }

    report = template_import(actor=personas.national, source=write(files))

    assert report.problems == [
        Problem(
            "programmes.csv",
            1,
            "institution",
            "Institute of Social Work",
            "2 training institutions are called 'Institute of Social Work' (ISW, ISW-2); give each institution "
            "its own name in sswis, then import again.",
        )
    ]
    assert not Programme.objects.exists()


def test_a_workbook_with_the_training_sheets_imports_as_the_csv_files_do(
    personas: Personas, training: dict[str, Any], tmp_path: Path, files: Files
) -> None:
    report = template_import(
        actor=personas.national, source=workbook_write(tmp_path / "training.xlsx", files)
    )

    assert [problem for problem in report.problems if problem.file != "Notes"] == [NEW_INSTITUTION]
    assert report.files == CREATED
    assert stored_completions()[0] == ("W1", "BSW", D(2019, 11, 30), "ISW-2019-0042", "template")


def test_a_dry_run_reports_the_counts_and_writes_nothing(
    personas: Personas, training: dict[str, Any], write: Template, files: Files
) -> None:
    before = database_snapshot()

    report = template_import(actor=personas.national, source=write(files), dry_run=True)

    assert (report.problems, report.files, report.imported) == ([NEW_INSTITUTION], CREATED, False)
    assert database_snapshot() == before


# Who may import the training files ----------------------------------------------------------------------


@pytest.fixture
def focal_point(training: dict[str, Any]) -> Any:
    """The focal point of ISW, whose programme BSW is stored; and programmes OTH and OTH-2 of OTHER."""
    ProgrammeFactory(code="BSW", name="Bachelor of Social Work", institution=training["institution"])
    other = TrainingInstitutionFactory(code="OTHER", name="Other College")
    ProgrammeFactory(code="OTH", institution=other)
    ProgrammeFactory(code="OTH-2", institution=other)
    return institution_focal_point(institution=training["institution"])


WHERE = "institution ISW (Institute of Social Work)"


def test_an_institution_focal_point_imports_their_institutions_programmes_and_completions(
    focal_point: Any, write: Template
) -> None:
    files = {
        "programmes": [
            PROGRAMME_HEADER,
            ["BSW", "Bachelor of Social Work", "Institute of Social Work", "pre_service_degree", "", ""],
            ["ISW-CP", "Child protection", "institute of social work", "in_service", "", ""],
        ],
        "completions": [
            COMPLETION_HEADER,
            ["W1", "BSW", "2019-11-30", ""],
            ["W2", "ISW-CP", "2024-02-01", ""],
        ],
    }

    report = template_import(actor=focal_point, source=write(files))

    assert report.problems == []
    assert report.files == {
        "programmes.csv": FileCounts(read=2, created=1, updated=1),
        "completions.csv": FileCounts(read=2, created=2),
    }
    assert Completion.objects.filter(programme__institution__code="ISW").count() == 2


@pytest.mark.parametrize("mode", [ImportMode.ALL_OR_NOTHING, ImportMode.SKIP_INVALID])
def test_an_institution_focal_point_may_not_touch_another_institutions_rows(
    focal_point: Any, write: Template, mode: ImportMode
) -> None:
    files = {
        "programmes": [
            PROGRAMME_HEADER,
            ["OTH", "Taken over", "Institute of Social Work", "in_service", "", ""],
            ["NEW-1", "Of the other college", "Other College", "in_service", "", ""],
            ["NEW-2", "Of a new institution", "Night School", "in_service", "", ""],
            ["NEW-3", "Of no institution", "", "in_service", "", ""],
        ],
        "completions": [
            COMPLETION_HEADER,
            ["W1", "OTH-2", "2024-01-01", ""],
            ["W1", "BSW", "2024-01-01", ""],  # their own: rejected only with the others
        ],
    }
    before = database_snapshot()

    report = template_import(actor=focal_point, source=write(files), mode=mode)

    fix = "write 'Institute of Social Work' in the institution column."
    assert [(p.file, p.row, p.column, p.value, p.message) for p in report.errors] == [
        (
            "programmes.csv",
            1,
            "code",
            "OTH",
            f"Programme 'OTH' is of another institution than {WHERE}, so you may not change it; give a "
            f"programme of {WHERE} another code.",
        ),
        (
            "programmes.csv",
            2,
            "institution",
            "Other College",
            f"Programme 'NEW-1' would be of the institution 'Other College', not of {WHERE}: you may import "
            f"only the programmes of {WHERE}; {fix}",
        ),
        (
            "programmes.csv",
            3,
            "institution",
            "Night School",
            f"Programme 'NEW-2' would be of the institution 'Night School', not of {WHERE}: you may import "
            f"only the programmes of {WHERE}; {fix}",
        ),
        (
            "programmes.csv",
            4,
            "institution",
            "",
            f"Programme 'NEW-3' would be of no institution, not of {WHERE}: you may import only the "
            f"programmes of {WHERE}; {fix}",
        ),
        (
            "completions.csv",
            1,
            "programme_code",
            "OTH-2",
            f"Programme 'OTH-2' is not one of the programmes of {WHERE}: you may import only the completions "
            f"of the programmes of {WHERE}.",
        ),
    ]
    assert TrainingInstitution.objects.filter(name="Night School").exists() is False
    if mode.skip_invalid:
        assert report.files["completions.csv"] == FileCounts(read=2, created=1, rejected=1)
        assert Completion.objects.get().programme.code == "BSW"
    else:
        assert database_snapshot() == before


def test_a_new_programme_without_the_institution_column_is_not_the_focal_points(
    focal_point: Any, write: Template
) -> None:
    files = {
        "programmes": [
            ["code", "name", "kind"],
            ["NEW", "New", "in_service"],
            ["BSW", "Renamed", "in_service"],
        ]
    }

    report = template_import(actor=focal_point, source=write(files))

    assert [(p.row, p.column, p.value) for p in report.errors] == [(1, "institution", "")]
    assert Programme.objects.get(code="BSW").name == "Bachelor of Social Work"


@pytest.mark.parametrize("persona", ["focal_point", "subnational"])
def test_an_officer_or_an_organisation_focal_point_has_the_training_files_refused(
    personas: Personas, training: dict[str, Any], write: Template, files: Files, persona: str
) -> None:
    before = database_snapshot()

    report = template_import(actor=getattr(personas, persona), source=write(files))

    refusal = (
        "only a national data manager or a training institution's focal point imports programmes and "
        "completions. You may import posts.csv, workers.csv, assignments.csv, supervision.csv, "
        "supervision_sessions.csv, caseloads.csv."
    )
    assert report.problems == [
        Problem(name, 0, "", "", f"You may not import {name}: {refusal}")
        for name in ("programmes.csv", "completions.csv")
    ]
    assert report.files == {
        "programmes.csv": FileCounts(read=4, rejected=4),
        "completions.csv": FileCounts(read=3, rejected=3),
    }
    assert database_snapshot() == before


def test_an_institution_focal_point_has_the_registrys_files_refused(
    focal_point: Any, write: Template
) -> None:
    files = {"workers": [["worker_id", "given_name", "family_name"], ["W9", "Neema", "Juma"]]}

    report = template_import(actor=focal_point, source=write(files))

    assert [(p.file, p.row) for p in report.errors] == [("workers.csv", 0)]
    assert "You may import programmes.csv, completions.csv." in report.errors[0].message
    assert not Worker.objects.filter(worker_id="W9").exists()


def test_users_who_may_not_import_at_all_are_refused_before_anything_is_read(
    personas: Personas, training: dict[str, Any], write: Template, files: Files
) -> None:
    for user in (personas.analyst, personas.administrator, personas.outsider):
        with pytest.raises(PermissionDenied):
            template_import(actor=user, source=write(files))


# The blank template --------------------------------------------------------------------------------------


def test_the_blank_workbook_has_the_training_sheets_with_the_programme_codes_to_choose(
    training: dict[str, Any],
) -> None:
    ProgrammeFactory(code="BSW", institution=training["institution"])
    ProgrammeFactory(code="CP-IN", institution=training["institution"])
    stream = io.BytesIO()
    template_write(format="xlsx", stream=stream, rows=10)
    workbook = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))

    assert workbook.sheetnames[-6:-4] == ["programmes", "completions"]
    assert [cell.value for cell in workbook["programmes"][1]] == PROGRAMME_HEADER
    assert [cell.value for cell in workbook["completions"][1]] == COMPLETION_HEADER
    lists = workbook["lists"]
    assert [cell.value for cell in lists[1]][-1] == "programmes"
    assert [cell.value for cell in lists["E"][1:3]] == ["BSW", "CP-IN"]
    rules = {
        str(rule.sqref): (rule.type, rule.formula1, rule.errorStyle)
        for rule in workbook["completions"].data_validations.dataValidation
    }
    assert rules["B2:B11"] == ("list", "'lists'!$E$2:$E$3", "warning")  # programme_code: a warning only
    assert rules["C2:C11"][0] == "date"
    kinds = {
        str(rule.sqref): rule.formula1 for rule in workbook["programmes"].data_validations.dataValidation
    }
    assert kinds["D2:D11"] == (
        '"pre_service_degree,pre_service_diploma,pre_service_certificate,in_service,online_course"'
    )
    assert kinds["F2:F11"] == '"yes,no"'
