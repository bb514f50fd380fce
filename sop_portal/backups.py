"""Backups that restore: the database (``pg_dump`` custom format) and the stored files, in one
timestamped tar with a manifest (``manage.py backup`` / ``manage.py restore``).

The archive ``sop-portal-<UTC time>.tar`` holds:

- ``database.dump``: ``pg_dump --format=custom`` of the configured database;
- ``files/<root>/…``: every file under ``MEDIA_ROOT`` (and ``PRIVATE_MEDIA_ROOT`` when it lies
  elsewhere), as stored;
- ``manifest.json``: when, which server and tools, the SHA-256 and size of the dump and of every
  file, and the row count of every table.

Consistency: the row counts and the dump come from one snapshot (a REPEATABLE READ transaction
exports it with ``pg_export_snapshot()``; ``pg_dump --snapshot`` dumps exactly that state, see
the pg_dump reference, option ``--snapshot``). The files are copied *after* the snapshot: a file
is written before the row that names it commits, so every file a dumped row names is already
on disk (a file removed between the two is reported missing by the manifest check of a
restore; files without a row are strays, as after any crash).

Which ``pg_dump``: its major version must be at least the server's (pg_dump refuses a newer
server), and its output is meant for servers of its own version or newer (PostgreSQL mailing
list, Tom Lane: "version M.N can dump from servers of versions <= M.N, but the dump it produces
is meant to load into server versions >= M.N"), so the *oldest* one that is new enough is used:
the machine's (``/usr/lib/postgresql/*/bin``, ``PATH``) or the one in the ``pgserver`` wheel (16).
``pg_restore`` comes from the same folder."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

FORMAT = "sop-portal-backup/1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing was changed (or, for a restore, the
    message says what was)."""


@dataclass(frozen=True)
class Tools:
    pg_dump: Path
    pg_restore: Path
    major: int


def _major_of(binary: Path) -> int | None:
    try:
        output = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", output)
    return int(match.group(1)) if match else None


def _candidate_folders() -> list[Path]:
    folders = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    on_path = shutil.which("pg_dump")
    if on_path:
        folders.append(Path(on_path).resolve().parent)
    try:
        import pgserver

        folders.append(Path(pgserver.__file__).parent / "pginstall" / "bin")
    except ImportError:
        pass
    return folders


def find_tools(server_major: int) -> Tools:
    """The oldest ``pg_dump``/``pg_restore`` pair whose major version is at least
    ``server_major``."""
    found: dict[int, Tools] = {}
    for folder in _candidate_folders():
        dump, restore = folder / "pg_dump", folder / "pg_restore"
        if dump.is_file() and restore.is_file():
            major = _major_of(dump)
            if major is not None and major >= server_major:
                found.setdefault(major, Tools(dump, restore, major))
    if not found:
        raise BackupError(
            f"No pg_dump of PostgreSQL {server_major} or newer was found; install "
            f"postgresql-client-{server_major} (or newer)."
        )
    return found[min(found)]


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _libpq_env() -> dict[str, str]:
    """The connection of Django's default database as libpq variables (the password never on
    a command line)."""
    params = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGDATABASE", "NAME"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
    ):
        value = params.get(key)
        if value:
            env[variable] = str(value)
        else:
            env.pop(variable, None)
    if sslmode := (params.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return env


def file_roots() -> dict[str, Path]:
    """The folders whose files are backed up, by name in the archive; a root inside another
    is covered by that one. None with object storage: the bucket keeps the files (its own
    versioning and replication back them up, README "Several machines"), the archive holds
    the database only and says so in its manifest (``object_storage``)."""
    if settings.OBJECT_STORAGE:
        return {}
    roots = {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}
    resolved = {name: root.resolve() for name, root in roots.items()}
    if resolved["private"].is_relative_to(resolved["media"]):
        del roots["private"]
    return roots


def _files_under(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def table_counts() -> dict[str, int]:
    """Rows per table of the public schema, in the current transaction's snapshot."""
    from psycopg import sql

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("public", table))
            cursor.execute(query.as_string(cursor.connection))
            counts[table] = cursor.fetchone()[0]
    return counts


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, stream: IO[bytes]):
        self.stream, self.sha256 = stream, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.sha256.update(data)
        return data


def _add(archive: tarfile.TarFile, path: Path, name: str) -> dict:
    with path.open("rb") as stream:
        info = archive.gettarinfo(fileobj=stream, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        hashing = _Hashing(stream)
        archive.addfile(info, hashing)
    return {"path": name, "size": info.size, "sha256": hashing.sha256.hexdigest()}


def backup(output_dir: Path) -> Path:
    """Write a backup archive into ``output_dir``; returns its path. The archive appears
    only when complete (written under a temporary name, then renamed)."""
    if connection.in_atomic_block:
        raise BackupError("A backup needs its own transaction (run it outside any other).")
    output_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    target = output_dir / f"sop-portal-{now:%Y%m%dT%H%M%SZ}.tar"
    if target.exists():
        raise BackupError(f"{target} exists already.")
    major = server_major()
    tools = find_tools(major)
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        dump = Path(work) / DUMP
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            counts = table_counts()
            # pg_dump runs while this transaction (and so its snapshot) stays open.
            result = subprocess.run(
                [str(tools.pg_dump), "--format=custom", f"--snapshot={snapshot}",
                 f"--file={dump}"],
                env=_libpq_env(), capture_output=True, text=True,
            )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            dump_entry = _add(archive, dump, DUMP)
            files = []
            for name, root in file_roots().items():
                for path in _files_under(root):
                    relative = path.relative_to(root).as_posix()
                    files.append({"root": name, **_add(archive, path, f"files/{name}/{relative}")})
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "database": connection.settings_dict["NAME"],
                "server_major": major,
                "pg_dump": str(tools.pg_dump),
                "pg_dump_major": tools.major,
                "dump": dump_entry,
                "tables": counts,
                "files": files,
                "object_storage": settings.AWS_STORAGE_BUCKET_NAME or None,
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            archive.addfile(info, _BytesReader(data))
        partial.rename(target)
    return target


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:") as archive:
            member = archive.getmember(MANIFEST)
            manifest = json.load(archive.extractfile(member))
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{path} is not a readable backup archive: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}.")
    return manifest
