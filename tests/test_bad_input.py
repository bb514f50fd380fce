"""Bad input is a 400 with a message, never a 500 (``sop_portal.bad_input``): NUL bytes in the
address, JSON nested without end or holding a NUL, and a non-numeric id in an API route."""

import pytest
from rest_framework.test import APIClient

from sop_portal.bad_input import inspect

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/lacak/?number=%00",
        "/layanan/%00/",
        "/api/v1/services/?search=a%00b",
        "/pengaduan/lacak/?number=ADU%00",
    ],
)
def test_a_nul_byte_in_the_address_is_a_400_with_a_message(client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_json_body_nested_without_end_is_a_400(db):
    body = "[" * 100_000 + "]" * 100_000

    response = APIClient().post("/api/v1/complaints/track/", body, content_type="application/json")

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_a_json_body_nested_past_the_limit_is_a_400(settings):
    settings.JSON_MAX_DEPTH = 8
    body = '{"number": ' + "[" * 9 + "]" * 9 + "}"

    response = APIClient().post("/api/v1/complaints/track/", body, content_type="application/json")

    assert response.status_code == 400
    assert "8" in response.json()["detail"]


def test_a_nul_in_a_json_string_is_a_400():
    response = APIClient().post(
        "/api/v1/complaints/track/",
        '{"number": "ADU\\u0000", "access_code": "x"}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_a_non_numeric_id_in_an_api_route_is_a_404(admin_client):
    assert admin_client.get("/api/v1/document-jobs/abc/file/").status_code == 404
    assert admin_client.get("/api/v1/decrees/x1/").status_code == 404


def test_inspect_measures_depth_and_finds_nuls_in_keys_and_values():
    assert inspect({"a": [1, {"b": "c"}]}, 32) == (3, False)
    assert inspect({"a\x00": 1}, 32) == (1, True)
    assert inspect(["ok", ["x\x00"]], 32) == (2, True)
    assert inspect([[[[[]]]]], 3)[0] > 3


def test_the_api_takes_no_http_basic_password(ani):
    ani.set_password("rahasia-ani-123")
    ani.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic YW5pQGNvbnRvaC5pZDpyYWhhc2lhLWFuaS0xMjM=")

    response = client.get("/api/v1/applications/")

    assert response.status_code in (401, 403)


def test_an_unrouted_api_address_is_a_json_404(client):
    response = client.get("/api/v1/tasks/abc/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unrouted_page_is_still_the_portals_404_page(client):
    response = client.get("/tidak-ada-halaman-ini/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_errors_every_operation_can_answer():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    task = paths["/api/v1/tasks/{id}/claim/"]["post"]["responses"]
    assert {"400", "401", "403", "404"} <= set(task)
    tracking = paths["/api/v1/tracking/"]["post"]["responses"]
    assert "429" in tracking  # a throttled view
    agencies = paths["/api/v1/agencies/"]["get"]["responses"]
    assert "404" in agencies  # a page past the end of the list
    # The view's own 400, and the generic ones beside it.
    refused = agencies["400"]["content"]["application/json"]["schema"]["anyOf"]
    assert [r["$ref"].rsplit("/", 1)[1] for r in refused][-2:] == ["ApiError", "FieldErrors"]
    claim = task["400"]["content"]["application/json"]["schema"]["anyOf"]
    assert [r["$ref"].rsplit("/", 1)[1] for r in claim][-2:] == ["ApiError", "FieldErrors"]
