"""The demo installation, built once per test process, and a copy of it for each test (a plugin named
in ``tests/conftest.py``, so ``tests/faults`` and ``tests/backup`` share one build)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.installation import Installation, demo_installation, installation_copy, installation_drop


@pytest.fixture(scope="session")
def demo_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    yield from demo_installation(tmp_path_factory.mktemp("demo-base"))


@pytest.fixture
def installation(demo_base: Installation, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    copy = installation_copy(demo_base, tmp_path_factory.mktemp("installation"))
    yield copy
    installation_drop(copy)
