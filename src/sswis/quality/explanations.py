"""The proposals in words: a label for every figure of a proposal's reasons and the rule that decided the
proposed score, for the pages and the command line's text output (the JSON gives the figures alone)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sswis.quality.models import Criterion

REASON_LABELS = {
    "relationships_recorded": gettext_lazy("Supervision relationships recorded (any day)"),
    "counted_workers": gettext_lazy("Workers counted in the year"),
    "supervised_workers": gettext_lazy("Of them, supervised on 31 December"),
    "supervised": gettext_lazy("Share supervised (supervised)"),
    "supervisors": gettext_lazy("Supervisors with a supervisee on 31 December"),
    "supervisors_over_norm": gettext_lazy("Of them, over their norm"),
    "over": gettext_lazy("Share of supervisors over their norm (over)"),
    "supervised_with_session_october_december": gettext_lazy(
        "Supervised workers with a session in October-December"
    ),
    "sessions": gettext_lazy("Share of supervised workers with a session in the quarter (sessions)"),
    "registers": gettext_lazy("Registers"),
    "professionals": gettext_lazy("Professionals counted (cadre category professional)"),
    "licensed_professionals": gettext_lazy("Of them, licensed on 31 December"),
    "share": gettext_lazy("Share of professionals licensed (share)"),
    "registers_with_cpd_for_renewal": gettext_lazy("Registers asking CPD points for renewal"),
    "cpd_renewal": gettext_lazy("Renewal tied to CPD (cpd_renewal)"),
    "reporting_depth": gettext_lazy("Reporting depth (districts' level, the root being 0)"),
    "districts": gettext_lazy("Districts"),
    "covered_districts": gettext_lazy("Districts covered (a counted worker and the child population)"),
    "coverage": gettext_lazy("Coverage"),
    "districts_not_covered": gettext_lazy("Districts not covered"),
    "government_workers": gettext_lazy("Counted workers of government employers"),
    "non_government_workers": gettext_lazy("Counted workers of non-government employers"),
    "both_employers": gettext_lazy("Both government and non-government employers (both_employers)"),
}


def value_shown(value: Any) -> str:
    """A reason's value as text: yes/no, a share with up to four decimals, a list of codes."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value else "0"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) if value else "—"
    return str(value)


def reason_lines(reasons: dict[str, Any]) -> list[tuple[str, str]]:
    """``(label, value)`` for every figure of ``reasons``, in their order."""
    return [(str(REASON_LABELS.get(name, name)), value_shown(value)) for name, value in reasons.items()]


def _supervision(proposed: int, reasons: dict[str, Any]) -> str:
    if proposed == 1:
        return _("1: no supervision relationship is recorded at all.")
    figures = {name: value_shown(reasons[name]) for name in ("supervised", "over", "sessions")}
    if proposed == 2:
        return _("2: supervised (%(supervised)s) is below 0.5.") % figures
    if proposed == 4:
        return (
            _(
                "4: supervised (%(supervised)s) is 0.8 or more, over (%(over)s) is 0.1 or less and sessions "
                "(%(sessions)s) is 0.5 or more."
            )
            % figures
        )
    return (
        _(
            "3: supervised (%(supervised)s) is 0.5 or more, but not all of: supervised 0.8 or more, over "
            "(%(over)s) 0.1 or less, sessions (%(sessions)s) 0.5 or more."
        )
        % figures
    )


def _licensing(proposed: int, reasons: dict[str, Any]) -> str:
    figures = {"share": value_shown(reasons["share"]), "cpd": value_shown(reasons["cpd_renewal"])}
    if proposed == 1:
        return _("1: no register exists.")
    if proposed == 2:
        return _("2: a register exists and the share licensed (%(share)s) is below 0.25.") % figures
    if proposed == 4:
        return _("4: the share licensed (%(share)s) is 0.75 or more and renewal is tied to CPD.") % figures
    return (
        _(
            "3: the share licensed (%(share)s) is 0.25 or more, but below 0.75 or renewal is not tied to CPD "
            "(cpd_renewal: %(cpd)s)."
        )
        % figures
    )


def _hris(proposed: int, reasons: dict[str, Any]) -> str:
    figures = {"coverage": value_shown(reasons["coverage"]), "both": value_shown(reasons["both_employers"])}
    if proposed == 1:
        return _("1: no district is covered (coverage 0).")
    if proposed == 2:
        return _("2: coverage (%(coverage)s) is above 0 and below 0.5.") % figures
    if proposed == 4:
        return _("4: every district is covered and both government and non-government employers report.")
    return (
        _(
            "3: coverage (%(coverage)s) is 0.5 or more, but below 1 or not both employers report "
            "(both_employers: %(both)s)."
        )
        % figures
    )


def proposal_explanation(criterion: str, proposed: int, reasons: dict[str, Any]) -> str:
    """The contract's rule that gave ``proposed``, with the figures that decided it."""
    explain = {
        Criterion.SUPERVISION.value: _supervision,
        Criterion.LICENSING.value: _licensing,
        Criterion.HRIS.value: _hris,
    }[criterion]
    return explain(proposed, reasons)
