"""THE definition of the text sswis accepts: which characters are refused in every text field, everywhere.

Text a person types holds letters, digits, punctuation, symbols and spaces. Anything else is refused in
every text field of every model, form, serializer, query parameter, URL and template import, because it
is invisible or meaningless to a reader and some of it breaks the programs that show the data (one
U+0010 in a cadre name once made the chart engine abort the whole server process). Refused:

* ``Cc`` control characters (U+0000-U+001F, U+007F-U+009F). Exception: a multi-line field (a model
  ``TextField``, a form ``Textarea``) accepts TAB, LINE FEED and CARRIAGE RETURN (browsers send a new
  line as CR LF). A one-line field accepts none of them.
* ``Cf`` format characters (bidirectional overrides and isolates, zero-width space, word joiner, byte
  order mark, soft hyphen, ...). Exception: ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH JOINER
  (U+200D), which spelling needs in Persian, in the Indic scripts and in emoji sequences.
* ``Cs`` surrogates (a lone surrogate is not a character at all), ``Co`` private-use characters and
  ``Cn`` unassigned code points, including the non-characters U+FFFE and U+FFFF.
* ``Zl`` and ``Zp``, the invisible LINE SEPARATOR and PARAGRAPH SEPARATOR (U+2028, U+2029).

Every other space (no-break space, narrow no-break space, ideographic space, ...) is accepted.

:func:`text_problem` finds the first refused character; :class:`PrintableTextValidator` is the Django
validator built on it (models, forms, serializers); :func:`code_point` names a character as its code
point (``U+0010``) for messages; :func:`model_text_fields_guard` puts the validator on every text field
of a model. The check is quick for ordinary text (``str.isprintable`` in C; only text that is not
printable is looked at character by character).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext as _

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
ALLOWED_FORMAT_CHARACTERS = frozenset({"\u200c", "\u200d"})  # zero width non-joiner, joiner
MULTI_LINE_CONTROL_CHARACTERS = frozenset({"\t", "\n", "\r"})


@dataclass(frozen=True, slots=True)
class TextProblem:
    """The first refused character of a text: the character, its code point and its position (from 1)."""

    character: str
    position: int

    @property
    def code_point(self) -> str:
        return code_point(self.character)


def code_point(character: str) -> str:
    """``"U+0010"``: how messages show a character that cannot be shown."""
    return f"U+{ord(character):04X}"


def character_refused(character: str, *, multiline: bool = False) -> bool:
    """Whether one character is refused (see the module docstring); ``multiline`` allows TAB, LF, CR."""
    if character.isprintable():
        return False
    if multiline and character in MULTI_LINE_CONTROL_CHARACTERS:
        return False
    if character in ALLOWED_FORMAT_CHARACTERS:
        return False
    return unicodedata.category(character) in REFUSED_CATEGORIES


def text_problem(text: str, *, multiline: bool = False) -> TextProblem | None:
    """The first refused character of ``text``, or ``None`` when all of it is acceptable."""
    if text.isprintable():  # the usual case, in C: every printable character is accepted
        return None
    for position, character in enumerate(text, start=1):
        if character_refused(character, multiline=multiline):
            return TextProblem(character=character, position=position)
    return None


def text_shown(text: str, *, multiline: bool = False) -> str:
    """``text`` with each refused character written as its code point in brackets (``"a[U+0010]b"``): how
    reports and spreadsheets show a refused value (a spreadsheet cannot even hold some of them)."""
    if text.isprintable():
        return text
    return "".join(
        f"[{code_point(character)}]" if character_refused(character, multiline=multiline) else character
        for character in text
    )


def text_problem_message(*, label: str, problem: TextProblem) -> str:
    """The message for a refused character in the field or column ``label`` (translated)."""
    return _(
        "%(field)s contains a character that is not allowed: %(code)s (character %(position)d). "
        "Remove it, or type the text again instead of pasting it."
    ) % {"field": label, "code": problem.code_point, "position": problem.position}


@deconstructible
class PrintableTextValidator:
    """Refuses text holding a refused character (``text_problem``), naming the field and the character.

    ``label`` names the field in the message (the form field's label is used when the validator is
    created without one); ``multiline`` accepts TAB, LF and CR. Values that are not text pass.
    """

    code = "unprintable"

    def __init__(self, *, label: Any = "", multiline: bool = False) -> None:
        self.label = label
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        problem = text_problem(value, multiline=self.multiline)
        if problem is None:
            return
        label = capfirst(str(self.label)) if self.label else _("The text")
        raise ValidationError(
            text_problem_message(label=label, problem=problem),
            code=self.code,
            params={"code_point": problem.code_point, "position": problem.position},
        )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, PrintableTextValidator)
            and self.multiline == other.multiline
            and str(self.label) == str(other.label)
        )

    def __hash__(self) -> int:
        return hash((str(self.label), self.multiline))


def validators_have_text_check(validators: Any) -> bool:
    """Whether a list of validators holds a :class:`PrintableTextValidator` (used by the guard tests)."""
    return any(isinstance(validator, PrintableTextValidator) for validator in validators)


def model_field_is_text(field: Any) -> bool:
    """Model fields whose values are text a user or a file can give: ``CharField`` (and its
    subclasses: ``EmailField``, ``SlugField``, ...) and ``TextField``."""
    return isinstance(field, models.CharField | models.TextField)


def model_field_add_validator(field: models.Field[Any, Any], validator: Any) -> None:
    """Add ``validator`` to a model field as one of its *default* validators.

    Validators in ``validators=`` are part of the field's definition that migrations record; a check of
    the characters of a value is behaviour, not schema, so it goes among the field's default validators
    (which Django and DRF use exactly like the others, and migrations leave out). Adding it twice is a
    no-op.
    """
    current = list(field.default_validators)
    if any(type(existing) is type(validator) for existing in current):
        return
    # ``validators`` is a cached_property (default validators, then ``validators=``), to which the field's
    # own __init__ may have appended more (CharField its MaxLengthValidator): those are kept when the list
    # is computed again with the new default validator.
    declared = [*current, *getattr(field, "_validators", ())]
    appended = field.validators[len(declared) :]
    field.default_validators = [*current, validator]
    field.__dict__.pop("validators", None)
    field.validators.extend(appended)


def model_text_fields_guard(model: type[models.Model]) -> None:
    """Put a :class:`PrintableTextValidator` on every text field of ``model`` (multi-line for a
    ``TextField``), labelled with the field's verbose name."""
    for field in model._meta.concrete_fields:
        if model_field_is_text(field):
            multiline = isinstance(field, models.TextField)
            validator = PrintableTextValidator(label=field.verbose_name, multiline=multiline)
            model_field_add_validator(field, validator)
