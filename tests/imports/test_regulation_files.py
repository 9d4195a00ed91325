"""Importing a council's lists (registers.csv, registrations.csv, licences.csv): what is written, with
its history by the importing user; importing again; updates that keep dates deciding; who may import."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from sswis.imports.modes import ImportMode
from sswis.imports.regulation_files import body_code_new
from sswis.imports.report import FileCounts, Problem
from sswis.imports.services import template_import
from sswis.registry.models import Worker
from sswis.regulation.models import (
    Licence,
    Register,
    Registration,
    RegistrationStatusChange,
    RegulatoryBody,
)
from sswis.regulation.selectors import registration_status_on, worker_licensed_on
from sswis.regulation.services import (
    registration_apply,
    registration_approve,
    registration_review,
    regulatory_body_set,
)
from tests.conftest import Country, Personas
from tests.factories import AssignmentFactory
from tests.imports.conftest import REGULATION_COUNTS, Files, database_snapshot
from tests.imports.test_workbook import workbook_write

Template = Callable[..., Path]
D = datetime.date


@pytest.fixture
def write(template: Template) -> Template:
    """``write(files)``: those files alone, each call in a folder of its own (no file of an earlier call)."""
    calls = itertools.count(1)
    return lambda files: template(files, folder=f"import-{next(calls)}")


def created_counts() -> dict[str, FileCounts]:
    return {
        name: FileCounts(read=read, created=created) for name, (read, created) in REGULATION_COUNTS.items()
    }


def changes(number: str) -> list[tuple[str, datetime.date]]:
    """The status history of registration ``number``, in the order dates decide it."""
    return list(
        RegistrationStatusChange.objects.filter(registration__number=number)
        .order_by("since", "pk")
        .values_list("status", "since")
    )


def only(files: Files, *names: str) -> Files:
    return {name: rows for name, rows in files.items() if name in names}


def test_a_councils_lists_are_imported_with_exact_counts_and_rows(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    report = template_import(actor=personas.national, source=write(regulation_files))

    assert report.problems == []
    assert report.files == created_counts()
    assert report.summary == "Imported: 11 created, 0 updated, 0 unchanged."
    # One body, named twice in other capitals and spaces, created with a code made from its name.
    body = RegulatoryBody.objects.get()
    assert (body.code, body.name, body.currency) == (
        "SOCIAL-SERVICE-COUNCIL",
        "Social Service Council",
        "USD",
    )
    social, auxiliary = Register.objects.get(code="SW-REG"), Register.objects.get(code="AUX-REG")
    assert (social.name, social.body, auxiliary.body) == ("Social workers", body, body)
    assert sorted(auxiliary.cadres.values_list("code", flat=True)) == ["CCW", "PSW"]  # CCW: of cadres.csv
    assert list(social.cadres.values_list("code", flat=True)) == ["SW"]
    # A new register has the model's rules, which a registrar then sets.
    assert (social.licence_months, social.cpd_required_categories, social.renewal_fee) == (12, [], 0)
    suspended = Registration.objects.get(number="SW-002")
    assert suspended.worker == Worker.objects.get(worker_id="W2")  # of workers.csv
    assert (
        suspended.applied_on,
        suspended.registered_on,
        suspended.status,
        suspended.status_since,
        suspended.documents_checked,
    ) == (D(2020, 1, 15), D(2020, 1, 15), "suspended", D(2024, 5, 1), True)
    registered = Registration.objects.get(number="SW-001")
    assert (registered.worker, registered.status, registered.status_since) == (
        council_worker,
        "registered",
        D(2019, 3, 1),  # empty status_since: since registered_on
    )
    assert changes("SW-001") == [("registered", D(2019, 3, 1))]
    assert changes("SW-002") == [("registered", D(2020, 1, 15)), ("suspended", D(2024, 5, 1))]
    assert changes("AUX-001") == [("registered", D(2021, 6, 1)), ("lapsed", D(2023, 7, 1))]
    assert list(
        Licence.objects.order_by("registration__number", "valid_from").values_list(
            "registration__number", "number", "valid_from", "valid_until"
        )
    ) == [
        ("SW-001", "L-1", D(2019, 3, 1), D(2019, 12, 31)),
        ("SW-001", "L-2", D(2020, 1, 1), D(2020, 12, 31)),
        ("SW-002", "", D(2020, 1, 15), D(2021, 1, 14)),
    ]


def test_the_status_on_past_days_follows_the_imported_history(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    template_import(actor=personas.national, source=write(regulation_files))

    suspended = Registration.objects.get(number="SW-002")
    lapsed = Registration.objects.get(number="AUX-001")
    assert [
        registration_status_on(registration=suspended, day=day)
        for day in (D(2020, 1, 14), D(2020, 1, 15), D(2024, 4, 30), D(2024, 5, 1), D(2030, 1, 1))
    ] == [None, "registered", "registered", "suspended", "suspended"]
    assert [
        registration_status_on(registration=lapsed, day=day)
        for day in (D(2021, 5, 31), D(2023, 6, 30), D(2023, 7, 1))
    ] == [None, "registered", "lapsed"]
    # Licensed: registered that day with a licence valid that day.
    assert [
        worker_licensed_on(worker=council_worker, day=day)
        for day in (D(2019, 2, 28), D(2019, 3, 1), D(2020, 12, 31), D(2021, 1, 1))
    ] == [False, True, True, False]
    baraka = Worker.objects.get(worker_id="W2")
    assert worker_licensed_on(worker=baraka, day=D(2021, 1, 14)) is True
    assert worker_licensed_on(worker=baraka, day=D(2021, 1, 15)) is False


def test_every_row_written_has_its_history_by_the_importing_user(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    template_import(actor=personas.national, source=write(regulation_files))

    for name, history, count in (
        ("bodies", RegulatoryBody.history, 1),
        ("registers", Register.history, 2),
        ("registrations", Registration.history, 3),
        ("status changes", RegistrationStatusChange.history, 5),
        ("licences", Licence.history, 3),
    ):
        records = history.values_list("history_type", "history_user")
        assert list(records) == [("+", personas.national.pk)] * count, name


def test_importing_the_same_lists_again_changes_nothing_and_says_so(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    template_import(actor=personas.national, source=write(regulation_files))
    before = database_snapshot()

    report = template_import(actor=personas.national, source=write(regulation_files))

    assert report.problems == []
    assert report.files == {
        name: FileCounts(read=read, unchanged=read) for name, (read, _) in REGULATION_COUNTS.items()
    }
    assert report.summary == "Imported. Nothing changed: all 11 rows were already in the registry."
    assert database_snapshot() == before


def test_a_changed_status_replaces_the_imported_history_and_counts_as_updated(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    template_import(actor=personas.national, source=write(regulation_files))
    regulation_files["registrations"][2][4:] = ["lapsed", "2023-01-01"]  # SW-002: lapsed, not suspended

    report = template_import(actor=personas.national, source=write(only(regulation_files, "registrations")))

    assert report.problems == []
    assert report.files == {"registrations.csv": FileCounts(read=3, updated=1, unchanged=2)}
    registration = Registration.objects.get(number="SW-002")
    assert (registration.status, registration.status_since) == ("lapsed", D(2023, 1, 1))
    assert changes("SW-002") == [("registered", D(2020, 1, 15)), ("lapsed", D(2023, 1, 1))]
    assert [
        registration_status_on(registration=registration, day=day) for day in (D(2022, 12, 31), D(2024, 6, 1))
    ] == [
        "registered",
        "lapsed",
    ]
    # The replaced changes are recorded as deleted, the new ones as created, by the importing user.
    deleted = RegistrationStatusChange.history.filter(history_type="-", registration_id=registration.pk)
    assert sorted((record.status, record.since, record.history_user) for record in deleted) == [
        ("registered", D(2020, 1, 15), personas.national),
        ("suspended", D(2024, 5, 1), personas.national),
    ]
    assert registration.history.values_list("history_type", "history_user").first() == (
        "~",
        personas.national.pk,
    )
    # Back to registered: the history is registered since registered_on, nothing more.
    regulation_files["registrations"][2][4:] = ["", ""]
    report = template_import(actor=personas.national, source=write(only(regulation_files, "registrations")))
    assert report.files["registrations.csv"] == FileCounts(read=3, updated=1, unchanged=2)
    assert changes("SW-002") == [("registered", D(2020, 1, 15))]


def test_a_registered_row_with_a_later_status_since_was_registered_again_from_that_day(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    regulation_files["registrations"][1][5] = "2022-04-01"  # SW-001: registered again (restored) then

    template_import(actor=personas.national, source=write(regulation_files))

    registration = Registration.objects.get(number="SW-001")
    assert (registration.status, registration.status_since) == ("registered", D(2022, 4, 1))
    assert changes("SW-001") == [("registered", D(2019, 3, 1)), ("registered", D(2022, 4, 1))]


def test_a_registration_made_in_sswis_keeps_its_application_and_takes_the_lists_dates(
    personas: Personas, country: Country, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    template_import(actor=personas.national, source=write(only(regulation_files, "cadres", "registers")))
    AssignmentFactory(worker=council_worker, cadre=country.social_worker, start_date=D(2020, 1, 1))
    register = Register.objects.get(code="SW-REG")
    made = registration_apply(
        actor=personas.national, register=register, worker=council_worker, applied_on=D(2023, 2, 1)
    )
    registration_review(actor=personas.national, registration=made, documents_checked=True)
    registration_approve(
        actor=personas.national, registration=made, number="SW-009", registered_on=D(2023, 3, 1)
    )
    header = regulation_files["registrations"][0]

    def imported(*row: str) -> FileCounts:
        files = {"registrations": [header, ["W1", "SW-REG", "SW-009", *row]]}
        report = template_import(actor=personas.national, source=write(files))
        assert report.problems == []
        return report.files["registrations.csv"]

    assert imported("2023-03-01", "registered", "") == FileCounts(read=1, unchanged=1)
    assert imported("2023-03-01", "suspended", "2024-01-01") == FileCounts(read=1, updated=1)
    assert changes("SW-009") == [
        ("applied", D(2023, 2, 1)),  # the application is no part of the list: kept
        ("registered", D(2023, 3, 1)),
        ("suspended", D(2024, 1, 1)),
    ]
    # Registered before the application the registry knows of: the application moves to that day.
    assert imported("2023-01-10", "registered", "") == FileCounts(read=1, updated=1)
    made.refresh_from_db()
    assert (made.applied_on, made.registered_on, made.status, made.status_since) == (
        D(2023, 1, 10),
        D(2023, 1, 10),
        "registered",
        D(2023, 1, 10),
    )
    assert changes("SW-009") == [("registered", D(2023, 1, 10))]


def test_a_register_finds_its_body_by_name_and_its_cadres_follow_the_file(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    council = regulatory_body_set(actor=personas.national, code="SSC", name="Social Service Council")
    template_import(actor=personas.national, source=write(regulation_files))
    assert list(RegulatoryBody.objects.values_list("code", flat=True)) == ["SSC"]
    assert set(Register.objects.values_list("body", flat=True)) == {council.pk}

    regulation_files["registers"][2][3] = "PSW"  # AUX-REG: CCW no longer
    report = template_import(actor=personas.national, source=write(only(regulation_files, "registers")))

    assert report.files == {"registers.csv": FileCounts(read=2, updated=1, unchanged=1)}
    auxiliary = Register.objects.get(code="AUX-REG")
    assert list(auxiliary.cadres.values_list("code", flat=True)) == ["PSW"]
    assert auxiliary.history.values_list("history_type", "history_user").first() == (
        "~",
        personas.national.pk,
    )
    # Without the column the cadres stay; an empty cell leaves none.
    without = [row[:3] for row in regulation_files["registers"]]
    report = template_import(actor=personas.national, source=write({"registers": without}))
    assert report.files == {"registers.csv": FileCounts(read=2, unchanged=2)}
    regulation_files["registers"][2][3] = ""
    template_import(actor=personas.national, source=write(only(regulation_files, "registers")))
    assert list(auxiliary.cadres.all()) == []


def test_a_new_body_code_is_made_from_its_name_and_never_taken() -> None:
    assert body_code_new(name="Social Service Council", taken=set()) == "SOCIAL-SERVICE-COUNCIL"
    assert body_code_new(name="Social Service Council", taken={"SOCIAL-SERVICE-COUNCIL"}) == (
        "SOCIAL-SERVICE-COUNCIL-2"
    )
    assert body_code_new(
        name="Social Service Council", taken={"SOCIAL-SERVICE-COUNCIL", "SOCIAL-SERVICE-COUNCIL-2"}
    ) == ("SOCIAL-SERVICE-COUNCIL-3")
    long_name = "Council for Social Service Professions and Child and Youth Care Workers"
    assert body_code_new(name=long_name, taken=set()) == "COUNCIL-FOR-SOCIAL-SERVICE-PROFESSIONS-AND-CHILD"
    assert body_code_new(name=long_name, taken={"COUNCIL-FOR-SOCIAL-SERVICE-PROFESSIONS-AND-CHILD"}) == (
        "COUNCIL-FOR-SOCIAL-SERVICE-PROFESSIONS-AND-CHILD-2"
    )
    assert body_code_new(name="Conseil d'Études Sociales", taken=set()) == "CONSEIL-DÉTUDES-SOCIALES"
    assert body_code_new(name="***", taken=set()) == "BODY"


def test_a_body_whose_code_is_taken_by_another_gets_the_next_one(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    regulatory_body_set(actor=personas.national, code="SOCIAL-SERVICE-COUNCIL", name="Another council")

    template_import(actor=personas.national, source=write(regulation_files))

    assert list(RegulatoryBody.objects.values_list("code", "name")) == [
        ("SOCIAL-SERVICE-COUNCIL", "Another council"),
        ("SOCIAL-SERVICE-COUNCIL-2", "Social Service Council"),
    ]


def test_a_changed_licence_is_updated_and_a_licence_may_follow_one_shortened_in_the_same_file(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    template_import(actor=personas.national, source=write(regulation_files))
    licences = regulation_files["licences"]
    licences[2][4] = "2020-06-30"  # L-2 shortened...
    licences.append(["SW-REG", "SW-001", "L-3", "2020-07-01", "2021-06-30"])  # ...and followed by L-3

    report = template_import(actor=personas.national, source=write(only(regulation_files, "licences")))

    assert report.problems == []
    assert report.files == {"licences.csv": FileCounts(read=4, created=1, updated=1, unchanged=2)}
    assert list(
        Licence.objects.filter(registration__number="SW-001").values_list(
            "number", "valid_from", "valid_until"
        )
    ) == [
        ("L-1", D(2019, 3, 1), D(2019, 12, 31)),
        ("L-2", D(2020, 1, 1), D(2020, 6, 30)),
        ("L-3", D(2020, 7, 1), D(2021, 6, 30)),
    ]


def test_a_workbook_with_the_regulation_sheets_imports_as_the_csv_files_do(
    personas: Personas, council_worker: Worker, tmp_path: Path, regulation_files: Files
) -> None:
    report = template_import(
        actor=personas.national, source=workbook_write(tmp_path / "council.xlsx", regulation_files)
    )

    assert [problem for problem in report.problems if problem.file != "Notes"] == []
    assert report.files == created_counts()
    assert changes("SW-002") == [("registered", D(2020, 1, 15)), ("suspended", D(2024, 5, 1))]
    assert sorted(Register.objects.get(code="AUX-REG").cadres.values_list("code", flat=True)) == [
        "CCW",
        "PSW",
    ]
    assert Licence.objects.get(number="L-2").valid_until == D(2020, 12, 31)


# Who may import the regulation files ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["focal_point", "subnational"])
@pytest.mark.parametrize("mode", [ImportMode.ALL_OR_NOTHING, ImportMode.SKIP_INVALID])
def test_someone_who_may_not_change_regulation_has_each_regulation_file_refused(
    personas: Personas,
    council_worker: Worker,
    write: Template,
    regulation_files: Files,
    persona: str,
    mode: ImportMode,
) -> None:
    files = only(regulation_files, "registers", "registrations", "licences")
    before = database_snapshot()

    report = template_import(actor=getattr(personas, persona), source=write(files), mode=mode)

    refusal = "Only the body's registrar or a national data manager may change its registers."
    assert report.problems == [
        Problem(name, 0, "", "", f"You may not import {name}: {refusal}")
        for name in ("registers.csv", "registrations.csv", "licences.csv")
    ]
    assert report.files == {
        "registers.csv": FileCounts(read=2, rejected=2),
        "registrations.csv": FileCounts(read=3, rejected=3),
        "licences.csv": FileCounts(read=3, rejected=3),
    }
    assert report.imported is mode.skip_invalid  # skipping invalid rows imports the others: none here
    assert database_snapshot() == before


def test_users_who_may_not_import_at_all_are_refused_before_anything_is_read(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    for user in (personas.analyst, personas.administrator, personas.outsider):
        with pytest.raises(PermissionDenied):
            template_import(actor=user, source=write(regulation_files))


def test_the_system_itself_imports_the_regulation_files_without_an_author(
    council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    report = template_import(actor=None, source=write(regulation_files), system=True)

    assert report.problems == []
    assert report.files == created_counts()
    assert list(Registration.history.values_list("history_user", flat=True)) == [None] * 3


def test_a_dry_run_reports_the_counts_and_writes_nothing(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    before = database_snapshot()

    report = template_import(actor=personas.national, source=write(regulation_files), dry_run=True)

    assert (report.problems, report.files, report.imported) == ([], created_counts(), False)
    assert database_snapshot() == before


def test_the_regulation_files_alone_refer_to_the_registry(
    personas: Personas, council_worker: Worker, write: Template, regulation_files: Files
) -> None:
    """Registers, registrations and licences imported one file at a time, each referring to the last."""
    template_import(actor=personas.national, source=write(only(regulation_files, "cadres", "workers")))
    for name in ("registers", "registrations", "licences"):
        report = template_import(actor=personas.national, source=write(only(regulation_files, name)))
        assert report.problems == []
        assert report.files == {
            f"{name}.csv": FileCounts(
                read=len(regulation_files[name]) - 1, created=len(regulation_files[name]) - 1
            )
        }
    assert Licence.objects.count() == 3
