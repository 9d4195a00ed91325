"""The quality tests keep the files they upload (evidence, instruments' texts) in the test's own data
folder: the default storage's ``MEDIA_ROOT`` follows it (Django resets the storage when the setting
changes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media_root(settings: Any, data_dir: Path) -> Path:
    settings.MEDIA_ROOT = data_dir / "media"
    return data_dir / "media"
