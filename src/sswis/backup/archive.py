"""The backup archive: one tar file holding the database, the uploaded files and a manifest.

Members:

- ``database.sqlite3`` (an SQLite database file, made with SQLite's online backup) or ``database.pgdump``
  (``pg_dump --format=custom``);
- ``files/media/...`` (``MEDIA_ROOT``: evidence files, reports ...) and ``files/imports/...``
  (``DATA_DIR/imports``: the kept copies of imported templates);
- ``manifest.json``, written last: the format and its version, the sswis version, the database vendor,
  the applied migrations (per app, all of them, and the latest), when it was made, and the SHA-256 and
  size of every other member.

Each member is hashed while it is written, so the manifest describes exactly the bytes in the archive,
even if a file changed while the backup ran. The archive is written to ``<PATH>.partial`` and renamed to
``PATH`` only when complete: a failed or killed backup never leaves a half archive under the name given.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

FORMAT = "sswis-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
CHUNK = 1 << 20


class BackupRefused(Exception):
    """A backup cannot be made or restored; the message says why and what to do. Nothing was changed."""


class _HashingReader:
    """Reads ``size`` bytes of ``handle`` for ``tarfile``, hashing them as they pass."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


@dataclass
class ArchiveWriter:
    """Writes the archive at ``path`` (through ``<path>.partial``); use as a context manager."""

    path: Path
    members: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.partial = self.path.with_name(self.path.name + ".partial")
        if self.path.name.endswith((".gz", ".tgz")):
            self.tar = tarfile.open(self.partial, "w:gz")  # noqa: SIM115  # closed by finish or __exit__
        else:
            self.tar = tarfile.open(self.partial, "w")  # noqa: SIM115

    def add_file(self, *, name: str, source: Path) -> None:
        """Add the file ``source`` as the member ``name``, recording its SHA-256 and size."""
        info = tarfile.TarInfo(name)
        info.size = source.stat().st_size
        info.mtime = int(source.stat().st_mtime)
        info.mode = 0o600
        with source.open("rb") as handle:
            reader = _HashingReader(handle)
            # tarfile reads exactly info.size bytes and fails if the file became shorter meanwhile.
            self.tar.addfile(info, reader)
        self.members[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}

    def add_folder(self, *, prefix: str, folder: Path) -> int:
        """Add every regular file under ``folder`` as ``prefix/<relative path>``; return how many."""
        count = 0
        if not folder.is_dir():
            return 0
        for source in sorted(folder.rglob("*")):
            if source.is_file() and not source.is_symlink():
                self.add_file(name=f"{prefix}/{source.relative_to(folder).as_posix()}", source=source)
                count += 1
        return count

    def finish(self, manifest: dict[str, Any]) -> None:
        """Write the manifest (with the members' checksums), close, and give the archive its name."""
        document = {**manifest, "members": self.members}
        data = json.dumps(document, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = int(manifest.get("created_at_epoch", 0))
        self.tar.addfile(info, io.BytesIO(data))
        self.tar.close()
        with self.partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(self.partial, self.path)

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:
            self.tar.close()
            self.partial.unlink(missing_ok=True)


def manifest_read(path: Path) -> dict[str, Any]:
    """The manifest of the archive at ``path``; ``BackupRefused`` when it is not an sswis backup."""
    try:
        with tarfile.open(path, "r:*") as tar:
            try:
                member = tar.getmember(MANIFEST)
            except KeyError:
                raise BackupRefused(
                    _("%(path)s is not an sswis backup: it has no manifest.json.") % {"path": path}
                ) from None
            handle = tar.extractfile(member)
            assert handle is not None
            manifest: dict[str, Any] = json.loads(handle.read())
    except (tarfile.TarError, OSError, ValueError) as problem:
        raise BackupRefused(
            _("%(path)s cannot be read as an sswis backup (%(problem)s).")
            % {"path": path, "problem": problem}
        ) from problem
    if manifest.get("format") != FORMAT:
        raise BackupRefused(_("%(path)s is not an sswis backup.") % {"path": path})
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupRefused(
            _(
                "%(path)s is a backup of format %(found)s; this sswis reads format %(known)s and older. "
                "Restore it with the sswis version that made it (%(version)s) or a newer one."
            )
            % {
                "path": path,
                "found": manifest.get("format_version"),
                "known": FORMAT_VERSION,
                "version": manifest.get("sswis_version", "?"),
            }
        )
    return manifest


def archive_extract(*, path: Path, manifest: dict[str, Any], target: Path) -> None:
    """Extract every member of the archive into the folder ``target``, checking each against the
    manifest (SHA-256 and size); a member missing, extra, changed or with an unsafe name raises
    ``BackupRefused``. ``target`` must be empty; the caller removes it on failure."""
    expected: dict[str, dict[str, Any]] = manifest.get("members", {})
    seen: set[str] = set()
    with tarfile.open(path, "r:*") as tar:
        for member in _members(tar):
            if member.name == MANIFEST:
                continue
            name = member.name
            destination = (target / name).resolve()
            if (
                not member.isfile()
                or name not in expected
                or not destination.is_relative_to(target.resolve())
            ):
                raise BackupRefused(
                    _("The backup holds %(name)s, which its manifest does not list: it was altered.")
                    % {"name": name}
                )
            destination.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            source = tar.extractfile(member)
            assert source is not None
            with destination.open("wb") as written:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    written.write(chunk)
            if digest.hexdigest() != expected[name]["sha256"] or member.size != expected[name]["size"]:
                raise BackupRefused(
                    _("%(name)s in the backup does not match its checksum: the backup is damaged.")
                    % {"name": name}
                )
            seen.add(name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupRefused(
            _("The backup is incomplete: %(names)s missing.") % {"names": ", ".join(missing[:5])}
        )


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    try:
        yield from tar
    except (tarfile.TarError, EOFError) as problem:
        raise BackupRefused(_("The backup is damaged (%(problem)s).") % {"problem": problem}) from problem
