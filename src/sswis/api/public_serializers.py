"""Serializers of the public register (``GET /api/v1/public/register/``): its query and its entries,
which carry exactly what ``sswis.regulation.public.PublicEntry`` holds."""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.regulation.public import NAME_MINIMUM_LENGTH, PUBLIC_STATUSES

PUBLIC_STATUS_CHOICES = [str(status) for status in PUBLIC_STATUSES]
"""The statuses an entry may have (its schema's enum, named in ``SPECTACULAR_SETTINGS``)."""


class PublicRegisterQuerySerializer(serializers.Serializer[dict[str, Any]]):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=format_lazy(
            gettext_lazy(
                "A registration number (the whole of it, any register), or a name: at least {count} "
                "characters, the beginning of the given or family name, or 'given family'. Without it, no "
                "entry."
            ),
            count=NAME_MINIMUM_LENGTH,
        ),
    )


class PublicEntrySerializer(serializers.Serializer[Any]):
    """One registration as the public register shows it."""

    name = serializers.CharField(help_text=gettext_lazy("Given and family name."))
    register = serializers.CharField(help_text=gettext_lazy("The register's name."))
    number = serializers.CharField(help_text=gettext_lazy("The registration number."))
    status = serializers.ChoiceField(
        choices=PUBLIC_STATUS_CHOICES,
        help_text=gettext_lazy("The status today."),
    )
    valid_until = serializers.DateField(
        allow_null=True,
        help_text=gettext_lazy(
            "The last day of the licence valid today, else of the latest one (null: no licence yet)."
        ),
    )
    sanctions = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("Conditions or sanctions in force today.")
    )
