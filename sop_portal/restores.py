"""Restoring a backup archive (``sop_portal.backups``): ``manage.py restore ARCHIVE [--force]``.

Order, so that a bad archive changes nothing: read the manifest, check every member against it
(SHA-256 and size; nothing in the archive but what the manifest lists), check the targets are
empty (else refuse, unless ``--force``), stage the files beside their folders; only then wipe
(with ``--force``), ``pg_restore`` in one transaction, move the staged files into place, and
verify: the row count of every table and the hash of every file against the manifest.

Stop the web server and the worker first: they would write during the restore (and hold locks
that make the wipe wait)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection

from .backups import (
    CHUNK,
    DUMP,
    MANIFEST,
    BackupError,
    _files_under,
    _libpq_env,
    find_tools,
    read_manifest,
    server_major,
    table_counts,
)


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    mismatches: list[str] = field(default_factory=list)


def target_roots() -> dict[str, Path]:
    """Where each root of an archive goes in this installation."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Unsafe path in the archive: {name!r}.")
    return path


def _copy_checked(source, destination: Path, expected: dict) -> None:
    sha256, size = hashlib.sha256(), 0
    with destination.open("wb") as output:
        while chunk := source.read(CHUNK):
            sha256.update(chunk)
            size += len(chunk)
            output.write(chunk)
    if sha256.hexdigest() != expected["sha256"] or size != expected["size"]:
        raise BackupError(f"{expected['path']} does not match the manifest: archive damaged.")


def database_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0] == 0


def _wipe_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


def restore(archive_path: Path, *, force: bool = False) -> RestoreReport:
    """Restore ``archive_path`` into the configured database and file folders."""
    if connection.in_atomic_block:
        raise BackupError("A restore needs its own connection (run it outside a transaction).")
    manifest = read_manifest(archive_path)
    if settings.OBJECT_STORAGE and manifest["files"]:
        # The files would land in MEDIA_ROOT, which no replica reads: say so, change nothing.
        raise BackupError(
            "This archive holds files but this installation keeps them in a bucket "
            f"({settings.AWS_STORAGE_BUCKET_NAME}): restore it where the files are on disk, "
            "or copy the archive's files/ into the bucket and restore the database only."
        )
    roots = target_roots()
    entries = {manifest["dump"]["path"]: manifest["dump"]}
    for entry in manifest["files"]:
        if entry["root"] not in roots:
            raise BackupError(f"Unknown file root {entry['root']!r} in the manifest.")
        prefix = f"files/{entry['root']}/"
        if not entry["path"].startswith(prefix):
            raise BackupError(f"Unexpected path {entry['path']!r} in the manifest.")
        _safe_relative(entry["path"][len(prefix) :])
        entries[entry["path"]] = entry
    if not force:
        if not database_is_empty():
            raise BackupError(
                "The database is not empty: restore into an empty database, or pass --force "
                "to wipe it first."
            )
        used = [name for name, root in roots.items() if _files_under(root)]
        if used:
            raise BackupError(
                f"The file folders are not empty ({', '.join(used)}): pass --force to replace."
            )
    tools = find_tools(max(server_major(), int(manifest.get("pg_dump_major") or 0)))

    # Staged outside every root (a root may lie inside another), beside the outermost one so
    # that moving into place is a rename on the same file system.
    outermost = min(roots.values(), key=lambda root: len(root.resolve().parts))
    work = Path(tempfile.mkdtemp(prefix=".sop-restore-", dir=_parent(outermost)))
    try:
        staging = {name: work / "files" / name for name in roots}
        for folder in staging.values():
            folder.mkdir(parents=True)
        dump = work / DUMP
        _unpack(archive_path, entries, dump, staging)
        if force:
            _wipe_database()
        connection.close()  # pg_restore is another session; Django reconnects after
        result = subprocess.run(
            [str(tools.pg_restore), "--no-owner", "--no-acl", "--exit-on-error",
             "--single-transaction", f"--dbname={connection.settings_dict['NAME']}",
             str(dump)],
            env=_libpq_env(), capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        _move_into_place(roots, staging)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return verify(manifest)


def _parent(root: Path) -> Path:
    root.parent.mkdir(parents=True, exist_ok=True)
    return root.parent


def _unpack(archive_path: Path, entries: dict, dump: Path, staging: dict[str, Path]) -> None:
    seen = set()
    with tarfile.open(archive_path, "r:") as archive:
        for member in archive:
            if member.name == MANIFEST:
                continue
            entry = entries.get(member.name)
            if entry is None or not member.isfile() or member.name in seen:
                raise BackupError(f"{member.name!r} is not in the manifest: archive damaged.")
            seen.add(member.name)
            if member.name == DUMP:
                destination = dump
            else:
                relative = _safe_relative(member.name[len(f"files/{entry['root']}/") :])
                destination = staging[entry["root"]].joinpath(*relative.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
            _copy_checked(archive.extractfile(member), destination, entry)
    missing = set(entries) - seen
    if missing:
        raise BackupError(f"{len(missing)} files of the manifest are missing from the archive.")


def _move_into_place(roots: dict[str, Path], staging: dict[str, Path]) -> None:
    resolved = {name: root.resolve() for name, root in roots.items()}
    # Outer folders first: a private root inside the media root is placed after it.
    for name in sorted(roots, key=lambda n: len(resolved[n].parts)):
        root, staged = roots[name], staging[name]
        nested = any(
            other != name and resolved[name].is_relative_to(resolved[other]) for other in roots
        )
        if nested and not any(staged.iterdir()):
            continue  # its files came with the outer root's (the backup was made that way)
        if root.exists():
            shutil.rmtree(root)
        root.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staged, root)


def verify(manifest: dict) -> RestoreReport:
    """Compare the database and the files with ``manifest``: row count per table, hash per
    file."""
    report = RestoreReport()
    counts = table_counts()
    for table, expected in manifest["tables"].items():
        actual = counts.get(table)
        if actual != expected:
            report.mismatches.append(f"table {table}: {actual} rows, expected {expected}")
    report.tables, report.rows = len(counts), sum(counts.values())
    roots = target_roots()
    for entry in manifest["files"]:
        relative = entry["path"][len(f"files/{entry['root']}/") :]
        path = roots[entry["root"]].joinpath(*PurePosixPath(relative).parts)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            report.mismatches.append(f"file {entry['path']}: missing")
            continue
        if digest != entry["sha256"]:
            report.mismatches.append(f"file {entry['path']}: hash differs")
        report.files += 1
    return report
