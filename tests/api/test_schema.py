"""The OpenAPI schema at /api/schema/ and the Swagger UI at /api/docs/ (assets served locally)."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from permits.api_examples import DOCUMENT_EXAMPLE
from permits.interchange import validate_document

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/agencies/": {"get"},
    "/api/v1/agencies/{code}/": {"get"},
    "/api/v1/services/": {"get"},
    "/api/v1/services/{code}/": {"get"},
    "/api/v1/services/{code}/sop/": {"get"},
    "/api/v1/services/{code}/sop-versions/": {"get"},
    "/api/v1/services/{code}/sop-document/": {"get"},
    "/api/v1/sop-documents/": {"post"},
}


def _generate(tmp_path, *options: str) -> dict:
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", *options, "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_the_schema_validates_and_documents_every_endpoint(tmp_path):
    schema = _generate(tmp_path)

    api_paths = {p: set(ops) for p, ops in schema["paths"].items() if p.startswith("/api/v1/")}
    # Other apps add their own endpoints; these are the catalogue and SOP-document ones.
    assert {p: api_paths.get(p) for p in ENDPOINTS} == ENDPOINTS
    services = schema["paths"]["/api/v1/services/"]["get"]
    assert {p["name"] for p in services["parameters"]} >= {"kind", "sector", "agency", "search"}
    assert (
        "Paginated" in services["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    imports = schema["paths"]["/api/v1/sop-documents/"]["post"]
    assert set(imports["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    refused = imports["responses"]["400"]["content"]["application/json"]
    # The view's own refusal, the generic one, or DRF's field errors (sop_portal.api_schema).
    refs = [option["$ref"] for option in refused["schema"]["anyOf"]]
    names = [ref.rsplit("/", 1)[1] for ref in refs]
    assert names == ["InvalidDocumentOutput", "ApiError", "FieldErrors"]
    assert refused["examples"]["Refused"]["value"]["problems"]
    assert {"201", "403"} <= set(imports["responses"])


def test_the_schema_has_no_warnings(tmp_path):
    # drf-spectacular names an enum after its field: the agency's and the service's `kind`
    # need ENUM_NAME_OVERRIDES in SPECTACULAR_SETTINGS (AgencyKindEnum, ServiceKindEnum).
    _generate(tmp_path, "--fail-on-warn")


def test_it_serves_the_schema(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert "/api/v1/sop-documents/" in response.content.decode()


def test_the_docs_use_local_assets_only(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    for url in urls:
        assert url.startswith("/static/") or url.startswith("/api/"), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    assert "//" not in " ".join(urls)


def test_the_docs_need_no_inline_script(client):
    response = client.get("/api/docs/")

    # The Content Security Policy allows scripts from this site only: an inline script would
    # leave the page blank. SpectacularSwaggerSplitView serves its script as a file.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode(), "use SpectacularSwaggerSplitView"


def test_the_documented_example_is_a_document_the_portal_accepts(dishub, dpmptsp):
    assert validate_document(DOCUMENT_EXAMPLE) == []
