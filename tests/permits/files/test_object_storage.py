"""Stored files in an S3 bucket (Issue 14.5): the path upload → review → signed permit →
download runs against a local S3 double — moto's server mode on 127.0.0.1, a random port,
spoken to with real boto3 calls over HTTP — with nothing written to the local disk; private
objects have no URL and are streamed by the access-checked views; the files of a rolled-back
transaction and the strays are removed from the bucket as from a folder.

The moto server runs in a thread of the test process, so it shares the suite's travelled
clock: the objects' LastModified is the test's "now"."""

import datetime as dt
import hashlib
import io
import json
import tarfile
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse
from moto.server import ThreadedMotoServer
from rest_framework.test import APIClient

from permits import filekeeping
from permits.models import ApplicationDocument
from permits.object_storage import is_object_storage
from permits.storage import private_storage
from sop_portal import backups, restores
from tests.api.lifecycle.kit import submit_by_api
from tests.conftest import SIGNING_PASSPHRASE
from tests.permits.lifecycle.kit import PDF, pdf, the_task
from workflows import engine

pytestmark = pytest.mark.django_db

KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh private bucket, and the portal's storages pointed at it as settings.py does
    when AWS_STORAGE_BUCKET_NAME is set."""
    name = f"sop-portal-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **KEYS)
    client.create_bucket(Bucket=name)
    settings.OBJECT_STORAGE = True
    settings.AWS_STORAGE_BUCKET_NAME = name
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    settings.AWS_S3_REGION_NAME = REGION
    settings.AWS_S3_ACCESS_KEY_ID = KEYS["aws_access_key_id"]
    settings.AWS_S3_SECRET_ACCESS_KEY = KEYS["aws_secret_access_key"]
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_S3_SIGNATURE_VERSION = "s3v4"
    settings.AWS_DEFAULT_ACL = "public-read"  # a careless setting: must not reach the objects
    settings.AWS_QUERYSTRING_EXPIRE = 300
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "permits.object_storage.S3MediaStorage",
            "OPTIONS": {"location": "media"},
        },
        "private": {
            "BACKEND": "permits.object_storage.S3PrivateStorage",
            "OPTIONS": {"location": "private"},
        },
    }
    client.name = name
    yield client
    # A test inside a transaction that rolls back leaves its objects noted on the connection
    # (as on disk); they must not be swept by a later test, against a bucket long gone.
    for alias in connections:
        pending = connections[alias].__dict__.get(filekeeping.PENDING) or []
        pending[:] = [entry for entry in pending if not is_object_storage(entry[0])]


def keys(bucket, prefix: str = "") -> set[str]:
    answer = bucket.list_objects_v2(Bucket=bucket.name, Prefix=prefix)
    return {item["Key"] for item in answer.get("Contents", [])}


def object_bytes(bucket, key: str) -> bytes:
    return bucket.get_object(Bucket=bucket.name, Key=key)["Body"].read()


def files_on_disk(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_upload_review_and_permit_download_go_through_the_bucket(cast, two_opd, bucket, settings):
    # The applicant uploads her documents through the API.
    api = APIClient()
    api.force_authenticate(cast.ani)
    application, _ = submit_by_api(api, two_opd)
    documents = list(ApplicationDocument.objects.filter(application=application))
    assert len(documents) == 2
    stored = keys(bucket, "private/")
    assert stored == {f"private/{d.file.name}" for d in documents}
    for key in stored:
        assert object_bytes(bucket, key) == PDF
        grants = bucket.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
        assert all("URI" not in g["Grantee"] for g in grants), grants  # no AllUsers read
    with pytest.raises(ValueError, match="no URL"):
        documents[0].file.url  # noqa: B018 (the attribute raises)

    # The front office reviews a document: streamed by the portal, not a redirect.
    budi = Client()
    budi.force_login(cast.budi)
    response = budi.get(reverse("permits:staff_file", args=["document", documents[0].pk]))
    assert response.status_code == 200
    assert "Location" not in response and response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(len(PDF)) and body(response) == PDF
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    engine.complete(the_task(application, 3, "DISHUB"), cast.citra, data={"verdict": "recommend"})
    engine.complete(the_task(application, 3, "DLH"), cast.gita, data={"verdict": "recommend"})
    engine.complete(the_task(application, 4), cast.fajar, data={"verdict": "approve"})
    response = api.post(
        f"/api/v1/applications/{application.pk}/payment-proof/",
        {"file": pdf("bukti.pdf")},
        format="multipart",
    )
    assert response.status_code in (200, 201), response.content
    pay = the_task(application, 5)
    engine.complete(pay, cast.yusuf, data={"payment_code": pay.payment.billing_number})
    engine.complete(the_task(application, 6), cast.dewi, data={"passphrase": SIGNING_PASSPHRASE})

    # The signed permit is an object of the bucket, and the applicant downloads those bytes.
    permit = application.issued_documents.get()
    signed = object_bytes(bucket, f"private/{permit.file.name}")
    assert hashlib.sha256(signed).hexdigest() == permit.sha256
    ani = Client()
    ani.force_login(cast.ani)
    response = ani.get(reverse("permits:issued_document_download", args=[permit.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert body(response) == signed
    bayu = Client()
    bayu.force_login(cast.bayu)
    other = bayu.get(reverse("permits:issued_document_download", args=[permit.pk]))
    assert other.status_code == 404
    # Nothing of it was written on this machine's disk: another replica sees the same files.
    assert files_on_disk(settings) == []


def test_a_missing_object_is_a_404_not_an_error(cast, two_opd, bucket):
    api = APIClient()
    api.force_authenticate(cast.ani)
    application, _ = submit_by_api(api, two_opd)
    document = application.documents.first()
    bucket.delete_object(Bucket=bucket.name, Key=f"private/{document.file.name}")
    budi = Client()
    budi.force_login(cast.budi)
    response = budi.get(reverse("permits:staff_file", args=["document", document.pk]))
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_an_object_written_by_a_rolled_back_transaction_is_deleted(bucket):
    with pytest.raises(RuntimeError), filekeeping.atomic():
        name = private_storage.save("documents/2026/12/lost.pdf", ContentFile(b"%PDF-1.7"))
        assert f"private/{name}" in keys(bucket)
        raise RuntimeError("the row could not be saved")
    assert keys(bucket) == set()


def test_remove_stray_files_lists_and_deletes_unreferenced_objects(
    cast, two_opd, bucket, capsys, _suite_clock
):
    api = APIClient()
    api.force_authenticate(cast.ani)
    application, _ = submit_by_api(api, two_opd)
    referenced = keys(bucket, "private/")
    stray = private_storage.save("documents/2026/11/stray.pdf", ContentFile(b"%PDF-1.7 data"))
    bucket.put_object(Bucket=bucket.name, Key="media/hand-placed/logo.png", Body=b"x")
    _suite_clock.shift(dt.timedelta(hours=7))  # older than STRAY_FILE_GRACE_SECONDS (6 h)
    in_flight = private_storage.save("documents/2026/12/new.pdf", ContentFile(b"%PDF-1.7 new"))

    call_command("remove_stray_files", "--dry-run")
    listed = capsys.readouterr().out
    assert f"s3://{bucket.name}/private/{stray}" in listed and "1 stray file(s)" in listed
    assert in_flight not in listed

    call_command("remove_stray_files")
    assert "1 stray file(s) deleted" in capsys.readouterr().out
    assert keys(bucket) == referenced | {"media/hand-placed/logo.png", f"private/{in_flight}"}
    assert application.documents.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_backup_with_a_bucket_holds_the_database_and_names_the_bucket(
    cast, two_opd, bucket, tmp_path, settings
):
    api = APIClient()
    api.force_authenticate(cast.ani)
    submit_by_api(api, two_opd)
    archive = backups.backup(tmp_path)
    manifest = backups.read_manifest(archive)
    assert manifest["files"] == [] and manifest["object_storage"] == bucket.name
    assert manifest["tables"]["permits_applicationdocument"] == 2
    # An archive holding files is refused here: they would land on a disk no replica reads.
    manifest["files"] = [{"root": "private", "path": "files/private/x.pdf"}]
    with_files = tmp_path / "with-files.tar"
    with tarfile.open(with_files, "w") as out:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo(backups.MANIFEST)
        info.size = len(data)
        out.addfile(info, io.BytesIO(data))
    with pytest.raises(backups.BackupError, match="keeps them in a bucket"):
        restores.restore(with_files, force=True)


def test_the_pdf_renderer_reads_public_media_from_the_bucket_never_a_private_object(
    bucket, settings
):
    from sop_portal.pdf import _stored_bytes

    bucket.put_object(Bucket=bucket.name, Key="media/logos/logo.png", Body=b"logo")
    bucket.put_object(Bucket=bucket.name, Key="private/documents/ktp.pdf", Body=b"%PDF ktp")
    assert _stored_bytes("/media/logos/logo.png") == b"logo"
    assert _stored_bytes("/media/../private/documents/ktp.pdf") is None
    assert _stored_bytes("/media/missing.png") is None
    # A media location of "" puts the private prefix within the default storage's reach.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "permits.object_storage.S3MediaStorage", "OPTIONS": {}},
    }
    assert _stored_bytes("/media/media/logos/logo.png") == b"logo"
    assert _stored_bytes("/media/private/documents/ktp.pdf") is None
