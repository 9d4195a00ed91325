"""``sswis duplicates find [--threshold P] [--format text|json] [--train]``: find the workers recorded twice.

Reads every worker not merged away, trains the Splink model first when ``--train`` is given or none is
stored yet, and stores the run with its candidate pairs (the review queue). Prints the pairs, most
probable first: ``{"pairs": [{"worker_ids": [A, B], "probability": P, "reasons": {...}}], "clusters":
[[A, B, ...]]}`` or the same in words (``--format text``). Progress goes to standard error. A pair
rejected in an earlier review is not proposed again. Exits non-zero, storing no pair, on a bad threshold or
a failed run.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.duplicates.linkage import DEFAULT_THRESHOLD
from sswis.duplicates.models import CandidatePair, RunOrigin, RunStatus
from sswis.duplicates.selectors import pairs_as_json
from sswis.duplicates.services import duplicate_run_create, duplicate_run_execute


class Command(TranslatedCommand):
    help = gettext_lazy("Duplicate worker records: probabilistic record linkage and the review queue.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        find = actions.add_parser("find", help=gettext("find the pairs of records of the same person"))
        find.add_argument(
            "--threshold",
            default=str(DEFAULT_THRESHOLD),
            help=gettext("the least match probability of a pair, between 0 and 1 (default %(default)s)"),
        )
        find.add_argument(
            "--format", choices=["json", "text"], default="json", help=gettext("json (default) or text")
        )
        find.add_argument(
            "--train",
            action="store_true",
            help=gettext("train the model on the data first (else the stored one)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = duplicate_run_create(
                actor=None, threshold=options["threshold"], train=options["train"], origin=RunOrigin.COMMAND
            )
        except ValidationError as problem:
            raise CommandError("--threshold: " + " ".join(problem.messages)) from problem

        def progress(stage: str, fraction: float) -> None:
            sys.stderr.write(f"{fraction:4.0%} {stage}\n")

        run = duplicate_run_execute(run=run, progress=progress)
        if run.status != RunStatus.SUCCESS:
            raise CommandError(gettext("The run failed: %(error)s") % {"error": run.error})
        pairs = list(
            CandidatePair.objects.filter(run=run)
            .select_related("worker_a", "worker_b")
            .order_by("-probability", "id")
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(pairs_as_json(pairs=pairs), ensure_ascii=False))
            return
        self.stdout.write(
            gettext(
                "%(pairs)d pairs in %(clusters)d clusters among %(workers)d workers (threshold %(threshold)s)"
            )
            % {
                "pairs": run.pairs_count,
                "clusters": run.clusters_count,
                "workers": run.workers_count,
                "threshold": run.threshold,
            }
        )
        for pair in pairs:
            self.stdout.write(
                f"{pair.probability:.4f}  {pair.worker_a.worker_id} {pair.worker_a.full_name}  ~  "
                f"{pair.worker_b.worker_id} {pair.worker_b.full_name}  ({gettext('cluster')} {pair.cluster})"
            )
            for name, reason in pair.reasons.items():
                self.stdout.write(f"    {name}: {reason['level']} ({reason['match_weight']:+.2f})")
