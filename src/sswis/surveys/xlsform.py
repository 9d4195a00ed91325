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
from django.utils import timezone
from openpyxl import Workbook

from sswis.geo.models import Location
from sswis.imports.schema import ASSIGNMENTS, WORKERS, Column, Kind, TemplateFile
from sswis.registry.models import Cadre, Organisation
from sswis.spreadsheets import text_cell
from sswis.surveys.perceptions import PERCEPTION_QUESTIONS

FORM_ID = "sswis_worker_mapping"
FORM_TITLE = "Social service workforce mapping"
PERCEPTIONS_FORM_ID = "sswis_worker_mapping_perceptions"

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
    choice_columns: list[str] = field(default_factory=lambda: ["list_name", "name", "label"])
    settings: dict[str, str] = field(default_factory=dict)

    def question(self, **cells: str) -> None:
        self.survey.append({name: value for name, value in cells.items() if value})

    def answer(self, list_name: str, name: str, label: str, **extra: str) -> None:
        for column in extra:
            if column not in self.choice_columns:
                self.choice_columns.append(column)
        self.choices.append({"list_name": list_name, "name": name, "label": label, **extra})


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
    hint = column.meaning[:1].upper() + column.meaning[1:]
    if column.default:
        hint += f". If not answered: {column.default}."
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
        low = "more than" if column.minimum_exclusive else "at least"
        words = [f"{low} {_number(column.minimum)}"] if column.minimum is not None else []
        words += [f"at most {_number(column.maximum)}"] if column.maximum is not None else []
        constraint_message = f"{column.title} must be {' and '.join(words)}."
    elif column.kind == Kind.EMAIL:
        constraint = f"regex(., '{EMAIL_PATTERN}')"
        constraint_message = "This is not an email address."
    elif column.pattern:
        constraint = f"regex(., '^{column.pattern}$')"
        constraint_message = f"{column.title} must be {column.pattern_meaning}."
    elif column.max_length and column.kind in (Kind.TEXT, Kind.CODE):
        constraint = f"string-length(.) <= {column.max_length}"
        constraint_message = f"{column.title} has at most {column.max_length} characters."
    relevant = ""
    # The assignment rules of the template (sswis.imports.loading) that a device can check as answers come.
    if spec is ASSIGNMENTS and column.name == "end_date":
        constraint = ". >= ${start_date}"
        constraint_message = "The end date cannot be before the start date."
    if spec is ASSIGNMENTS and column.name == "exit_reason":
        relevant = "${end_date} != ''"
    required = column.required and not (spec is WORKERS and column.name == "worker_id")
    if spec is WORKERS and column.name == "worker_id":
        hint = (
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


def _level_labels(depth_count: int) -> dict[int, str]:
    """The most common level label at each depth ("Region", "District"), else "Location level N"."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for depth, level in Location.objects.filter(depth__gte=1).values_list("depth", "level"):
        if level:
            counts[depth][level] += 1
    labels = {}
    for depth in range(1, depth_count + 1):
        common = counts[depth].most_common(1)
        labels[depth] = common[0][0].capitalize() if common else f"Location level {depth}"
    return labels


def _location_questions(form: XLSForm) -> tuple[int, dict[str, list[str]]]:
    """The cascade of location questions; returns the deepest level and each location's codes by level."""
    roots = list(Location.objects.filter(parent__isnull=True).values_list("code", flat=True))
    rows = list(
        Location.objects.filter(depth__gte=1)
        .order_by("depth", "name")
        .values_list("code", "name", "depth", "parent__code")
    )
    if len(roots) != 1 or not rows:
        raise XLSFormError(
            "The registry has no location tree below the country yet: import the mapping template's "
            "locations first."
        )
    deepest = max(depth for _, _, depth, _ in rows)
    labels = _level_labels(deepest)
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
            else f"Leave empty if the worker works for the whole {labels[depth - 1].lower()}.",
            required="yes" if depth == 1 else "",
            relevant="" if depth == 1 else f"${{{above}}} != ''",
            choice_filter="" if depth == 1 else f"parent = ${{{above}}}",
        )
    # The deepest level answered: coalesce() takes two arguments, so nest them from the deepest up.
    calculation = f"${{{LOCATION_QUESTION.format(depth=1)}}}"
    for depth in range(2, deepest + 1):
        calculation = f"coalesce(${{{LOCATION_QUESTION.format(depth=depth)}}}, {calculation})"
    form.question(type="calculate", name="location_code", calculation=calculation)
    branch: dict[str, list[str]] = {roots[0]: []}
    for code, _, depth, parent in rows:
        branch[code] = [*branch.get(parent, []), code] if depth > 1 else [code]
    return deepest, branch


