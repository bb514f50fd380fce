"""Stored files follow the rows that name them: a file written inside a transaction that rolls
back is removed, a row deleted (or given another file) loses its file once the change is
committed, and :func:`stray_files` finds what no row names (``manage.py remove_stray_files``).

A file is written before the row that names it is saved (``FieldFile.save``), so it exists on
disk while its transaction is open; nobody can reach it then (no row names it, private files
have no URL, the name is random). The storages note every file they write inside an atomic
block, with an ``on_commit`` callback that forgets it once the transaction commits; Django
drops that callback when the block (or the savepoint it was written in) rolls back, so a file
still noted once the connection has left its atomic blocks belongs to a rolled-back
transaction and is deleted — at the end of every request and task, and at the end of
:func:`atomic` blocks. A process killed mid-request leaves its file to the stray sweep, which
spares files younger than ``STRAY_FILE_GRACE_SECONDS`` (an upload still in flight)."""

import contextlib
import dataclasses
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone

PENDING = "_files_written_in_transaction"  # attribute of the connection, a per-thread object


def note_written(storage: Storage, name: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that ``storage`` wrote ``name``: it is kept when the current transaction
    commits and deleted when it rolls back (nothing to do in autocommit)."""
    connection = connections[using]
    if not connection.in_atomic_block:
        return
    pending: list = connection.__dict__.setdefault(PENDING, [])
    entry = (storage, name)
    pending.append(entry)

    def committed() -> None:
        with contextlib.suppress(ValueError):
            pending.remove(entry)

    transaction.on_commit(committed, using=using)


def discard_rolled_back(using: str | None = None) -> list[str]:
    """Delete the files written by transactions that rolled back (on every connection, or
    ``using``); nothing while a transaction is still open. Returns the names deleted."""
    deleted = []
    for alias in [using] if using else list(connections):
        connection = connections[alias]
        pending = connection.__dict__.get(PENDING)
        if not pending or connection.in_atomic_block:
            continue
        while pending:
            storage, name = pending.pop()
            storage.delete(name)
            deleted.append(name)
    return deleted


@contextlib.contextmanager
def atomic(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """``transaction.atomic()`` that removes, as soon as the outermost block has rolled back,
    the files written in it (request and task ends do so too; this is for commands)."""
    try:
        with transaction.atomic(using=using):
            yield
    finally:
        discard_rolled_back(using)


def delete_after_commit(files: list[tuple[Storage, str]]) -> None:
    """Delete ``files`` once the current transaction commits (at once in autocommit)."""
    if files:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


# --- Rows and their files ---------------------------------------------------------------


@functools.cache
def file_fields(model: type[models.Model]) -> tuple[models.FileField, ...]:
    """The file fields of ``model`` (asked on every save and delete: kept per class)."""
    return tuple(f for f in model._meta.concrete_fields if isinstance(f, models.FileField))


def _files_of(instance: models.Model) -> list[tuple[Storage, str]]:
    found = []
    for field in file_fields(type(instance)):
        value = getattr(instance, field.attname)
        if value:
            found.append((field.storage, str(value)))
    return found


def row_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """post_delete: the row's files go once the deletion is committed."""
    if file_fields(sender):
        delete_after_commit(_files_of(instance))


def row_saving(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """pre_save: a file replaced by another (a new proof of payment, a new logo) goes once
    the change is committed."""
    fields = file_fields(sender)
    if not fields or instance._state.adding or instance.pk is None or kwargs.get("raw"):
        return
    names = [f.attname for f in fields]
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        names = [n for n in names if n in update_fields]
        if not names:
            return
    before = sender._base_manager.filter(pk=instance.pk).values(*names).first()
    if not before:
        return
    replaced = []
    for field in fields:
        old, new = before.get(field.attname), str(getattr(instance, field.attname) or "")
        if old and old != new:
            replaced.append((field.storage, old))
    delete_after_commit(replaced)


# --- Strays -------------------------------------------------------------------------------
# The same sweep on disk and in a bucket: a storage is a "place" (a folder, or a bucket and a
# key prefix); its files are listed with their size and age, and named by their full path or
# key so that a storage nested in another (private under MEDIA_ROOT) is counted once.


@dataclass(frozen=True)
class Stray:
    path: Path | str  # where it is, for people: the file's path, or s3://bucket/key
    size: int
    storage: Storage = dataclasses.field(compare=False, hash=False, repr=False, default=None)  # type: ignore[assignment]
    name: str = dataclasses.field(compare=False, hash=False, default="")


def _place(storage: Storage) -> tuple | None:
    """Which folder or bucket prefix ``storage`` keeps its files in (None: not sweepable)."""
    from .object_storage import is_object_storage

    if is_object_storage(storage):
        prefix = storage.location.strip("/")  # type: ignore[attr-defined]
        return ("s3", storage.endpoint_url, storage.bucket_name, prefix)  # type: ignore[attr-defined]
    location = getattr(storage, "location", None)
    return ("file", Path(location).resolve()) if location else None


def _full(place: tuple, name: str) -> str:
    """The one spelling of a stored file across storages: a resolved path, or a bucket key."""
    if place[0] == "file":
        return str((place[1] / name).resolve())
    return "/".join(part for part in (place[3], name.strip("/")) if part)


def _inside(full: str, place: tuple, others: list[tuple]) -> bool:
    """Whether ``full`` lies in the root of another, nested storage of the same disk/bucket."""
    for other in others:
        if other[:-1] != place[:-1] or other == place:
            continue
        root = str(other[-1])
        if full.startswith(root.rstrip("/") + "/") and len(root) > len(str(place[-1])):
            return True
    return False


def _scanned_folders() -> dict[tuple, tuple[Storage, set[str]]]:
    """The folders the portal's uploads go to, by place: the whole root of a storage
    whose file names come from a function (the private storage), the fixed folder of a string
    ``upload_to`` otherwise (so nothing else kept under MEDIA_ROOT is touched)."""
    folders: dict[tuple, tuple[Storage, set[str]]] = {}
    for model in apps.get_models():
        for file_field in file_fields(model):
            place = _place(file_field.storage)
            if place is None:
                continue
            upload_to = file_field.upload_to
            folder = ""
            if not callable(upload_to):
                # The fixed part of the pattern: "rendered/%Y/%m/" -> "rendered".
                fixed = []
                for part in str(upload_to).split("/"):
                    if not part or "%" in part:
                        break
                    fixed.append(part)
                folder = "/".join(fixed)
                if not folder:
                    continue  # files straight in the root: nothing safe to sweep
            folders.setdefault(place, (file_field.storage, set()))[1].add(folder)
    return folders


def _referenced() -> set[str]:
    names: set[str] = set()
    for model in apps.get_models():
        for file_field in file_fields(model):
            place = _place(file_field.storage)
            if place is None:
                continue
            rows = model._base_manager.exclude(**{file_field.attname: ""}).values_list(
                file_field.attname, flat=True
            )
            names.update(_full(place, name) for name in rows.iterator() if name)
    return names


def _listed(place: tuple, storage: Storage, top: str) -> Iterator[tuple[str, int, float]]:
    """``(name relative to the storage, size, modified as a timestamp)`` under ``top``."""
    if place[0] != "file":
        for name, size, modified in storage.walk(top):  # type: ignore[attr-defined]
            yield name, size, modified.timestamp()
        return
    root: Path = place[1]
    base = root / top if top else root
    if not base.is_dir():
        return
    for directory, _subdirs, files in os.walk(base):
        here = Path(directory).resolve()
        for filename in files:
            path = here / filename
            stat = path.lstat()
            yield path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime


def stray_files(grace_seconds: int | None = None) -> list[Stray]:
    """Files under the upload folders that no row names, older than the grace period."""
    grace = settings.STRAY_FILE_GRACE_SECONDS if grace_seconds is None else grace_seconds
    cutoff = timezone.now().timestamp() - grace
    referenced = _referenced()
    folders = _scanned_folders()
    places = list(folders)
    found = []
    for place, (storage, tops) in folders.items():
        for top in sorted(tops):
            for name, size, modified in _listed(place, storage, top):
                full = _full(place, name)
                # Another storage's root inside this one (private under MEDIA_ROOT) is its own.
                if full in referenced or modified > cutoff or _inside(full, place, places):
                    continue
                where: Path | str = Path(full) if place[0] == "file" else storage.describe(name)  # type: ignore[attr-defined]
                found.append(Stray(where, size, storage, name))
    return sorted(set(found), key=lambda s: str(s.path))


def remove(strays: list[Stray]) -> int:
    """Delete ``strays``; the bytes freed."""
    freed = 0
    for stray in strays:
        if stray.storage is None:  # a hand-made Stray: a path on disk
            with contextlib.suppress(FileNotFoundError):
                Path(stray.path).unlink()
                freed += stray.size
            continue
        if stray.storage.exists(stray.name):
            stray.storage.delete(stray.name)
            freed += stray.size
    return freed


def connect() -> None:
    """Plug the keeping of files into Django and Celery (``PermitsConfig.ready``)."""
    from celery.signals import task_postrun
    from django.core.signals import request_finished
    from django.db.models.signals import post_delete, pre_save

    post_delete.connect(row_deleted, dispatch_uid="filekeeping.row_deleted")
    pre_save.connect(row_saving, dispatch_uid="filekeeping.row_saving")
    request_finished.connect(_discard, dispatch_uid="filekeeping.request_finished")
    task_postrun.connect(_discard, dispatch_uid="filekeeping.task_postrun", weak=False)


def _discard(**kwargs: Any) -> None:
    discard_rolled_back()
