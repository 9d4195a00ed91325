"""``python -m tests.faults.runner ARGUMENTS``: run ``sswis ARGUMENTS`` with fault hooks, set by environment
variables (tests only; nothing of this is in sswis itself):

- ``SSWIS_FAULT_PAUSE=module:Qualified.name`` (with ``SSWIS_FAULT_PAUSE_CALLS=N``, default 1) and
  ``SSWIS_FAULT_MARKER=FILE``: right after the N-th call of that function returns, FILE is created and
  the process waits (for the test to kill it there, part-way through the command's work);
- ``SSWIS_FAULT_SQLITE_SPARE_PAGES=N``: every SQLite connection may grow its database by N pages at most
  (``PRAGMA max_page_count``), so writing more fails as on a full disk (SQLITE_FULL).
"""

from __future__ import annotations

import functools
import importlib
import os
import time
from pathlib import Path
from typing import Any


def _pause_install(target: str, calls: int, marker: Path) -> None:
    module_name, _colon, qualified = target.partition(":")
    owner: Any = importlib.import_module(module_name)
    *path, name = qualified.split(".")
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, name)
    seen = 0

    @functools.wraps(original)
    def paused(*args: Any, **kwargs: Any) -> Any:
        nonlocal seen
        result = original(*args, **kwargs)
        seen += 1
        if seen == calls:
            marker.touch()
            time.sleep(600)  # killed here by the test
        return result

    setattr(owner, name, paused)


def _sqlite_limit_install(spare_pages: int) -> None:
    from django.db.backends.signals import connection_created

    def limit(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_count")
            pages = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA max_page_count = {pages + spare_pages}")

    connection_created.connect(limit, weak=False)


def main() -> None:
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.test")
    django.setup()
    if os.environ.get("SSWIS_FAULT_PAUSE"):
        _pause_install(
            os.environ["SSWIS_FAULT_PAUSE"],
            int(os.environ.get("SSWIS_FAULT_PAUSE_CALLS", "1")),
            Path(os.environ["SSWIS_FAULT_MARKER"]),
        )
    if os.environ.get("SSWIS_FAULT_SQLITE_SPARE_PAGES"):
        _sqlite_limit_install(int(os.environ["SSWIS_FAULT_SQLITE_SPARE_PAGES"]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sswis", *sys.argv[1:]])


if __name__ == "__main__":
    main()
