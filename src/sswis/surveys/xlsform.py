"""The worker mapping questionnaire as an XLSForm (for ODK Collect / KoboToolbox), generated, never hand-kept.

The questions come from the mapping template's schema (``sswis.imports.schema``: the ``workers`` and
``assignments`` columns, their kinds, required flags, limits and allowed values, with the answer labels
of the registry models) and the answer lists from the registry (locations, organisations, cadres), so
that a submission is exactly a row of ``workers.csv`` and a row of ``assignments.csv`` and is imported
by the same validation (``sswis import-submissions``). Question names are the template's column names.

* Locations: one cascading ``select_one`` per level of the tree below the country (``location_1`` =
  regions, ``location_2`` = districts filtered by the chosen region, ...; ``choice_filter`` on the
  ``parent`` column of the answer list). Only the first level is required: the worker's location is the
  deepest level chosen, computed into ``location_code``.
* Organisations: filtered by the chosen location: those based on the chosen location's branch of the
  tree (at the location itself, above it, e.g. the national ministry, or below it). The answer list
  carries the organisation's location at every level (``within_1``, ``within_2``, ...).
* ``worker_id`` is optional: a worker not yet in the registry gets ``SUB-<submission UUID>`` on import.
* ``--with-perceptions`` adds the questions of ``sswis.surveys.perceptions``.
* Every language of ``settings.LANGUAGES``: the texts (``label``, ``hint``, ``constraint_message``) have one
  column per language, as XLSForm does it (``label::French (fr)``); the form opens in the language it was
  asked in (``default_language``). Country data (location, organisation and cadre names) is the same in
  every column.

The workbook is converted with pyxform before it is handed out, so a form that ODK would refuse is
never written (:class:`XLSFormError`).
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sswis.geo.models import Location
from sswis.imports.schema import ASSIGNMENTS, WORKERS, Column, Kind, TemplateFile, column_range_words
from sswis.registry.models import Cadre, Organisation
from sswis.spreadsheets import text_cell
from sswis.surveys.perceptions import PERCEPTION_QUESTIONS

FORM_ID = "sswis_worker_mapping"
PERCEPTIONS_FORM_ID = "sswis_worker_mapping_perceptions"

TEXT_COLUMNS = ("label", "hint", "constraint_message")
"""The survey and choices columns that hold text for people: one column per language in the file."""

SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "choice_filter",
    "calculation",
    "appearance",
)
YES_NO = "yes_no"
LOCATION_QUESTION = "location_{depth}"  # the cascade: location_1, location_2, ...
WITHIN_COLUMN = "within_{depth}"  # organisation answers: the organisation's location at each level
# Simple email shape for the device; the import checks the address fully.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class XLSFormError(Exception):
    """The form cannot be made (empty registry) or pyxform refuses it."""


@dataclass
class XLSForm:
    """The sheets of the form as rows of cells, ready to be written."""

    survey: list[dict[str, str]] = field(default_factory=list)
    choices: list[dict[str, str]] = field(default_factory=list)
    survey_columns: list[str] = field(default_factory=lambda: list(SURVEY_COLUMNS))
    choice_columns: list[str] = field(default_factory=lambda: ["list_name", "name", "label"])
    settings: dict[str, str] = field(default_factory=dict)

    def question(self, **cells: str) -> None:
        self.survey.append({name: value for name, value in cells.items() if value})

    def answer(self, list_name: str, name: str, label: str, **extra: str) -> None:
        for column in extra:
            if column not in self.choice_columns:
                self.choice_columns.append(column)
        self.choices.append({"list_name": list_name, "name": name, "label": label, **extra})


@dataclass(frozen=True)
class _References:
    """What the form reads from the registry, read once for every language."""

    roots: list[str]
    locations: list[tuple[str, str, int, str]]  # code, name, depth, parent code
    levels: dict[int, Counter[str]]  # level labels at each depth, counted
    organisations: list[tuple[str, str, str]]  # code, name, location code
    cadres: list[tuple[str, str]]  # code, name


def _references() -> _References:
    """The registry's lists; raises :class:`XLSFormError` when one the form needs is empty."""
    roots = list(Location.objects.filter(parent__isnull=True).values_list("code", flat=True))
    located = list(
        Location.objects.filter(depth__gte=1)
        .order_by("depth", "name")
        .values_list("code", "name", "depth", "parent__code", "level")
    )
    rows = [(code, name, depth, parent) for code, name, depth, parent, _level in located]
    if len(roots) != 1 or not rows:
        raise XLSFormError(
            _(
                "The registry has no location tree below the country yet: import the mapping template's "
                "locations first."
            )
        )
    levels: dict[int, Counter[str]] = defaultdict(Counter)
    for _code, _name, depth, _parent, level in located:
        if level:
            levels[depth][level] += 1
    organisations = list(Organisation.objects.order_by("name").values_list("code", "name", "location__code"))
    if not organisations:
        raise XLSFormError(
            _("The registry has no organisations yet: import the mapping template's organizations first.")
        )
    cadres = list(Cadre.objects.order_by("name").values_list("code", "name"))
    if not cadres:
        raise XLSFormError(_("The registry has no cadres yet: import the mapping template's cadres first."))
    return _References(roots=roots, locations=rows, levels=levels, organisations=organisations, cadres=cadres)


