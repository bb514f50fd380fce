"""Walk every URL of the project and every route of the API schema: nobody sees another
person's file. Each route is classified in ``ROUTES``; a route that is not fails the walk
until someone says who owns what it serves."""

import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from drf_spectacular.generators import SchemaGenerator

from agencies.models import Agency, Role
from permits.actions import issue
from permits.models import IssuedDocument
from tests.access_rules import ADMIN, APPLICATION, LIST, TASK, Rule, public
from tests.conftest import SIGNING_PASSPHRASE
from tests.factories import MembershipFactory, build_sop_version
from tests.feedback.routes import ROUTES as FEEDBACK_ROUTES
from tests.monitoring.routes import ROUTES as MONITORING_ROUTES
from tests.permits.lifecycle.kit import akdp, cast, submitted, the_task, two_opd  # noqa: F401
from workflows import engine

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sessions_in_cookies(settings):
    """The walk signs in some 1,800 times, a fresh client each time; in signed cookies a
    session costs no database round trips (who may see what does not depend on where the
    session is kept)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"


ROUTES: dict[str, Rule] = {
    # --- accounts, language, health, schema: no object of anyone ---
    "set_language": public("language switch"),
    "admin:login": public("the admin's sign-in form"),
    "admin:logout": public("sign-out"),
    "login": public("sign-in form"),
    "logout": public("sign-out"),
    "password_change": public("the signed-in user's own password"),
    "password_change_done": public("confirmation page"),
    "password_reset": public("reset form"),
    "password_reset_done": public("confirmation page"),
    "password_reset_confirm": public("signed one-time token"),
    "password_reset_complete": public("confirmation page"),
    "second_factor_verify": public("the signed-in user's own second factor"),
    "second_factor_enrol": public("the signed-in user's own second factor"),
    "health": public("health check"),
    "api-schema": public("OpenAPI schema"),
    "api-docs": public("Swagger UI"),
    "permits:register": public("registration form"),
    "permits:verify_sent": public("confirmation page"),
    "permits:verify_resend": public("resend form"),
    "permits:verify_email": public("signed one-time token"),
    "permits:claim_account": public("signed one-time token"),
    # --- public catalogue, tracking and verification: no personal data ---
    "permits:catalogue": public("public catalogue"),
    "permits:service_detail": public("public service"),
    "permits:apply": public("starts the signed-in user's own draft"),
    "permits:track": public("needs the number and the access code"),
    "permits:verify": public("unguessable token; authenticity only"),
    "api-agency-list": public("public agencies"),
    "api-agency-detail": public("public agency"),
    "api-service-list": public("public catalogue"),
    "api-service-detail": public("public service"),
    "api-service-sop": public("published SOP"),
    "api-service-sop-versions": public("published SOPs; drafts for administrators"),
    "api-service-sop-document": public("published SOPs; drafts for administrators"),
    "api-calendar": public("working-day calendar"),
    "api-auth-token": public("exchanges the caller's own credentials"),
    "api-lifecycle-tracking": public("needs the number and the access code"),
    "api-lifecycle-verify": public("unguessable token; authenticity only"),
    # --- lists of the signed-in user's own things ---
    "permits:my_applications": LIST,
    "permits:staff_inbox": LIST,
    # Staff only: the owner (an applicant) gets a 404 there, and nobody sees another's file.
    "permits:staff_search": Rule("list", owner_check=False),
    "permits:notifications": Rule("list", owner_check=False),
    "permits:notifications_read": Rule("list", owner_check=False),
    "api-application-list": LIST,
    "api-application-search": Rule("list", owner_check=False),
    "api-task-list": LIST,
    # --- one application of applicant A ---
    "permits:application_detail": APPLICATION,
    # The staff page of a file (its applicant has theirs, and gets a 404 here).
    "permits:staff_application": Rule("application", owner_check=False),
    "permits:application_form": APPLICATION,
    "permits:application_delete": APPLICATION,
    "permits:application_submitted": APPLICATION,
    "permits:application_receipt": APPLICATION,
    "permits:application_reissue_code": APPLICATION,
    "permits:application_correct": APPLICATION,
    "permits:application_payment": APPLICATION,
    "permits:application_withdraw": APPLICATION,
    "permits:applicant_document": Rule("document"),
    "permits:issued_document_download": Rule("issued"),
    "permits:issued_follow_up": Rule("issued", kwargs={"purpose": "amendment"}),
    # The head's page only (the owner, the applicant, gets a 404 there).
    "permits:issued_standing": Rule("issued", owner_check=False),
    "api-issued-detail": Rule("issued"),
    "api-issued-file": Rule("issued"),
    "api-issued-standing": Rule("issued", owner_check=False),
    "api-issued-follow-up": Rule("issued", kwargs={"purpose": "amendment"}),
    "api-application-detail": APPLICATION,
    "api-application-documents": APPLICATION,
    "api-application-submit": APPLICATION,
    "api-application-data": APPLICATION,
    "api-application-correct": APPLICATION,
    "api-application-withdraw": APPLICATION,
    "api-application-payment-proof": APPLICATION,
    "api-application-issued": APPLICATION,
    "api-application-clock": APPLICATION,
    "api-application-document-accesses": APPLICATION,
    # --- one task of agency X ---
    "permits:task_detail": TASK,
    "permits:task_claim": TASK,
    "permits:task_release": TASK,
    "permits:task_reassign": TASK,
    # The preview exists only on a signing step (the walk's task is a recommendation).
    "permits:issue_preview": Rule("task", owner_check=False),
    # Staff pages of one application (the applicant has the receipt on their own page).
    # The counter: the front office only (404 for everyone else, the applicant included).
    "permits:counter": Rule("list", owner_check=False),
    "permits:counter_person": Rule("application", owner_check=False),
    "permits:counter_claim_link": Rule("application", owner_check=False),
    "permits:counter_application": Rule("application", owner_check=False),
    "permits:counter_receipt": Rule("application", owner_check=False),
    "permits:counter_reissue_code": Rule("application", owner_check=False),
    "permits:counter_payment": Rule("application", owner_check=False),
    "permits:office_print": Rule("application", kwargs={"kind": "checklist"}, owner_check=False),
    "permits:staff_file": Rule("staff_document", kwargs={"kind": "document"}),
    "api-task-detail": TASK,
    "api-task-claim": TASK,
    "api-task-release": TASK,
    "api-task-reassign": TASK,
    "api-task-complete": TASK,
    "api-task-return": TASK,
    "api-task-schedule-inspection": TASK,
    "api-task-clock": TASK,
    # --- administrators only ---
    "api-sop-document-import": ADMIN,
    "api-sop-versions": ADMIN,
    "api-sop-version": ADMIN,
    "api-sop-version-submit": ADMIN,
    "api-sop-version-return": ADMIN,
    "api-sop-version-publish": ADMIN,
    "api-sop-diff": ADMIN,
    "sop-version-pdf": ADMIN,
    "decree-list": ADMIN,
    "decree-detail": ADMIN,
    "decree-render": ADMIN,
    "document-job-list": ADMIN,
    "document-job-detail": ADMIN,
    "document-job-file": ADMIN,
    **{
        f"workflows:{name}": ADMIN
        for name in [
            "sop_list",
            "sop_new",
            "sop_xlsx_blank",
            "sop_detail",
            "sop_new_draft",
            "sop_upload",
            "sop_upload_result",
            "sop_diff",
            "sop_version",
            "sop_identity",
            "sop_performer_add",
            "sop_performer_edit",
            "sop_performer_move",
            "sop_performer_delete",
            "sop_step_add",
            "sop_step_edit",
            "sop_step_row",
            "sop_step_move",
            "sop_step_delete",
            "sop_submit",
            "sop_return",
            "sop_approve",
            # Also the office's head (the SOP reviewer): working papers, no personal data.
            "sop_review_list",
            "sop_review",
            "sop_delete_draft",
            "sop_xlsx",
            "sop_preview",
            "sop_pdf",
            "decree_list",
            "decree_create",
            "decree_detail",
            "decree_edit",
            "decree_annexes",
            "decree_preview",
            "decree_render",
            "decree_sign",
            "document_job",
            "document_download",
        ]
    },
    **FEEDBACK_ROUTES,
    **MONITORING_ROUTES,
}

#: Django's admin site: every page of it goes through ``admin_view`` (staff only), and it grows
#: with every ``ModelAdmin``; it is walked as one class of routes.
ADMIN_PREFIX = "admin/"


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    params: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.name or self.pattern

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/v1/")


PARAM = re.compile(r"<(?:[^>:]+:)?([^>]+)>|\(\?P<([^>]+)>[^)]*\)")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            params = tuple(a or b for a, b in PARAM.findall(pattern))
            yield Route(pattern, name, params)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver()))


def _fill(pattern: str, values: dict) -> str:
    def value(match: re.Match) -> str:
        return str(values[match.group(1) or match.group(2)])

    path = PARAM.sub(value, pattern)
    return "/" + path.replace("^", "").replace("$", "")


def test_every_route_is_classified():
    unknown = [
        f"{r.key}  ({r.pattern})"
        for r in all_routes()
        if r.key not in ROUTES and not r.pattern.startswith(ADMIN_PREFIX)
    ]
    assert not unknown, (
        "Classify this route in tests/test_access_walk.py ROUTES (who owns what it serves?):\n"
        + "\n".join(unknown)
    )


def test_every_api_route_of_the_schema_is_a_classified_route():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    unknown = []
    for path in schema["paths"]:
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
        if match.view_name not in ROUTES:
            unknown.append(f"{match.view_name}  ({path})")
    assert not unknown, "Classify this API route in ROUTES:\n" + "\n".join(unknown)


def _api_methods() -> dict[str, set[str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    methods: dict[str, set[str]] = {}
    for path, operations in schema["paths"].items():
        name = resolve(re.sub(r"\{[^}]+\}", "1", path)).view_name
        methods.setdefault(name, set()).update(m for m in operations if m != "parameters")
    return methods


@dataclass
class World:
    """Applicant A's application at agency X (DISHUB), seen by B, an officer of agency Y
    and nobody signed in."""

    values: dict
    owners: dict
    attackers: dict
    admin_attackers: dict
    secret: str
    admin_values: dict


@pytest.fixture
def world(cast, two_opd) -> World:  # noqa: F811
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    task = the_task(application, 3, "DISHUB")
    document = application.documents.first()
    issued = issue(
        application, cast.dewi, IssuedDocument.Kind.PERMIT, passphrase=SIGNING_PASSPHRASE
    )
    # A draft SOP version: the published one is public (its PDF is linked from the catalogue).
    draft = build_sop_version(two_opd, publish=False)
    other = (
        Agency.objects.filter(kind=Agency.Kind.TECHNICAL, is_active=True)
        .exclude(code__in=["DISHUB", "DLH"])
        .first()
    )
    officer_y = MembershipFactory(
        user__email="yoga@contoh.go.id", agency=other, role=Role.TECHNICAL_OFFICER
    ).user
    attackers = {"applicant B": cast.bayu, "officer of agency Y": officer_y, "anonymous": None}
    by_kind = {
        "application": ({"pk": application.pk, "id": application.pk}, cast.ani),
        "task": ({"pk": task.pk, "id": task.pk}, cast.citra),
        "document": ({"pk": application.pk, "document_pk": document.pk}, cast.ani),
        "staff_document": ({"pk": document.pk}, cast.citra),
        "issued": ({"pk": issued.pk, "id": issued.pk}, cast.ani),
    }
    return World(
        values=by_kind,
        owners={"list": {"api-task-list": cast.citra, "permits:staff_inbox": cast.citra}},
        attackers=attackers,
        admin_attackers={"applicant A": cast.ani, "officer of agency X": cast.citra, **attackers},
        secret=application.tracking_number,
        admin_values={
            **GENERIC,
            "code": two_opd.sop.code,
            "version": draft.version,
            "pk": draft.pk,
        },
    )


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _methods(route: Route, api_methods: dict[str, set[str]]) -> list[str]:
    if route.is_api:
        return sorted(api_methods.get(route.key, {"get"}))
    return ["get", "post"]


def _call(client: Client, method: str, url: str):
    if method in ("post", "put", "patch"):
        return getattr(client, method)(url, {}, content_type="application/json")
    return getattr(client, method)(url)


GENERIC = {
    "code": "UJI-DUA-OPD",
    "version": 1,
    "key": "fo",
    "no": 2,
    "pk": 1,
    "id": 1,
    "year": 2026,
    "object_id": 1,
    "content_type_id": 1,
    "app_label": "permits",
    "url": "permits/application/",
    "token": "x",
    "uidb64": "x",
    "document_pk": 1,
    "kind": "document",
    "job": "0" * 32,
}


def _refused(status: int, signed_in: bool, rule: Rule) -> bool:
    allowed = {404}
    if rule.owner == "admin":
        allowed |= {302, 403}
    if not signed_in:
        allowed |= {302, 401, 403}
    # 405: the method is refused before any object is looked up (e.g. GET on a POST-only page).
    return status in allowed | {405}


def test_nobody_gets_another_persons_object(world):
    api_methods = _api_methods()
    leaks = []
    checked = 0
    for route in all_routes():
        rule = ROUTES.get(route.key) or ADMIN  # unclassified: only the Django admin's
        if rule.owner == "public":
            continue
        if rule.owner == "list":
            leaks += _walk_list(route, rule, world)
            continue
        if rule.owner == "admin":
            url = _fill(route.pattern, world.admin_values)
            attackers = world.admin_attackers
        else:
            ids, owner = world.values[rule.owner]
            url = _fill(route.pattern, {**GENERIC, **rule.kwargs, **ids})
            attackers = world.attackers
            if rule.owner_check:
                # The URL really names A's object: its owner is not refused.
                status = _client(owner).get(url).status_code
                if status == 404:
                    leaks.append(f"{route.key}: the owner gets 404 at {url}; fix its kwargs")
        for who, user in attackers.items():
            for method in _methods(route, api_methods):
                response = _call(_client(user), method, url)
                checked += 1
                if not _refused(response.status_code, user is not None, rule):
                    leaks.append(f"{method.upper()} {url} as {who}: {response.status_code}")
    assert checked > 100
    assert not leaks, "\n".join(leaks)


def _walk_list(route: Route, rule: Rule, world: World) -> list[str]:
    url = _fill(route.pattern, GENERIC)
    if route.key == "api-task-list":
        url += "?scope=visible"
    leaks = []
    if rule.owner_check:
        owner = world.owners["list"].get(route.key, world.values["application"][1])
        body = _client(owner).get(url).content.decode()
        if world.secret not in body:
            leaks.append(f"{route.key}: the owner does not see A's file at {url}; fix the walk")
    for who, user in world.attackers.items():
        response = _client(user).get(url)
        if response.status_code == 200 and world.secret in response.content.decode():
            leaks.append(f"GET {url} as {who} shows A's tracking number")
    return leaks