def _organisation_question(form: XLSForm, deepest: int, branch: dict[str, list[str]], column: Column) -> None:
    organisations = list(Organisation.objects.order_by("name").values_list("code", "name", "location__code"))
    if not organisations:
        raise XLSFormError(
            "The registry has no organisations yet: import the mapping template's organizations first."
        )
    for code, name, location in organisations:
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
        label="Organisation",
        hint="The employer or host organisation. Only organisations working at the chosen location are listed.",
        required="yes" if column.required else "",
        choice_filter=" and ".join(conditions),
    )


def _cadre_question(form: XLSForm, column: Column) -> None:
    cadres = list(Cadre.objects.order_by("name").values_list("code", "name"))
    if not cadres:
        raise XLSFormError("The registry has no cadres yet: import the mapping template's cadres first.")
    for code, name in cadres:
        form.answer(column.name, code, name)
    form.question(
        type=f"select_one {column.name}",
        name=column.name,
        label="Cadre",
        hint="The worker's job title in this role.",
        required="yes" if column.required else "",
    )


def xlsform_build(*, with_perceptions: bool = False, version: str) -> XLSForm:
    """The questionnaire's sheets from the schema and the registry's reference lists.

    Raises :class:`XLSFormError` when the registry has no locations below the country, no organisation or
    no cadre (the form would have empty answer lists).
    """
    form = XLSForm()
    form.answer(YES_NO, "yes", "Yes")
    form.answer(YES_NO, "no", "No")
    form.question(type="start", name="start")
    form.question(type="end", name="end")
    form.question(type="begin_group", name="worker", label="The worker")
    for column in WORKERS.columns:
        _column_question(form, WORKERS, column)
    form.question(type="end_group", name="worker")
    form.question(type="begin_group", name="assignment", label="The worker's role")
    deepest, branch = _location_questions(form)
    for column in ASSIGNMENTS.columns:
        if column.references == "workers" or column.references == "locations":
            continue  # the worker of the submission; the location cascade above
        if column.references == "organizations":
            _organisation_question(form, deepest, branch, column)
        elif column.references == "cadres":
            _cadre_question(form, column)
        else:
            _column_question(form, ASSIGNMENTS, column)
    form.question(type="end_group", name="assignment")
    if with_perceptions:
        form.question(type="begin_group", name="perceptions", label="Your work (answers are confidential)")
        for question in PERCEPTION_QUESTIONS:
            kind = "select_multiple" if question.multiple else "select_one"
            constraint = constraint_message = ""
            if question.exclusive:
                constraint = f"not(selected(., '{question.exclusive}') and count-selected(.) > 1)"
                constraint_message = f"'{question.exclusive}' cannot be chosen with other answers."
            form.question(
                type=f"{kind} {question.list_name}",
                name=question.name,
                label=question.label,
                hint=question.hint,
                relevant=question.relevant,
                constraint=constraint,
                constraint_message=constraint_message,
            )
            for name, label in question.choices:
                form.answer(question.list_name, name, label)
        form.question(type="end_group", name="perceptions")
    form.settings = {
        "form_id": PERCEPTIONS_FORM_ID if with_perceptions else FORM_ID,
        "version": version,
        "form_title": FORM_TITLE + (" with worker perceptions" if with_perceptions else ""),
        "instance_name": "concat(${family_name}, ', ', ${given_name})",
    }
    return form


def xlsform_workbook(*, form: XLSForm) -> bytes:
    """The ``.xlsx`` file (sheets survey, choices, settings). Every cell is written as text, verbatim:
    a registry name starting with ``=`` stays a label, never a formula."""
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
        "survey", SURVEY_COLUMNS, ([row.get(column, "") for column in SURVEY_COLUMNS] for row in form.survey)
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
        raise XLSFormError(f"The generated form is not a valid XLSForm: {exc}") from exc


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
            f"The form version '{version}' must be up to 50 letters, digits, dots, dashes or underscores."
        )
    content = xlsform_workbook(form=xlsform_build(with_perceptions=with_perceptions, version=version))
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
