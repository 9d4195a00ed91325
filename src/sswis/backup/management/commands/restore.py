"""``sswis restore PATH [--force]``: put back the database and the uploaded files of a backup made by
``sswis backup`` (``docs/backup.md``).

Checks every member's checksum; refuses a backup of a newer schema or of another database vendor; asks
for ``--force`` to replace a database that holds data; migrates a backup of an older schema forward.
Atomic: when it fails, the installation is as it was. Stop the web server and the background worker
first (restoring PostgreSQL ends their sessions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.backup.services import BackupRefused, backup_restore
from sswis.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy("Restore the database and the uploaded files from a backup made by sswis backup.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help=gettext("the backup archive (.tar or .tar.gz)"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext("replace a database that already holds data (and the uploaded files)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        say = self.stderr.write if options["verbosity"] >= 1 else (lambda _text: None)
        try:
            result = backup_restore(path=options["path"], force=options["force"], say=say)
        except BackupRefused as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(
            gettext("Restored the backup of %(created)s (%(vendor)s, %(files)d files) in %(seconds).1f s.")
            % {
                "created": result.created_at,
                "vendor": result.vendor,
                "files": result.files,
                "seconds": result.seconds,
            }
        )
        if result.migrated:
            self.stdout.write(
                gettext("Migrated forward: %(migrations)s.") % {"migrations": ", ".join(result.migrated)}
            )
