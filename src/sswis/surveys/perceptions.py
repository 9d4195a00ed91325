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

from sswis.text import text_problem, text_problem_message


@dataclass(frozen=True)
class PerceptionQuestion:
    """One question: ``multiple`` when several answers may be chosen (XLSForm ``select_multiple``).

    ``relevant`` is the XLSForm condition under which it is asked (``""``: always). ``exclusive`` names
    an answer that excludes every other one (``none`` of a list of trainings).
    """

    name: str
    label: str
    choices: tuple[tuple[str, str], ...]
    multiple: bool = False
    relevant: str = ""
    exclusive: str = ""
    hint: str = ""

    @property
    def list_name(self) -> str:
        return f"{self.name}_answers"

    @property
    def choice_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.choices)


TRAINING_TOPICS: tuple[tuple[str, str], ...] = (
    ("case_management", "Case management"),
    ("child_protection_law", "Child protection law and procedures"),
    ("psychosocial_support", "Psychosocial support"),
    ("family_strengthening", "Family strengthening and parenting support"),
    ("gender_based_violence", "Responding to gender-based violence"),
    ("justice_for_children", "Justice for children"),
    ("alternative_care", "Alternative care"),
    ("supervision_skills", "Supervising others"),
    ("information_management", "Records and information management"),
)

PERCEPTION_QUESTIONS: tuple[PerceptionQuestion, ...] = (
    PerceptionQuestion(
        name="job_satisfaction",
        label="Overall, how satisfied are you with your job?",
        choices=(
            ("very_satisfied", "Very satisfied"),
            ("satisfied", "Satisfied"),
            ("neither", "Neither satisfied nor dissatisfied"),
            ("dissatisfied", "Dissatisfied"),
            ("very_dissatisfied", "Very dissatisfied"),
        ),
    ),
    PerceptionQuestion(
        name="supervision_frequency",
        label="How often do you receive supervision?",
        choices=(
            ("weekly", "At least once a week"),
            ("monthly", "At least once a month"),
            ("quarterly", "At least once every three months"),
            ("less_often", "Less often"),
            ("never", "Never"),
        ),
    ),
    PerceptionQuestion(
        name="supervision_kinds",
        label="What kind of supervision do you receive?",
        hint="Choose every kind you received in the last three months.",
        multiple=True,
        relevant="${supervision_frequency} != '' and ${supervision_frequency} != 'never'",
        choices=(
            ("individual", "Individual meetings with my supervisor"),
            ("group", "Group supervision"),
            ("case_review", "Review of my case files"),
            ("observation", "Observation of my work in the field"),
            ("remote", "By phone or online"),
            ("peer", "Peer support"),
        ),
    ),
    PerceptionQuestion(
        name="training_received",
        label="Which training did you receive in the last 12 months?",
        multiple=True,
        exclusive="none",
        choices=(*TRAINING_TOPICS, ("none", "None")),
    ),
    PerceptionQuestion(
        name="training_needed",
        label="Which training do you need most for your work?",
        multiple=True,
        exclusive="none",
        choices=(*TRAINING_TOPICS, ("none", "None")),
    ),
    PerceptionQuestion(
        name="intention_to_leave",
        label="Do you intend to leave this job in the next 12 months?",
        choices=(("yes", "Yes"), ("undecided", "Undecided"), ("no", "No")),
    ),
    PerceptionQuestion(
        name="leave_reason",
        label="What is the main reason you might leave?",
        relevant="${intention_to_leave} = 'yes' or ${intention_to_leave} = 'undecided'",
        choices=(
            ("pay", "Pay or allowances"),
            ("workload", "Workload"),
            ("supervision", "Lack of supervision or support"),
            ("career", "Career progression"),
            ("safety", "Safety at work"),
            ("conditions", "Working conditions or equipment"),
            ("family", "Family or personal reasons"),
            ("other", "Other"),
        ),
    ),
)

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
            f"'{text}' is not an answer to {question.name}; the answers are: {', '.join(allowed)}."
        )
    if not question.multiple:
        if len(words) > 1:
            raise ValueError(f"{question.name} takes one answer, not '{text}'.")
        return words[0]
    chosen = set(words)
    if question.exclusive and question.exclusive in chosen and len(chosen) > 1:
        raise ValueError(
            f"'{question.exclusive}' cannot be chosen together with other answers to {question.name}."
        )
    return " ".join(name for name in allowed if name in chosen)
