"""``sswis demo``: migrate, generate the synthetic country as a mapping template, import it, print logins."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.demo.dhis2 import demo_dhis2_set
from sswis.demo.directory import demo_directory_set
from sswis.demo.duplicates import demo_duplicates_set
from sswis.demo.generator import BOUNDARIES_FILE, country_generate
from sswis.demo.merging import demo_merge_set
from sswis.demo.personas import demo_manager_create, demo_personas_create
from sswis.demo.planning import demo_plans_set
from sswis.demo.quality import demo_quality_set
from sswis.demo.regulation import demo_regulation_set
from sswis.demo.support_associations import demo_associations_set
from sswis.demo.support_caseloads import demo_caseloads_set
from sswis.demo.support_primero import demo_primero_set
from sswis.demo.support_rapidpro import demo_rapidpro_set
from sswis.demo.support_supervision import demo_supervision_set
from sswis.demo.training import demo_training_set
from sswis.demo.training_files import training_files_write
from sswis.geo.services import location_boundaries_set
from sswis.imports.modes import ImportMode
from sswis.imports.selectors import import_record_report
from sswis.imports.services import import_record_from_path

DEMO_LAST_YEAR = 2025
"""The demo country's last year of data: its registry, regulation and training run up to 31 December."""


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Set up the demo country: migrate the database, generate a synthetic country as a mapping template "
        "and load it through the same importer a ministry uses, then print a login for each persona. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers", type=int, default=6000, help=gettext("number of workers (default 6000)")
        )
        parser.add_argument(
            "--seed", type=int, default=2024, help=gettext("random seed of the synthetic country")
        )
        parser.add_argument(
            "--template-dir",
            type=Path,
            default=None,
            help=gettext("where to write the generated template (default: DATA_DIR/demo-template)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        # WhiteNoise serves the apps' static files directly; an existing static root keeps it quiet.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        folder = options["template_dir"] or Path(settings.DATA_DIR) / "demo-template"
        generated = country_generate(
            folder=folder, workers=options["workers"], seed=options["seed"], last_year=DEMO_LAST_YEAR
        )
        # The training files of template version 2, from the generated workers (programmes, completions).
        training_files_write(folder=folder, seed=options["seed"], last_year=DEMO_LAST_YEAR)
        self.stdout.write(
            gettext("Generated the demo mapping template in %(folder)s") % {"folder": generated.folder}
        )
        # The import is attributed to the demo's national data manager, as a ministry's would be, and kept
        # in the import history like every other import (the same path as ``sswis import``).
        manager = demo_manager_create()
        record = import_record_from_path(
            actor=manager, source=generated.folder, mode=ImportMode.ALL_OR_NOTHING
        )
        report = import_record_report(record=record)
        if report is None:
            raise CommandError(
                gettext("The demo template did not import: %(failure)s") % {"failure": record.failure}
            )
        if report.has_errors:
            for problem in report.problems[:20]:
                self.stderr.write(str(problem))
            raise CommandError(gettext("The demo template did not import; this is a bug in sswis."))
        for name, counts in report.files.items():
            self.stdout.write(
                gettext("  %(file)-20s created %(created)6d  updated %(updated)6d  unchanged %(unchanged)6d")
                % {
                    "file": name,
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
        # The boundaries file of the template, set through the geo service that checks every geometry.
        collection = json.loads((generated.folder / BOUNDARIES_FILE).read_text(encoding="utf-8"))
        changed = location_boundaries_set(actor=manager, collection=collection)
        self.stdout.write(
            gettext("  %(file)-20s %(changed)6d boundaries set")
            % {"file": BOUNDARIES_FILE, "changed": changed}
        )
        demo_plans_set(actor=manager)  # example plans, so that planning has figures on first start
        registered = demo_regulation_set(actor=manager)  # a council, its registers and registrations
        self.stdout.write(
            gettext("  %(count)6d registrations on the council's registers") % {"count": registered}
        )
        placed = demo_training_set(actor=manager, last_year=DEMO_LAST_YEAR, seed=options["seed"])
        self.stdout.write(
            gettext("  %(count)6d practicum placements of the training institutions' students")
            % {"count": placed}
        )
        demo_rapidpro_set(actor=manager)  # a webhook token and its first calls, for the SMS page
        managed = demo_directory_set(actor=manager)  # district offices manage their districts (FHIR)
        self.stdout.write(
            gettext("  %(count)6d districts paired with their managing office") % {"count": managed}
        )
        named = demo_primero_set(actor=manager, seed=options["seed"])  # Primero user names, a dry-run sync
        self.stdout.write(gettext("  %(count)6d workers with a Primero user name") % {"count": named})
        members = demo_associations_set(actor=manager, seed=options["seed"])  # professional associations
        self.stdout.write(
            gettext("  %(count)6d memberships of professional associations") % {"count": members}
        )
        demo_caseloads_set(actor=manager, last_year=DEMO_LAST_YEAR, seed=options["seed"])
        demo_supervision_set(actor=manager, seed=options["seed"])  # relationships, sessions of the last year
        # The normative framework inventory and the scores of the year before the last (after the supervision,
        # whose figures the proposals read).
        instruments = demo_quality_set(actor=manager, last_year=DEMO_LAST_YEAR)
        self.stdout.write(
            gettext("  %(count)6d instruments of the normative framework") % {"count": instruments}
        )
        # One person recorded twice and merged, so that the merge history shows something (issue 16).
        merged = demo_merge_set(actor=manager)
        self.stdout.write(gettext("  %(count)6d pair of worker records merged") % {"count": merged})
        # Workers recorded twice and a detection run, so that the review queue has pairs (issue 16).
        run = demo_duplicates_set(actor=manager)
        if run is not None:
            self.stdout.write(
                gettext("  %(count)6d candidate pairs of duplicate records to review")
                % {"count": run.pairs_count}
            )
        # Org unit uids and the DHIS2 mapping, so that `sswis dhis2 export` works on first start.
        uids = demo_dhis2_set(actor=manager)
        self.stdout.write(gettext("  %(count)6d locations given a DHIS2 uid") % {"count": uids})
        logins = demo_personas_create()
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Demo country ready in %(seconds)s s.")
                % {"seconds": round(time.monotonic() - started)}
            )
        )
        self.stdout.write(gettext("Logins (user / password — role — sees):"))
        for login in logins:
            self.stdout.write(
                f"  {login.username:<9} / {login.password:<22} — {login.persona} — {login.scope}"
            )
