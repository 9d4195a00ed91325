"""``sswis import-submissions``: import field submissions (ODK / KoboToolbox) into the registry.

One source, one of:

* ``--kobo-url URL --asset UID``: the KoboToolbox API v2, with the API token in the environment variable
  ``SSWIS_KOBO_TOKEN`` (recommended: ``--token KEY`` also works, but a command line is visible to other
  users in ``ps`` and stays in the shell history; the token is never printed);
* ``--central-url URL --project ID --form FORM_ID``: ODK Central through pyodk; user name and password
  from ``SSWIS_CENTRAL_USERNAME`` / ``SSWIS_CENTRAL_PASSWORD``, or ``--central-config`` (a pyodk
  configuration file, whose ``[central]`` section gives them);
* ``PATH``: an export file of either tool (``.csv``, ``.xlsx``, or ``.json`` as the API answers).

``--round CODE`` names the survey round the perception answers belong to. ``--user`` (default
``SSWIS_USER``) is the importing national data manager, ``--dry-run`` checks without writing. Prints the
same report as ``sswis import``; exits with status 1 when nothing was imported because of errors. A
``user:password@`` in a server address is never shown nor stored; every import is kept in the import
history.
"""

from __future__ import annotations

import functools
import json
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.imports.report import report_as_dict, report_as_text
from sswis.surveys.services import submissions_import
from sswis.surveys.submissions import (
    SubmissionBatch,
    central_submissions_fetch,
    file_submissions_read,
    kobo_submissions_fetch,
)


def _central_credentials(config: Path | None) -> tuple[str, str]:
    if config is None:
        return os.environ.get("SSWIS_CENTRAL_USERNAME", ""), os.environ.get("SSWIS_CENTRAL_PASSWORD", "")
    try:
        central = tomllib.loads(config.read_text(encoding="utf-8")).get("central", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CommandError(
            gettext("The pyodk configuration %(config)s could not be read: %(exc)s")
            % {"config": config, "exc": exc}
        ) from exc
    return str(central.get("username", "")), str(central.get("password", ""))


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Import worker mapping submissions from KoboToolbox, ODK Central or an export file. "
        "All or nothing: with any error nothing is written; submissions imported before are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", type=Path, help=gettext("an export file (.csv, .xlsx or .json)")
        )
        kobo = parser.add_argument_group("KoboToolbox")
        kobo.add_argument(
            "--kobo-url",
            metavar="URL",
            help=gettext("the KoboToolbox server, e.g. https://kf.kobotoolbox.org"),
        )
        kobo.add_argument("--asset", metavar="UID", help=gettext("the form's asset UID"))
        kobo.add_argument(
            "--token",
            metavar="KEY",
            help=gettext(
                "API token; better set the environment variable SSWIS_KOBO_TOKEN instead, since a value on "
                "the command line is visible to other users of the computer (ps) and kept in the shell history"
            ),
        )
        central = parser.add_argument_group("ODK Central")
        central.add_argument("--central-url", metavar="URL", help=gettext("the ODK Central server"))
        central.add_argument("--project", type=int, metavar="ID", help=gettext("the project's number"))
        central.add_argument("--form", metavar="FORM_ID", help=gettext("the form ID"))
        central.add_argument(
            "--central-config",
            type=Path,
            metavar="PATH",
            help=gettext(
                "pyodk configuration file with the user name and password (default: environment variables "
                "SSWIS_CENTRAL_USERNAME and SSWIS_CENTRAL_PASSWORD)"
            ),
        )
        parser.add_argument(
            "--round", default="", metavar="CODE", help=gettext("survey round of the perception answers")
        )
        parser.add_argument(
            "--user",
            default=None,
            metavar="USERNAME",
            help=gettext(
                "username of the importing national data manager (default: environment variable SSWIS_USER)"
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext("check everything and report, but write nothing")
        )
        parser.add_argument(
            "--format", choices=("text", "json"), default="text", help=gettext("output format")
        )

    def _reader(self, options: dict[str, Any]) -> Callable[[], SubmissionBatch]:
        chosen = [
            name
            for name, given in (
                ("an export file", options["path"] is not None),
                ("--kobo-url", bool(options["kobo_url"])),
                ("--central-url", bool(options["central_url"])),
            )
            if given
        ]
        if len(chosen) != 1:
            raise CommandError(
                gettext(
                    "Give exactly one source: an export file, --kobo-url with --asset, or --central-url with "
                    "--project and --form (not %(given)s)."
                )
                % {"given": ", ".join(chosen)}
                if chosen
                else gettext(
                    "Give exactly one source: an export file, --kobo-url with --asset, or --central-url with "
                    "--project and --form."
                )
            )
        if options["kobo_url"]:
            if not options["asset"]:
                raise CommandError(gettext("--kobo-url needs --asset, the form's asset UID."))
            token = options["token"] or os.environ.get("SSWIS_KOBO_TOKEN", "")
            if not token:
                raise CommandError(
                    gettext(
                        "Give a KoboToolbox API token: --token KEY or the environment variable SSWIS_KOBO_TOKEN."
                    )
                )
            return functools.partial(
                kobo_submissions_fetch,
                server_url=options["kobo_url"],
                asset_uid=options["asset"],
                token=token,
            )
        if options["central_url"]:
            if options["project"] is None or not options["form"]:
                raise CommandError(gettext("--central-url needs --project and --form."))
            username, password = _central_credentials(options["central_config"])
            if not username or not password:
                raise CommandError(
                    gettext(
                        "Give the ODK Central user name and password: the environment variables SSWIS_CENTRAL_USERNAME "
                        "and SSWIS_CENTRAL_PASSWORD, or --central-config with a pyodk configuration file."
                    )
                )
            return functools.partial(
                central_submissions_fetch,
                server_url=options["central_url"],
                project_id=options["project"],
                form_id=options["form"],
                username=username,
                password=password,
            )
        return functools.partial(file_submissions_read, path=options["path"])

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["user"] or os.environ.get("SSWIS_USER", "")
        if not username:
            raise CommandError(
                gettext(
                    "Say who is importing: give --user USERNAME or set the environment variable SSWIS_USER."
                )
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(gettext("There is no user named %(username)r.") % {"username": username})
        read = self._reader(options)
        try:
            report = submissions_import(
                actor=user, read=read, round_code=options["round"], dry_run=options["dry_run"]
            )
        except PermissionDenied as exc:
            raise CommandError(
                gettext("%(username)s may not import: %(exc)s") % {"username": username, "exc": exc}
            ) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(report_as_dict(report=report), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(report_as_text(report=report), ending="")
        if report.has_errors:
            raise CommandError(report.summary, returncode=1)