def _model_labels(spec: TemplateFile, column: Column) -> dict[str, str]:
    """Answer labels of an enumerated column from the model field's choices (value -> label)."""
    model = apps.get_model(spec.model)
    try:
        model_field = model._meta.get_field(column.target)
    except Exception:  # a column without a field of that name: labels from the value itself
        return {}
    return {str(value): str(label) for value, label in (getattr(model_field, "choices", None) or [])}


def _number(value: int | Decimal) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _column_question(form: XLSForm, spec: TemplateFile, column: Column) -> None:
    """The question for one template column, derived from its kind and limits."""
    meaning = str(column.meaning)
    hint = meaning[:1].upper() + meaning[1:]
    if column.default:
        hint = _("%(meaning)s. If not answered: %(default)s.") % {"meaning": hint, "default": column.default}
    constraint, constraint_message = "", ""
    if column.kind == Kind.ENUMERATION:
        question_type = f"select_one {column.name}"
        if not any(row["list_name"] == column.name for row in form.choices):
            labels = _model_labels(spec, column)
            for choice in column.choices:
                form.answer(column.name, choice, labels.get(choice, choice.replace("_", " ").capitalize()))
    elif column.kind == Kind.BOOLEAN:
        question_type = f"select_one {YES_NO}"
    elif column.kind == Kind.DATE:
        question_type = "date"
    elif column.kind == Kind.INTEGER:
        question_type = "integer"
    elif column.kind == Kind.DECIMAL:
        question_type = "decimal"
    else:
        question_type = "text"
    if column.kind in (Kind.INTEGER, Kind.DECIMAL) and (
        column.minimum is not None or column.maximum is not None
    ):
        parts = []
        if column.minimum is not None:
            parts.append(f". {'>' if column.minimum_exclusive else '>='} {_number(column.minimum)}")
        if column.maximum is not None:
            parts.append(f". <= {_number(column.maximum)}")
        constraint = " and ".join(parts)
        constraint_message = _("%(column)s must be %(range)s.") % {
            "column": column.title,
            "range": column_range_words(column=column),
        }
    elif column.kind == Kind.EMAIL:
        constraint = f"regex(., '{EMAIL_PATTERN}')"
        constraint_message = _("This is not an email address.")
    elif column.pattern:
        constraint = f"regex(., '^{column.pattern}$')"
        constraint_message = _("%(column)s must be %(pattern)s.") % {
            "column": column.title,
            "pattern": column.pattern_meaning,
        }
    elif column.max_length and column.kind in (Kind.TEXT, Kind.CODE):
        constraint = f"string-length(.) <= {column.max_length}"
        constraint_message = _("%(column)s has at most %(length)s characters.") % {
            "column": column.title,
            "length": column.max_length,
        }
    relevant = ""
    # The assignment rules of the template (sswis.imports.loading) that a device can check as answers come.
    if spec is ASSIGNMENTS and column.name == "end_date":
        constraint = ". >= ${start_date}"
        constraint_message = _("The end date cannot be before the start date.")
    if spec is ASSIGNMENTS and column.name == "exit_reason":
        relevant = "${end_date} != ''"
    required = column.required and not (spec is WORKERS and column.name == "worker_id")
    if spec is WORKERS and column.name == "worker_id":
        hint = _(
            "The worker's ID in the registry, if they have one. Leave empty for a worker new to the registry."
        )
    form.question(
        type=question_type,
        name=column.name,
        label=column.title,
        hint=hint,
        required="yes" if required else "",
        relevant=relevant,
        constraint=constraint,
        constraint_message=constraint_message,
    )


