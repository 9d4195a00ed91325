"""The serializers of the quality-assurance score's API (``/api/v1/quality/``): the proposals (the contract's
document), a year's scores of record, the framework's instruments, what a write accepts and the query
parameters. Cadres are named by their codes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR
from sswis.quality.models import (
    SCORE_MAXIMUM,
    SCORE_MINIMUM,
    Criterion,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
)
from sswis.registry.dates import PlausibleDateValidator
from sswis.registry.models import Cadre
from sswis.text import PrintableTextValidator


def _text(label: Any, max_length: int, *, multiline: bool = False, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length,
        validators=[PrintableTextValidator(label=label, multiline=multiline)],
        trim_whitespace=False,
        **kwargs,
    )


def _day(label: Any, **kwargs: Any) -> serializers.DateField:
    return serializers.DateField(validators=[PlausibleDateValidator(label=label)], **kwargs)


# --- what the API shows -----------------------------------------------------------------------------------


class ProposalSerializer(serializers.Serializer[Any]):
    proposed = serializers.IntegerField(min_value=SCORE_MINIMUM, max_value=SCORE_MAXIMUM)
    reasons = serializers.DictField(help_text=gettext_lazy("the figures the proposal comes from"))


class ProposalCriteriaSerializer(serializers.Serializer[Any]):
    supervision = ProposalSerializer()
    licensing = ProposalSerializer()
    hris = ProposalSerializer()


class ProposalsSerializer(serializers.Serializer[Any]):
    """The contract's document: ``{"year": Y, "criteria": {"supervision": ..., "licensing": ..., "hris":
    ...}}``."""

    year = serializers.IntegerField()
    criteria = ProposalCriteriaSerializer()


class ScoreSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    criterion = serializers.ChoiceField(choices=Criterion.choices)
    number = serializers.IntegerField(help_text=gettext_lazy("the criterion's number, 1 to 4"))
    score = serializers.IntegerField()
    evidence = serializers.CharField(allow_blank=True)
    links = serializers.ListField(child=serializers.CharField())
    file_name = serializers.CharField(allow_blank=True, help_text=gettext_lazy("the evidence file, if any"))
    proposed = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("null for criterion 1"))
    proposal_reasons = serializers.DictField()
    accepted = serializers.BooleanField(allow_null=True, help_text=gettext_lazy("null for criterion 1"))
    override_reason = serializers.CharField(allow_blank=True)
    recorded_by = serializers.CharField(allow_null=True)
    recorded_at = serializers.DateTimeField()


class YearScoresSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    scores = serializers.DictField(
        child=ScoreSerializer(), help_text=gettext_lazy("by criterion, those recorded")
    )
    missing = serializers.ListField(
        child=serializers.ChoiceField(choices=Criterion.choices),
        help_text=gettext_lazy("criteria not scored yet"),
    )
    composite = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("4-16; null until all four are scored")
    )
    band = serializers.ChoiceField(
        choices=["well_developed", "mid_level", "early_development", "no_development"], allow_null=True
    )


class InstrumentSerializer(serializers.ModelSerializer[Instrument]):
    kind = serializers.ChoiceField(choices=InstrumentKind.choices)
    status = serializers.ChoiceField(choices=InstrumentStatus.choices)
    cadres: serializers.SlugRelatedField[Cadre] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    file_name = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("the instrument's file, if any")
    )

    class Meta:
        model = Instrument
        fields = [
            "uuid",
            "kind",
            "title",
            "reference",
            "issuing_body",
            "adopted_on",
            "in_force_from",
            "in_force_until",
            "status",
            "whole_workforce",
            "cadres",
            "link",
            "file_name",
            "notes",
            "updated_at",
        ]


# --- what a write accepts ---------------------------------------------------------------------------------


class ScoreInputSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    criterion = serializers.ChoiceField(choices=Criterion.choices)
    score = serializers.IntegerField(help_text=gettext_lazy("1 to 4; refused otherwise"))
    evidence = _text(gettext_lazy("evidence"), 4000, multiline=True, required=False, allow_blank=True)
    links = serializers.ListField(
        child=_text(gettext_lazy("link"), 500),
        required=False,
        max_length=10,
        help_text=gettext_lazy("web addresses"),
    )
    reason = _text(
        gettext_lazy("reason"),
        2000,
        multiline=True,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("why the score differs from the proposal (required then)"),
    )


class InstrumentInputSerializer(serializers.Serializer[Any]):
    """An instrument's fields; on PATCH any of them."""

    kind = serializers.ChoiceField(choices=InstrumentKind.choices)
    title = _text(gettext_lazy("title"), 300)
    status = serializers.ChoiceField(choices=InstrumentStatus.choices)
    reference = _text(gettext_lazy("reference"), 100, required=False, allow_blank=True)
    issuing_body = _text(gettext_lazy("issuing body"), 200, required=False, allow_blank=True)
    adopted_on = _day(gettext_lazy("adopted on"), required=False, allow_null=True)
    in_force_from = _day(gettext_lazy("in force from"), required=False, allow_null=True)
    in_force_until = _day(gettext_lazy("in force until"), required=False, allow_null=True)
    whole_workforce = serializers.BooleanField(required=False)
    cadres: serializers.SlugRelatedField[Cadre] = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Cadre.objects.all(), required=False,
        help_text=gettext_lazy("cadre codes, when it does not cover the whole workforce"),
    )  # fmt: skip
    link = serializers.URLField(max_length=500, required=False, allow_blank=True)
    notes = _text(gettext_lazy("notes"), 4000, multiline=True, required=False, allow_blank=True)


class InstrumentEndSerializer(serializers.Serializer[Any]):
    until = _day(gettext_lazy("last day in force"))
    status = serializers.ChoiceField(
        choices=[InstrumentStatus.REPEALED, InstrumentStatus.UNDER_REVIEW, InstrumentStatus.ADOPTED],
        default=InstrumentStatus.REPEALED,
    )


# --- query parameters -------------------------------------------------------------------------------------


class YearQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        help_text=gettext_lazy("default: the latest year with a score of record, else this year"),
    )
