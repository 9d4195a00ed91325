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

# Written out from contracts/mapping-template.md (version 1), independently of the schema.
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
}

COLUMNS = [(spec, column) for spec in TEMPLATE for column in spec.columns]


def model_field(spec: TemplateFile, column: Column) -> models.Field:  # type: ignore[type-arg]
    return apps.get_model(spec.model)._meta.get_field(column.target)  # type: ignore[return-value]


def test_files_and_columns_are_the_contracts() -> None:
    assert [spec.name for spec in TEMPLATE] == list(CONTRACT)
    for spec in TEMPLATE:
        columns, required = CONTRACT[spec.name]
        assert list(spec.column_names) == columns
        assert [column.name for column in spec.columns if column.required] == required


def test_references_point_to_a_file_loaded_before_or_to_the_same_file() -> None:
    order = [spec.name for spec in TEMPLATE]
    for spec in TEMPLATE:
        for column in spec.columns:
            if column.references:
                assert order.index(column.references) <= order.index(spec.name), column.name
                target = template_file(name=column.references)
                assert len(target.key) == 1
                assert model_field(spec, column).related_model is apps.get_model(target.model)


@pytest.mark.parametrize(("spec", "column"), COLUMNS, ids=[f"{s.name}.{c.name}" for s, c in COLUMNS])
def test_each_column_agrees_with_its_model_field(spec: TemplateFile, column: Column) -> None:
    field = model_field(spec, column)
    if column.kind == Kind.ENUMERATION:
        assert list(column.choices) == [value for value, _ in field.choices or ()]
    if column.kind in (Kind.TEXT, Kind.CODE, Kind.EMAIL) and not column.references:
        assert column.max_length == field.max_length
    if column.references:
        target = template_file(name=column.references)
        assert column.max_length == target.column(target.key[0]).max_length
    if not column.required:
        assert field.blank or field.null or field.has_default()
    if field.has_default():
        assert column_empty_value(column=column) == field.get_default()
    elif column.references and not column.required:
        assert column_empty_value(column=column) == ""  # no code: the reference is cleared (NULL)
        assert field.null
    elif not column.required:
        assert column_empty_value(column=column) == (
            "" if field.empty_strings_allowed and not field.null else None
        )
    if column.kind == Kind.DECIMAL:
        assert column.decimal_places == field.decimal_places  # type: ignore[attr-defined]


def test_key_columns_are_required() -> None:
    for spec in TEMPLATE:
        assert all(spec.column(name).required for name in spec.key)


def test_every_message_is_documented_and_every_column_table_is_in_the_docs() -> None:
    docs = DOCS.read_text(encoding="utf-8")

    assert docs_render(text=docs) == docs, "Refresh the page: see sswis/imports/docs.py"

    assert schema_markdown() in docs
    for spec in TEMPLATE:
        assert file_markdown(spec=spec) in docs
    assert messages_markdown() in docs
    assert set(ERRORS).isdisjoint(WARNINGS)