def _level_labels(references: _References) -> dict[int, str]:
    """The most common level label at each depth ("Region", "District"), else "Location level N"."""
    deepest = max(depth for _code, _name, depth, _parent in references.locations)
    labels = {}
    for depth in range(1, deepest + 1):
        common = references.levels[depth].most_common(1)
        labels[depth] = (
            common[0][0].capitalize() if common else _("Location level %(depth)s") % {"depth": depth}
        )
    return labels


def _location_questions(form: XLSForm, references: _References) -> tuple[int, dict[str, list[str]]]:
    """The cascade of location questions; returns the deepest level and each location's codes by level."""
    rows = references.locations
    labels = _level_labels(references)
    deepest = len(labels)
    for code, name, depth, parent in rows:
        extra = {"parent": parent} if depth > 1 else {}
        form.answer(LOCATION_QUESTION.format(depth=depth), code, name, **extra)
    for depth in range(1, deepest + 1):
        question = LOCATION_QUESTION.format(depth=depth)
        above = LOCATION_QUESTION.format(depth=depth - 1)
        form.question(
            type=f"select_one {question}",
            name=question,
            label=labels[depth],
            hint=""
            if depth == 1
            else _("Leave empty if the worker works for the whole %(level)s.")
            % {"level": labels[depth - 1].lower()},
            required="yes" if depth == 1 else "",
            relevant="" if depth == 1 else f"${{{above}}} != ''",
            choice_filter="" if depth == 1 else f"parent = ${{{above}}}",
        )
    # The deepest level answered: coalesce() takes two arguments, so nest them from the deepest up.
    calculation = f"${{{LOCATION_QUESTION.format(depth=1)}}}"
    for depth in range(2, deepest + 1):
        calculation = f"coalesce(${{{LOCATION_QUESTION.format(depth=depth)}}}, {calculation})"
    form.question(type="calculate", name="location_code", calculation=calculation)
    branch: dict[str, list[str]] = {references.roots[0]: []}
    for code, _name, depth, parent in rows:
        branch[code] = [*branch.get(parent, []), code] if depth > 1 else [code]
    return deepest, branch


def _organisation_question(
    form: XLSForm, references: _References, deepest: int, branch: dict[str, list[str]], column: Column
) -> None:
    for code, name, location in references.organisations:
        path = branch.get(location, [])
        levels = {
            WITHIN_COLUMN.format(depth=depth): (path[depth - 1] if depth <= len(path) else "")
            for depth in range(1, deepest + 1)
        }
        form.answer(column.name, code, name, **levels)
    # On the chosen branch: at every level, the organisation is either not that deep or at the chosen place.
    conditions = []
    for depth in range(1, deepest + 1):
        within, chosen = WITHIN_COLUMN.format(depth=depth), f"${{{LOCATION_QUESTION.format(depth=depth)}}}"
        conditions.append(f"({within} = '' or {chosen} = '' or {within} = {chosen})")
    form.question(
        type=f"select_one {column.name}",
        name=column.name,
        label=_("Organisation"),
        hint=_(
            "The employer or host organisation. Only organisations working at the chosen location are listed."
        ),
        required="yes" if column.required else "",
        choice_filter=" and ".join(conditions),
    )


def _cadre_question(form: XLSForm, references: _References, column: Column) -> None:
    for code, name in references.cadres:
        form.answer(column.name, code, name)
    form.question(
        type=f"select_one {column.name}",
        name=column.name,
        label=_("Cadre"),
        hint=_("The worker's job title in this role."),
        required="yes" if column.required else "",
    )


