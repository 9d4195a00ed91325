"""Every message the import can give, in plain words for a data clerk, keyed by a stable identifier.

Templates use ``str.format`` fields. ``docs/mapping-template.md`` lists them (rendered by
:func:`messages_markdown`; a test checks the docs contain that list), so a data manager can look a
message up.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

ERRORS: dict[str, Any] = {
    # The source and its files
    "no_source": _("There is no file or folder at {path}."),
    "not_a_template": _(
        "{name} is not a mapping template: give an Excel workbook (.xlsx), a .zip of CSV files, a folder of "
        "CSV files or one template CSV file (e.g. workers.csv)."
    ),
    "no_template_files": _("{name} contains none of the template files: {files}."),
    "unreadable": "{detail}",  # the reader's own message, already in the reader's language
    "too_large": _(
        "{file} is larger than the {limit} MB an import accepts; split it or ask for a higher limit."
    ),
    "empty_file": _("{file} is empty: it needs a header row with the column names."),
    # Files refused for what they are (sswis/imports/safety.py)
    "macro_workbook": _(
        "{file} is a macro-enabled workbook; such files are not accepted. In Excel choose File > Save As > "
        '"Excel Workbook (.xlsx)" and import that file.'
    ),
    "encrypted_workbook": _(
        "{file} is protected with a password, so it cannot be read. In Excel open it, remove the password "
        "(File > Info > Protect Workbook > Encrypt with Password, empty the box), save it as an Excel Workbook "
        "(.xlsx) and import that file."
    ),
    "legacy_workbook": _(
        "{file} is an old-format Excel file (.xls, Excel 97-2003) or another Office document. In Excel choose "
        'File > Save As > "Excel Workbook (.xlsx)" and import that file.'
    ),
    "not_a_workbook": _(
        "{file} is not an Excel workbook although its name ends in {extension}: {content}. In Excel choose "
        'File > Save As > "Excel Workbook (.xlsx)" and import that file.'
    ),
    "damaged_workbook": _(
        "The workbook {file} could not be opened ({detail}). Open it in Excel, save it again as an Excel "
        "Workbook (.xlsx) and import that file."
    ),
    "not_a_zip": _("{file} is not a zip file although its name ends in .zip: {content}."),
    "not_csv_text": _(
        "{file} is not a CSV text file: {content}. Save the sheet as CSV (in Excel: File > Save As > "
        '"CSV UTF-8 (comma delimited)") and import that file.'
    ),
    "archive_damaged": _(
        "{file} is damaged: {member} does not unpack to what the zip directory says. Create the file again "
        "(zip the CSV files again, or save the workbook again in Excel) and import that."
    ),
    "archive_encrypted": _(
        "{file} is protected with a password ({member}); zip the CSV files again without one."
    ),
    "archive_method": _(
        "{file}: {member} is compressed with a method the import cannot read. Zip the CSV files again with "
        'ordinary compression (e.g. Windows "Send to > Compressed (zipped) folder").'
    ),
    "archive_members": _("{file} holds {count} files, more than the {limit} an import accepts."),
    "archive_too_large": _(
        "{file} unpacks to {size} MB, more than the {limit} MB an import accepts; split it or ask for a "
        "higher limit."
    ),
    "folder_too_large": _(
        "The template files in {file} hold {size} MB together, more than the {limit} MB an import accepts; "
        "import them in parts or ask for a higher limit."
    ),
    "archive_member_too_large": _(
        "{member} in {file} unpacks to {size} MB, more than the {limit} MB an import accepts; split it or ask "
        "for a higher limit."
    ),
    "archive_ratio": _(
        "{member} in {file} is compressed {ratio} times, far more than real data ever is (at most {limit} "
        "times is accepted). The file is refused for safety: create it again from the original data."
    ),
    "archive_duplicate": _(
        "{file} holds {name} more than once ({first} and {second}); keep only one of them."
    ),
    "xml_declaration": _(
        "{file} is refused for safety: its part {member} declares a document type or entities (DOCTYPE, "
        "ENTITY), which Excel never writes. Open it in Excel, save it again as an Excel Workbook (.xlsx) and "
        "import that file."
    ),
    # Reading CSV text
    "unknown_encoding": _(
        "'{encoding}' is not a character set the import knows; give e.g. utf-8, utf-16, cp1252 or latin-1, or "
        "leave the encoding out to have it detected."
    ),
    "not_text_encoding": _(
        "{file} cannot be read as '{encoding}': that is not a character set for text. Give e.g. utf-8, "
        "utf-16, cp1252 or latin-1, or leave the encoding out to have it detected."
    ),
    "byte_order_mark_contradicts": _(
        "{file} starts with a {mark} byte order mark, so it is {mark} text, but it was to be read as "
        "'{encoding}'. Leave the encoding out to have it detected, or give the one the file says."
    ),
    "no_byte_order_mark": _(
        "{file} could not be read as {encoding}: it does not start with the byte order mark that says "
        "which byte order the file uses. Give {encoding}-le or {encoding}-be, or leave the encoding out "
        "to have it detected."
    ),
    "bad_text": _(
        "{file} could not be read as {encoding} text at row {row}. Give the character set it was saved in "
        "(--encoding), or leave the encoding out to have it detected; in Excel save it as "
        '"CSV UTF-8 (comma delimited)".'
    ),
    "binary_in_text": _(
        "{file} holds a character that is not text (a NUL byte) at row {row}; it is damaged or not a CSV "
        'file. Save it again as "CSV UTF-8 (comma delimited)".'
    ),
    "damaged_csv": _("{file} could not be read at row {row}: {detail}."),
    # The header
    "unknown_column": _(
        "Column '{column}' is not a column of {file}; check its spelling. The columns are: {columns}."
    ),
    "duplicate_column": _("Column '{column}' appears more than once in the header."),
    "missing_column": _("Column '{column}' is required in {file} but the header does not have it."),
    # Cells
    "extra_cells": _("This row has more values than the header has columns."),
    "unnamed_cell": _("This row has a value in a column that has no name in the header."),
    "required": _("{label} is missing; every {entity} needs one."),
    "too_long": _("{label} has {length} characters; at most {max_length} are allowed."),
    "bad_pattern": _("{label} '{value}' is not {pattern_meaning}."),
    "bad_date": _("{label} '{value}' is not a date written YYYY-MM-DD, e.g. 2024-03-31."),
    # The limits are those of sswis.registry.dates (tests/imports/test_bad_data.py checks they agree).
    "date_out_of_range": _("{label} '{value}' is not between 1900-01-01 and 2100-12-31; check the year."),
    "unprintable": _(
        "{label} contains a character that is not allowed: {code} (character {position}). Remove it, or "
        "type the text again instead of pasting it."
    ),
    "bad_boolean": _("{label} '{value}' is not yes or no (true/false and 1/0 are accepted too)."),
    "bad_integer": _("{label} '{value}' is not a whole number."),
    "bad_decimal": _("{label} '{value}' is not a number; use a dot for decimals, e.g. 0.5."),
    "too_many_decimals": _("{label} '{value}' has more than {places} decimals."),
    "out_of_range": _("{label} '{value}' must be {range}."),
    "too_big": _("{label} '{value}' is too large to be stored."),
    "bad_choice": _("{label} '{value}' is not one of the allowed values: {choices}."),
    "bad_email": _("Email '{value}' is not a valid email address."),
    "list_code_too_long": _("{label}: '{code}' has {length} characters; a code has at most {max_length}."),
    # Rows within a file
    "duplicate_code": _("{key_label} '{value}' appears more than once in {file} (first on row {first})."),
    "duplicate_population": (
        _("Location '{location}' has more than one population row for {year} (first on row {first}).")
    ),
    "duplicate_assignment": _(
        "The same assignment (worker {worker}, organisation {organisation}, location {location}, cadre {cadre}, "
        "starting {start}) appears more than once (first on row {first})."
    ),
    "duplicate_key": _(
        "The same {entity} ({value}) appears more than once in {file} (first on row {first})."
    ),
    # References
    "unknown_reference": _("{key_label} '{value}' is not in {target} nor in the registry."),
    # Rules
    "second_root": _(
        "Location '{code}' has no parent_code, but '{root}' is already the root of the location tree; "
        "only the country itself may have no parent."
    ),
    "location_loop": _("Location '{code}' would be its own ancestor: the parent codes form a loop ({loop})."),
    "organisation_loop": _(
        "Organisation '{code}' would be its own parent: the parent codes form a loop ({loop})."
    ),
    "total_below_children": _("Total population {total} is less than the number of children {children}."),
    "abolished_not_after": _("Abolished on {abolished} is not after established on {established}."),
    "end_before_start": _("End date {end} is before start date {start}."),
    "birth_in_future": _("Birth date {value} is in the future (the import ran on {today})."),
    "too_young": _(
        "Start date {start} is before the worker is 15 years old: worker {worker} was born on {birth}, so "
        "they are 15 on {birthday}."
    ),
    "exit_without_end": _(
        "Exit reason '{value}' is given without an end date; give the last day in the role or leave the "
        "exit reason empty."
    ),
    "post_mismatch": _(
        "Post '{post}' is in organisation {post_organisation} at location {post_location} in cadre "
        "{post_cadre}, but this assignment is in {organisation} at {location} in cadre {cadre}; they must "
        "be the same."
    ),
    # Regulation: registers, registrations, licences
    "body_ambiguous": _(
        "{count} regulatory bodies are called '{value}' ({codes}); give each body its own name in sswis, "
        "then import again."
    ),
    "status_since_required": _(
        "Status since is missing; a registration that is {status} needs the date it became {status}."
    ),
    "status_since_before_registered": _("Status since {since} is before registered on {registered}."),
    "valid_until_before_from": _("Valid until {until} is before valid from {start}."),
    "licence_before_registration": _(
        "Valid from {start} is before {registered}, when registration {number} of register {register} was "
        "registered; a licence cannot begin before its registration."
    ),
    "licence_overlap": _(
        "The licence from {start} to {end} overlaps the licence from {other_start} to {other_end} "
        "({other_where}) of the same registration, {number} of register {register}; the licences of a "
        "registration may not overlap."
    ),
    # Training: programmes, completions
    "institution_ambiguous": _(
        "{count} training institutions are called '{value}' ({codes}); give each institution its own name in "
        "sswis, then import again."
    ),
    "completed_in_future": _("Completed on {value} is in the future (the import ran on {today})."),
    # Support: supervision, supervision sessions, caseloads
    "self_supervision": _(
        "Worker '{value}' is both the supervisor and the supervisee; a worker cannot supervise themselves."
    ),
    "start_in_future": _("Start date {value} is in the future (the import ran on {today})."),
    "session_in_future": _("Date {value} is in the future (the import ran on {today})."),
    "month_not_begun": _("Month {value} has not begun (the import ran on {today})."),
    # What the importing user may import (organisation focal points, subnational officers)
    "file_not_allowed": _(
        "You may not import {file}: it is a reference list kept by the national data managers. You may "
        "import {files}."
    ),
    "regulation_file_not_allowed": _("You may not import {file}: {reason}"),
    "training_file_not_allowed": _(
        "You may not import {file}: only a national data manager or a training institution's focal point "
        "imports programmes and completions. You may import {files}."
    ),
    "support_file_not_allowed": _(
        "You may not import {file}: only a national data manager, a subnational officer or an organisation "
        "focal point imports supervision and caseloads. You may import {files}."
    ),
    # What a training institution's focal point may import: their own institution's programmes and completions
    "programme_institution_not_yours": _(
        "Programme '{code}' would be {institution}, not of {where}: you may import only the programmes of "
        "{where}; write '{name}' in the institution column."
    ),
    "programme_not_yours": _(
        "Programme '{code}' is of another institution than {where}, so you may not change it; give a "
        "programme of {where} another code."
    ),
    "completion_programme_not_yours": _(
        "Programme '{code}' is not one of the programmes of {where}: you may import only the completions of "
        "the programmes of {where}."
    ),
    "outside_organisation": (
        _("Organisation '{value}' is not yours: you may import only the {entities} of {where}.")
    ),
    "outside_area": _(
        "Location '{value}' is outside your area: you may import only the {entities} of {where}."
    ),
    # The words do not tell whether a worker ID exists outside the importer's part of the country.
    "worker_outside_scope": _(
        "Worker '{value}' is not one of the workers of {where}: you may change the workers who have an "
        "assignment in {where}, and register a new worker only together with an assignment there in "
        "assignments.csv that is imported too."
    ),
    "worker_merged": _(
        "Worker '{value}' was merged into worker '{survivor}' (the same person recorded twice): use "
        "'{survivor}'. A data manager can undo the merge if they are two people."
    ),
    "worker_not_yours": _(
        "Worker '{value}' is neither in workers.csv nor one of the workers of {where}: you may add "
        "assignments for the workers of {where} and for the new workers of workers.csv. To move a worker "
        "of another organisation or area to {where}, ask a national data manager."
    ),
    "support_worker_not_yours": _(
        "Worker '{value}' is neither in workers.csv nor one of the workers of {where}: you may import only the "
        "{entities} of the workers of {where} (both workers, for supervision). Ask a national data manager for "
        "the others."
    ),
    "post_outside_scope": _(
        "Post '{value}' is not one of the posts of {where}, so you may not change it; give a new post "
        "another code."
    ),
    "post_not_yours": _(
        "Post '{post}' is not one of the posts of {where}; an assignment there may fill only a post of {where}."
    ),
    # Rows rejected because of another row (when importing the valid rows only)
    "refers_to_rejected_row": (
        _("{key_label} '{value}' is on a row of {target} that was rejected, so this row is rejected too.")
    ),
    "refers_to_refused_file": _(
        "{key_label} '{value}' is not in the registry and {target} was refused, so this row is rejected too."
    ),
    "database": _("The database refused the data ({detail}); nothing was imported. Please report this."),
    "counts_unbalanced": _(
        "Internal check failed: the rows of {files} are not all counted as created, updated, unchanged or "
        "rejected; nothing was imported. Please report this."
    ),
}

WARNINGS: dict[str, Any] = {
    "institution_created": _(
        "Training institution '{value}' is not in sswis: it is created, with code {code}. If you meant an "
        "institution already in sswis, write its name as sswis has it."
    ),
    "other_file": _(
        "'{name}' is not a file of the mapping template and was not read. The files are: {files}."
    ),
    "worker_without_assignment": _(
        "Worker '{value}' has no assignment, neither in assignments.csv nor in the registry, so they count in "
        "no figure."
    ),
    "post_filled_twice": _(
        "Post '{post}' is filled by two assignments on {day}: worker {worker} here and worker {other} "
        "({other_where})."
    ),
    # A str.format message: "% f" in it is no printf directive.
    "population_children_mismatch": _(  # xgettext:no-python-format
        "The {year} child population of '{code}' ({own}) differs by {percent}% from the sum of its "
        "{count} sub-locations ({total})."
    ),
    # A str.format message: "% f" in it is no printf directive.
    "population_total_mismatch": _(  # xgettext:no-python-format
        "The {year} total population of '{code}' ({own}) differs by {percent}% from the sum of its "
        "{count} sub-locations ({total})."
    ),
}

CONTENTS: dict[str, str] = {
    # What a refused file was found to hold, completing a message above ("... : {content}.").
    "empty": "it is empty",
    "zip": "it is a zip file (an .xlsx workbook is one too)",
    "zip_without_workbook": "it is a zip file with no workbook inside",
    "damaged_zip": "it is damaged or not a zip file ({detail})",
    "ole": "it is an old-format Excel file (.xls) or another Office document",
    "pdf": "it is a PDF document",
    "binary": "it holds binary data (NUL bytes), not text",
    "text": "it holds plain text (perhaps a CSV file)",
}


def content_words(key: str, /, **fields: Any) -> str:
    """The words saying what a refused file holds (``CONTENTS[key]`` with its fields filled in)."""
    return CONTENTS[key].format(**fields)


def message(key: str, /, **fields: Any) -> str:
    """The message ``key`` (an error or a warning) with its fields filled in."""
    template = ERRORS.get(key) or WARNINGS[key]
    return str(template).format(**fields)


def messages_markdown() -> str:
    """The list of error and warning messages for the docs (fields shown as ``{name}``)."""
    lines = ["#### Errors (the row is rejected; by default nothing at all is imported)", ""]
    lines.extend(f"- `{key}`: {text}" for key, text in ERRORS.items())
    lines.extend(["", "#### Warnings (the import goes ahead)", ""])
    lines.extend(f"- `{key}`: {text}" for key, text in WARNINGS.items())
    lines.extend(["", "#### What a refused file was found to hold (the `{content}` above)", ""])
    lines.extend(f"- `{key}`: {text}" for key, text in CONTENTS.items())
    return "\n".join(lines) + "\n"
