"""``sswis primero sync --url URL [--month YYYY-MM] [--dry-run] [--format text|json]``: the month's caseloads
from Primero's open cases (contract ``support.md``, "Primero sync"; ``sswis.primero.sync``).

Reads the service account from ``SSWIS_PRIMERO_USERNAME`` / ``SSWIS_PRIMERO_PASSWORD``, reads every open
case's owner, and records each matched worker's count as their ``all`` caseload of the month (default: the
current month). Prints the workers matched, the user names that matched no worker, and the caseloads
unchanged; a dry run writes no caseload. Any error exits non-zero and writes no caseload. Every run is kept
in the sync history, run by the server's operator (no user).

``sswis primero fake [--port PORT]``: a fake Primero server serving open cases for the workers of the
database that carry a Primero user name (and two owners no worker is), to try the sync on the demo
country; it runs until interrupted (Ctrl-C).
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy, ngettext

from sswis.commands import TranslatedCommand
from sswis.primero.client import PrimeroError, server_address
from sswis.primero.fake import FakePrimero, open_cases_of_named_workers
from sswis.primero.models import PrimeroSync, SyncOrigin, SyncStatus
from sswis.primero.sync import (
    PASSWORD_VARIABLE,
    USERNAME_VARIABLE,
    primero_credentials,
    primero_sync_create,
    primero_sync_run,
    sync_as_json,
)
from sswis.support.caseloads import month_parse
from sswis.support.caseloads_primero import PrimeroCaseloads

FAKE_USER_NAME = "demo-sync"
FAKE_PASSWORD = "demo-sync-password"  # the fake server's own, printed for whoever starts it


class Command(TranslatedCommand):
    help = gettext_lazy("The link with Primero (CPIMS+): the month's caseloads from its open cases.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sync = actions.add_parser(
            "sync", help=gettext("record the month's caseloads from Primero's open cases, per owner")
        )
        sync.add_argument(
            "--url", required=True, help=gettext("the Primero server, e.g. https://primero.example")
        )
        sync.add_argument("--month", help=gettext("the month, YYYY-MM (default: the current month)"))
        sync.add_argument(
            "--dry-run", action="store_true", help=gettext("say what would change, write nothing")
        )
        sync.add_argument(
            "--format", choices=["text", "json"], default="text", help=gettext("text (default) or json")
        )
        fake = actions.add_parser(
            "fake",
            help=gettext("serve a fake Primero with open cases of the workers with a Primero user name"),
        )
        fake.add_argument("--port", type=int, default=8765, help=gettext("the port (default 8765)"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "fake":
            self._fake(port=options["port"])
            return
        month = None
        if options["month"]:
            try:
                month = month_parse(options["month"])
            except ValueError as problem:
                raise CommandError(gettext("--month: %(problem)s") % {"problem": problem}) from problem
        try:
            server_address(options["url"])  # a bad address is said before anything else
            credentials = primero_credentials()
        except PrimeroError as problem:
            raise CommandError(problem.message) from problem
        try:
            sync = primero_sync_create(
                actor=None,
                url=options["url"],
                month=month,
                dry_run=options["dry_run"],
                origin=SyncOrigin.COMMAND,
            )
        except ValidationError as problem:
            raise CommandError(" ".join(problem.messages)) from problem
        sync, result = primero_sync_run(sync=sync, credentials=credentials)
        if options["format"] == "json":
            self.stdout.write(json.dumps(sync_as_json(sync, result), ensure_ascii=False, indent=2))
        else:
            self._text(sync, result)
        if sync.status != SyncStatus.FINISHED:
            raise CommandError(sync.error)

    def _text(self, sync: PrimeroSync, result: PrimeroCaseloads | None) -> None:
        self.stdout.write(
            gettext("Primero at %(url)s, caseloads of %(month)s.")
            % {"url": sync.url, "month": f"{sync.month:%Y-%m}"}
        )
        if sync.status != SyncStatus.FINISHED:
            return  # the error goes to standard error, with the exit status
        self.stdout.write(
            ngettext(
                "Open cases read: %(count)d on %(pages)d page.",
                "Open cases read: %(count)d on %(pages)d pages.",
                sync.pages,
            )
            % {"count": sync.open_cases, "pages": sync.pages}
        )
        self.stdout.write(
            gettext(
                "Matched: %(matched)d workers (caseloads created %(created)d, changed %(updated)d); set back "
                "to 0: %(cleared)d."
            )
            % {
                "matched": sync.matched,
                "created": sync.created,
                "updated": sync.updated,
                "cleared": sync.cleared,
            }
        )
        self.stdout.write(gettext("Unchanged: %(count)d.") % {"count": sync.unchanged})
        names = ", ".join(f"{owner['user_name']} ({owner['open_cases']})" for owner in sync.unmatched)
        self.stdout.write(
            gettext("Unmatched: %(count)d user names%(colon)s%(names)s")
            % {"count": len(sync.unmatched), "colon": ": " if names else ".", "names": names}
        )
        if sync.ambiguous:
            names = ", ".join(f"{owner['user_name']} ({owner['workers']})" for owner in sync.ambiguous)
            self.stdout.write(
                gettext("Ambiguous (carried by several workers, not recorded): %(names)s") % {"names": names}
            )
        if sync.dry_run:
            self.stdout.write(gettext("Dry run: nothing was written."))

    def _fake(self, *, port: int) -> None:
        """Serve open cases for every worker with a Primero user name (``open_cases_of_named_workers``)."""
        owners = open_cases_of_named_workers()
        user_name = os.environ.get(USERNAME_VARIABLE, "").strip() or FAKE_USER_NAME
        password = os.environ.get(PASSWORD_VARIABLE, "") or FAKE_PASSWORD
        fake = FakePrimero(owners=owners, user_name=user_name, password=password, port=port)
        self.stdout.write(
            gettext("A fake Primero serves %(count)d open cases at %(url)s (Ctrl-C stops it). Try:")
            % {"count": len(owners), "url": fake.url}
        )
        example = [f"{USERNAME_VARIABLE}={user_name}", f"{PASSWORD_VARIABLE}={password}"]
        example += ["sswis", "primero", "sync", "--url", fake.url, "--dry-run"]
        self.stdout.write("  " + " ".join(example))
        try:
            fake.server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            fake.server.server_close()
