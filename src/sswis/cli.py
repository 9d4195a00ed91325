"""The ``sswis`` command: every Django management command plus sswis's own (demo, import, indicators)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command; settings default to ``sswis.settings.base`` (the embedded SQLite set-up)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sswis", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
