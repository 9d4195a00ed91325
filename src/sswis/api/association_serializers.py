"""The serializers of the professional associations' API (``/api/v1/support/associations/``): associations,
memberships and the membership figures as the API shows them, what a write accepts, and the query
parameters.

Rows are named by their business codes (an association's, a location's, a cadre's; a worker by worker ID). A
membership shows the worker's identity only: worker ID and name.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.api.fields import CodeRelatedField
from sswis.geo.models import Location
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR
from sswis.registry.dates import PlausibleDateValidator
from sswis.registry.models import Cadre
from sswis.support.models_associations import (
    EARLIEST_FOUNDED,
    Association,
    AssociationScope,
    Membership,
    MembershipKind,
)
from sswis.text import PrintableTextValidator


def _text(label: Any, max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, validators=[PrintableTextValidator(label=label)], **kwargs
    )


def _day(label: Any, **kwargs: Any) -> serializers.DateField:
    return serializers.DateField(validators=[PlausibleDateValidator(label=label)], **kwargs)


# --- what the API shows -----------------------------------------------------------------------------------


class AssociationSerializer(serializers.ModelSerializer[Association]):
    scope = serializers.ChoiceField(choices=AssociationScope.choices)
    region: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("the region's location code; null for a national association"),
    )

    class Meta:
        model = Association
        fields = ["uuid", "code", "name", "scope", "region", "founded", "website", "updated_at"]


class AssociationDetailSerializer(AssociationSerializer):
    day = serializers.DateField(help_text=gettext_lazy("the day the members are counted on"))
    members = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy("workers who are members on the day; null: withheld (a small number)"),
    )

    class Meta(AssociationSerializer.Meta):
        fields = [*AssociationSerializer.Meta.fields, "day", "members"]


class MemberSerializer(serializers.Serializer[Any]):
    worker_id = serializers.CharField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    worker = MemberSerializer()
    association = serializers.CharField(source="association.code")
    kind = serializers.ChoiceField(choices=MembershipKind.choices)
    member_until = serializers.DateField(allow_null=True, help_text=gettext_lazy("null: still a member"))

    class Meta:
        model = Membership
        fields = [
            "uuid",
            "worker",
            "association",
            "member_from",
            "member_until",
            "number",
            "kind",
            "updated_at",
        ]


class FigureRowSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    location = serializers.CharField()
    location_name = serializers.CharField()
    cadre = serializers.CharField()
    cadre_name = serializers.CharField()
    counted = serializers.IntegerField(help_text=gettext_lazy("workers counted in the workforce"))
    members = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("null: withheld"))
    non_members = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(allow_null=True)
    withheld = serializers.BooleanField()


# --- what a write accepts ---------------------------------------------------------------------------------


class AssociationInputSerializer(serializers.Serializer[Any]):
    """An association's fields; on PATCH any of them."""

    code = _text(gettext_lazy("code"), 50)
    name = _text(gettext_lazy("name"), 200)
    scope = serializers.ChoiceField(choices=AssociationScope.choices, default=AssociationScope.NATIONAL)
    region = CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("a location's code: the region a regional association covers"),
    )
    founded = serializers.IntegerField(
        min_value=EARLIEST_FOUNDED, max_value=2200, required=False, allow_null=True
    )
    website = serializers.URLField(max_length=300, required=False, allow_blank=True)


class MembershipInputSerializer(serializers.Serializer[Any]):
    """A membership's period, number and kind; on PATCH any of them."""

    member_from = _day(gettext_lazy("member from"))
    member_until = _day(
        gettext_lazy("member until"), required=False, allow_null=True, help_text=gettext_lazy("null: current")
    )
    number = _text(gettext_lazy("membership number"), 50, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=MembershipKind.choices, default=MembershipKind.FULL)


class WorkerMembershipInputSerializer(MembershipInputSerializer):
    """A membership of the association of the address, of a worker the user sees."""

    worker_id = _text(gettext_lazy("worker ID"), 64)


class AssociationMembershipInputSerializer(MembershipInputSerializer):
    """A membership of the worker of the address, of an association."""

    association = CodeRelatedField(queryset=Association.objects.all())


class MembershipEndSerializer(serializers.Serializer[Any]):
    member_until = _day(gettext_lazy("member until"))


# --- query parameters -------------------------------------------------------------------------------------


class MembersQuerySerializer(serializers.Serializer[Any]):
    day = serializers.DateField(
        required=False, help_text=gettext_lazy("only the memberships holding this day")
    )


class AssociationQuerySerializer(serializers.Serializer[Any]):
    day = serializers.DateField(
        required=False, help_text=gettext_lazy("count the members on this day (default: today)")
    )


class FiguresQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        help_text=gettext_lazy("default: this year"),
    )
    location = CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        help_text=gettext_lazy("a location's code: it and below (default: the country)"),
    )
    association = CodeRelatedField(
        queryset=Association.objects.all(),
        required=False,
        help_text=gettext_lazy("an association's code (default: members of any association)"),
    )
    cadre = CodeRelatedField(
        queryset=Cadre.objects.all(), required=False, help_text=gettext_lazy("a cadre's code")
    )
    depth = serializers.IntegerField(
        required=False, min_value=0, max_value=20, help_text=gettext_lazy("at most this many levels below")
    )
