"""The backup drill: data and stored files, ``manage.py backup``, wipe (the database's tables
and the files), ``manage.py restore``, and the same rows per table and the same file hashes
as before; a damaged archive or a non-empty target is refused with nothing changed."""

import hashlib
import io
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User
from permits.models import ApplicationDocument, Notification
from sop_portal import backups
from tests.permits.lifecycle.kit import cast, submitted, two_opd  # noqa: F401

from .factories import UserFactory


def file_hashes() -> dict[str, str]:
    hashes = {}
    for root in {Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)}:
        for path in root.rglob("*"):
            if path.is_file():
                hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def row_counts() -> dict[str, int]:
    # Counted here, independently of the code under test.
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(row[0] for row in cursor.fetchall())
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def wipe() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def data(transactional_db, two_opd, cast):  # noqa: F811
    application = submitted(two_opd, cast.ani)
    assert ApplicationDocument.objects.filter(application=application).count() >= 2
    assert Notification.objects.exists()
    return application


def backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output_dir=tmp_path / "backups", stdout=out, stderr=io.StringIO())
    return Path(out.getvalue().strip())


def test_the_drill_backup_wipe_restore_gives_the_same_rows_and_files(data, tmp_path):
    before_rows, before_files = row_counts(), file_hashes()
    assert len(before_files) >= 2 and sum(before_rows.values()) > 0

    archive = backup(tmp_path)

    assert archive.name.startswith("sop-portal-") and archive.suffix == ".tar"
    manifest = backups.read_manifest(archive)
    assert manifest["tables"] == before_rows
    assert len(manifest["files"]) == len(before_files)
    assert sorted(e["sha256"] for e in manifest["files"]) == sorted(before_files.values())

    wipe()
    assert row_counts() == {} and file_hashes() == {}

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "all match the manifest" in out.getvalue()
    assert row_counts() == before_rows
    assert file_hashes() == before_files
    # The restored portal works: the ORM reads what was there, sequences go on after it.
    assert User.objects.filter(email="ani@contoh.id").exists()
    newcomer = UserFactory()
    assert newcomer.pk > max(User.objects.exclude(pk=newcomer.pk).values_list("pk", flat=True))


def test_a_restore_over_data_is_refused_without_force_and_replaces_it_with_force(data, tmp_path):
    before_rows, before_files = row_counts(), file_hashes()
    archive = backup(tmp_path)
    UserFactory(email="later@contoh.id")
    stray = Path(settings.PRIVATE_MEDIA_ROOT) / "later.pdf"
    stray.write_bytes(b"%PDF-1.4 later")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    assert User.objects.filter(email="later@contoh.id").exists() and stray.exists()

    call_command("restore", str(archive), force=True, stdout=io.StringIO())

    assert row_counts() == before_rows
    assert file_hashes() == before_files
    assert not User.objects.filter(email="later@contoh.id").exists() and not stray.exists()


def test_a_damaged_archive_is_refused_and_nothing_is_changed(data, tmp_path):
    archive = backup(tmp_path)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source:
            content = source.extractfile(member).read()
            if member.name.startswith("files/"):
                content = content[:-1] + b"X"  # one byte of one document changed
            target.addfile(member, io.BytesIO(content))
    before_rows, before_files = row_counts(), file_hashes()

    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", str(damaged), force=True)

    assert row_counts() == before_rows and file_hashes() == before_files
