"""The schema is the contract, agrees with the models, and the docs show it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from sswis.imports.docs import docs_render
from sswis.imports.messages import ERRORS, WARNINGS, messages_markdown
from sswis.imports.schema import (
    TEMPLATE,
    Column,
    Kind,
    TemplateFile,
    file_markdown,
    schema_markdown,
    template_file,
)
from sswis.imports.values import column_empty_value

DOCS = Path(__file__).resolve().parents[2] / "docs" / "mapping-template.md"

# Written out from contracts/mapping-template.md (the files of version 1, and the regulation, training and support
# files of version 2; the support files as contracts/support.md, "Files"), independently of the schema.
CONTRACT = {
    "locations": (["code", "name", "parent_code", "type", "setting"], ["code", "name"]),
    "population": (["location_code", "year", "children", "total"], ["location_code", "year", "children"]),
    "organizations": (
        ["code", "name", "type", "sector", "location_code", "parent_code"],
        ["code", "name", "type", "location_code"],
    ),
    "cadres": (["code", "name", "category", "isco08"], ["code", "name", "category"]),
    "posts": (
        [
            "code",
            "organization_code",
            "location_code",
            "cadre_code",
            "grade",
            "funded",
            "established_on",
            "abolished_on",
        ],
        ["code", "organization_code", "location_code", "cadre_code"],
    ),
    "workers": (
        [
            "worker_id",
            "given_name",
            "family_name",
            "sex",
            "birth_date",
            "disability",
            "education_level",
            "education_field",
            "national_id",
            "phone",
            "email",
        ],
        ["worker_id", "given_name", "family_name"],
    ),
    "assignments": (
        [
            "worker_id",
            "organization_code",
            "location_code",
            "cadre_code",
            "post_code",
            "start_date",
            "end_date",
            "paid",
            "fte",
            "child_protection",
            "exit_reason",
        ],
        ["worker_id", "organization_code", "location_code", "cadre_code", "start_date", "paid"],
    ),
    "registers": (["code", "name", "body", "cadre_codes"], ["code", "name", "body"]),
    "registrations": (
        ["worker_id", "register_code", "registration_number", "registered_on", "status", "status_since"],
        ["worker_id", "register_code", "registration_number", "registered_on"],
    ),
    "licences": (
        ["register_code", "registration_number", "licence_number", "valid_from", "valid_until"],
        ["register_code", "registration_number", "valid_from", "valid_until"],
    ),
    "programmes": (
        ["code", "name", "institution", "kind", "government_recognised_from", "certifies_child_victims"],
        ["code", "name", "kind"],
    ),
    "completions": (
        ["worker_id", "programme_code", "completed_on", "certificate_number"],
        ["worker_id", "programme_code", "completed_on"],
    ),
    "supervision": (
        [
            "supervisor_worker_id",
            "supervisee_worker_id",
            "start_date",
            "end_date",
            "kind",
            "mode",
            "supervision_only_duty",
        ],
        ["supervisor_worker_id", "supervisee_worker_id", "start_date"],
    ),
    "supervision_sessions": (
        ["supervisor_worker_id", "supervisee_worker_id", "date", "duration_minutes", "kind"],
        ["supervisor_worker_id", "supervisee_worker_id", "date"],
    ),
    "caseloads": (["worker_id", "month", "open_cases", "kind"], ["worker_id", "month", "open_cases"]),
}

# The contract's keys of the files identified by several columns.
KEYS = {
    "population": ("location_code", "year"),
    "assignments": ("worker_id", "organization_code", "location_code", "cadre_code", "start_date"),
    "registrations": ("register_code", "registration_number"),
    "licences": ("register_code", "registration_number", "valid_from"),
    "completions": ("worker_id", "programme_code", "completed_on"),
    "supervision": ("supervisor_worker_id", "supervisee_worker_id", "start_date"),
    "supervision_sessions": ("supervisor_worker_id", "supervisee_worker_id", "date"),
    "caseloads": ("worker_id", "month", "kind"),
}

# The contract's defaults and enumerations of the support files.
SUPPORT_VALUES = {
    ("supervision", "kind"): ("supportive", ("administrative", "educational", "supportive")),
    ("supervision", "mode"): ("individual", ("individual", "group", "peer")),
    ("supervision", "supervision_only_duty"): ("no", ()),
    ("supervision_sessions", "kind"): ("supportive", ("administrative", "educational", "supportive")),
    ("caseloads", "kind"): ("all", ()),
}

# Columns that differ from their model field on purpose, and why:
# the contract lists the four statuses of a registration in the register (the model has the application's
# two more); status_since has no default of its own: empty means registered_on (regulation_files.py).
FEWER_CHOICES = {("registrations", "status")}
DERIVED = {("registrations", "status_since")}
# A related row named by its name in an optional column (a programme's institution): an empty cell is no row
# (NULL), which the file's extension sets (training_files.py).
NAMED_OPTIONAL = {("programmes", "institution")}

COLUMNS = [(spec, column) for spec in TEMPLATE for column in spec.columns]


def model_field(spec: TemplateFile, column: Column) -> models.Field:  # type: ignore[type-arg]
    return apps.get_model(spec.model)._meta.get_field(column.target)  # type: ignore[return-value]


def test_files_and_columns_are_the_contracts() -> None:
    assert [spec.name for spec in TEMPLATE] == list(CONTRACT)
    for spec in TEMPLATE:
        columns, required = CONTRACT[spec.name]
        assert list(spec.column_names) == columns
        assert [column.name for column in spec.columns if column.required] == required
        assert spec.key == KEYS.get(spec.name, (columns[0],))
    assert [spec.name for spec in TEMPLATE if spec.regulation] == ["registers", "registrations", "licences"]
    assert [spec.name for spec in TEMPLATE if spec.training] == ["programmes", "completions"]
    assert [spec.name for spec in TEMPLATE if spec.support] == [
        "supervision",
        "supervision_sessions",
        "caseloads",
    ]
    for (name, column_name), (default, choices) in SUPPORT_VALUES.items():
        column = template_file(name=name).column(column_name)
        assert (column.default, column.choices) == (default, choices)


def test_references_point_to_a_file_loaded_before_or_to_the_same_file() -> None:
    order = [spec.name for spec in TEMPLATE]
    for spec in TEMPLATE:
        for column in spec.columns:
            if column.references:
                assert order.index(column.references) <= order.index(spec.name), column.name
                target = template_file(name=column.references)
                assert model_field(spec, column).related_model is apps.get_model(target.model)
                if len(target.key) > 1:
                    # A key of several columns is held by columns of the same names, filling one field.
                    holders = [other for other in spec.columns if other.references == column.references]
                    assert [other.name for other in holders] == list(target.key)
                    assert {other.target for other in holders} == {column.target}


@pytest.mark.parametrize(("spec", "column"), COLUMNS, ids=[f"{s.name}.{c.name}" for s, c in COLUMNS])
def test_each_column_agrees_with_its_model_field(spec: TemplateFile, column: Column) -> None:
    field = model_field(spec, column)
    if column.kind == Kind.ENUMERATION:
        stored = [value for value, _ in field.choices or ()]
        if (spec.name, column.name) in FEWER_CHOICES:
            assert set(column.choices) < set(stored)
        else:
            assert list(column.choices) == stored
    if column.kind in (Kind.TEXT, Kind.CODE, Kind.EMAIL) and not column.references:
        if field.is_relation:  # a related row named by its name (a register's body)
            assert field.related_model is not None
            assert column.max_length == field.related_model._meta.get_field("name").max_length  # type: ignore[union-attr]
        else:
            assert column.max_length == field.max_length
    if column.references:
        target = template_file(name=column.references)
        held = column.name if column.name in target.key else target.key[0]
        assert column.max_length == target.column(held).max_length
    if (spec.name, column.name) in DERIVED:
        assert not column.required and column.requirement
        return
    if (spec.name, column.name) in NAMED_OPTIONAL:
        assert (
            field.is_relation
            and field.null
            and not column.required
            and column_empty_value(column=column) == ""
        )
        return
    if not column.required:
        assert field.blank or field.null or field.has_default() or column.default
    if column.kind == Kind.CODE_LIST:
        assert field.many_to_many
        assert column_empty_value(column=column) == ()  # no code: no related row
    elif field.has_default():
        assert column_empty_value(column=column) == field.get_default()
    elif column.default:
        assert column_empty_value(column=column) == column.default  # the contract's default, set on loading
    elif column.references and not column.required:
        assert column_empty_value(column=column) == ""  # no code: the reference is cleared (NULL)
        assert field.null
    elif not column.required:
        assert column_empty_value(column=column) == (
            "" if field.empty_strings_allowed and not field.null else None
        )
    if column.kind == Kind.DECIMAL:
        assert column.decimal_places == field.decimal_places  # type: ignore[attr-defined]


def test_key_columns_are_required_or_have_a_default() -> None:
    optional = [(spec.name, name) for spec in TEMPLATE for name in spec.key if not spec.column(name).required]
    assert optional == [("caseloads", "kind")]  # the contract's default: every caseload has a kind
    assert template_file(name="caseloads").column("kind").default == "all"


def test_every_message_is_documented_and_every_column_table_is_in_the_docs() -> None:
    docs = DOCS.read_text(encoding="utf-8")

    assert docs_render(text=docs) == docs, "Refresh the page: see sswis/imports/docs.py"

    assert schema_markdown() in docs
    for spec in TEMPLATE:
        assert file_markdown(spec=spec) in docs
    assert messages_markdown() in docs
    assert set(ERRORS).isdisjoint(WARNINGS)
