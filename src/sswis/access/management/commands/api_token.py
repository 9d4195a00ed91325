"""``sswis api_token create USER [--expires-in DAYS] | list USER | revoke USER (TOKEN_ID | --all)``.

A new token is printed once, on its own line (so a script can read it), and never again: only its digest
is stored. ``list`` shows each token's id (the start of that digest), when it was made and when it
expires, never the token.
"""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sswis.access.selectors import api_token_find, api_token_id, api_tokens_of
from sswis.access.services import api_token_create, api_token_revoke, api_tokens_revoke_all
from sswis.commands import TranslatedCommand


def _positive_days(value: str) -> int:
    """``--expires-in``: a whole number of days, at least 1 (argparse names the option when refused)."""
    try:
        days = int(value)
    except ValueError:
        days = 0
    if days < 1:
        raise argparse.ArgumentTypeError(
            _("%(value)r is not a whole number of days of at least 1") % {"value": value}
        )
    return days


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Make, list and revoke a user's API tokens (a new token is shown once, then only its id)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help=_("make a new token for USER and print it once"))
        create.add_argument("username", metavar="USER")
        create.add_argument(
            "--expires-in",
            type=_positive_days,
            metavar="DAYS",
            help=_(
                "days until the token expires (a whole number, at least 1; default SSWIS_API_TOKEN_TTL_DAYS)"
            ),
        )
        listing = actions.add_parser(
            "list", help=_("list USER's tokens: id, made, expires (never the token)")
        )
        listing.add_argument("username", metavar="USER")
        revoke = actions.add_parser("revoke", help=_("revoke one of USER's tokens by its id, or all of them"))
        revoke.add_argument("username", metavar="USER")
        which = revoke.add_mutually_exclusive_group(required=True)
        which.add_argument("token_id", nargs="?", metavar="TOKEN_ID", help=_("the id shown by `list`"))
        which.add_argument("--all", action="store_true", help=_("revoke every token of USER"))

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No user named %(name)r.") % {"name": options["username"]})
        try:
            if options["action"] == "create":
                self._create(user, options["expires_in"])
            elif options["action"] == "list":
                self._list(user)
            else:
                self._revoke(user, options["token_id"], revoke_all=options["all"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error

    def _create(self, user: Any, days: int | None) -> None:
        expires_in = datetime.timedelta(days=days) if days is not None else None
        token, secret = api_token_create(actor=None, user=user, expires_in=expires_in)
        self.stderr.write(
            _(
                "API token %(id)s for %(user)s, valid until %(expiry)s. Keep it now: it is shown only "
                "this once. Send it as the header `Authorization: Token <token>`."
            )
            % {"id": api_token_id(token), "user": user.get_username(), "expiry": _moment(token.expiry)}
        )
        self.stdout.write(secret)

    def _list(self, user: Any) -> None:
        tokens = list(api_tokens_of(user=user))
        if not tokens:
            self.stdout.write(_("%(user)s has no API tokens.") % {"user": user.get_username()})
            return
        self.stdout.write(_("id            made                 expires"))
        now = timezone.now()
        for token in tokens:
            expired = token.expiry is not None and token.expiry <= now
            self.stdout.write(
                f"{api_token_id(token)}  {_moment(token.created)}  {_moment(token.expiry)}"
                + (f"  ({_('expired')})" if expired else "")
            )

    def _revoke(self, user: Any, token_id: str | None, *, revoke_all: bool) -> None:
        if revoke_all:
            count = api_tokens_revoke_all(actor=None, user=user)
            self.stdout.write(
                _("Revoked %(count)d API token(s) of %(user)s.")
                % {"count": count, "user": user.get_username()}
            )
            return
        token = api_token_find(user=user, token_id=token_id or "")
        revoked_id = api_token_id(token)  # the row loses its key when deleted
        api_token_revoke(actor=None, token=token)
        self.stdout.write(
            _("Revoked API token %(id)s of %(user)s.") % {"id": revoked_id, "user": user.get_username()}
        )


def _moment(value: datetime.datetime | None) -> str:
    """A time as ``YYYY-MM-DD HH:MM`` in the server's time zone; tokens without expiry say so."""
    if value is None:
        return _("never")
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
