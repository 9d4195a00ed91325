"""``sswis workers merge --surviving W1 --merged W2 --reason TEXT``, ``sswis workers unmerge --merge ID
--reason TEXT`` and ``sswis workers merges [--format text|json]``: merging two records of the same person
(``sswis.registry.merging``), undoing a merge, and the merge history.

Every action runs as the user named by ``--user`` (else the environment variable ``SSWIS_USER``), who must
be a national data manager or a subnational officer (both records in their area). A refusal writes
nothing and exits non-zero with the reasons (each conflict named). ``--merge`` takes the merge's UUID as
shown by ``merges``.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.access import policy
from sswis.commands import TranslatedCommand
from sswis.registry.merging import worker_merge, worker_unmerge
from sswis.registry.merging_selectors import merge_detail, merge_list
from sswis.registry.models import Worker
from sswis.registry.models_merging import WorkerMerge


def merge_as_json(merge: WorkerMerge) -> dict[str, Any]:
    """One merge as the command's JSON (the same fields as the API's)."""
    return {
        "id": str(merge.uuid),
        "surviving": merge.surviving.worker_id,
        "merged": merge.merged.worker_id,
        "reason": merge.reason,
        "merged_at": merge.merged_at.isoformat(),
        "merged_by": merge.merged_by.get_username() if merge.merged_by else None,
        "moved": merge.moved,
        "unmerged_at": merge.unmerged_at.isoformat() if merge.unmerged_at else None,
        "unmerged_by": merge.unmerged_by.get_username() if merge.unmerged_by else None,
        "unmerge_reason": merge.unmerge_reason,
    }


class Command(TranslatedCommand):
    help = gettext_lazy("Merge two worker records of the same person, undo a merge, list the merges.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        merge = actions.add_parser("merge", help=gettext("merge a worker record into another (same person)"))
        merge.add_argument("--surviving", required=True, help=gettext("worker ID of the record that stays"))
        merge.add_argument("--merged", required=True, help=gettext("worker ID of the record merged into it"))
        unmerge = actions.add_parser("unmerge", help=gettext("undo a merge: its rows go back"))
        unmerge.add_argument("--merge", required=True, help=gettext("the merge's ID (as listed by merges)"))
        listing = actions.add_parser("merges", help=gettext("the merges, newest first"))
        listing.add_argument(
            "--format", choices=["text", "json"], default="text", help=gettext("text (default) or json")
        )
        for action in (merge, unmerge):
            action.add_argument("--reason", required=True, help=gettext("why (kept in the audit trail)"))
        for action in (merge, unmerge, listing):
            action.add_argument(
                "--user",
                help=gettext(
                    "username of the acting data manager (default: environment variable SSWIS_USER)"
                ),
            )

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["user"])
        try:
            if options["action"] == "merge":
                self._merge(user=user, options=options)
            elif options["action"] == "unmerge":
                self._unmerge(user=user, options=options)
            else:
                self._list(user=user, output_format=options["format"])
        except PermissionDenied as refusal:
            raise CommandError(str(refusal)) from refusal
        except ValidationError as refusal:
            raise CommandError("\n".join(refusal.messages)) from refusal

    def _user(self, username: str | None) -> Any:
        username = username or os.environ.get("SSWIS_USER", "")
        if not username:
            raise CommandError(
                gettext("Say who is acting: give --user USERNAME or set the environment variable SSWIS_USER.")
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(gettext("There is no user named %(username)r.") % {"username": username})
        return user

    def _worker(self, *, user: Any, worker_id: str, option: str) -> Worker:
        worker = Worker.objects.filter(worker_id=worker_id.strip()).first()
        # A merged record is found too (the service names why it is refused); one out of scope is not.
        if worker is None or (
            worker.merged_into_id is None
            and not policy.workers_visible(user=user).filter(pk=worker.pk).exists()
        ):
            raise CommandError(
                gettext("%(option)s: no worker %(id)r in your scope.") % {"option": option, "id": worker_id}
            )
        return worker

    def _merge(self, *, user: Any, options: dict[str, Any]) -> None:
        surviving = self._worker(user=user, worker_id=options["surviving"], option="--surviving")
        merged = self._worker(user=user, worker_id=options["merged"], option="--merged")
        merge = worker_merge(actor=user, surviving=surviving, merged=merged, reason=options["reason"])
        self.stdout.write(
            gettext("Merged %(merged)s into %(surviving)s: %(count)d rows moved. Merge %(id)s.")
            % {
                "merged": merged.worker_id,
                "surviving": surviving.worker_id,
                "count": merge.moved_count,
                "id": merge.uuid,
            }
        )

    def _unmerge(self, *, user: Any, options: dict[str, Any]) -> None:
        try:
            merge = merge_detail(user=user, merge_uuid=uuid.UUID(options["merge"].strip()))
        except (ValueError, WorkerMerge.DoesNotExist):
            raise CommandError(
                gettext("--merge: no merge %(id)r in your scope.") % {"id": options["merge"]}
            ) from None
        worker_unmerge(actor=user, merge=merge, reason=options["reason"])
        self.stdout.write(
            gettext("Undone: %(merged)s is a record of its own again, separate from %(surviving)s.")
            % {"merged": merge.merged.worker_id, "surviving": merge.surviving.worker_id}
        )

    def _list(self, *, user: Any, output_format: str) -> None:
        merges = list(merge_list(user=user))
        if output_format == "json":
            self.stdout.write(json.dumps({"merges": [merge_as_json(m) for m in merges]}, ensure_ascii=False))
            return
        if not merges:
            self.stdout.write(gettext("No merges."))
        for merge in merges:
            state = (
                gettext("undone %(day)s") % {"day": f"{merge.unmerged_at:%Y-%m-%d}"}
                if merge.unmerged_at
                else ""
            )
            self.stdout.write(
                f"{merge.uuid}  {merge.merged_at:%Y-%m-%d}  {merge.merged.worker_id} -> {merge.surviving.worker_id}"
                f"  {merge.moved_count}  {state}".rstrip()
            )
