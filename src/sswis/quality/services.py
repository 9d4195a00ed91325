"""The writes of the quality-assurance score: the normative framework's instruments and the scores of
record.

Every function takes a keyword-only ``actor`` (the author of the audit record), is refused unless the actor
is a national data manager (``access.quality_policy.require_quality_change``), runs in one transaction and
refuses bad input with a ``ValidationError`` naming the field, writing nothing (no row, no file).

Files are kept in Django's default storage (``MEDIA_ROOT``) under ``quality/``; the name the file was sent
with is kept beside it (``file_name``) and must be printable text. A file larger than ``FILE_MAXIMUM_BYTES``
is refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access.quality_policy import require_quality_change
from sswis.auditing import instance_apply_changes, instance_save_audited
from sswis.indicators.definitions import year_checked
from sswis.quality.models import (
    PROPOSED_CRITERIA,
    SCORE_MAXIMUM,
    SCORE_MINIMUM,
    Criterion,
    CriterionScore,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
)
from sswis.quality.proposals import hris_propose, licensing_propose, supervision_propose
from sswis.registry.models import Cadre
from sswis.text import text_problem, text_problem_message

FILE_MAXIMUM_BYTES = 20 * 1024 * 1024
LINKS_MAXIMUM = 10
INSTRUMENT_FIELDS = (
    "kind",
    "title",
    "reference",
    "issuing_body",
    "adopted_on",
    "in_force_from",
    "in_force_until",
    "status",
    "whole_workforce",
    "link",
    "notes",
    "file",
    "file_name",
)


def _stripped(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}


def _choice(value: Any, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            {
                field: _("Unknown value %(value)s: choose one of %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)}
            }
        )
    return str(value)


def _file_checked(file: UploadedFile | None, field: str) -> None:
    """A file to keep: a printable name, at most ``FILE_MAXIMUM_BYTES``."""
    if file is None:
        return
    name = str(file.name or "")
    if not name.strip():
        raise ValidationError({field: _("The file has no name.")})
    if (problem := text_problem(name)) is not None:
        raise ValidationError({field: text_problem_message(label=_("The file name"), problem=problem)})
    if file.size is not None and file.size > FILE_MAXIMUM_BYTES:
        raise ValidationError(
            {
                field: _("The file is %(size)d bytes; at most %(maximum)d are kept.")
                % {"size": file.size, "maximum": FILE_MAXIMUM_BYTES}
            }
        )


def _instrument_checked(instrument: Instrument, cadres: Sequence[Cadre] | None) -> None:
    """The dates in order; an instrument that does not cover the whole workforce names its cadres, one that
    does names none."""
    start, end = instrument.in_force_from, instrument.in_force_until
    if start is not None and end is not None and end < start:
        raise ValidationError(
            {
                "in_force_until": _(
                    "An instrument cannot stop being in force (%(end)s) before it starts (%(start)s)."
                )
                % {"end": end.isoformat(), "start": start.isoformat()}
            }
        )
    if instrument.adopted_on is not None and end is not None and end < instrument.adopted_on:
        raise ValidationError(
            {
                "in_force_until": _(
                    "An instrument cannot stop being in force (%(end)s) before it is adopted (%(adopted)s)."
                )
                % {"end": end.isoformat(), "adopted": instrument.adopted_on.isoformat()}
            }
        )
    if cadres is None:
        return
    if instrument.whole_workforce and cadres:
        raise ValidationError(
            {
                "cadres": _(
                    "An instrument that covers the whole workforce names no cadre: leave the cadres empty."
                )
            }
        )
    if not instrument.whole_workforce and not cadres:
        raise ValidationError(
            {"cadres": _("Name the cadres the instrument covers, or say that it covers the whole workforce.")}
        )


def _instrument_save(
    instrument: Instrument,
    *,
    actor: Any,
    changes: dict[str, Any],
    cadres: Sequence[Cadre] | None,
    file: UploadedFile | None,
) -> list[str]:
    if "kind" in changes:
        changes["kind"] = _choice(changes["kind"], InstrumentKind, "kind")
    if "status" in changes:
        changes["status"] = _choice(changes["status"], InstrumentStatus, "status")
    for name in ("link", "reference", "issuing_body", "notes"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    _file_checked(file, "file")
    if file is not None:
        changes["file"] = file
        changes["file_name"] = str(file.name).strip()
    candidate = {name: changes.get(name, getattr(instrument, name)) for name in INSTRUMENT_FIELDS}
    probe = Instrument(**{name: value for name, value in candidate.items() if name not in ("file",)})
    if cadres is None and "whole_workforce" in changes and not instrument._state.adding:
        cadres = list(instrument.cadres.all())
    _instrument_checked(probe, cadres)
    changed = instance_apply_changes(
        instrument, actor=actor, changes=changes, allowed_fields=INSTRUMENT_FIELDS
    )
    if cadres is not None:
        wanted = {cadre.pk for cadre in cadres}
        current = set() if instrument._state.adding else set(instrument.cadres.values_list("pk", flat=True))
        if wanted != current:
            instrument._history_user = actor  # type: ignore[attr-defined]  # the m2m change's author
            instrument.cadres.set(list(cadres))
            changed.append("cadres")
    return changed


@transaction.atomic
def instrument_add(
    *,
    actor: Any,
    kind: str,
    title: str,
    status: str,
    reference: str = "",
    issuing_body: str = "",
    adopted_on: datetime.date | None = None,
    in_force_from: datetime.date | None = None,
    in_force_until: datetime.date | None = None,
    whole_workforce: bool = True,
    cadres: Sequence[Cadre] = (),
    link: str = "",
    notes: str = "",
    file: UploadedFile | None = None,
) -> Instrument:
    """Add an instrument to the normative framework inventory (a national data manager). Refused: an
    unknown kind or status, an empty title, an end before its start or adoption, cadres with the whole
    workforce or none without it, a bad link, a file too large or with an unprintable name."""
    require_quality_change(user=actor)
    instrument = Instrument()
    changes = _stripped(
        {
            "kind": kind,
            "title": title,
            "status": status,
            "reference": reference,
            "issuing_body": issuing_body,
            "adopted_on": adopted_on,
            "in_force_from": in_force_from,
            "in_force_until": in_force_until,
            "whole_workforce": whole_workforce,
            "link": link,
            "notes": notes,
        }
    )
    _instrument_save(instrument, actor=actor, changes=changes, cadres=list(cadres), file=file)
    return instrument


@transaction.atomic
def instrument_update(
    *,
    actor: Any,
    instrument: Instrument,
    changes: Mapping[str, Any],
    cadres: Sequence[Cadre] | None = None,
    file: UploadedFile | None = None,
) -> list[str]:
    """Change the fields in ``changes`` (any of ``INSTRUMENT_FIELDS`` but the file), the cadres when
    given, the file when one is sent (it replaces the kept one, which stays in the history's record);
    returns the names of the fields that changed (nothing is saved, and no history written, when none did).
    Refused as ``instrument_add``."""
    require_quality_change(user=actor)
    given = _stripped(changes)
    unknown = sorted(set(given) - (set(INSTRUMENT_FIELDS) - {"file", "file_name"}))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    return _instrument_save(
        instrument, actor=actor, changes=given, cadres=list(cadres) if cadres is not None else None, file=file
    )


@transaction.atomic
def instrument_end(
    *, actor: Any, instrument: Instrument, until: datetime.date, status: str = InstrumentStatus.REPEALED
) -> Instrument:
    """End an instrument: its last day in force is ``until`` and its status becomes ``status`` (repealed
    by default; ``under_review`` or ``adopted`` for one suspended). Refused: a day before it came into
    force or was adopted, a status of ``draft`` or ``in_force`` (an ended instrument is neither)."""
    require_quality_change(user=actor)
    status = _choice(status, InstrumentStatus, "status")
    if status in (InstrumentStatus.DRAFT, InstrumentStatus.IN_FORCE):
        raise ValidationError(
            {
                "status": _("An ended instrument is repealed, under review or adopted, not %(status)s.")
                % {"status": status}
            }
        )
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    _instrument_save(
        instrument, actor=actor, changes={"in_force_until": until, "status": status}, cadres=None, file=None
    )
    return instrument


def _links_checked(links: Iterable[Any]) -> list[str]:
    kept: list[str] = []
    check = URLValidator(schemes=["http", "https"])
    for link in links:
        text = str(link).strip()
        if not text:
            continue
        if (problem := text_problem(text)) is not None:
            raise ValidationError({"links": text_problem_message(label=_("A link"), problem=problem)})
        if len(text) > 500:
            raise ValidationError({"links": _("A link has at most 500 characters.")})
        try:
            check(text)
        except ValidationError as refusal:
            raise ValidationError(
                {"links": _("%(link)s is not a web address (http:// or https://).") % {"link": text}}
            ) from refusal
        kept.append(text)
    if len(kept) > LINKS_MAXIMUM:
        raise ValidationError({"links": _("At most %(maximum)d links.") % {"maximum": LINKS_MAXIMUM}})
    return kept


def _score_checked(score: Any) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MINIMUM <= score <= SCORE_MAXIMUM:
        raise ValidationError({"score": _("A score is 1, 2, 3 or 4, not %(score)s.") % {"score": score}})
    return score


PROPOSERS = {
    Criterion.SUPERVISION.value: supervision_propose,
    Criterion.LICENSING.value: licensing_propose,
    Criterion.HRIS.value: hris_propose,
}


@transaction.atomic
def score_record(
    *,
    actor: Any,
    year: int,
    criterion: str,
    score: int,
    evidence: str = "",
    links: Iterable[str] = (),
    file: UploadedFile | None = None,
    reason: str = "",
) -> CriterionScore:
    """Record ``score`` (1-4) as the score of record of ``criterion`` for ``year`` (a national data manager).

    Evidence is required: a text, at least one link, or a file (a file kept from an earlier recording of
    the same year and criterion counts; a new one replaces it). For criteria 2-4 the proposal for the year
    is computed now and stored with the score (``proposed``, ``proposal_reasons``, ``accepted``); a score
    other than the proposal needs ``reason``. Recording a criterion of a year again changes its row (the
    earlier score stays in the history). Refused, writing nothing: a year the indicators refuse, an unknown
    criterion, a score outside 1-4, no evidence, a missing reason, a bad link or file.
    """
    require_quality_change(user=actor)
    try:
        year_checked(text=str(year))
    except ValueError as problem:
        raise ValidationError({"year": str(problem)}) from problem
    criterion = _choice(criterion, Criterion, "criterion")
    score = _score_checked(score)
    evidence = (evidence or "").strip()
    reason = (reason or "").strip()
    kept_links = _links_checked(links)
    _file_checked(file, "file")
    row = CriterionScore.objects.select_for_update().filter(year=year, criterion=criterion).first()
    if row is None:
        row = CriterionScore(year=year, criterion=criterion)
    if not evidence and not kept_links and file is None and not row.file:
        raise ValidationError(
            {"evidence": _("A score needs its evidence: describe it, or give a link or a file.")}
        )
    proposed: int | None = None
    reasons: dict[str, Any] = {}
    accepted: bool | None = None
    if criterion in PROPOSED_CRITERIA:
        proposal = PROPOSERS[criterion](year=year)
        proposed, reasons, accepted = proposal.proposed, proposal.reasons, score == proposal.proposed
        if not accepted and not reason:
            raise ValidationError(
                {
                    "reason": _(
                        "sswis proposes %(proposed)d from the data; say why the score of record is %(score)d."
                    )
                    % {"proposed": proposed, "score": score}
                }
            )
    row.score = score
    row.evidence = evidence
    row.links = kept_links
    if file is not None:
        row.file = file
        row.file_name = str(file.name).strip()
    row.proposed = proposed
    row.proposal_reasons = reasons
    row.accepted = accepted
    row.override_reason = reason
    row.recorded_by = actor
    row.recorded_at = timezone.now()
    row.full_clean(exclude=["file"])
    instance_save_audited(row, actor=actor)
    return row
