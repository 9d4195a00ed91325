"""The contract's rules (``quality-score.md``, version 1) as pure functions of the figures: the proposed
score of criteria 2, 3 and 4, the composite and its band. No database here: ``proposals`` computes the
figures, these decide.

Shares are exact fractions (``fractions.Fraction``), so that a boundary (0.5, 0.8, 0.1, 0.25, 0.75) is met
exactly: 4 of 5 is 0.8, not 0.7999... A share whose denominator is 0 is 0 (the contract: no professionals,
share 0; no supervisors, over 0; no district, coverage 0; no supervised worker, sessions 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

COMPOSITE_MINIMUM, COMPOSITE_MAXIMUM = 4, 16
HALF, FOUR_FIFTHS, TENTH = Fraction(1, 2), Fraction(4, 5), Fraction(1, 10)
QUARTER, THREE_QUARTERS = Fraction(1, 4), Fraction(3, 4)

BANDS = {
    "well_developed": _("Well developed"),
    "mid_level": _("Mid-level"),
    "early_development": _("Early development"),
    "no_development": _("No development"),
}


def share(numerator: int, denominator: int) -> Fraction:
    """``numerator / denominator`` exactly; 0 when the denominator is 0."""
    return Fraction(numerator, denominator) if denominator else Fraction(0)


def supervision_score(
    *, relationships: bool, supervised: Fraction, over: Fraction, sessions: Fraction
) -> int:
    """Criterion 2. 1: no supervision relationship recorded at all (any day, any worker); 2: supervised
    < 0.5; 3: supervised >= 0.5 and (supervised < 0.8, or over > 0.1, or sessions < 0.5); 4: supervised
    >= 0.8, over <= 0.1 and sessions >= 0.5."""
    if not relationships:
        return 1
    if supervised < HALF:
        return 2
    if supervised >= FOUR_FIFTHS and over <= TENTH and sessions >= HALF:
        return 4
    return 3


def licensing_score(*, register: bool, share: Fraction, cpd_renewal: bool) -> int:
    """Criterion 3. 1: no register; 2: a register and share < 0.25; 3: 0.25 <= share and (share < 0.75
    or no register asks CPD points for renewal); 4: share >= 0.75 and one does."""
    if not register:
        return 1
    if share < QUARTER:
        return 2
    if share >= THREE_QUARTERS and cpd_renewal:
        return 4
    return 3


def hris_score(*, coverage: Fraction, both_employers: bool) -> int:
    """Criterion 4. 1: coverage 0; 2: 0 < coverage < 0.5; 3: coverage >= 0.5 and (coverage < 1 or not
    both employers); 4: coverage 1 and both employers."""
    if coverage == 0:
        return 1
    if coverage < HALF:
        return 2
    if coverage == 1 and both_employers:
        return 4
    return 3


def composite(scores: Mapping[str, int], *, criteria: tuple[str, ...]) -> int | None:
    """The sum of the scores of ``criteria`` (4-16); ``None`` unless every one of them is scored."""
    if any(criterion not in scores for criterion in criteria):
        return None
    return sum(scores[criterion] for criterion in criteria)


def band(total: int) -> str:
    """The band of a composite: 13-16 ``well_developed``, 9-12 ``mid_level``, 5-8 ``early_development``,
    4 ``no_development``. ``ValueError`` outside 4-16."""
    if not COMPOSITE_MINIMUM <= total <= COMPOSITE_MAXIMUM:
        raise ValueError(f"A composite is from 4 to 16, not {total}.")
    if total >= 13:
        return "well_developed"
    if total >= 9:
        return "mid_level"
    if total >= 5:
        return "early_development"
    return "no_development"
