"""The upload page, an import's page (live progress, result, problem downloads) and the import history."""

from __future__ import annotations

import csv
import html
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from sswis.imports.models import ImportRecord, ImportStatus
from sswis.imports.modes import ImportMode
from sswis.imports.services import import_record_create, import_record_run
from sswis.registry.models import Cadre, Worker
from tests.conftest import Country, Personas
from tests.web.conftest import persona, queries_for
from tests.web.conftest import text_of as raw_text_of


def text_of(response: Any) -> str:
    return html.unescape(raw_text_of(response))


UPLOAD = reverse("web:import_upload")
HISTORY = reverse("web:import_list")
CADRES = b"code,name,category\nCCW,Community child care worker,allied\n"
WORKERS = (
    b"worker_id,given_name,family_name,sex\n"
    b"N1,Neema,Juma,female\n"
    b"N2,Omari,Said,F\n"
    b'N3,"=HYPERLINK(""http://x"")",Said,\n'
)


def upload(
    client: Client, content: bytes = CADRES, name: str = "cadres.csv", mode: str = "all_or_nothing"
) -> Any:
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content), "mode": mode})


def record_of(user: Any, content: bytes = CADRES, name: str = "cadres.csv", run: bool = True) -> ImportRecord:
    record = import_record_create(actor=user, file_name=name, chunks=[content], mode=ImportMode.DRY_RUN)
    return import_record_run(record=record) if run else record


# Who may import --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["national", "subnational", "focal_point"])
def test_users_who_may_import_see_the_page_and_the_menu_link(
    as_user: Callable[[Any], Client], personas: Personas, name: str
) -> None:
    client = as_user(getattr(personas, name))
    page = client.get(UPLOAD)

    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    assert f'href="{HISTORY}"' in client.get(reverse("web:dashboard")).content.decode()


@pytest.mark.parametrize("name", ["analyst", "administrator", "outsider"])
def test_users_who_may_not_import_are_refused_everywhere(
    as_user: Callable[[Any], Client], personas: Personas, country: Country, name: str
) -> None:
    record = record_of(personas.national)
    client = as_user(getattr(personas, name))

    for url in (
        UPLOAD,
        HISTORY,
        reverse("web:import_detail", args=[record.uuid]),
        reverse("web:import_problems", args=[record.uuid, "csv"]),
    ):
        assert client.get(url).status_code == 403, url
    assert upload(client).status_code == 403
    assert ImportRecord.objects.count() == 1
    if name != "outsider":
        assert f'href="{HISTORY}"' not in client.get(reverse("web:dashboard")).content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, personas: Personas) -> None:
    record = record_of(personas.national)
    for url in (UPLOAD, HISTORY, reverse("web:import_detail", args=[record.uuid])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))
    assert upload(client).status_code == 302
    assert ImportRecord.objects.count() == 1


# Uploading -------------------------------------------------------------------------------------------


