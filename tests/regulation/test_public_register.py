"""The public register's search: by number or name, on a day, at most 20 entries, nothing personal."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sswis.regulation.models import Registration, RegistrationStatus
from sswis.regulation.public import PublicEntry, public_register_search
from sswis.regulation.selectors import registration_status_on, registration_status_on_expressions
from sswis.regulation.services import (
    licence_issue,
    registration_apply,
    registration_lapse,
    registration_refuse,
    registration_remove,
    registration_restore,
)
from tests.factories import WorkerFactory
from tests.regulation.registers import (
    Council,
    D,
    council_create,
    status_set,
    tendai_registered,
)

ON = D(2024, 6, 1)


def search(query: str, day: Any = ON) -> list[tuple[str, str, str, str, Any, tuple[str, ...]]]:
    return [
        (e.name, e.register, e.number, e.status, e.valid_until, e.sanctions)
        for e in public_register_search(query=query, day=day)
    ]


@pytest.fixture
def council(db: Any) -> Council:
    return council_create()


def test_an_entry_shows_name_register_number_status_valid_until_and_sanctions_only(council: Council) -> None:
    tendai_registered(council)

    assert [field.name for field in dataclasses.fields(PublicEntry)] == [
        "name",
        "register",
        "number",
        "status",
        "valid_until",
        "sanctions",
    ]
    assert search("Moyo") == [("Tendai Moyo", "Social workers", "SW-0042", "registered", D(2024, 12, 31), ())]
    assert public_register_search(query="Moyo", day=ON)[0].status_label == "Registered"


def test_no_personal_field_is_even_read(council: Council) -> None:
    tendai_registered(council)

    for query in ("Tendai", "sw-0042"):
        with CaptureQueriesContext(connection) as queries:
            assert len(public_register_search(query=query, day=ON)) == 1
        sql = " ".join(captured["sql"] for captured in queries.captured_queries)
        worker_columns = set(re.findall(r'"registry_worker"\."(\w+)"', sql))
        assert worker_columns <= {"id", "given_name", "family_name"}, query
        assert "registry_assignment" not in sql and "registry_organisation" not in sql


def test_a_number_matches_exactly_whatever_its_case_in_every_register_and_nothing_else(
    council: Council,
) -> None:
    tendai_registered(council)
    council.register(
        WorkerFactory(given_name="Sw", family_name="Zulu"), number="7", register=council.youth_care
    )
    council.register(WorkerFactory(given_name="Ruth", family_name="Banda"), number="7")
    council.register(WorkerFactory(given_name="Sw-0042x", family_name="Phiri"), number="SW-0043")

    assert search("  sw-0042 ") == [
        ("Tendai Moyo", "Social workers", "SW-0042", "registered", D(2024, 12, 31), ())
    ]
    # one character: a number, in both registers (ordered by family name)
    assert [(name, register) for name, register, *_ in search("7")] == [
        ("Ruth Banda", "Social workers"),
        ("Sw Zulu", "Child and youth care workers"),
    ]
    # not a number: a name (Phiri's given name begins so); a number wins over a name
    assert [number for _name, _register, number, *_ in search("SW-004")] == ["SW-0043"]
    assert [number for _name, _register, number, *_ in search("SW-0042")] == ["SW-0042"]


@pytest.mark.parametrize("query", ["", "   ", "ab", " Mo ", "é"])
def test_a_name_shorter_than_three_characters_is_refused(council: Council, query: str) -> None:
    tendai_registered(council)

    with pytest.raises(ValidationError) as refusal:
        public_register_search(query=query, day=ON)

    assert list(refusal.value.message_dict) == ["q"]
    expected = "Type a name" if not query.strip() else "at least 3 characters"
    assert expected in refusal.value.message_dict["q"][0]


def test_a_control_character_is_refused(council: Council) -> None:
    with pytest.raises(ValidationError, match="U\\+0000") as refusal:
        public_register_search(query="Mo\x00yo", day=ON)

    assert list(refusal.value.message_dict) == ["q"]


def test_names_match_by_the_beginning_of_the_given_or_family_name_or_both(council: Council) -> None:
    tendai_registered(council)
    council.register(WorkerFactory(given_name="Moyowa", family_name="Banda"), number="SW-2")
    council.register(WorkerFactory(given_name="Grace", family_name="Tendaiwa"), number="SW-3")

    # people matched by their family name first, then those matched by their given name only
    assert [name for name, *_ in search("moyo")] == ["Tendai Moyo", "Moyowa Banda"]
    assert [name for name, *_ in search("TENDAI")] == ["Grace Tendaiwa", "Tendai Moyo"]
    assert [name for name, *_ in search("Tendai Mo")] == ["Tendai Moyo"]
    assert [name for name, *_ in search("Gra Tend")] == ["Grace Tendaiwa"]
    assert search("endai") == []  # not the beginning of a name
    assert search("Moyo Tendai") == []  # the given name first, as the worker list


def test_at_most_twenty_entries_in_a_stable_order(council: Council) -> None:
    for index in range(21):
        worker = WorkerFactory(given_name=f"Ama{20 - index:02d}", family_name="Mensah")
        council.register(worker, number=f"SW-{index:03d}")

    first = search("Mensah")
    assert len(first) == 20
    assert [name for name, *_ in first] == [f"Ama{index:02d} Mensah" for index in range(20)]
    assert search("Mensah") == first


def test_only_people_on_the_register_that_day_with_their_status_that_day(council: Council) -> None:
    registrar = council.registrar
    applied = WorkerFactory(given_name="Applied", family_name="Okafor")
    registration_apply(
        actor=registrar, register=council.social_workers, worker=applied, applied_on=D(2024, 1, 1)
    )
    refused = registration_apply(
        actor=registrar,
        register=council.social_workers,
        worker=WorkerFactory(given_name="Refused", family_name="Okafor"),
        applied_on=D(2024, 1, 1),
    )
    registration_refuse(actor=registrar, registration=refused, reason="Not eligible", on=D(2024, 2, 1))
    later = council.register(
        WorkerFactory(given_name="Later", family_name="Okafor"), number="SW-9", on=D(2024, 7, 1)
    )
    lapsed = council.register(
        WorkerFactory(given_name="Lapsed", family_name="Okafor"), number="SW-1", licence_from=D(2023, 3, 1)
    )
    registration_lapse(actor=registrar, registration=lapsed, since=D(2024, 2, 1))
    removed = council.register(WorkerFactory(given_name="Removed", family_name="Okafor"), number="SW-2")
    registration_remove(actor=registrar, registration=removed, since=D(2024, 3, 1), reason="Deceased")
    suspended = council.register(
        WorkerFactory(given_name="Suspended", family_name="Okafor"), number="SW-3", licence_from=D(2024, 1, 1)
    )
    status_set(suspended, RegistrationStatus.SUSPENDED, D(2024, 5, 2), reason="Misconduct case 12")

    assert search("Okafor") == [
        ("Lapsed Okafor", "Social workers", "SW-1", "lapsed", D(2023, 12, 31), ()),
        ("Removed Okafor", "Social workers", "SW-2", "removed", None, ()),
        (
            "Suspended Okafor",
            "Social workers",
            "SW-3",
            "suspended",
            D(2024, 12, 31),
            ("Suspended since 2024-05-02",),
        ),
    ]
    # a day before the lapse, the removal and the suspension: registered; "Later" is registered from July
    assert [
        (name, status, sanctions) for name, _r, _n, status, _v, sanctions in search("Okafor", D(2024, 1, 15))
    ] == [
        ("Lapsed Okafor", "registered", ()),
        ("Removed Okafor", "registered", ()),
        ("Suspended Okafor", "registered", ()),
    ]
    assert [name for name, *_ in search("Okafor", D(2024, 7, 1))] == [
        "Lapsed Okafor",
        "Later Okafor",
        "Removed Okafor",
        "Suspended Okafor",
    ]
    assert later.status == RegistrationStatus.REGISTERED


def test_the_status_on_a_day_is_the_history_s_when_the_latest_change_comes_later(council: Council) -> None:
    registration = council.register(WorkerFactory(), number="SW-1", licence_from=D(2023, 3, 1))
    registration_lapse(actor=council.registrar, registration=registration, since=D(2024, 2, 1))
    registration_restore(actor=council.registrar, registration=registration, since=D(2024, 6, 1))
    status_set(registration, RegistrationStatus.SUSPENDED, D(2025, 1, 10))
    days = [
        D(2023, 1, 1),
        D(2023, 2, 1),
        D(2023, 3, 1),
        D(2024, 2, 1),
        D(2024, 5, 31),
        D(2024, 6, 1),
        D(2025, 1, 10),
    ]

    by_expression = []
    for day in days:
        status, since = registration_status_on_expressions(day=day)
        row = Registration.objects.annotate(s=status, d=since).values_list("s", "d").get(pk=registration.pk)
        by_expression.append(row)

    assert [row[0] for row in by_expression] == [
        registration_status_on(registration=registration, day=day) for day in days
    ]
    assert by_expression == [
        (None, None),
        ("applied", D(2023, 1, 30)),
        ("registered", D(2023, 3, 1)),
        ("lapsed", D(2024, 2, 1)),
        ("lapsed", D(2024, 2, 1)),
        ("registered", D(2024, 6, 1)),
        ("suspended", D(2025, 1, 10)),
    ]


def test_valid_until_is_the_licence_of_the_day_else_the_latest_begun(council: Council) -> None:
    registration = council.register(
        WorkerFactory(given_name="Kofi", family_name="Mensah"),
        number="CYC-1",
        register=council.youth_care,
        licence_from=D(2023, 3, 10),
    )
    licence_issue(actor=council.registrar, registration=registration, valid_from=D(2024, 6, 1))
    council.register(
        WorkerFactory(given_name="Kwame", family_name="Mensah"), number="CYC-2", register=council.youth_care
    )

    def valid_until(day: Any) -> list[Any]:
        return [until for _n, _r, _num, _s, until, _x in search("Mensah", day)]

    assert valid_until(D(2023, 3, 9)) == [None, None]  # registered, no licence begun yet
    assert valid_until(D(2023, 3, 10)) == [D(2024, 3, 9), None]
    assert valid_until(D(2024, 3, 9)) == [D(2024, 3, 9), None]
    assert valid_until(D(2024, 4, 1)) == [D(2024, 3, 9), None]  # expired: when it ended
    assert valid_until(D(2024, 6, 1)) == [D(2025, 5, 31), None]


def test_sanctions_in_force_are_those_discipline_decided(council: Council) -> None:
    from sswis.regulation.discipline import (
        complaint_decide,
        complaint_hearing_set,
        complaint_investigate,
        complaint_receive,
    )

    suspended = tendai_registered(council)
    council.register(WorkerFactory(given_name="Tendai", family_name="Phiri"), number="SW-7")
    actor = suspended.history.earliest().history_user
    complaint = complaint_receive(
        actor=actor, body=suspended.register.body, complainant_kind="anonymous", received_on=D(2024, 2, 1),
        summary="Case 12", registration=suspended,
    )  # fmt: skip
    complaint_investigate(actor=actor, complaint=complaint, on=D(2024, 2, 2))
    complaint_hearing_set(actor=actor, complaint=complaint, hearing_on=D(2024, 3, 1))
    complaint_decide(
        actor=actor, complaint=complaint, outcome="conditions", decided_on=D(2024, 3, 1),
        starts_on=D(2024, 3, 1), ends_on=D(2024, 12, 31), conditions="Supervised practice",
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        found = search("Tendai")

    assert found == [
        (
            "Tendai Moyo",
            "Social workers",
            "SW-0042",
            "registered",
            D(2024, 12, 31),
            ("Conditions on practice from 2024-03-01 to 2024-12-31: Supervised practice",),
        ),
        ("Tendai Phiri", "Social workers", "SW-7", "registered", None, ()),
    ]
    # the number, by family name, by given name, the sanctions in force of every entry at once
    assert len(queries) == 4


def test_family_name_matches_come_first_and_given_name_matches_fill_up_to_twenty(council: Council) -> None:
    for index in range(15):
        council.register(
            WorkerFactory(given_name=f"Ama{index:02d}", family_name="Kofiwa"), number=f"SW-{index}"
        )
    for index in range(10):
        council.register(
            WorkerFactory(given_name="Kofi", family_name=f"Zulu{index:02d}"), number=f"SW-2{index}"
        )
    both = council.register(WorkerFactory(given_name="Kofi", family_name="Kofi"), number="SW-99")

    found = [name for name, *_ in search("Kofi")]

    assert found == [
        "Kofi Kofi",  # matched both ways: once, with the family names
        *[f"Ama{index:02d} Kofiwa" for index in range(15)],
        *[f"Kofi Zulu{index:02d}" for index in range(4)],
    ]
    assert both.number == "SW-99"


def test_namesakes_and_one_person_on_two_registers_keep_one_order(council: Council) -> None:
    first = WorkerFactory(given_name="Grace", family_name="Phiri")
    second = WorkerFactory(given_name="grace", family_name="PHIRI")
    council.register(second, number="CYC-5", register=council.youth_care)
    council.register(first, number="SW-8")
    council.register(first, number="CYC-1", register=council.youth_care)

    assert [(name, number) for name, _register, number, *_ in search("grace ph")] == [
        ("Grace Phiri", "SW-8"),  # the first worker, their registrations oldest first
        ("Grace Phiri", "CYC-1"),
        ("grace PHIRI", "CYC-5"),
    ]


@pytest.mark.parametrize(
    ("family", "query", "queries"),
    [
        ("Tembo", "Tendai", 4),  # the number, by family name, by given name; the sanctions in force
        ("Tendaiwa", "Tendai", 3),  # 20 by family name: no need to look by given name
        ("Tembo", "Tendai Tem", 4),  # the number, by family name, by "given family": 20
        ("Tembo", "SW-0", 2),  # a number
    ],
)
def test_queries_of_a_search(council: Council, family: str, query: str, queries: int) -> None:
    for index in range(20):
        registration = council.register(
            WorkerFactory(given_name="Tendai", family_name=family), number=f"SW-{index}", licence_from=ON
        )
        status_set(registration, RegistrationStatus.SUSPENDED, ON)

    with CaptureQueriesContext(connection) as captured:
        found = public_register_search(query=query, day=ON)

    assert (len(found), len(captured)) == (1 if query == "SW-0" else 20, queries)


def test_a_change_dated_ahead_counts_from_its_day_before_the_daily_job_brings_it_in(council: Council) -> None:
    """A suspension dated ahead leaves the registration's copy as it was until the daily job runs; the
    status on a day after it began is the suspension's all the same."""
    from sswis.regulation.models import RegistrationStatusChange

    registration = tendai_registered(council)
    RegistrationStatusChange.objects.create(
        registration=registration, status="suspended", since=D(2024, 9, 1)
    )
    registration.refresh_from_db()
    assert registration.status == "registered"  # the copy, not brought in yet
    annotated = Registration.objects.annotate(
        status_on=registration_status_on_expressions(day=D(2024, 12, 31))[0]
    ).get(pk=registration.pk)
    assert (
        annotated.status_on
        == registration_status_on(registration=registration, day=D(2024, 12, 31))
        == "suspended"
    )