def _form_title(*, with_perceptions: bool) -> str:
    if with_perceptions:
        return _("Social service workforce mapping with worker perceptions")
    return _("Social service workforce mapping")


def xlsform_build(
    *, with_perceptions: bool = False, version: str, references: _References | None = None
) -> XLSForm:
    """The questionnaire's sheets from the schema and the registry's reference lists, in the active language.

    Raises :class:`XLSFormError` when the registry has no locations below the country, no organisation or
    no cadre (the form would have empty answer lists).
    """
    references = references or _references()
    form = XLSForm()
    form.answer(YES_NO, "yes", _("Yes"))
    form.answer(YES_NO, "no", _("No"))
    form.question(type="start", name="start")
    form.question(type="end", name="end")
    form.question(type="begin_group", name="worker", label=_("The worker"))
    for column in WORKERS.columns:
        _column_question(form, WORKERS, column)
    form.question(type="end_group", name="worker")
    form.question(type="begin_group", name="assignment", label=_("The worker's role"))
    deepest, branch = _location_questions(form, references)
    for column in ASSIGNMENTS.columns:
        if column.references == "workers" or column.references == "locations":
            continue  # the worker of the submission; the location cascade above
        if column.references == "organizations":
            _organisation_question(form, references, deepest, branch, column)
        elif column.references == "cadres":
            _cadre_question(form, references, column)
        else:
            _column_question(form, ASSIGNMENTS, column)
    form.question(type="end_group", name="assignment")
    if with_perceptions:
        form.question(type="begin_group", name="perceptions", label=_("Your work (answers are confidential)"))
        for question in PERCEPTION_QUESTIONS:
            kind = "select_multiple" if question.multiple else "select_one"
            constraint = constraint_message = ""
            if question.exclusive:
                constraint = f"not(selected(., '{question.exclusive}') and count-selected(.) > 1)"
                constraint_message = _("'%(answer)s' cannot be chosen with other answers.") % {
                    "answer": question.exclusive
                }
            form.question(
                type=f"{kind} {question.list_name}",
                name=question.name,
                label=str(question.label),
                hint=str(question.hint),
                relevant=question.relevant,
                constraint=constraint,
                constraint_message=constraint_message,
            )
            for name, label in question.choices:
                form.answer(question.list_name, name, str(label))
        form.question(type="end_group", name="perceptions")
    form.settings = {
        "form_id": PERCEPTIONS_FORM_ID if with_perceptions else FORM_ID,
        "version": version,
        "form_title": _form_title(with_perceptions=with_perceptions),
        "instance_name": "concat(${family_name}, ', ', ${given_name})",
    }
    return form


def language_column(*, column: str, language: str) -> str:
    """The XLSForm column of ``column`` in ``language``: ``label::French (fr)``."""
    name = translation.get_language_info(language)["name"]
    return f"{column}::{name} ({language})"


def _texts_by_language(rows: list[dict[str, str]], forms: dict[str, list[dict[str, str]]]) -> None:
    """Replace each text cell of ``rows`` by one cell per language, from the same row of each language's form."""
    for index, row in enumerate(rows):
        for column in TEXT_COLUMNS:
            if column not in row:
                continue
            # Read every language's text before replacing the cell: ``rows`` is one of the forms' own rows.
            texts = {language: translated[index].get(column, "") for language, translated in forms.items()}
            del row[column]
            for language, text in texts.items():
                row[language_column(column=column, language=language)] = text


def xlsform_build_languages(*, with_perceptions: bool = False, version: str) -> XLSForm:
    """The questionnaire with its texts in every language of ``settings.LANGUAGES`` (one column each), the
    active language first and as the form's ``default_language``. The registry is read once.

    Raises :class:`XLSFormError` like :func:`xlsform_build`.
    """
    references = _references()
    active = translation.get_language() or settings.LANGUAGE_CODE
    active = translation.get_supported_language_variant(active)
    languages = [active] + [code for code, _name in settings.LANGUAGES if code != active]
    forms: dict[str, XLSForm] = {}
    for language in languages:
        with translation.override(language):
            forms[language] = xlsform_build(
                with_perceptions=with_perceptions, version=version, references=references
            )
    form = forms[active]
    _texts_by_language(form.survey, {language: built.survey for language, built in forms.items()})
    _texts_by_language(form.choices, {language: built.choices for language, built in forms.items()})

    def columns(names: list[str]) -> list[str]:
        expanded: list[str] = []
        for name in names:
            if name in TEXT_COLUMNS:
                expanded += [language_column(column=name, language=language) for language in languages]
            else:
                expanded.append(name)
        return expanded

    form.survey_columns = columns(form.survey_columns)
    form.choice_columns = columns(form.choice_columns)
    form.settings["default_language"] = translation.get_language_info(active)["name"] + f" ({active})"
    return form


