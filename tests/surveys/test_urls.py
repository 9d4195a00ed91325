"""Server addresses shown in messages and kept in records never carry credentials."""

from __future__ import annotations

import pytest

from sswis.surveys.submissions import url_without_credentials


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("https://kf.kobotoolbox.org/api/v2/", "https://kf.kobotoolbox.org/api/v2/"),
        ("https://amina:s3cret@central.example.org/v1", "https://central.example.org/v1"),
        (
            "https://kf.example.org/api/v2/assets/a1/data/?format=json&start=2&limit=2",
            "https://kf.example.org/api/v2/assets/a1/data/?format=json&start=2&limit=2",
        ),
        (
            "https://kf.example.org/api/v2/assets/a1/data/?token=abc&start=2&API_KEY=x",
            "https://kf.example.org/api/v2/assets/a1/data/?start=2",
        ),
        ("submissions.csv", "submissions.csv"),
    ],
)
def test_credentials_are_removed_and_the_rest_kept(given: str, shown: str) -> None:
    assert url_without_credentials(given) == shown
