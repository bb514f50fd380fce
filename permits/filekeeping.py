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


@dataclass(frozen=True)
class Stray:
    path: Path
    size: int


def _storage_root(storage: Storage) -> Path | None:
    location = getattr(storage, "location", None)
    return Path(location).resolve() if location else None


def _scanned_folders() -> dict[Path, set[str]]:
    """The folders the portal's uploads go to, by storage root: the whole root of a storage
    whose file names come from a function (the private storage), the fixed folder of a string
    ``upload_to`` otherwise (so nothing else kept under MEDIA_ROOT is touched)."""
    folders: dict[Path, set[str]] = {}
    for model in apps.get_models():
        for field in file_fields(model):
            root = _storage_root(field.storage)
            if root is None:
                continue
            upload_to = field.upload_to
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
            folders.setdefault(root, set()).add(folder)
    return folders


def _referenced() -> set[Path]:
    names: set[Path] = set()
    for model in apps.get_models():
        for field in file_fields(model):
            root = _storage_root(field.storage)
            if root is None:
                continue
            rows = model._base_manager.exclude(**{field.attname: ""}).values_list(
                field.attname, flat=True
            )
            names.update((root / name).resolve() for name in rows.iterator() if name)
    return names


def stray_files(grace_seconds: int | None = None) -> list[Stray]:
    """Files under the upload folders that no row names, older than the grace period."""
    grace = settings.STRAY_FILE_GRACE_SECONDS if grace_seconds is None else grace_seconds
    cutoff = timezone.now().timestamp() - grace
    referenced = _referenced()
    folders = _scanned_folders()
    nested = set(folders)
    found = []
    for root, tops in folders.items():
        for top in sorted(tops):
            base = root / top if top else root
            if not base.is_dir():
                continue
            for directory, subdirs, files in os.walk(base):
                here = Path(directory).resolve()
                # Another storage's root inside this one (private under MEDIA_ROOT) is its own.
                subdirs[:] = [d for d in subdirs if (here / d).resolve() not in nested - {root}]
                for filename in files:
                    path = here / filename
                    stat = path.lstat()
                    if path in referenced or stat.st_mtime > cutoff:
                        continue
                    found.append(Stray(path, stat.st_size))
    return sorted(set(found), key=lambda s: s.path)


def remove(strays: list[Stray]) -> int:
    """Delete ``strays``; the bytes freed."""
    freed = 0
    for stray in strays:
        with contextlib.suppress(FileNotFoundError):
            stray.path.unlink()
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
