"""``sswis backup`` and ``sswis restore`` on a whole installation (the demo country), run as a user runs them:
in child processes, on the vendor of the test run (SQLite or PostgreSQL)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from tests.faults.installation import (
    POSTGRESQL,
    VENDOR,
    Installation,
    installation_drop,
    installation_empty,
    postgresql_connect,
)


def _leftovers(installation: Installation) -> list[str]:
    """Staging folders or databases a restore left behind (there must be none)."""
    found = [path.name for path in installation.data_dir.glob(".sswis-restore-*")]
    found += [path.name for path in installation.data_dir.glob(".*-before-restore-*")]
    if POSTGRESQL:
        with postgresql_connect() as server:
            rows = server.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s OR datname LIKE %s",
                (f"{installation.database}_restore_%", f"{installation.database}_before_%"),
            ).fetchall()
        found += [row[0] for row in rows]
    return found


def _manifest_rewrite(
    archive: Path, target: Path, change: dict[str, object], member: bytes | None = None
) -> None:
    """Copy ``archive`` to ``target`` with ``change`` applied to its manifest; with ``member``, the
    database member replaced by those bytes and its checksum made to match (a forged, consistent backup)."""
    import hashlib

    with tarfile.open(archive) as source:
        manifest = json.loads(source.extractfile("manifest.json").read())  # type: ignore[union-attr]
        manifest.update(change)
        with tarfile.open(target, "w") as written:
            for info in source.getmembers():
                if info.name == "manifest.json":
                    continue
                data = source.extractfile(info).read()  # type: ignore[union-attr]
                if member is not None and info.name == manifest["database_member"]:
                    data = member
                    manifest["members"][info.name] = {
                        "sha256": hashlib.sha256(data).hexdigest(),
                        "size": len(data),
                    }
                info.size = len(data)
                written.addfile(info, io.BytesIO(data))
            data = json.dumps(manifest).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            written.addfile(info, io.BytesIO(data))


def test_round_trip_gives_the_same_indicators_tables_and_files(
    installation: Installation, tmp_path: Path
) -> None:
    indicators, tables, files = installation.indicators(), installation.tables(), installation.files()
    archive = tmp_path / "sswis.tar.gz"
    made = installation.run("backup", str(archive))
    assert f"the {VENDOR} database" in made.stdout
    # The installation changes after the backup: a registration lapses, an uploaded file goes.
    installation.run("regulation_daily", "--date", "2031-01-01")
    removed = next(name for name in files if name.startswith("media/"))
    (installation.data_dir / removed).unlink()
    assert installation.tables() != tables
    refused = installation.run("restore", str(archive), check=False)
    assert refused.returncode == 1
    assert "already holds data" in refused.stderr and "--force" in refused.stderr
    restored = installation.run("restore", str(archive), "--force")
    assert "Restored the backup of" in restored.stdout
    assert installation.indicators() == indicators
    assert installation.tables() == tables
    assert installation.files() == files
    assert _leftovers(installation) == []


def test_restore_into_a_new_installation(installation: Installation, tmp_path: Path) -> None:
    indicators, tables = installation.indicators(), installation.tables()
    archive = tmp_path / "sswis.tar"
    installation.run("backup", str(archive))
    fresh = installation_empty(tmp_path)
    try:
        fresh.run("restore", str(archive))  # an empty database needs no --force
        assert fresh.indicators() == indicators
        assert fresh.tables() == tables
        assert fresh.files() == installation.files()
    finally:
        installation_drop(fresh)


def test_a_newer_schema_is_refused(installation: Installation, tmp_path: Path) -> None:
    installation.execute(
        "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
        ("registry", "9999_from_the_future", "2030-01-01 00:00:00"),
    )
    archive = tmp_path / "future.tar"
    installation.run("backup", str(archive))
    fresh = installation_empty(tmp_path)
    try:
        refused = fresh.run("restore", str(archive), check=False)
        assert refused.returncode == 1
        assert "newer schema" in refused.stderr and "registry.9999_from_the_future" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert fresh.tables() == {}
    finally:
        installation_drop(fresh)


def test_an_older_schema_is_migrated_forward(installation: Installation, tmp_path: Path) -> None:
    indicators = installation.indicators()
    # The DHIS2 app's tables unmade (no other app depends on them): a database of an older schema.
    installation.run("migrate", "dhis2", "zero", "--no-input")
    archive = tmp_path / "older.tar"
    installation.run("backup", str(archive))
    fresh = installation_empty(tmp_path)
    try:
        restored = fresh.run("restore", str(archive))
        assert "Migrated forward: dhis2.0001_initial" in restored.stdout
        assert "dhis2_orgunitmapping" in fresh.tables()
        assert fresh.indicators() == indicators
    finally:
        installation_drop(fresh)


def test_a_damaged_backup_is_refused_and_changes_nothing(installation: Installation, tmp_path: Path) -> None:
    archive = tmp_path / "sswis.tar"
    installation.run("backup", str(archive))
    data = bytearray(archive.read_bytes())
    data[len(data) // 3] ^= 0xFF  # a byte inside the database member
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    tables, files = installation.tables(), installation.files()
    refused = installation.run("restore", str(damaged), "--force", check=False)
    assert refused.returncode == 1
    assert "does not match its checksum" in refused.stderr or "damaged" in refused.stderr
    assert installation.tables() == tables and installation.files() == files
    assert _leftovers(installation) == []


def test_a_failing_restore_leaves_the_installation_as_it_was(
    installation: Installation, tmp_path: Path
) -> None:
    """A forged backup whose checksums match but whose database is not one: the restore fails while
    restoring into the staging copy; the database, the files and the staging area are as before."""
    archive = tmp_path / "sswis.tar"
    installation.run("backup", str(archive))
    forged = tmp_path / "forged.tar"
    _manifest_rewrite(archive, forged, {}, member=b"this is not a database" * 1000)
    tables, indicators, files = installation.tables(), installation.indicators(), installation.files()
    refused = installation.run("restore", str(forged), "--force", check=False)
    assert refused.returncode == 1, refused.stdout
    assert "Traceback" not in refused.stderr
    assert installation.tables() == tables and installation.indicators() == indicators
    assert installation.files() == files
    assert _leftovers(installation) == []


def test_another_vendor_is_refused_with_the_way_to_move(installation: Installation, tmp_path: Path) -> None:
    archive = tmp_path / "sswis.tar"
    installation.run("backup", str(archive))
    other = tmp_path / "other.tar"
    _manifest_rewrite(archive, other, {"vendor": "sqlite" if POSTGRESQL else "postgresql"})
    refused = installation.run("restore", str(other), "--force", check=False)
    assert refused.returncode == 1
    assert "docs/backup.md" in refused.stderr and f"configured for {VENDOR}" in refused.stderr


def test_not_a_backup_is_refused(installation: Installation, tmp_path: Path) -> None:
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as written:
        info = tarfile.TarInfo("notes.txt")
        written.addfile(info, io.BytesIO(b""))
    refused = installation.run("restore", str(other), check=False)
    assert refused.returncode == 1 and "not an sswis backup" in refused.stderr


@pytest.mark.skipif(not POSTGRESQL, reason="pg_dump is needed on PostgreSQL only")
def test_missing_postgresql_tools_are_named(installation: Installation, tmp_path: Path) -> None:
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    installation.extra_environment["PATH"] = str(bin_folder)
    refused = installation.run("backup", str(tmp_path / "sswis.tar"), check=False)
    assert refused.returncode == 1
    assert "pg_dump was not found on PATH" in refused.stderr
    assert not (tmp_path / "sswis.tar").exists() and not list(tmp_path.glob("*.partial"))


@pytest.mark.skipif(POSTGRESQL, reason="SQLite's online backup is used on SQLite only")
def test_sqlite_backup_is_one_self_contained_file(installation: Installation, tmp_path: Path) -> None:
    archive = tmp_path / "sswis.tar"
    installation.run("backup", str(archive))
    with tarfile.open(archive) as read:
        names = read.getnames()
        manifest = json.loads(read.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert names[0] == "database.sqlite3" and names[-1] == "manifest.json"
    assert manifest["vendor"] == "sqlite" and manifest["format_version"] == 1
    assert manifest["schema"]["latest"]["registry"]
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
