"""How an import treats errors and whether it writes: the one list of import modes (CLI, web, API, history)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportMode(models.TextChoices):
    """The four ways to run an import.

    * ``all_or_nothing`` (the default): with any error nothing is written;
    * ``skip_invalid``: the valid rows are written; rows with an error, and rows that refer to a rejected
      row (the assignments of a rejected worker, ...), are rejected, each with its reason;
    * ``dry_run`` and ``dry_run_skip_invalid``: the same checks and counts, rolled back at the end, so
      they say exactly what the import would do and write nothing.
    """

    ALL_OR_NOTHING = "all_or_nothing", _("Import all or nothing")
    SKIP_INVALID = "skip_invalid", _("Import the valid rows, skip the invalid ones")
    DRY_RUN = "dry_run", _("Dry run: check everything, write nothing")
    DRY_RUN_SKIP_INVALID = "dry_run_skip_invalid", _("Dry run of importing the valid rows")

    @property
    def dry_run(self) -> bool:
        return self in (ImportMode.DRY_RUN, ImportMode.DRY_RUN_SKIP_INVALID)

    @property
    def skip_invalid(self) -> bool:
        return self in (ImportMode.SKIP_INVALID, ImportMode.DRY_RUN_SKIP_INVALID)

    @classmethod
    def of(cls, *, dry_run: bool = False, skip_invalid: bool = False) -> ImportMode:
        """The mode with these two properties (for command-line flags)."""
        if dry_run:
            return cls.DRY_RUN_SKIP_INVALID if skip_invalid else cls.DRY_RUN
        return cls.SKIP_INVALID if skip_invalid else cls.ALL_OR_NOTHING
