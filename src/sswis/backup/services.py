"""``backup_create`` and ``backup_restore``: the whole state of an sswis installation (its database and its
uploaded files) to one archive file and back. The archive's format is described in ``archive.py``; how the
database is copied in ``databases.py``; what a user does in ``docs/backup.md``.

Restoring guarantees:

- every member is checked against the manifest's SHA-256 before anything changes;
- a backup of a newer schema (a migration this sswis does not know) is refused, as is a backup of
  another database vendor (``docs/backup.md`` says how to move between vendors);
- a database that holds data is replaced only with ``force``;
- a backup of an older schema is migrated forward, on the staged copy;
- atomic: until the database is swapped in one step, the installation is untouched; a failure when
  swapping puts the uploaded files back as they were.
"""

from __future__ import annotations

import importlib.metadata
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.backup import databases
from sswis.backup.archive import (
    FILES_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    ArchiveWriter,
    BackupRefused,
    archive_extract,
    manifest_read,
)

Say = Callable[[str], None]


def _silent(_text: str) -> None:
    return None


def file_folders() -> dict[str, Path]:
    """The folders of uploaded and kept files that a backup holds, by their name in the archive."""
    return {"media": Path(settings.MEDIA_ROOT), "imports": Path(settings.DATA_DIR) / "imports"}


def sswis_version() -> str:
    try:
        return importlib.metadata.version("sswis")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def schema_state(applied: set[tuple[str, str]]) -> dict[str, Any]:
    """The schema as the manifest records it: every applied migration per app and the latest of each
    (the applied leaf of the app's migration graph, else the last by name)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    per_app: dict[str, list[str]] = {}
    for app, name in applied:
        per_app.setdefault(app, []).append(name)
    latest: dict[str, str] = {}
    for app, names in per_app.items():
        names.sort()
        leaves = [
            name
            for name in names
            if (app, name) in loader.graph.nodes
            and not any(child in applied for child in loader.graph.node_map[(app, name)].children)
        ]
        latest[app] = max(leaves) if leaves else names[-1]
    return {"applied": {app: per_app[app] for app in sorted(per_app)}, "latest": dict(sorted(latest.items()))}


@dataclass(frozen=True)
class BackupResult:
    path: Path
    vendor: str
    files: int
    size: int
    seconds: float


def backup_create(*, path: Path, say: Say = _silent) -> BackupResult:
    """Write a backup of the configured database and the uploaded files to ``path`` (``.tar``, or
    ``.tar.gz`` to compress). The database copy is a consistent snapshot taken while sswis keeps running.
    An existing file at ``path`` is replaced only once the new archive is complete. Raises
    ``BackupRefused`` (nothing left at ``path``) when the folder does not exist or a tool fails."""
    started = time.monotonic()
    vendor = databases.database_vendor()
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupRefused(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
    applied = {(app, name) for app, name in MigrationRecorder(connection).applied_migrations()}
    now = timezone.now()
    with tempfile.TemporaryDirectory(prefix=".sswis-backup-", dir=path.parent) as staging:
        dump = Path(staging) / databases.database_member()
        say(_("Copying the database (%(vendor)s) ...") % {"vendor": vendor})
        if vendor == "sqlite":
            databases.sqlite_dump(target=dump)
        else:
            databases.postgresql_dump(target=dump)
        with ArchiveWriter(path) as writer:
            writer.add_file(name=dump.name, source=dump)
            dump.unlink()
            files = 0
            for name, folder in file_folders().items():
                say(_("Adding the files of %(folder)s ...") % {"folder": folder})
                files += writer.add_folder(prefix=f"{FILES_PREFIX}{name}", folder=folder)
            writer.finish(
                {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "sswis_version": sswis_version(),
                    "vendor": vendor,
                    "database_member": dump.name,
                    "schema": schema_state(applied),
                    "created_at": now.isoformat(),
                    "created_at_epoch": int(now.timestamp()),
                    "file_folders": sorted(file_folders()),
                }
            )
    return BackupResult(
        path=path, vendor=vendor, files=files, size=path.stat().st_size, seconds=time.monotonic() - started
    )


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    vendor: str
    created_at: str
    migrated: list[str]
    files: int
    seconds: float


def _schema_refusal(manifest: dict[str, Any]) -> None:
    """Refuse a backup recording a migration this sswis does not know (a newer schema)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    applied: dict[str, list[str]] = manifest.get("schema", {}).get("applied", {})
    unknown = sorted(
        (app, name) for app, names in applied.items() for name in names if (app, name) not in known
    )
    if unknown:
        app, name = unknown[0]
        raise BackupRefused(
            _(
                "This backup is of a newer schema than this sswis knows: its database has the migration "
                "%(app)s.%(name)s (and %(more)d more unknown here). It was made by sswis %(version)s; "
                "install that version (or a newer one) and restore again. Nothing was changed."
            )
            % {"app": app, "name": name, "more": len(unknown) - 1, "version": manifest.get("sswis_version")}
        )


