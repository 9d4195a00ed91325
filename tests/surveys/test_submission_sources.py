"""Reading submissions safely: credentials stay on the server given, export files pass the import's checks."""

from __future__ import annotations

import pytest

from sswis.surveys.submissions import SubmissionFetchError, kobo_submissions_fetch
from tests.surveys.fake_servers import KOBO_TOKEN, kobo_server, redirecting_server
from tests.surveys.test_import_submissions import kobo_record


def test_a_redirect_to_another_server_does_not_carry_the_token() -> None:
    with (
        kobo_server(assets={"aXYZ": [kobo_record(1)]}) as other,
        redirecting_server(to=other.url) as moved,
        pytest.raises(SubmissionFetchError) as refused,
    ):
        kobo_submissions_fetch(server_url=moved.url, asset_uid="aXYZ", token=KOBO_TOKEN)
    assert other.requests == []  # never reached, so never given the token
    assert [auth for *_, auth in moved.requests] == [f"Token {KOBO_TOKEN}"]
    assert refused.value.message == (
        f"KoboToolbox at {moved.url} redirected the request to another server ({other.url}/api/v2/assets/"
        "aXYZ/data/?format=json&start=0&limit=1000); it was not followed, so that the credential is not "
        "sent there. Give the server's own address."
    )


def test_a_redirect_to_another_port_of_the_same_host_is_another_server() -> None:
    with (
        kobo_server(assets={"aXYZ": []}) as other,
        redirecting_server(to=other.url.replace("127.0.0.1", "localhost")) as moved,
        pytest.raises(SubmissionFetchError, match="redirected the request to another server"),
    ):
        kobo_submissions_fetch(server_url=moved.url, asset_uid="aXYZ", token=KOBO_TOKEN)
    assert other.requests == []


def test_a_redirect_on_the_same_server_keeps_the_token() -> None:
    with kobo_server(assets={"aXYZ": [kobo_record(1)]}) as server:
        batch = kobo_submissions_fetch(server_url=f"{server.url}/moved", asset_uid="aXYZ", token=KOBO_TOKEN)
    assert [submission.answers["given_name"] for submission in batch.submissions] == ["Amina"]
    assert [(path.split("?")[0], auth) for _, path, auth in server.requests] == [
        ("/moved/api/v2/assets/aXYZ/data/", f"Token {KOBO_TOKEN}"),
        ("/api/v2/assets/aXYZ/data/", f"Token {KOBO_TOKEN}"),
    ]
