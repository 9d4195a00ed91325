"""``sswis grant_role USERNAME ROLE [--location CODE] [--organisation CODE]``: give a user a role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from sswis.access.models import Role
from sswis.access.services import user_scope_grant
from sswis.commands import TranslatedCommand
from sswis.geo.models import Location
from sswis.registry.models import Organisation


class Command(TranslatedCommand):
    help = format_lazy(
        gettext_lazy("Give an existing user a role (replacing the previous one). Roles: {roles}"),
        roles=", ".join(Role.values),
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--location", help=gettext("code of the location a subnational officer covers"))
        parser.add_argument("--organisation", help=gettext("code of a focal point's organisation"))

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                gettext("No user named %(username)r; create it with `sswis createsuperuser`.")
                % {"username": options["username"]}
            )
        location = organisation = None
        if options["location"]:
            location = Location.objects.filter(code=options["location"]).first()
            if location is None:
                raise CommandError(
                    gettext("No location with code %(location)r.") % {"location": options["location"]}
                )
        if options["organisation"]:
            organisation = Organisation.objects.filter(code=options["organisation"]).first()
            if organisation is None:
                raise CommandError(
                    gettext("No organisation with code %(organisation)r.")
                    % {"organisation": options["organisation"]}
                )
        try:
            scope = user_scope_grant(
                actor=None,
                user=user,
                role=Role(options["role"]),
                location=location,
                organisation=organisation,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            gettext("%(username)s is now: %(get_role_display)s.")
            % {"username": user.username, "get_role_display": scope.get_role_display()}
        )