def test_a_national_upload_is_imported_in_the_background_and_its_page_shows_the_result(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    client = as_user(personas.national)

    response = upload(client, mode="all_or_nothing")

    record = ImportRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:import_detail", args=[record.uuid])
    assert (record.user, record.status, record.imported) == (personas.national, "finished", True)
    assert Cadre.objects.get(code="CCW").history.get().history_user == personas.national
    page = text_of(client.get(response["Location"]))
    assert "Result Imported: 1 created, 0 updated, 0 unchanged." in page
    assert "cadres.csv 1 1 0 0 0" in page
    assert record.sha256 in page


def test_skipping_invalid_rows_shows_every_problem_and_offers_the_downloads(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    client = as_user(personas.national)

    response = upload(client, WORKERS, "workers.csv", mode="skip_invalid")

    record = ImportRecord.objects.get()
    page = client.get(response["Location"])
    text = text_of(page)
    assert (
        "Imported the valid rows: 2 created, 0 updated, 0 unchanged; 1 row was rejected (1 error, 2 warnings)."
        in text
    )
    assert "workers.csv 3 2 0 0 1" in text
    assert "error workers.csv 2 sex F Sex 'F' is not one of the allowed values" in text
    assert sorted(Worker.objects.values_list("worker_id", flat=True)) == ["N1", "N3"]
    markup = page.content.decode()
    csv_url = reverse("web:import_problems", args=[record.uuid, "csv"])
    xlsx_url = reverse("web:import_problems", args=[record.uuid, "xlsx"])
    assert f'href="{csv_url}"' in markup and f'href="{xlsx_url}"' in markup

    download = client.get(csv_url)
    assert download["Content-Disposition"] == f'attachment; filename="import-{record.uuid}-problems.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert [row[:4] for row in rows] == [
        ["file", "row", "column", "value"],
        ["workers.csv", "1", "worker_id", "N1"],
        ["workers.csv", "2", "sex", "F"],
        ["workers.csv", "3", "worker_id", "N3"],
    ]
    workbook = load_workbook(io.BytesIO(b"".join(client.get(xlsx_url).streaming_content)))
    assert [cell.value for cell in workbook["problems"][3]][:4] == ["workers.csv", 2, "sex", "F"]


def test_formula_values_in_problems_are_neutralised_in_downloads(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    client = as_user(personas.national)
    content = b"worker_id,given_name,family_name,email\nN1,Neema,Juma,=1+1\n"
    upload(client, content, "workers.csv", mode="dry_run")
    record = ImportRecord.objects.get()

    download = client.get(reverse("web:import_problems", args=[record.uuid, "csv"]))

    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "workers.csv,1,email,'=1+1," in text


def test_a_file_over_the_limit_is_refused_while_it_arrives(
    as_user: Callable[[Any], Client], personas: Personas, country: Country, settings: Any, data_dir: Path
) -> None:
    settings.SSWIS_IMPORT_MAX_BYTES = 1024
    client = as_user(personas.national)

    response = upload(client, CADRES * 100)

    assert response.status_code == 400
    assert "The file is larger than the 0 MB an import accepts" in text_of(response)
    assert ImportRecord.objects.count() == 0
    assert not (data_dir / "imports").exists()


def test_a_file_of_another_kind_is_refused(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    response = upload(as_user(personas.national), b"hello", "notes.txt")

    assert response.status_code == 400
    assert "Choose an .xlsx workbook, a template CSV file" in text_of(response)
    assert ImportRecord.objects.count() == 0


def test_a_focal_point_imports_their_organisations_rows_and_the_others_are_errors(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    client = as_user(personas.focal_point)
    assignments = (
        b"worker_id,organization_code,location_code,cadre_code,start_date,paid\n"
        b"N1,NGO1,D21,CPV,2024-01-01,no\n"
        b"N1,MSW,D21,CPV,2024-01-01,no\n"
    )
    # A new worker comes with their assignment: alone, they would be nobody's in the organisation.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as folder:
        folder.writestr("workers.csv", b"worker_id,given_name,family_name\nN1,Neema,Juma\n")
        folder.writestr("assignments.csv", assignments)
    response = upload(client, archive.getvalue(), "template.zip", mode="skip_invalid")

    text = text_of(client.get(response["Location"]))
    assert (
        "error assignments.csv 2 organization_code MSW Organisation 'MSW' is not yours: you may import only "
        "the assignments of organisation NGO1." in text
    )
    assert list(
        Worker.objects.get(worker_id="N1").assignments.values_list("organisation__code", flat=True)
    ) == ["NGO1"]
    refused = upload(client, CADRES)
    assert "You may not import cadres.csv" in text_of(client.get(refused["Location"]))


def test_a_subnational_officer_imports_rows_of_their_area(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    client = as_user(personas.subnational)
    posts = b"code,organization_code,location_code,cadre_code\nP-A,MSW,D11,SW\nP-B,MSW,D21,SW\n"

    response = upload(client, posts, "posts.csv", mode="skip_invalid")

    text = text_of(client.get(response["Location"]))
    assert (
        "Location 'D21' is outside your area: you may import only the posts of R1 (North) and below." in text
    )
    assert "posts.csv 2 1 0 0 1" in text


# The page of one import ---------------------------------------------------------------------------------


def test_a_queued_import_shows_a_progress_bar_that_polls_its_fragment(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    record = record_of(personas.national, run=False)
    client = as_user(personas.national)
    url = reverse("web:import_detail", args=[record.uuid])

    markup = client.get(url).content.decode()

    assert f'hx-get="{url}" hx-trigger="every 1s"' in markup
    assert '<progress id="import-progress"></progress>' in markup
    fragment = client.get(url, headers={"HX-Request": "true", "HX-Target": "import-status"})
    assert fragment.content.decode().lstrip().startswith('<section id="import-status"')
    assert "<html" not in fragment.content.decode()

    import_record_run(record=record)
    done = client.get(url, headers={"HX-Request": "true", "HX-Target": "import-status"}).content.decode()
    assert "hx-trigger" not in done  # the polling stops
    assert "Dry run, nothing was written" in done


def test_a_running_import_shows_how_far_it_is(
    as_user: Callable[[Any], Client], personas: Personas, country: Country, data_dir: Path
) -> None:
    record = record_of(personas.national, run=False)
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING)
    (data_dir / "imports" / str(record.uuid) / "progress.json").write_text(
        '{"file": "workers.csv", "file_rows": 1000, "file_rows_estimate": 4000, "rows": 1200, '
        '"files_done": 1, "files_total": 2}'
    )

    markup = as_user(personas.national).get(reverse("web:import_detail", args=[record.uuid])).content.decode()

    assert '<progress id="import-progress" max="1000" value="625">62.5%</progress>' in markup
    assert "workers.csv: 1,000 of about 4,000 rows (file 2 of 2)" in markup


def test_another_users_import_is_not_found_out_of_scope(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    national = record_of(personas.national)
    focal = record_of(
        personas.focal_point, b"worker_id,given_name,family_name\nN1,Neema,Juma\n", "workers.csv"
    )

    for name, record, status in (
        ("focal_point", national, 404),
        ("subnational", focal, 404),
        ("focal_point", focal, 200),
        ("national", focal, 200),
    ):
        client = as_user(getattr(personas, name))
        assert client.get(reverse("web:import_detail", args=[record.uuid])).status_code == status
        assert client.get(reverse("web:import_problems", args=[record.uuid, "xlsx"])).status_code == status


# The history ------------------------------------------------------------------------------------------


def test_the_history_lists_records_with_their_facts_and_links(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    national = record_of(personas.national)
    focal = record_of(
        personas.focal_point, b"worker_id,given_name,family_name\nN1,Neema,Juma\n", "workers.csv"
    )

    page = as_user(personas.national).get(HISTORY)
    text = text_of(page)

    assert [record.uuid for record in page.context["page_obj"]] == [focal.uuid, national.uuid]
    assert (
        f"workers.csv {focal.created_at:%Y-%m-%d %H:%M} hope Dry run: check everything, write nothing Finished 1 error 1 0 0 0 1"
        in text
    )
    assert f'href="{reverse("web:import_detail", args=[national.uuid])}"' in page.content.decode()
    assert national.sha256[:12] in text
    own = as_user(personas.focal_point).get(HISTORY)
    assert [record.uuid for record in own.context["page_obj"]] == [focal.uuid]


@pytest.mark.parametrize("name", ["national", "focal_point"])
def test_the_history_takes_as_many_queries_for_three_records_as_for_one(
    as_user: Callable[[Any], Client], personas: Personas, country: Country, name: str
) -> None:
    user = persona(personas, name)
    client = as_user(user)
    record_of(user)
    one = queries_for(client, HISTORY)
    record_of(user)
    record_of(user)

    assert queries_for(client, HISTORY) == one
    assert len(client.get(HISTORY).context["page_obj"]) == 3


# The database task backend --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_upload_queued_on_the_database_backend_is_run_by_the_worker(
    client: Client, personas: Personas, country: Country, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(personas.national)

    upload(client)

    record = ImportRecord.objects.get()
    assert record.status == "queued"
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    record.refresh_from_db()
    assert (record.status, record.imported) == ("finished", True)
    assert Cadre.objects.filter(code="CCW").exists()


# When things go wrong ---------------------------------------------------------------------------------------


def test_an_import_whose_worker_died_is_shown_interrupted_and_stops_polling(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    import datetime

    from django.utils import timezone

    record = record_of(personas.national, run=False)
    started = timezone.now() - datetime.timedelta(hours=1)
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING, started_at=started)
    client = as_user(personas.national)
    url = reverse("web:import_detail", args=[record.uuid])

    fragment = client.get(url, headers={"HX-Request": "true", "HX-Target": "import-status"}).content.decode()
    history = text_of(client.get(HISTORY))

    assert "hx-trigger" not in fragment
    assert "The import was interrupted" in fragment
    assert "The import stopped before it finished; nothing was written; run it again." in fragment
    assert "Interrupted" in history
    record.refresh_from_db()
    assert record.status == "interrupted"


def test_a_macro_enabled_workbook_is_taken_and_refused_with_its_own_advice(
    client: Client, personas: Personas, country: Country
) -> None:
    client.force_login(personas.national)

    response = upload(client, content=b"PK\x03\x04junk", name="book.xlsm")

    record = ImportRecord.objects.get()
    assert response.status_code == 302
    assert (record.status, record.errors, record.imported) == ("finished", 1, False)
    assert record.report["problems"][0]["message"].startswith("book.xlsm is a macro-enabled workbook;")


def test_the_upload_page_says_an_import_holds_the_sqlite_write_lock(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    text = text_of(as_user(personas.national).get(UPLOAD))

    assert "on the built-in SQLite database it holds the database's write lock until it ends" in text
    assert "should run on PostgreSQL" in text


def test_a_locked_database_gives_a_plain_busy_page_not_a_server_error(
    personas: Personas, country: Country, rf: Any
) -> None:
    from django.db import OperationalError

    from sswis.web.middleware import DatabaseBusyMiddleware

    request = rf.get(HISTORY)
    request.user = personas.national
    middleware = DatabaseBusyMiddleware(lambda request: None)  # type: ignore[arg-type, return-value]

    response = middleware.process_exception(request, OperationalError("database is locked"))
    other = middleware.process_exception(request, OperationalError("no such table: x"))

    assert response is not None and response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "An import is writing to the database" in response.content.decode()
    assert other is None


def test_a_locked_database_gives_api_clients_json(personas: Personas, country: Country, rf: Any) -> None:
    from django.db import OperationalError

    from sswis.web.middleware import DatabaseBusyMiddleware

    middleware = DatabaseBusyMiddleware(lambda request: None)  # type: ignore[arg-type, return-value]

    response = middleware.process_exception(
        rf.get("/api/v1/workers/"), OperationalError("database is locked")
    )

    assert response is not None and response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.content == b'{"detail": "The database is busy with an import; try again in a moment."}'


def test_a_pruned_import_says_so_instead_of_an_empty_problems_table(
    as_user: Callable[[Any], Client], personas: Personas, country: Country
) -> None:
    import datetime

    from sswis.imports.services import import_records_prune

    record = import_record_create(
        actor=personas.national,
        file_name="cadres.csv",
        chunks=[b"code,name,category\nCCW,,allied\n"],
        mode=ImportMode.DRY_RUN,
    )
    import_record_run(record=record)
    import_records_prune(
        older_than=datetime.timedelta(days=1), now=record.created_at + datetime.timedelta(days=2)
    )

    text = text_of(as_user(personas.national).get(reverse("web:import_detail", args=[record.uuid])))

    assert "The kept file and the list of problems were deleted on" in text
    assert "Problems (" not in text
