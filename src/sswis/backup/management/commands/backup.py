"""``sswis backup PATH``: the database and the uploaded files in one archive (``docs/backup.md``).

PATH ends in ``.tar`` (or ``.tar.gz`` to compress). The database is copied while sswis runs (SQLite's
online backup, ``pg_dump``). Exits non-zero with the reason when the backup cannot be made; no partial
archive is left at PATH.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.backup.services import BackupRefused, backup_create
from sswis.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy("Back up the database and the uploaded files to one archive file (.tar or .tar.gz).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help=gettext("the archive to write, e.g. sswis-2025-01-31.tar")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.name.endswith((".tar", ".tar.gz", ".tgz")):
            raise CommandError(
                gettext("PATH must end in .tar or .tar.gz, not %(name)s.") % {"name": path.name}
            )
        say = self.stderr.write if options["verbosity"] >= 1 else (lambda _text: None)
        try:
            result = backup_create(path=path, say=say)
        except BackupRefused as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(
            gettext(
                "Wrote %(path)s (%(size)s bytes): the %(vendor)s database and %(files)d files, "
                "in %(seconds).1f s."
            )
            % {
                "path": result.path,
                "size": f"{result.size:,}",
                "vendor": result.vendor,
                "files": result.files,
                "seconds": result.seconds,
            }
        )
