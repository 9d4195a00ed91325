"""``sswis template [--format xlsx|csv] [--output PATH] [--force] [--rows N]``: write the blank mapping template.

``--format xlsx`` (the default) writes one workbook; ``--format csv`` writes one ``.zip`` holding a CSV
file per template file (unzip it into a folder, fill it in, and ``sswis import`` the folder). Without
``--output`` the file is ``sswis-mapping-template.xlsx`` (or ``.zip``) in the current directory; when
``--output`` is an existing directory, that file name is used inside it; any other ``--output`` is the
file's own path. An existing file is never overwritten unless ``--force`` is given.

No ``--user`` is needed: the blank template holds the schema and the codes of locations, organisations
and cadres, which are reference data, not personal data.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.imports.template import DEFAULT_ROWS, TEMPLATE_FORMATS, template_format, template_write


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Write the blank workforce mapping template: an .xlsx workbook with instructions and drop-down lists, "
        "or a .zip of CSV files. Never overwrites a file unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=tuple(TEMPLATE_FORMATS), default="xlsx", help=gettext("file format")
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            metavar="PATH",
            help=gettext(
                "file to write, or an existing directory to write the default file name into "
                "(default: sswis-mapping-template.xlsx or .zip in the current directory)"
            ),
        )
        parser.add_argument(
            "--force", action="store_true", help=gettext("overwrite the output file if it exists")
        )
        parser.add_argument(
            "--rows",
            type=int,
            default=DEFAULT_ROWS,
            metavar="N",
            help=(
                gettext(
                    "data rows of each sheet with drop-down lists and checks (xlsx; default %(DEFAULT_ROWS)s)"
                )
                % {"DEFAULT_ROWS": DEFAULT_ROWS}
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = template_format(name=options["format"])
        output: Path = options["output"] or Path(chosen.filename)
        if output.is_dir():
            output = output / chosen.filename
        if output.exists() and not options["force"]:
            raise CommandError(
                gettext("%(output)s exists already: give --force to overwrite it, or another --output.")
                % {"output": output}
            )
        if not output.parent.is_dir():
            raise CommandError(gettext("The folder %(parent)s does not exist.") % {"parent": output.parent})
        # Written next to the target and renamed at the end: an interrupted run leaves no half-written file.
        handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=".sswis-template-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                template_write(format=chosen.name, stream=stream, rows=options["rows"])
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp's file is private; the template is not
            os.replace(temporary, output)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        self.stdout.write(
            gettext("Wrote the blank mapping template (%(label)s) to %(output)s.")
            % {"label": chosen.label, "output": output}
        )
