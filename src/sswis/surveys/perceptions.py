"""The worker-perceptions questions: THE single definition of their names, wording and answers.

The XLSForm (``sswis.surveys.xlsform``), the typed fields of ``PerceptionResponse`` (their choices), the
import of submissions (which answers are valid) and the aggregates all read these definitions, so a
question or an answer is added here once. Answer names are lower-case words joined by ``_`` (valid XML
names without spaces, as ODK requires for select_multiple answers).

A multiple-choice answer is stored as ODK writes it: the chosen answer names separated by single spaces,
in the order of :attr:`PerceptionQuestion.choices`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sswis.text import text_problem, text_problem_message

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # text, or text translated when shown


@dataclass(frozen=True)
class PerceptionQuestion:
    """One question: ``multiple`` when several answers may be chosen (XLSForm ``select_multiple``).

    ``relevant`` is the XLSForm condition under which it is asked (``""``: always). ``exclusive`` names
    an answer that excludes every other one (``none`` of a list of trainings).
    """

    name: str
    label: StrOrPromise
    choices: tuple[tuple[str, StrOrPromise], ...]
    multiple: bool = False
    relevant: str = ""
    exclusive: str = ""
    hint: StrOrPromise = ""

    @property
    def list_name(self) -> str:
        return f"{self.name}_answers"

    @property
    def choice_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.choices)


TRAINING_TOPICS: tuple[tuple[str, StrOrPromise], ...] = (
    ("case_management", _("Case management")),
    ("child_protection_law", _("Child protection law and procedures")),
    ("psychosocial_support", _("Psychosocial support")),
    ("family_strengthening", _("Family strengthening and parenting support")),
    ("gender_based_violence", _("Responding to gender-based violence")),
    ("justice_for_children", _("Justice for children")),
    ("alternative_care", _("Alternative care")),
    ("supervision_skills", _("Supervising others")),
    ("information_management", _("Records and information management")),
)

PERCEPTION_QUESTIONS: tuple[PerceptionQuestion, ...] = (
    PerceptionQuestion(
        name="job_satisfaction",
        label=_("Overall, how satisfied are you with your job?"),
        choices=(
            ("very_satisfied", _("Very satisfied")),
            ("satisfied", _("Satisfied")),
            ("neither", _("Neither satisfied nor dissatisfied")),
            ("dissatisfied", _("Dissatisfied")),
            ("very_dissatisfied", _("Very dissatisfied")),
        ),
    ),
    PerceptionQuestion(
        name="supervision_frequency",
        label=_("How often do you receive supervision?"),
        choices=(
            ("weekly", _("At least once a week")),
            ("monthly", _("At least once a month")),
            ("quarterly", _("At least once every three months")),
            ("less_often", _("Less often")),
            ("never", _("Never")),
        ),
    ),
    PerceptionQuestion(
        name="supervision_kinds",
        label=_("What kind of supervision do you receive?"),
        hint=_("Choose every kind you received in the last three months."),
        multiple=True,
        relevant="${supervision_frequency} != '' and ${supervision_frequency} != 'never'",
        choices=(
            ("individual", _("Individual meetings with my supervisor")),
            ("group", _("Group supervision")),
            ("case_review", _("Review of my case files")),
            ("observation", _("Observation of my work in the field")),
            ("remote", _("By phone or online")),
            ("peer", _("Peer support")),
        ),
    ),
    PerceptionQuestion(
        name="training_received",
        label=_("Which training did you receive in the last 12 months?"),
        multiple=True,
        exclusive="none",
        choices=(*TRAINING_TOPICS, ("none", _("None"))),
    ),
    PerceptionQuestion(
        name="training_needed",
        label=_("Which training do you need most for your work?"),
        multiple=True,
        exclusive="none",
        choices=(*TRAINING_TOPICS, ("none", _("None"))),
    ),
    PerceptionQuestion(
        name="intention_to_leave",
        label=_("Do you intend to leave this job in the next 12 months?"),
        choices=(("yes", _("Yes")), ("undecided", _("Undecided")), ("no", _("No"))),
    ),
    PerceptionQuestion(
        name="leave_reason",
        label=_("What is the main reason you might leave?"),
        relevant="${intention_to_leave} = 'yes' or ${intention_to_leave} = 'undecided'",
        choices=(
            ("pay", _("Pay or allowances")),
            ("workload", _("Workload")),
            ("supervision", _("Lack of supervision or support")),
            ("career", _("Career progression")),
            ("safety", _("Safety at work")),
            ("conditions", _("Working conditions or equipment")),
            ("family", _("Family or personal reasons")),
            ("other", _("Other")),
        ),
    ),
)

WELLBEING_FREQUENCY: tuple[tuple[str, StrOrPromise], ...] = (
    ("never", _("Never")),
    ("rarely", _("Rarely")),
    ("sometimes", _("Sometimes")),
    ("often", _("Often")),
    ("very_often", _("Very often")),
)
"""The answers of the wellbeing items; an answer scores its position (never 0 ... very often 4)."""


@dataclass(frozen=True)
class WellbeingScale:
    """A short wellbeing scale: the sum of its items' scores (0 to 4 each). ``high_from``: the score from
    which a worker counts as reporting a high level. AN EXAMPLE, written for sswis in the style of
    validated instruments (burnout and secondary traumatic stress inventories) but NOT a validated
    instrument: a country replaces the items and the cut-off with those of the scale it has adopted."""

    name: str
    label: StrOrPromise
    items: tuple[str, ...]
    high_from: int

    @property
    def maximum(self) -> int:
        return 4 * len(self.items)


_WELLBEING_HINT = _("In the last month. (An example scale: not a validated instrument.)")


def _wellbeing_item(name: str, label: StrOrPromise) -> PerceptionQuestion:
    return PerceptionQuestion(name=name, label=label, choices=WELLBEING_FREQUENCY, hint=_WELLBEING_HINT)


WELLBEING_QUESTIONS: tuple[PerceptionQuestion, ...] = (
    _wellbeing_item("burnout_exhausted", _("How often did you feel worn out by your work?")),
    _wellbeing_item(
        "burnout_detached", _("How often did you feel you no longer cared about the people you work with?")
    ),
    _wellbeing_item("burnout_ineffective", _("How often did you feel your work made no difference?")),
    _wellbeing_item(
        "fatigue_intrusive",
        _("How often did thoughts of a child's or a family's suffering stay with you after work?"),
    ),
    _wellbeing_item(
        "fatigue_avoidance", _("How often did you avoid situations that reminded you of a difficult case?")
    ),
    _wellbeing_item(
        "fatigue_sleep", _("How often did your work with children in danger disturb your sleep?")
    ),
)

WELLBEING_SCALES: tuple[WellbeingScale, ...] = (
    WellbeingScale(
        name="burnout",
        label=_("Burnout"),
        items=("burnout_exhausted", "burnout_detached", "burnout_ineffective"),
        high_from=8,
    ),
    WellbeingScale(
        name="compassion_fatigue",
        label=_("Compassion fatigue"),
        items=("fatigue_intrusive", "fatigue_avoidance", "fatigue_sleep"),
        high_from=8,
    ),
)

PERCEPTION_QUESTIONS = (*PERCEPTION_QUESTIONS, *WELLBEING_QUESTIONS)

PERCEPTION_NAMES = tuple(question.name for question in PERCEPTION_QUESTIONS)


def perception_question(*, name: str) -> PerceptionQuestion:
    """The question called ``name``. Raises ``KeyError``."""
    for question in PERCEPTION_QUESTIONS:
        if question.name == name:
            return question
    raise KeyError(name)


def perception_answer_parse(*, question: PerceptionQuestion, text: str) -> str:
    """The stored form of an answer (any case; several answers separated by spaces when ``multiple``).

    Returns ``""`` for an empty answer. Raises ``ValueError`` with a plain message for an unknown answer,
    several answers to a single-choice question, or an exclusive answer chosen with others.
    """
    refused = text_problem(text)
    if refused is not None:
        raise ValueError(text_problem_message(label=question.name, problem=refused))
    words = text.lower().split()
    if not words:
        return ""
    allowed = question.choice_names
    unknown = [word for word in words if word not in allowed]
    if unknown:
        raise ValueError(
            gettext("'%(text)s' is not an answer to %(question)s; the answers are: %(answers)s.")
            % {"text": text, "question": question.name, "answers": ", ".join(allowed)}
        )
    if not question.multiple:
        if len(words) > 1:
            raise ValueError(
                gettext("%(question)s takes one answer, not '%(text)s'.")
                % {"question": question.name, "text": text}
            )
        return words[0]
    chosen = set(words)
    if question.exclusive and question.exclusive in chosen and len(chosen) > 1:
        raise ValueError(
            gettext("'%(answer)s' cannot be chosen together with other answers to %(question)s.")
            % {"answer": question.exclusive, "question": question.name}
        )
    return " ".join(name for name in allowed if name in chosen)
