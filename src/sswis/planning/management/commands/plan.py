"""``sswis plan wisn FILE [--format json|text]``: workforce planning on the command line.

``wisn`` reads a WHO WISN study from a JSON file (``contracts/planning.md`` section 2) and prints its
result: the contract's JSON (unrounded), or every step as WHO's manual lays it out (``--format text``).
Bad input exits non-zero with a message naming the field. The other planning commands (norms,
scenarios, projections) join this one as sub-commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.planning.selectors import wisn_evaluate
from sswis.planning.text import wisn_result_text
from sswis.planning.wisn import WisnInputError, wisn_result_as_json


class Command(TranslatedCommand):
    help = gettext_lazy("Plan the workforce: required staff from workload (WHO WISN).")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        wisn = actions.add_parser(
            "wisn", help=gettext("required staff from a workload study (WHO WISN) in a JSON file")
        )
        wisn.add_argument("file", type=Path, metavar="FILE", help=gettext("the study, a JSON file"))
        wisn.add_argument(
            "--format", choices=["json", "text"], default="json", help=gettext("json (default) or text")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._wisn(path=options["file"], output_format=options["format"])

    def _wisn(self, *, path: Path, output_format: str) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as problem:
            raise CommandError(
                gettext("Cannot read %(file)s: %(problem)s.") % {"file": path, "problem": problem.strerror}
            ) from problem
        except (UnicodeDecodeError, json.JSONDecodeError) as problem:
            raise CommandError(
                gettext("%(file)s is not a JSON document: %(problem)s.") % {"file": path, "problem": problem}
            ) from problem
        try:
            study, result = wisn_evaluate(data=data)
        except WisnInputError as problem:
            raise CommandError(
                gettext("%(file)s, %(field)s: %(message)s")
                % {"file": path.name, "field": problem.field, "message": problem.message}
            ) from problem
        if output_format == "text":
            self.stdout.write(wisn_result_text(study=study, result=result))
        else:
            self.stdout.write(json.dumps(wisn_result_as_json(result=result), ensure_ascii=False))