def xlsform_workbook(*, form: XLSForm) -> bytes:
    """The ``.xlsx`` file (sheets survey, choices, settings). Every cell is written as text, verbatim:
    a registry name starting with ``=`` stays a label, never a formula."""
    from openpyxl import Workbook  # loaded when a form is written (sswis.spreadsheets says why)

    workbook = Workbook(write_only=True)

    def sheet_of(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        sheet = workbook.create_sheet(title)
        for values in [header, *rows]:
            sheet.append(
                [
                    None if value in ("", None) else text_cell(sheet=sheet, value=str(value))
                    for value in values
                ]
            )

    sheet_of(
        "survey",
        form.survey_columns,
        ([row.get(column, "") for column in form.survey_columns] for row in form.survey),
    )
    sheet_of(
        "choices",
        form.choice_columns,
        ([row.get(column, "") for column in form.choice_columns] for row in form.choices),
    )
    sheet_of("settings", list(form.settings), [list(form.settings.values())])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsform_to_xform(*, content: bytes) -> str:
    """The XForm XML of an XLSForm workbook, by pyxform. Raises :class:`XLSFormError` if pyxform refuses it."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        return str(convert(xlsform=io.BytesIO(content), file_type=".xlsx").xform)
    except PyXFormError as exc:
        raise XLSFormError(
            _("The generated form is not a valid XLSForm: %(problem)s") % {"problem": exc}
        ) from exc


_VERSION = re.compile(r"[0-9A-Za-z._-]{1,50}")


def version_is_valid(version: str) -> bool:
    return bool(_VERSION.fullmatch(version))


def xlsform_generate(*, with_perceptions: bool = False, version: str) -> bytes:
    """The questionnaire as an ``.xlsx`` XLSForm, checked by converting it with pyxform first.

    Raises :class:`XLSFormError` (with a plain message) when the registry lacks reference lists or the
    version is not a short word of letters, digits, ``.``, ``_`` or ``-``.
    """
    if not version_is_valid(version):
        raise XLSFormError(
            _("The form version '%(version)s' must be up to 50 letters, digits, dots, dashes or underscores.")
            % {"version": version}
        )
    form = xlsform_build_languages(with_perceptions=with_perceptions, version=version)
    content = xlsform_workbook(form=form)
    xlsform_to_xform(content=content)
    return content


def xlsform_version_now() -> str:
    """The default form version: the current time, ``YYYYMMDDHHMM``, so that each form is newer."""
    return timezone.now().strftime("%Y%m%d%H%M")


@dataclass(frozen=True)
class XLSFormFile:
    """The questionnaire as a download: its file name and content (``XLSX_MEDIA_TYPE``)."""

    filename: str
    content: bytes


def xlsform_file(*, with_perceptions: bool = False) -> XLSFormFile:
    """``xlsform_generate`` versioned now, named for a download (the page and the API give the same
    file). Raises :class:`XLSFormError` like it."""
    content = xlsform_generate(with_perceptions=with_perceptions, version=xlsform_version_now())
    name = "sswis-worker-mapping-perceptions.xlsx" if with_perceptions else "sswis-worker-mapping.xlsx"
    return XLSFormFile(filename=name, content=content)


def xlsform_questions(*, form: XLSForm) -> dict[str, dict[str, Any]]:
    """The form's questions by name (for tests and the import's list of known answers)."""
    return {
        row["name"]: row
        for row in form.survey
        if row.get("name") and row.get("type") not in ("begin_group", "end_group")
    }
