"""``sswis dhis2``: the link with the ministry's DHIS2 (``docs/dhis2.md``).

* ``sswis dhis2 import-mapping FILE`` — replace the mapping with the file's (CSV or JSON), all or nothing;
  every problem is printed with its line and the command exits non-zero.
* ``sswis dhis2 export --year Y [--format json|adx] [--output F]`` — the year's counts as a dataValueSets
  JSON document or an ADX message (checked against the ADX schema), to standard output or ``F``; what was
  left out (unmapped locations, indicators and groups, figures unknown) goes to standard error.
* ``sswis dhis2 push --year Y [--dry-run] [--format json|adx] [--output-format text|json]`` — send them to
  ``SSWIS_DHIS2_URL`` with the token of ``SSWIS_DHIS2_TOKEN``; prints DHIS2's import summary and every
  conflict with the value it concerns; kept in the push history. Exits non-zero unless DHIS2 answered
  SUCCESS.
* ``sswis dhis2 fake [--port P] [--mode M]`` — a fake DHIS2 to try a push against (Ctrl-C stops it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.dhis2.client import TOKEN_VARIABLE, URL_VARIABLE, Dhis2Error, connection_from_environment
from sswis.dhis2.export import Export, ExportError, dhis2_export_build
from sswis.dhis2.fake import FakeDhis2
from sswis.dhis2.formats import AdxInvalid
from sswis.dhis2.mapping import MappingError, dhis2_mapping_import
from sswis.dhis2.models import DataElementMapping, Dhis2Push, OrgUnitMapping, PushOrigin, PushStatus
from sswis.dhis2.push import dhis2_push_create, dhis2_push_run, message_of, push_as_json
from sswis.indicators.definitions import year_checked

SHOWN = 20  # items of a list printed before "and N more"


class Command(TranslatedCommand):
    help = gettext_lazy("The link with DHIS2: the mapping, the export of a year's counts, the push.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        mapping = actions.add_parser("import-mapping", help=gettext("replace the mapping with a file's"))
        mapping.add_argument("file", help=gettext("the mapping file, CSV or JSON (docs/dhis2.md)"))
        export = actions.add_parser("export", help=gettext("write a year's counts for DHIS2"))
        export.add_argument("--year", required=True, help=gettext("the year, e.g. 2024"))
        export.add_argument(
            "--format", choices=["json", "adx"], default="json", help=gettext("json (default) or adx")
        )
        export.add_argument(
            "--output", default="", help=gettext("the file to write (default: standard output)")
        )
        push = actions.add_parser("push", help=gettext("send a year's counts to DHIS2 (SSWIS_DHIS2_URL)"))
        push.add_argument("--year", required=True, help=gettext("the year, e.g. 2024"))
        push.add_argument(
            "--format", choices=["json", "adx"], default="json", help=gettext("json (default) or adx")
        )
        push.add_argument("--dry-run", action="store_true", help=gettext("ask DHIS2 to check, not to import"))
        push.add_argument(
            "--output-format",
            choices=["text", "json"],
            default="text",
            help=gettext("text (default) or json"),
        )
        fake = actions.add_parser("fake", help=gettext("serve a fake DHIS2 to try a push against"))
        fake.add_argument("--port", type=int, default=8766, help=gettext("the port (default 8766)"))
        fake.add_argument(
            "--mode",
            default="success",
            choices=["success", "warning", "error", "unauthorised", "server_error", "legacy"],
            help=gettext("how it answers (default success)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import-mapping":
            self._import(options["file"])
        elif action == "export":
            self._export(year=self._year(options["year"]), format=options["format"], output=options["output"])
        elif action == "push":
            self._push(
                year=self._year(options["year"]),
                format=options["format"],
                dry_run=options["dry_run"],
                output_format=options["output_format"],
            )
        else:
            self._fake(port=options["port"], mode=options["mode"])

    def _year(self, text: str) -> int:
        try:
            return year_checked(text=text)
        except ValueError as problem:
            raise CommandError(gettext("--year: %(problem)s") % {"problem": problem}) from None

    def _import(self, file: str) -> None:
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                gettext("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        try:
            mapping = dhis2_mapping_import(actor=None, content=content, file_name=path.name)
        except MappingError as error:
            for line, message in error.problems:
                self.stderr.write(f"{file}: {line}: {message}" if line else f"{file}: {message}")
            raise CommandError(
                gettext("The mapping was not imported (%(count)d problems); nothing was changed.")
                % {"count": len(error.problems)}
            ) from None
        self.stdout.write(
            gettext(
                "Mapping imported from %(file)s: data set %(data_set)s, id scheme %(scheme)s, %(values)d figures, "
                "%(units)d org units mapped by the file."
            )
            % {
                "file": path.name,
                "data_set": mapping.data_set,
                "scheme": mapping.id_scheme,
                "values": DataElementMapping.objects.count(),
                "units": OrgUnitMapping.objects.count(),
            }
        )

    def _left_out(self, export: Export) -> None:
        """What was not exported, on standard error (the export itself may be on standard output)."""
        write = self.stderr.write
        write(
            gettext("%(values)d values for %(year)d, data set %(data_set)s.")
            % {"values": len(export.values), "year": export.year, "data_set": export.data_set}
        )
        for title, items in (
            (gettext("Locations without an org unit (not sent)"), export.unmapped_locations),
            (gettext("Indicators not mapped (not sent)"), export.unmapped_indicators),
            (
                gettext("Groups with figures but no mapping line (not sent)"),
                [
                    f"{g['indicator']} {g['disaggregation']}={g['group']} ({g['locations']})"
                    for g in export.unmapped_groups
                ],
            ),
            (
                gettext("Figures unknown or not computed (not sent)"),
                [f"{f['location']} {f['figure']}" for f in export.no_figure],
            ),
        ):
            if not items:
                continue
            shown = ", ".join(items[:SHOWN])
            more = (
                gettext(" and %(count)d more") % {"count": len(items) - SHOWN} if len(items) > SHOWN else ""
            )
            write(f"{title}: {len(items)}: {shown}{more}")

    def _export(self, *, year: int, format: str, output: str) -> None:
        try:
            export = dhis2_export_build(year=year)
            message = message_of(export, format=format)
        except (ExportError, AdxInvalid) as error:
            raise CommandError(error.message) from None
        if output:
            try:
                Path(output).write_bytes(message)
            except OSError as error:
                raise CommandError(
                    gettext("Cannot write %(file)s: %(error)s") % {"file": output, "error": error.strerror}
                ) from None
        else:
            sys.stdout.flush()
            self.stdout.write(message.decode())
        self._left_out(export)

    def _push(self, *, year: int, format: str, dry_run: bool, output_format: str) -> None:
        try:
            connection = connection_from_environment()
            push = dhis2_push_create(
                actor=None,
                url=connection.url,
                year=year,
                format=format,
                dry_run=dry_run,
                origin=PushOrigin.COMMAND,
            )
        except Dhis2Error as error:
            raise CommandError(error.message) from None
        except (ValueError, ValidationError) as error:
            raise CommandError(str(error)) from None
        push = dhis2_push_run(push=push, connection=connection)
        if output_format == "json":
            self.stdout.write(json.dumps(push_as_json(push), ensure_ascii=False, indent=2))
        else:
            self._text(push)
        if push.status != PushStatus.SUCCESS:
            raise CommandError(
                push.error or gettext("DHIS2 answered %(status)s.") % {"status": push.get_status_display()}
            )

    def _text(self, push: Dhis2Push) -> None:
        self.stdout.write(
            gettext("DHIS2 at %(url)s, %(year)d, %(format)s%(dry)s: %(status)s.")
            % {
                "url": push.url,
                "year": push.year,
                "format": push.format,
                "dry": gettext(" (dry run)") if push.dry_run else "",
                "status": push.get_status_display(),
            }
        )
        if push.status == PushStatus.FAILED:
            return
        self.stdout.write(
            gettext(
                "Values sent %(sent)d: imported %(imported)d, updated %(updated)d, ignored %(ignored)d, deleted %(deleted)d."
            )
            % {
                "sent": push.values_sent,
                "imported": push.imported,
                "updated": push.updated,
                "ignored": push.ignored,
                "deleted": push.deleted,
            }
        )
        if push.message:
            self.stdout.write(push.message)
        for conflict in push.conflicts.all():
            where = (
                f" [#{conflict.index}: {conflict.location} {conflict.figure} = {conflict.sent_value}; "
                f"{conflict.data_element}/{conflict.org_unit}/{conflict.category_option_combo or '-'}]"
                if conflict.index is not None
                else ""
            )
            code = f"{conflict.error_code} " if conflict.error_code else ""
            self.stdout.write(
                gettext("Conflict: %(code)s%(object)s: %(value)s%(where)s")
                % {
                    "code": code,
                    "object": conflict.object,
                    "value": conflict.value,
                    "where": where,
                }
            )
        left = push.unmapped or {}
        for key, title in (
            ("locations", gettext("Locations not sent")),
            ("indicators", gettext("Indicators not mapped")),
        ):
            if left.get(key):
                self.stdout.write(f"{title}: {len(left[key])}: {', '.join(left[key][:SHOWN])}")
        if left.get("groups"):
            groups = [f"{g['indicator']} {g['disaggregation']}={g['group']}" for g in left["groups"]]
            self.stdout.write(
                gettext("Groups not mapped: %(groups)s") % {"groups": ", ".join(groups[:SHOWN])}
            )

    def _fake(self, *, port: int, mode: str) -> None:
        fake = FakeDhis2(mode=mode, port=port)
        self.stdout.write(
            gettext("A fake DHIS2 answers %(mode)s at %(url)s (Ctrl-C stops it). Try:")
            % {"mode": mode, "url": fake.url}
        )
        example = [f"{URL_VARIABLE}={fake.url}", f"{TOKEN_VARIABLE}={fake.token}"]
        example += ["sswis", "dhis2", "push", "--year", "2024", "--dry-run"]
        self.stdout.write("  " + " ".join(example))
        try:
            fake.server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            fake.server.server_close()
