"""Helpers of the directory's tests: what a searchset Bundle holds, by name."""

from __future__ import annotations

from typing import Any


def entries(response: Any, mode: str = "match") -> list[str]:
    """``Type/id`` of the Bundle's entries of search mode ``mode``, in order (asserting a 200)."""
    assert response.status_code == 200, response.content
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "searchset"
    return [
        f"{entry['resource']['resourceType']}/{entry['resource']['id']}"
        for entry in bundle["entry"]
        if entry["search"]["mode"] == mode
    ]


def ref(type_name: str, row: Any) -> str:
    return f"{type_name}/{row.uuid}"


def outcome(response: Any, status: int, code: str) -> str:
    """The diagnostics of an OperationOutcome answered with ``status`` and issue ``code``."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["severity"] == "error"
    assert body["issue"][0]["code"] == code
    return str(body["issue"][0]["diagnostics"])
