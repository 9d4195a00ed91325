"""The demo country's link with Primero: Primero user names for some of its workers (so that the case
hand-over directory lists them and a sync matches them), and one dry-run sync against a fake Primero
serving their open cases, kept in the sync history (a dry run writes no caseload: the demo's caseloads
stay those the support demo recorded).

Who gets a user name: 40% (seeded) of the workers with a running child-protection assignment in a
professional or para-professional cadre; the name is ``given.family`` in lower-case ASCII (with a number
when two workers would share it). Written in bulk with their audit records, attributed to the demo's
national data manager, as ``worker_update`` would record them. To try a real sync on the demo country:
``sswis primero fake`` and the command it prints (``docs/support.md``, "Caseloads from Primero").
"""

from __future__ import annotations

import random
import re
import unicodedata
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from sswis.demo.duplicates import SUFFIX as DUPLICATE_SUFFIX
from sswis.primero.fake import FakePrimero, open_cases_of_named_workers
from sswis.primero.models import PrimeroSync, SyncOrigin
from sswis.primero.sync import Credentials, primero_sync_create, primero_sync_run
from sswis.registry.models import Assignment, CadreCategory, Worker

SHARE = 0.4


def _user_name(given_name: str, family_name: str) -> str:
    text = unicodedata.normalize("NFKD", f"{given_name}.{family_name}").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9.]+", "", text.lower()) or "worker"


@transaction.atomic
def demo_primero_set(*, actor: Any, seed: int) -> int:
    """Name the workers in Primero and keep a dry-run sync (once: run again, the demo writes nothing more);
    returns how many workers carry a user name."""
    running = Assignment.objects.filter(
        worker_id=OuterRef("pk"),
        child_protection=True,
        end_date__isnull=True,
        cadre__category__in=[CadreCategory.PROFESSIONAL, CadreCategory.PARA_PROFESSIONAL],
    )
    # Not the second records that ``sswis.demo.duplicates`` plants later (the same people): the choice
    # must be the same when the demo runs again, with those records present.
    candidates = list(
        Worker.objects.filter(Exists(running)).exclude(worker_id__endswith=DUPLICATE_SUFFIX).order_by("pk")
    )
    picker = random.Random(seed * 7919 + 13)
    chosen = sorted(picker.sample(candidates, int(len(candidates) * SHARE)), key=lambda worker: worker.pk)
    chosen_pks = {worker.pk for worker in chosen}
    taken = {
        name
        for pk, name in Worker.objects.exclude(primero_user_name="").values_list("pk", "primero_user_name")
        if pk not in chosen_pks
    }
    now = timezone.now()
    changed = []
    for worker in chosen:
        base = name = _user_name(worker.given_name, worker.family_name)
        number = 1
        while name in taken:
            number += 1
            name = f"{base}{number}"
        taken.add(name)
        if worker.primero_user_name != name:  # the demo run again: nothing to write
            worker.primero_user_name, worker.version, worker.updated_at = name, worker.version + 1, now
            changed.append(worker)
    bulk_update_with_history(
        changed, Worker, ["primero_user_name", "version", "updated_at"], batch_size=500, default_user=actor
    )
    if PrimeroSync.objects.exists():
        return len(chosen)
    account = Credentials(user_name="demo-sync", password="demo-sync-password")
    owners = open_cases_of_named_workers(seed=seed)
    with FakePrimero(owners=owners, user_name=account.user_name, password=account.password) as fake:
        sync = primero_sync_create(actor=actor, url=fake.url, dry_run=True, origin=SyncOrigin.COMMAND)
        primero_sync_run(sync=sync, credentials=account)
    return len(chosen)
