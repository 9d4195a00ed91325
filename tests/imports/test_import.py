"""Importing the hand-written template: counts, upsert, history, empty cells, dry run, access."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sswis.geo.models import Location, PopulationEstimate
from sswis.imports.loading import ImportRun
from sswis.imports.modes import ImportMode
from sswis.imports.readers import template_source_open
from sswis.imports.report import FileCounts, ImportReport
from sswis.imports.services import template_import
from sswis.registry.models import Assignment, Cadre, Organisation, Post, Worker
from tests.conftest import Country, Personas
from tests.imports.conftest import BASE_COUNTS, Files, database_snapshot

Template = Callable[..., Path]


def stored_copies(worker: Worker) -> list[str]:
    """The copies of the worker's sex kept with their assignments (``Assignment.worker_sex``)."""
    return list(Assignment.objects.filter(worker=worker).order_by("pk").values_list("worker_sex", flat=True))


def expected_counts(*, second: bool = False) -> dict[str, FileCounts]:
    if second:
        return {name: FileCounts(read=read, unchanged=read) for name, (read, _, _) in BASE_COUNTS.items()}
    return {
        name: FileCounts(read=read, created=created, unchanged=unchanged)
        for name, (read, created, unchanged) in BASE_COUNTS.items()
    }


def test_small_template_imports_with_exact_counts(
    personas: Personas, country: Country, template: Template
) -> None:
    report = template_import(actor=personas.national, source=template())

    assert report.problems == []
    assert report.files == expected_counts()
    assert list(report.files) == [
        "locations.csv",
        "population.csv",
        "organizations.csv",
        "cadres.csv",
        "posts.csv",
        "workers.csv",
        "assignments.csv",
    ]
    assert report.imported is True
    assert report.summary == "Imported: 18 created, 0 updated, 3 unchanged."

    ward = Location.objects.get(code="W131")
    district = Location.objects.get(code="D13")
    assert ward.parent == district
    assert district.parent == country.region_1
    assert (district.level, district.setting, ward.level, ward.setting) == (
        "district",
        "rural",
        "ward",
        "urban",
    )
    assert district.path == f"{country.region_1.path}{district.pk}/"
    assert ward.path == f"{district.path}{ward.pk}/"
    assert ward.depth == 3
    assert PopulationEstimate.objects.get(location=country.district_12, year=2024).total is None
    office = Organisation.objects.get(code="MSW-D13")
    assert (office.parent, office.location, office.is_government) == (country.ministry, district, True)
    assert Organisation.objects.get(code="CBO1").sector == ""
    assert Post.objects.get(code="P2").funded is False
    assert Post.objects.get(code="P2").established_on is None
    amina = Worker.objects.get(worker_id="W001")
    assert (amina.birth_date, amina.email, amina.disability) == (
        datetime.date(1988, 4, 12),
        "amina@example.org",
        "no",
    )
    chausiku = Worker.objects.get(worker_id="W003")
    assert (chausiku.sex, chausiku.disability, chausiku.education_level) == ("unknown", "unknown", "unknown")
    ended = Assignment.objects.get(worker__worker_id="W002", start_date=datetime.date(2021, 1, 1))
    assert (ended.end_date, ended.exit_reason, ended.fte, ended.paid) == (
        datetime.date(2022, 12, 31),
        "resigned",
        Decimal("0.5"),
        False,
    )
    assert ended.child_protection is True  # empty cell: the default, yes
    volunteer = Assignment.objects.get(worker__worker_id="W003")
    assert (volunteer.fte, volunteer.child_protection, volunteer.post) == (Decimal("1"), False, None)
    assert Assignment.objects.get(worker=amina).post == Post.objects.get(code="P1")


def test_created_rows_have_history_by_the_actor(
    personas: Personas, country: Country, template: Template
) -> None:
    kd_records = Location.history.filter(code="KD").count()

    template_import(actor=personas.national, source=template())

    for model, key in ((Worker, {"worker_id": "W002"}), (Location, {"code": "W131"}), (Post, {"code": "P1"})):
        instance = model.objects.get(**key)  # type: ignore[attr-defined]
        records = list(instance.history.all())
        assert len(records) == 1
        assert (records[0].history_type, records[0].history_user) == ("+", personas.national)
    record = Worker.objects.get(worker_id="W001").history.get()
    assert (record.given_name, record.email, record.birth_date) == (
        "Amina",
        "amina@example.org",
        datetime.date(1988, 4, 12),
    )
    assert Assignment.history.filter(history_type="+").count() == 4
    # The unchanged rows (KD, R1, SW) got no history record from the import.
    assert Location.history.filter(code="KD").count() == kd_records


