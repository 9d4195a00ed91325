"""The base of sswis's management commands: their help is shown in the active language.

``help`` may be lazily translated text (``gettext_lazy``); argparse only takes plain text, so it is
turned into text, in the language of the command line (``SSWIS_LANGUAGE``), when the parser is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandParser

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TranslatedCommand(BaseCommand):
    help: StrOrPromise = ""  # type: ignore[assignment]  # Django declares plain text; see create_parser

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
