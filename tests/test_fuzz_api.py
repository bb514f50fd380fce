"""A bounded schemathesis run over the whole API (issue 16, item 6): every operation of the
drf-spectacular schema, as an anonymous caller, an applicant, a front-office officer and an
administrator (each with a real API token), with schema-conforming ("positive") and
schema-violating ("negative") requests; any 5xx fails the test.

In-process and deterministic: Django's WSGI handler, called in the test's thread (with the
connection-closing signal off, as Django's test client does, to keep the test's transaction),
Hypothesis derandomized, a fixed number of examples per operation and mode, no example
database. Each request runs inside
a savepoint that is rolled back, so every case meets the same data: a submitted application of
the applicant, its open check task, a draft, a published SOP, a decree, a complaint.
Throttles are lifted (``override_settings`` and no DRF throttle), so a thousand guesses are
served rather than counted.

Besides "never a 5xx", the run checks the contract where the schema promises something:
``status_code_conformance`` (the status is one the operation documents),
``content_type_conformance`` and ``response_schema_conformance``. Run
``FUZZ_EXAMPLES=50 pytest tests/test_fuzz_api.py`` for a longer run; the "figures" section
after the run gives the request counts."""

import functools
import json
import os
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from rest_framework.test import APIClient
from rest_framework.views import APIView
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS
from schemathesis.core.failures import FailureGroup

from feedback.complaints import file_complaint
from feedback.models import Complaint
from permits import lifecycle
from tests.factories import PASSWORD
from tests.permits.lifecycle.kit import akdp, cast, open_tasks, submitted  # noqa: F401
from workflows.models import Decree, SopVersion

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

#: Examples per operation and per generation mode (positive, negative).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))

ROLES = ["anonymous", "applicant", "staff", "administrator"]

# The checks that hold for every answer, whatever the data: no 5xx, a documented status, the
# documented media type, a body that matches the documented schema. (Checks that need the
# generated data to be *accepted* — e.g. a random id found — cannot hold for random ids and are
# not run.)
CHECK_NAMES = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    *os.environ.get("FUZZ_MORE_CHECKS", "").split(),
]


@functools.cache
def openapi_schema() -> dict:
    """The schema served at /api/schema/, as plain JSON (the generator's dict holds lazy
    translation strings)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(document, default=str))


@dataclass
class Tally:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: dict = field(default_factory=dict)


@pytest.fixture
def world(akdp, cast):  # noqa: F811
    """Objects for the path parameters to find: one of each kind the API addresses by id."""
    application = submitted(akdp, cast.ani)
    draft = lifecycle.create_draft(akdp, cast.ani)
    task = open_tasks(application)[0]
    version = SopVersion.objects.filter(sop__service=akdp).order_by("-number").first()
    complaint = file_complaint(
        category=Complaint.Category.values[0], text="Antrean lama sekali.", name="Warga"
    ).complaint
    decree = Decree.objects.first()
    return {
        "application": application,
        "draft": draft,
        "task": task,
        "version": version,
        "complaint": complaint,
        "decree": decree,
        "service": akdp,
    }


def known_path_parameters(path: str, world: dict) -> dict:
    """Existing objects for an operation's path parameters, so that the fuzzer also reaches
    past the 404 into the views' real work."""
    ids = {
        "/api/v1/applications/": world["application"].pk,
        "/api/v1/tasks/": world["task"].pk,
        "/api/v1/complaints/staff/": world["complaint"].pk,
        "/api/v1/sop-versions/": world["version"].pk,
        "/api/v1/decrees/": world["decree"].pk if world["decree"] else 1,
    }
    known = {
        "code": world["service"].code,
        "version": world["version"].number,
        "year": 2026,
        "token": "bukan-token",
    }
    for prefix, pk in ids.items():
        if path.startswith(prefix):
            known["id"] = pk
    return known


def token_for(user) -> str:
    """An API token through the one door that issues them."""
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def fuzz_operation(operation, world, headers, tally: Tally) -> None:
    checks = [check for check in CHECKS.get_all() if check.__name__ in CHECK_NAMES]
    assert len(checks) == len(CHECK_NAMES)
    app = WSGIHandler()
    path_names = {p["name"] for p in operation.definition.raw.get("parameters", [])}
    known = {
        name: value
        for name, value in known_path_parameters(operation.path, world).items()
        if "{" + name + "}" in operation.path and name in path_names
    }
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategies.append(operation.as_strategy(generation_mode=mode))
        if known:
            strategies.append(operation.as_strategy(generation_mode=mode, path_parameters=known))

    @hypothesis.settings(
        max_examples=EXAMPLES * 2,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=st.one_of(strategies))
    def run(case):
        try:
            with transaction.atomic():
                response = case.call(app=app, headers=headers)
                transaction.set_rollback(True)
        except Exception as exc:  # an exception escaping the handler is a 500 too
            tally.failures.setdefault(operation.label, f"exception: {exc!r}")
            return
        tally.requests += 1
        tally.statuses[response.status_code // 100] += 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except FailureGroup as group:
            tally.failures.setdefault(operation.label, str(group)[:1500])

    run()


@contextmanager
def kept_transaction():
    """Django's WSGI handler closes the database connection after each request, and with it
    the test's transaction; the test client's handler disconnects the same signal."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_answers_a_5xx_or_off_its_contract(
    role,
    world,
    cast,  # noqa: F811
    record_property,
):
    users = {"applicant": cast.ani, "staff": cast.budi, "administrator": cast.eko}
    headers = {"Authorization": f"Token {token_for(users[role])}"} if role in users else {}
    schema = schemathesis.openapi.from_dict(openapi_schema())
    tally = Tally()
    with (
        override_settings(TRACKING_MAX_ATTEMPTS=10**9),
        pytest.MonkeyPatch.context() as patch,
        kept_transaction(),
    ):
        # DRF binds its throttle rates at import time; no throttle at all is the sure way.
        patch.setattr(APIView, "get_throttles", lambda self: [])
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in operations:
            fuzz_operation(operation, world, headers, tally)

    record_property(
        "figure",
        f"fuzz[{role}]: {len(operations)} operations, {tally.requests} requests, "
        f"statuses {dict(sorted(tally.statuses.items()))}, {len(tally.failures)} failing",
    )
    assert len(operations) >= 70
    assert tally.requests >= len(operations) * EXAMPLES
    report = "\n\n".join(f"{label}\n{text}" for label, text in tally.failures.items())
    assert not tally.failures, f"{len(tally.failures)} operations failing:\n{report}"
