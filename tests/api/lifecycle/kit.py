"""Shortcuts of the lifecycle API tests: file uploads and driving an application by API."""

from django.core.files.uploadedfile import SimpleUploadedFile

from permits.models import Application
from tests.permits.lifecycle.kit import PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name: str = "dokumen.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def upload_all(client, application_id: int, service) -> None:
    for requirement in service.requirements.filter(mandatory=True):
        response = client.post(
            f"/api/v1/applications/{application_id}/documents/",
            {"requirement": requirement.code, "file": pdf(f"{requirement.code}.pdf")},
            format="multipart",
        )
        assert response.status_code == 201, response.content


def submit_by_api(client, service) -> tuple[Application, dict]:
    """A draft created, filled and submitted through the API; (application, submit body)."""
    response = client.post("/api/v1/applications/", {"service": service.code}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    upload_all(client, pk, service)
    response = client.post(f"/api/v1/applications/{pk}/submit/")
    assert response.status_code == 200, response.content
    return Application.objects.get(pk=pk), response.json()
