"""The support's front page: the links each role may follow, and the one it must not see."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Personas


@pytest.mark.parametrize(
    ("name", "shown", "hidden"),
    [
        (
            "national",
            [
                "/support/supervision/relationships/",
                "/support/caseloads/grid/",
                "/support/primero/handover/",
                "/support/sms/",
            ],
            [],
        ),
        ("subnational", ["/support/caseloads/grid/", "/support/primero/handover/"], ["/support/sms/"]),
        (
            "analyst",
            ["/support/caseloads/distribution/", "/support/retention/"],
            ["/support/caseloads/grid/", "/support/primero/", "/support/sms/"],
        ),
        ("administrator", ["/support/primero/syncs/"], ["/support/caseloads/grid/", "/support/sms/"]),
    ],
)
def test_each_role_sees_its_links(
    client: Any, personas: Personas, name: str, shown: list[str], hidden: list[str]
) -> None:
    client.force_login(getattr(personas, name))
    page = client.get("/support/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'aria-current="page">Support<' in text
    for link in shown:
        assert f'href="{link}' in text, link
    for link in hidden:
        assert f'href="{link}' not in text, link


def test_an_outsider_is_refused(client: Any, personas: Personas) -> None:
    client.force_login(personas.outsider)
    assert client.get("/support/").status_code == 403