def _vendor_refusal(manifest: dict[str, Any], vendor: str) -> None:
    if manifest.get("vendor") != vendor:
        raise BackupRefused(
            _(
                "This backup is of a %(found)s database; sswis is configured for %(vendor)s. Restore it "
                "with SSWIS_DATABASE_URL naming a %(found)s database, or move the data between databases "
                'as docs/backup.md explains ("Moving to another database"). Nothing was changed.'
            )
            % {"found": manifest.get("vendor"), "vendor": vendor}
        )


def _files_swap(*, staged: Path) -> list[tuple[Path, Path | None]]:
    """Put the staged file folders in place; return (folder, the previous folder set aside or None)."""
    swapped: list[tuple[Path, Path | None]] = []
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    try:
        for name, folder in file_folders().items():
            aside: Path | None = None
            if folder.exists():
                aside = folder.with_name(f".{folder.name}-before-restore-{stamp}")
                shutil.move(folder, aside)
            swapped.append((folder, aside))
            source = staged / "files" / name
            if source.is_dir():
                shutil.move(source, folder)
            else:
                folder.mkdir(parents=True)
    except BaseException:
        _files_back(swapped)
        raise
    return swapped


def _files_back(swapped: list[tuple[Path, Path | None]]) -> None:
    for folder, aside in reversed(swapped):
        shutil.rmtree(folder, ignore_errors=True)
        if aside is not None:
            shutil.move(aside, folder)


def backup_restore(*, path: Path, force: bool = False, say: Say = _silent) -> RestoreResult:
    """Restore the backup at ``path`` (see the module docstring for the guarantees). Raises
    ``BackupRefused`` with what to do when it cannot; the installation is then as it was."""
    started = time.monotonic()
    vendor = databases.database_vendor()
    path = path.resolve()
    if not path.is_file():
        raise BackupRefused(_("There is no file %(path)s.") % {"path": path})
    manifest = manifest_read(path)
    _vendor_refusal(manifest, vendor)
    _schema_refusal(manifest)
    holds_data = (
        databases.sqlite_holds_data(databases.sqlite_path())
        if vendor == "sqlite"
        else databases.postgresql_holds_data()
    )
    if holds_data and not force:
        raise BackupRefused(
            _(
                "The database already holds data. Restoring replaces all of it (and the uploaded files) "
                "with the backup's: give --force to do so. Nothing was changed."
            )
        )
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sswis-restore-", dir=data_dir))
    staged_database: str | None = None
    try:
        say(_("Checking and unpacking %(path)s ...") % {"path": path})
        archive_extract(path=path, manifest=manifest, target=staging)
        dump = staging / str(manifest.get("database_member"))
        if vendor == "sqlite":
            staged_database = str(dump)
        else:
            staged_database = databases.postgresql_staging_create()
            say(_("Restoring the database into %(name)s ...") % {"name": staged_database})
            databases.postgresql_restore(dump=dump, database=staged_database)
        say(_("Bringing the database to this version's schema ..."))
        databases.staged_migrate(vendor=vendor, name=staged_database)
        after = (
            databases.sqlite_migrations(dump)
            if vendor == "sqlite"
            else databases.postgresql_migrations(staged_database)
        )
        recorded = {
            (app, name)
            for app, names in manifest.get("schema", {}).get("applied", {}).items()
            for name in names
        }
        migrated = sorted(f"{app}.{name}" for app, name in after - recorded)
        say(_("Putting the files and the database in place ..."))
        swapped = _files_swap(staged=staging)
        try:
            if vendor == "sqlite":
                databases.sqlite_swap(staged=dump)
            else:
                databases.postgresql_swap(staged=staged_database)
                staged_database = None
        except (DatabaseError, sqlite3.Error) as problem:  # the swap's transaction was rolled back
            _files_back(swapped)
            raise BackupRefused(
                _(
                    "Putting the restored database in place failed (%(problem)s); the database and the "
                    "files are as they were. Stop the web server and the worker, and restore again."
                )
                % {"problem": str(problem).strip()}
            ) from problem
        except BaseException:
            _files_back(swapped)
            raise
        for _folder, aside in swapped:
            if aside is not None:
                shutil.rmtree(aside, ignore_errors=True)
        files = sum(1 for name in manifest.get("members", {}) if name.startswith(FILES_PREFIX))
    finally:
        if vendor == "postgresql" and staged_database is not None:
            databases.postgresql_staging_drop(staged_database)
        shutil.rmtree(staging, ignore_errors=True)
        connection.close()
    return RestoreResult(
        path=path,
        vendor=vendor,
        created_at=str(manifest.get("created_at")),
        migrated=migrated,
        files=files,
        seconds=time.monotonic() - started,
    )


def backup_describe(*, path: Path) -> dict[str, Any]:
    """The manifest of the backup at ``path`` (``BackupRefused`` when it is not one)."""
    return manifest_read(path.resolve())


__all__ = ["BackupRefused", "backup_create", "backup_describe", "backup_restore"]
