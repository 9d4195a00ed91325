"""Every message the import can give, in plain words for a data clerk, keyed by a stable identifier.

Templates use ``str.format`` fields. ``docs/mapping-template.md`` lists them (rendered by
:func:`messages_markdown`; a test checks the docs contain that list), so a data manager can look a
message up.
"""

from __future__ import annotations

from typing import Any

ERRORS: dict[str, str] = {
    # The source and its files
    "no_source": "There is no file or folder at {path}.",
    "not_a_template": "{name} is not a mapping template: give a folder of CSV files or an .xlsx workbook.",
    "no_template_files": "{name} contains none of the template files: {files}.",
    "unreadable": "{detail}",
    "too_large": "{file} is larger than the {limit} MB an import accepts; split it or ask for a higher limit.",
    "empty_file": "{file} is empty: it needs a header row with the column names.",
    # The header
    "unknown_column": "Column '{column}' is not a column of {file}; check its spelling. The columns are: {columns}.",
    "semicolons": "The header is separated by semicolons; save the file with commas between the columns.",
    "duplicate_column": "Column '{column}' appears more than once in the header.",
    "missing_column": "Column '{column}' is required in {file} but the header does not have it.",
    # Cells
    "extra_cells": "This row has more values than the header has columns.",
    "unnamed_cell": "This row has a value in a column that has no name in the header.",
    "required": "{label} is missing; every {entity} needs one.",
    "too_long": "{label} has {length} characters; at most {max_length} are allowed.",
    "bad_pattern": "{label} '{value}' is not {pattern_meaning}.",
    "bad_date": "{label} '{value}' is not a date written YYYY-MM-DD, e.g. 2024-03-31.",
    "bad_boolean": "{label} '{value}' is not yes or no (true/false and 1/0 are accepted too).",
    "bad_integer": "{label} '{value}' is not a whole number.",
    "bad_decimal": "{label} '{value}' is not a number; use a dot for decimals, e.g. 0.5.",
    "too_many_decimals": "{label} '{value}' has more than {places} decimals.",
    "out_of_range": "{label} '{value}' must be {range}.",
    "too_big": "{label} '{value}' is too large to be stored.",
    "bad_choice": "{label} '{value}' is not one of the allowed values: {choices}.",
    "bad_email": "Email '{value}' is not a valid email address.",
    # Rows within a file
    "duplicate_code": "{key_label} '{value}' appears more than once in {file} (first on row {first}).",
    "duplicate_population": (
        "Location '{location}' has more than one population row for {year} (first on row {first})."
    ),
    "duplicate_assignment": (
        "The same assignment (worker {worker}, organisation {organisation}, location {location}, cadre {cadre}, "
        "starting {start}) appears more than once (first on row {first})."
    ),
    # References
    "unknown_reference": "{key_label} '{value}' is not in {target} nor in the registry.",
    # Rules
    "second_root": (
        "Location '{code}' has no parent_code, but '{root}' is already the root of the location tree; "
        "only the country itself may have no parent."
    ),
    "location_loop": "Location '{code}' would be its own ancestor: the parent codes form a loop ({loop}).",
    "organisation_loop": "Organisation '{code}' would be its own parent: the parent codes form a loop ({loop}).",
    "total_below_children": "Total population {total} is less than the number of children {children}.",
    "abolished_not_after": "Abolished on {abolished} is not after established on {established}.",
    "end_before_start": "End date {end} is before start date {start}.",
    "exit_without_end": (
        "Exit reason '{value}' is given without an end date; give the last day in the role or leave the "
        "exit reason empty."
    ),
    "post_mismatch": (
        "Post '{post}' is in organisation {post_organisation} at location {post_location} in cadre "
        "{post_cadre}, but this assignment is in {organisation} at {location} in cadre {cadre}; they must "
        "be the same."
    ),
    # What the importing user may import (organisation focal points, subnational officers)
    "file_not_allowed": (
        "You may not import {file}: it is a reference list kept by the national data managers. You may "
        "import {files}."
    ),
    "outside_organisation": (
        "Organisation '{value}' is not yours: you may import only the {entity}s of {where}."
    ),
    "outside_area": "Location '{value}' is outside your area: you may import only the {entity}s of {where}.",
    "worker_outside_scope": (
        "Worker '{value}' is already in the registry and has no assignment in {where}, so you may not change "
        "their details."
    ),
    # Rows rejected because of another row (when importing the valid rows only)
    "refers_to_rejected_row": (
        "{key_label} '{value}' is on a row of {target} that was rejected, so this row is rejected too."
    ),
    "refers_to_refused_file": (
        "{key_label} '{value}' is not in the registry and {target} was refused, so this row is rejected too."
    ),
    "database": "The database refused the data ({detail}); nothing was imported. Please report this.",
    "counts_unbalanced": (
        "Internal check failed: the rows of {files} are not all counted as created, updated, unchanged or "
        "rejected; nothing was imported. Please report this."
    ),
}

WARNINGS: dict[str, str] = {
    "other_file": "'{name}' is not a file of the mapping template and was not read. The files are: {files}.",
    "worker_without_assignment": (
        "Worker '{value}' has no assignment, neither in assignments.csv nor in the registry, so they count in "
        "no figure."
    ),
    "post_filled_twice": (
        "Post '{post}' is filled by two assignments on {day}: worker {worker} here and worker {other} "
        "({other_where})."
    ),
    "population_children_mismatch": (
        "The {year} child population of '{code}' ({own}) differs by {percent}% from the sum of its "
        "{count} sub-locations ({total})."
    ),
    "population_total_mismatch": (
        "The {year} total population of '{code}' ({own}) differs by {percent}% from the sum of its "
        "{count} sub-locations ({total})."
    ),
}


def message(key: str, /, **fields: Any) -> str:
    """The message ``key`` (an error or a warning) with its fields filled in."""
    template = ERRORS.get(key) or WARNINGS[key]
    return template.format(**fields)


def messages_markdown() -> str:
    """The list of error and warning messages for the docs (fields shown as ``{name}``)."""
    lines = ["#### Errors (the row is rejected; by default nothing at all is imported)", ""]
    lines.extend(f"- `{key}`: {text}" for key, text in ERRORS.items())
    lines.extend(["", "#### Warnings (the import goes ahead)", ""])
    lines.extend(f"- `{key}`: {text}" for key, text in WARNINGS.items())
    return "\n".join(lines) + "\n"