def test_second_import_changes_nothing_and_says_so(
    personas: Personas, country: Country, template: Template
) -> None:
    folder = template()
    template_import(actor=personas.national, source=folder)
    before = database_snapshot()
    stamps = dict(Worker.objects.values_list("worker_id", "updated_at"))

    report = template_import(actor=personas.national, source=folder)

    assert report.problems == []
    assert report.files == expected_counts(second=True)
    assert report.summary == "Imported. Nothing changed: all 21 rows were already in the registry."
    assert database_snapshot() == before
    assert dict(Worker.objects.values_list("worker_id", "updated_at")) == stamps


def test_a_changed_value_updates_one_row_with_history(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    template_import(actor=personas.national, source=template())
    untouched = Worker.objects.get(worker_id="W001").updated_at
    before = Worker.objects.get(worker_id="W002").updated_at
    base_files["workers"][2][2] = "Mushi-Kimaro"  # W002's family name

    report = template_import(actor=personas.national, source=template())

    assert report.files["workers.csv"] == FileCounts(read=3, updated=1, unchanged=2)
    assert report.summary == "Imported: 0 created, 1 updated, 20 unchanged."
    baraka = Worker.objects.get(worker_id="W002")
    assert baraka.family_name == "Mushi-Kimaro"
    latest = baraka.history.first()
    assert (latest.history_type, latest.history_user, latest.family_name) == (
        "~",
        personas.national,
        "Mushi-Kimaro",
    )
    assert baraka.history.count() == 2
    assert baraka.updated_at > before
    assert Worker.objects.get(worker_id="W001").updated_at == untouched


def test_an_assignment_with_the_same_identity_and_other_values_is_updated(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    template_import(actor=personas.national, source=template())
    base_files["assignments"][3][6] = "2024-06-30"  # W002's second assignment ends
    base_files["assignments"][3][10] = "contract_ended"

    report = template_import(actor=personas.national, source=template())

    assert report.files["assignments.csv"] == FileCounts(read=4, updated=1, unchanged=3)
    assert Assignment.objects.count() == 4
    changed = Assignment.objects.get(worker__worker_id="W002", start_date=datetime.date(2023, 1, 1))
    assert (changed.end_date, changed.exit_reason) == (datetime.date(2024, 6, 30), "contract_ended")
    assert changed.history.first().history_user == personas.national


def test_an_empty_cell_clears_the_stored_value_but_an_absent_column_leaves_it(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    template_import(actor=personas.national, source=template())

    base_files["workers"][1][10] = ""  # W001's email emptied; sex emptied too
    base_files["workers"][1][3] = ""
    report = template_import(actor=personas.national, source=template())
    amina = Worker.objects.get(worker_id="W001")
    assert report.files["workers.csv"] == FileCounts(read=3, updated=1, unchanged=2)
    assert (amina.email, amina.sex) == ("", "unknown")

    without_phone = [row[:9] + row[10:] for row in base_files["workers"]]  # no "phone" column at all
    report = template_import(
        actor=personas.national, source=template({"workers": without_phone}, folder="second")
    )
    assert report.files == {"workers.csv": FileCounts(read=3, unchanged=3)}
    assert Worker.objects.get(worker_id="W001").phone == "+255 712 345 678"


def test_moving_a_location_rebuilds_paths(personas: Personas, country: Country, template: Template) -> None:
    files: Files = {"locations": [["code", "name", "parent_code"], ["D12", "Beta", "R2"]]}

    report = template_import(actor=personas.national, source=template(files))

    assert report.files == {"locations.csv": FileCounts(read=1, updated=1)}
    moved = Location.objects.get(code="D12")
    assert moved.path == f"{country.region_2.path}{moved.pk}/"


def test_dry_run_writes_nothing_but_reports_counts(
    personas: Personas, country: Country, template: Template
) -> None:
    before = database_snapshot()

    report = template_import(actor=personas.national, source=template(), dry_run=True)

    assert report.files == expected_counts()
    assert (report.imported, report.dry_run, report.problems) == (False, True, [])
    assert (
        report.summary
        == "Dry run, nothing was written: importing would create 18, update 0 and leave 3 unchanged."
    )
    assert database_snapshot() == before
    assert not Location.objects.filter(code="D13").exists()


@pytest.mark.parametrize("persona", ["analyst", "administrator", "outsider"])
def test_refused_for_users_without_person_records(
    personas: Personas, country: Country, template: Template, persona: str
) -> None:
    before = database_snapshot()

    with pytest.raises(
        PermissionDenied, match="Only a national data manager, a subnational officer, an organisation"
    ):
        template_import(actor=getattr(personas, persona), source=template())

    assert database_snapshot() == before


def test_no_actor_is_refused_unless_the_system_imports(country: Country, template: Template) -> None:
    with pytest.raises(PermissionDenied):
        template_import(actor=None, source=template())

    report = template_import(actor=None, source=template(), system=True)

    assert report.imported is True
    assert Worker.objects.get(worker_id="W001").history.get().history_user is None


def test_a_single_csv_file_can_be_imported(personas: Personas, country: Country, template: Template) -> None:
    folder = template(
        {"cadres": [["code", "name", "category"], ["CCW", "Community child care worker", "allied"]]}
    )

    report = template_import(actor=personas.national, source=folder / "cadres.csv")

    assert report.files == {"cadres.csv": FileCounts(read=1, created=1)}
    assert Cadre.objects.get(code="CCW").category == "allied"


def test_loading_uses_a_fixed_number_of_queries_whatever_the_number_of_rows(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    def many(count: int, folder: str) -> int:
        files: Files = {
            "workers": [["worker_id", "given_name", "family_name"]]
            + [[f"{folder}{index:04d}", "Given", "Family"] for index in range(count)],
            "assignments": [
                ["worker_id", "organization_code", "location_code", "cadre_code", "start_date", "paid"]
            ]
            + [[f"{folder}{index:04d}", "NGO1", "D21", "CPV", "2024-01-01", "no"] for index in range(count)],
        }
        with CaptureQueriesContext(connection) as queries:
            report = template_import(actor=personas.national, source=template(files, folder=folder))
        assert report.files["workers.csv"].created == count
        return len(queries)

    many(1, "A")  # the first import also reads the user's scope (then cached)
    assert many(3, "B") == many(300, "C")


def test_values_of_every_kind_are_updated(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    template_import(actor=personas.national, source=template())
    base_files["population"][1][2:] = ["1100", ""]  # integer changed, total emptied
    base_files["cadres"][2][2:] = ["allied", ""]  # enumeration changed, code emptied
    base_files["posts"][2][5:] = ["yes", "2021-07-01", "2030-01-01"]  # boolean and dates
    base_files["assignments"][4][7:10] = ["yes", "0.25", "yes"]  # W003: boolean, decimal, boolean
    base_files["locations"][3][1:] = ["Delta Ward East", "D13", "ward", ""]  # text and emptied enumeration

    report = template_import(actor=personas.national, source=template())

    assert report.problems == []
    assert {name: (counts.updated, counts.unchanged) for name, counts in report.files.items()} == {
        "locations.csv": (1, 3),
        "population.csv": (1, 3),
        "organizations.csv": (0, 2),
        "cadres.csv": (1, 1),
        "posts.csv": (1, 1),
        "workers.csv": (0, 3),
        "assignments.csv": (1, 3),
    }
    estimate = PopulationEstimate.objects.get(location=country.district_11, year=2024)
    assert (estimate.children, estimate.total) == (1100, None)
    assert Cadre.objects.get(code="CCW").category == "allied"
    assert Cadre.objects.get(code="CCW").isco08 == ""
    post = Post.objects.get(code="P2")
    assert (post.funded, post.established_on, post.abolished_on) == (
        True,
        datetime.date(2021, 7, 1),
        datetime.date(2030, 1, 1),
    )
    volunteer = Assignment.objects.get(worker__worker_id="W003")
    assert (volunteer.paid, volunteer.fte, volunteer.child_protection) == (True, Decimal("0.25"), True)
    ward = Location.objects.get(code="W131")
    assert (ward.name, ward.setting) == ("Delta Ward East", "")
    assert ward.history.first().history_type == "~"
    assert Location.objects.get(code="W131").path.endswith(f"/{ward.pk}/")


def test_history_records_hold_every_field_of_the_row_as_written(
    personas: Personas, country: Country, template: Template
) -> None:
    template_import(actor=personas.national, source=template())
    created = [
        Location.objects.get(code="W131"),
        PopulationEstimate.objects.get(location__code="D13", year=2023),
        Organisation.objects.get(code="MSW-D13"),
        Cadre.objects.get(code="CCW"),
        Post.objects.get(code="P1"),
        Worker.objects.get(worker_id="W001"),
        Assignment.objects.get(worker__worker_id="W001"),
    ]

    for instance in created:
        record = instance.history.get()  # type: ignore[attr-defined]
        for field in type(instance)._meta.concrete_fields:
            if field.attname in ("path", "depth"):
                continue  # set after loading, by location_paths_rebuild (as after location_create)
            if (type(instance), field.attname) == (Assignment, "worker_sex"):
                continue  # a copy of the worker's sex, kept out of the assignment's history on purpose
            assert getattr(record, field.attname) == getattr(instance, field.attname), field.attname
        assert record.history_date == instance.updated_at  # type: ignore[attr-defined]
    assert Worker.objects.get(worker_id="W001").created_at == Worker.objects.get(worker_id="W001").updated_at


def test_an_import_copies_new_workers_sex_and_carries_a_changed_sex(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    template_import(actor=personas.national, source=template())
    amina, baraka, chausiku = (Worker.objects.get(worker_id=code) for code in ("W001", "W002", "W003"))
    assert (stored_copies(amina), stored_copies(baraka), stored_copies(chausiku)) == (
        ["female"],
        ["male", "male"],
        ["unknown"],
    )

    base_files["workers"][2][3] = "other"  # Baraka's sex changes
    # New assignments: of an existing worker who is not in this template's workers file (her sex is read
    # from the registry), of the worker whose sex changes (the import's own value) and of a worker in the
    # file but unchanged (read from the registry too).
    del base_files["workers"][1]
    base_files["assignments"] += [
        ["W001", "NGO1", "D21", "CPV", "", "2024-01-01", "", "no", "", "yes", ""],
        ["W002", "NGO1", "D21", "CPV", "", "2024-02-01", "", "no", "", "yes", ""],
        ["W003", "NGO1", "D21", "CPV", "", "2024-03-01", "", "no", "", "yes", ""],
    ]
    report = template_import(actor=personas.national, source=template())

    assert report.imported is True, report.problems
    assert stored_copies(baraka) == ["other", "other", "other"]
    assert stored_copies(amina) == ["female", "female"]
    assert stored_copies(chausiku) == ["unknown", "unknown"]


def test_what_an_import_remembers_of_the_rows_it_wrote_is_what_the_registry_holds(
    personas: Personas, country: Country, template: Template, base_files: Files
) -> None:
    # The second import updates a worker's sex; the first creates everything.
    template_import(actor=personas.national, source=template())
    base_files["workers"][2][3] = "other"
    report = ImportReport(mode=ImportMode.of())
    with template_source_open(path=template()) as source, transaction.atomic():
        run = ImportRun(source=source, report=report, actor=personas.national)
        run.run()
        assert not report.has_errors, report.problems

        fresh = ImportRun(source=source, report=ImportReport(mode=ImportMode.of()), actor=personas.national)
        for name in ("locations", "organizations", "cadres", "posts", "workers"):
            remembered = run.resolver(name).cache
            assert remembered, name
            assert fresh.resolver(name).resolve(codes=list(remembered)) == remembered, name
        assert run.worker_sexes == dict(
            Worker.objects.filter(pk__in=run.worker_sexes).values_list("pk", "sex")
        )
        assert Worker.objects.get(worker_id="W002").pk in run.worker_sexes  # updated: its own value
