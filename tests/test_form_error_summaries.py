"""Every form page of the portal, sent with bad input, answers in the GOV.UK pattern (issue 15
item 1): a 4xx, "Error:"/"Kesalahan:" before the title, one summary at the top that lists each
error and links to an element of the page, every ``aria-describedby`` pointing at an id that
exists (:func:`tests.form_errors.error_page`).

Which pages are form pages is derived, not listed: a route of the URL resolver (the access walk's
route tables, Django's admin and the API aside) whose view is a class-based form view, or whose
function binds ``request.POST`` to a form or reads a typed value from it. Each must have a case
in ``CASES`` or a reason in ``NO_SUMMARY``; a new form page with neither fails
:func:`test_every_form_page_has_a_case`."""

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Agency, Role
from feedback import complaints, surveys
from monitoring import assessment
from permits import counter, lifecycle
from permits.applicant_forms import field_name
from permits.models import Application
from sop_portal.form_rendering import forms_with_errors
from tests import test_access_walk as walk
from tests.factories import MembershipFactory, ServiceFactory, build_sop_version
from tests.feedback.kit import finished
from tests.form_errors import error_page
from tests.permits.lifecycle.kit import akdp, cast, pdf, submitted, the_task, two_opd  # noqa: F401
from workflows import engine, versions

pytestmark = pytest.mark.django_db

# --- which routes are form pages --------------------------------------------------------------

#: ``request.POST`` handed to something: a form bound to what was sent.
BOUND = re.compile(r"[(,=]\s*request\.POST\b(?!\s*\.|\s*\[)")
#: A typed value read by hand (``request.POST.get("passphrase")``); the names below are the
#: controls of buttons and hidden fields, not something a person types or chooses.
READ = re.compile(r"request\.POST\.get(?:list)?\(\s*\"(\w+)\"")
CONTROLS = {"direction", "from", "next", "id", "confirm", "op", "submit"}


def _routes(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield prefix + str(entry.pattern), name, entry.callback


def form_pages() -> dict[str, str]:
    """Route name -> what makes it a form page."""
    found = {}
    for pattern, name, callback in _routes(get_resolver()):
        if pattern.startswith((walk.ADMIN_PREFIX, "api/")):
            continue
        view_class = getattr(callback, "view_class", None)
        if view_class is not None:
            if getattr(view_class, "form_class", None) is not None:
                found[name] = f"{view_class.__name__}.form_class"
            continue
        source = inspect.getsource(inspect.unwrap(callback))
        typed = set(READ.findall(source)) - CONTROLS
        if BOUND.search(source):
            found[name] = "binds request.POST to a form"
        elif typed:
            found[name] = "reads " + ", ".join(sorted(typed))
    return found


#: Form pages whose bad input cannot come back as an error summary, and why.
NO_SUMMARY = {
    "set_language": "Django's language switch: an unknown language is ignored, no field error",
    "permits:issued_follow_up": "an optional note only; a refusal is the engine's message",
    "permits:counter_reissue_code": "an optional reason only; a refusal is the engine's message",
    "workflows:decree_sign": (
        "the passphrase is checked by the signer: its refusal is an alert on the decree page "
        "(tests/workflows/decrees), not a field error"
    ),
    "workflows:decree_annexes": "checkboxes of published versions; a refusal is an alert",
}


def test_every_form_page_has_a_case():
    pages = form_pages()
    missing = sorted(set(pages) - set(CASES) - set(NO_SUMMARY))
    assert not missing, (
        "A form page without a case in tests/test_form_error_summaries.py CASES (bad input ->"
        " error summary) or a reason in NO_SUMMARY:\n"
        + "\n".join(f"{name}: {pages[name]}" for name in missing)
    )
    stale = sorted((set(CASES) | set(NO_SUMMARY)) - set(pages))
    assert not stale, f"not form pages (any more): {stale}"
    unclassified = sorted(set(pages) - set(walk.ROUTES))
    assert not unclassified, f"form pages outside the access walk's route tables: {unclassified}"


def test_the_derivation_finds_the_forms_it_must():
    pages = form_pages()
    assert pages["login"] == "LoginView.form_class"
    assert pages["permits:task_detail"] == "binds request.POST to a form"
    assert pages["workflows:decree_sign"] == "reads passphrase"
    # Buttons alone (claim, move, delete) are no form pages.
    assert not {"permits:task_claim", "workflows:sop_step_move"} & set(pages)


# --- the world the cases post into ------------------------------------------------------------


@dataclass
class World:
    walk: walk.World
    cast: object
    extra: dict

    def client(self, user=None, language: str = "en") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_login(user)
        return client

    @property
    def application(self) -> int:
        return self.walk.values["application"][0]["pk"]

    @property
    def task(self) -> int:
        return self.walk.values["task"][0]["pk"]

    @property
    def issued(self) -> int:
        return self.walk.values["issued"][0]["pk"]

    def sop(self, name: str, *extra) -> str:
        v = self.walk.admin_values
        return reverse(f"workflows:{name}", args=[v["code"], v["version"], *extra])


@pytest.fixture
def world(cast, two_opd, akdp):  # noqa: F811
    base = walk.world.__wrapped__(cast, two_opd)
    rina = MembershipFactory(
        user__email="rina@dpmptsp.go.id",
        agency=Agency.objects.get(code="DPMPTSP"),
        role=Role.COMPLAINTS_OFFICER,
    ).user
    draft = lifecycle.create_draft(akdp, cast.ani)
    person = counter.register_person(
        cast.budi,
        nik="7471010101900002",
        full_name="Wati Loket",
        email="wati@contoh.id",
        phone="081234567890",
        consent=True,
    )
    at_counter = counter.start_application(cast.budi, person, akdp)
    # A second SOP in review, for the reviewer's forms.
    service = ServiceFactory(code="UJI-TINJAU")
    service.technical_agencies.add(Agency.objects.get(code="DISHUB"))
    review = build_sop_version(service, publish=False)
    versions.submit_for_review(review, by=cast.eko)
    filed = complaints.file_complaint(category="service_time", text="Lama sekali.", name="Ani")
    round_ = assessment.open_round(2026, 1, cast.dewi)
    done = finished(two_opd, cast)
    returned = submitted(two_opd, cast.ani)
    engine.return_to_applicant(the_task(returned, 2), cast.budi, "Kurang jelas", {"ktp": "Buram"})
    to_pay = submitted(two_opd, cast.ani)
    engine.complete(the_task(to_pay, 2), cast.budi, "yes")
    for officer, agency in ((cast.citra, "DISHUB"), (cast.gita, "DLH")):
        engine.complete(
            the_task(to_pay, 3, agency), officer, data={"verdict": "recommend", "notes": "Baik"}
        )
    engine.complete(the_task(to_pay, 4), cast.fajar, "yes", data={"verdict": "approve"})
    # A walk-in's file at the cashier's step: the front office scans the proof for them.
    walk_in_to_pay = counter.start_application(cast.budi, person, two_opd)
    for requirement in two_opd.requirements.filter(mandatory=True):
        lifecycle.attach_document(
            walk_in_to_pay, cast.budi, requirement.code, pdf(f"{requirement.code}.pdf")
        )
    lifecycle.submit(walk_in_to_pay, cast.budi)
    engine.complete(the_task(walk_in_to_pay, 2), cast.budi, "yes")
    for officer, agency in ((cast.citra, "DISHUB"), (cast.gita, "DLH")):
        engine.complete(the_task(walk_in_to_pay, 3, agency), officer, data={"verdict": "recommend"})
    engine.complete(the_task(walk_in_to_pay, 4), cast.fajar, "yes", data={"verdict": "approve"})
    TOTPDevice.objects.create(user=cast.fajar, name="Authenticator", confirmed=True)
    extra = {
        "returned": returned.pk,
        "to_pay": to_pay.pk,
        "rina": rina,
        "draft": draft.pk,
        "person": person,
        "at_counter": at_counter.pk,
        "walk_in_to_pay": walk_in_to_pay.pk,
        "review": review,
        "complaint": filed.complaint.pk,
        "entry": round_.entries.first().pk,
        "survey": surveys.survey_link(done),
    }
    return World(base, cast, extra)


# --- one bad submission per form page ---------------------------------------------------------


@dataclass
class Case:
    who: Callable[[World], object]  # the user who posts (None: nobody signed in)
    url: Callable[[World, Client], str]
    data: dict | Callable[[World], dict]


def _reset_url(w: World, client: Client) -> str:
    """Django's reset link redirects once to a URL without the token (kept in the session);
    the form is there."""
    ani = w.cast.ani
    uidb64 = urlsafe_base64_encode(force_bytes(ani.pk))
    url = reverse("password_reset_confirm", args=[uidb64, default_token_generator.make_token(ani)])
    return client.get(url).url


def _claim_url(w: World, client: Client) -> str:
    return reverse("permits:claim_account", args=counter.claim_token(w.extra["person"]))


NOBODY = lambda w: None  # noqa: E731
ANI = lambda w: w.cast.ani  # noqa: E731
BUDI = lambda w: w.cast.budi  # noqa: E731
CITRA = lambda w: w.cast.citra  # noqa: E731
DEWI = lambda w: w.cast.dewi  # noqa: E731
FAJAR = lambda w: w.cast.fajar  # noqa: E731
EKO = lambda w: w.cast.eko  # noqa: E731
RINA = lambda w: w.extra["rina"]  # noqa: E731


def _review(name: str):
    def url(w: World, client: Client) -> str:
        review = w.extra["review"]
        return reverse(f"workflows:{name}", args=[review.sop.code, review.version])

    return url


def _bad_upload(pk: int) -> dict:
    """A file that is no PDF for the first document of a draft, and the submit button."""
    requirement = Application.objects.get(pk=pk).service.requirements.order_by("position").first()
    fake = SimpleUploadedFile("ktp.pdf", b"not a pdf", content_type="application/pdf")
    return {field_name(requirement.code): fake, "submit": "1"}


def _payment_case(w: World) -> dict:
    return {"proof": SimpleUploadedFile("bukti.exe", b"MZ not a receipt")}


CASES: dict[str, Case] = {
    # Accounts
    "login": Case(NOBODY, lambda w, c: reverse("login"), {"username": "", "password": ""}),
    "password_reset": Case(NOBODY, lambda w, c: reverse("password_reset"), {"email": "no"}),
    "password_reset_confirm": Case(
        NOBODY, _reset_url, {"new_password1": "a", "new_password2": "b"}
    ),
    "password_change": Case(
        ANI, lambda w, c: reverse("password_change"), {"old_password": "salah"}
    ),
    "second_factor_enrol": Case(DEWI, lambda w, c: reverse("second_factor_enrol"), {"code": ""}),
    "second_factor_verify": Case(FAJAR, lambda w, c: reverse("second_factor_verify"), {"code": ""}),
    "permits:register": Case(NOBODY, lambda w, c: reverse("permits:register"), {"email": "x"}),
    "permits:verify_resend": Case(
        NOBODY, lambda w, c: reverse("permits:verify_resend"), {"email": "bukan-surel"}
    ),
    "permits:claim_account": Case(NOBODY, _claim_url, {"password1": "a", "password2": "b"}),
    # The public
    "permits:track": Case(NOBODY, lambda w, c: reverse("permits:track"), {"nomor": "", "kode": ""}),
    "permits:verify": Case(
        NOBODY,
        lambda w, c: reverse("permits:verify", args=[_token(w)]),
        {"check": "1"},
    ),
    "feedback:complaint_new": Case(
        NOBODY, lambda w, c: reverse("feedback:complaint_new"), {"text": ""}
    ),
    "feedback:complaint_track": Case(
        NOBODY, lambda w, c: reverse("feedback:complaint_track"), {"nomor": "", "kode": ""}
    ),
    "feedback:survey_answer": Case(NOBODY, lambda w, c: w.extra["survey"], {"u1": "9"}),
    # The applicant
    "permits:application_form": Case(
        ANI,
        lambda w, c: reverse("permits:application_form", args=[w.extra["draft"]]),
        lambda w: _bad_upload(w.extra["draft"]),
    ),
    "permits:application_correct": Case(
        ANI,
        lambda w, c: reverse("permits:application_correct", args=[w.extra["returned"]]),
        {"note": ""},
    ),
    "permits:application_payment": Case(
        ANI,
        lambda w, c: reverse("permits:application_payment", args=[w.extra["to_pay"]]),
        _payment_case,
    ),
    "permits:application_withdraw": Case(
        ANI,
        lambda w, c: reverse("permits:application_withdraw", args=[w.application]),
        {"reason": ""},
    ),
    # Staff: the task, the counter, the issued permit
    "permits:task_detail": Case(
        CITRA, lambda w, c: reverse("permits:task_detail", args=[w.task]), {}
    ),
    "permits:task_reassign": Case(
        CITRA, lambda w, c: reverse("permits:task_reassign", args=[w.task]), {"to_user": "0"}
    ),
    "permits:counter": Case(BUDI, lambda w, c: reverse("permits:counter"), {"nik": "12"}),
    "permits:counter_person": Case(
        BUDI,
        lambda w, c: reverse("permits:counter_person", args=[w.extra["person"].pk]),
        {"service": "0"},
    ),
    "permits:counter_application": Case(
        BUDI,
        lambda w, c: reverse("permits:counter_application", args=[w.extra["at_counter"]]),
        lambda w: _bad_upload(w.extra["at_counter"]),
    ),
    "permits:counter_payment": Case(
        BUDI,
        lambda w, c: reverse("permits:counter_payment", args=[w.extra["walk_in_to_pay"]]),
        _payment_case,
    ),
    "permits:issued_standing": Case(
        DEWI, lambda w, c: reverse("permits:issued_standing", args=[w.issued]), {"change": "x"}
    ),
    # Complaints and the paper survey
    "feedback:complaint_reply": Case(
        RINA, lambda w, c: reverse("feedback:complaint_reply", args=[w.extra["complaint"]]), {}
    ),
    "feedback:complaint_assign": Case(
        RINA, lambda w, c: reverse("feedback:complaint_assign", args=[w.extra["complaint"]]), {}
    ),
    "feedback:complaint_status": Case(
        RINA,
        lambda w, c: reverse("feedback:complaint_status", args=[w.extra["complaint"]]),
        {"status": "nonsense"},
    ),
    "feedback:skm_paper": Case(RINA, lambda w, c: reverse("feedback:skm_paper"), {"u1": "9"}),
    # Monitoring: Tabel 7
    "monitoring:round_list": Case(
        DEWI, lambda w, c: reverse("monitoring:round_list"), {"year": "x", "semester": "3"}
    ),
    "monitoring:entry_edit": Case(
        DEWI,
        lambda w, c: reverse("monitoring:entry_edit", args=[w.extra["entry"]]),
        {"assessment": "x"},
    ),
    # The SOP editor, the review and the decree
    "workflows:sop_new": Case(EKO, lambda w, c: reverse("workflows:sop_new"), {"code": "a b"}),
    "workflows:sop_upload": Case(
        EKO,
        lambda w, c: reverse("workflows:sop_upload", args=[w.walk.admin_values["code"]]),
        lambda w: {"workbook": SimpleUploadedFile("sop.xlsx", b"not a workbook")},
    ),
    "workflows:sop_identity": Case(
        EKO, lambda w, c: w.sop("sop_identity"), {"name": "", "effective_on": "x"}
    ),
    "workflows:sop_performer_add": Case(
        EKO, lambda w, c: w.sop("sop_performer_add"), {"performer-key": ""}
    ),
    "workflows:sop_performer_edit": Case(
        EKO, lambda w, c: w.sop("sop_performer_edit", "fo"), {"key": ""}
    ),
    "workflows:sop_step_add": Case(
        EKO, lambda w, c: w.sop("sop_step_add"), {"step-symbol": "process", "step-activity": ""}
    ),
    "workflows:sop_step_edit": Case(EKO, lambda w, c: w.sop("sop_step_edit", 2), {"activity": ""}),
    "workflows:sop_return": Case(DEWI, _review("sop_return"), {"from": "review"}),
    "workflows:sop_approve": Case(
        DEWI, _review("sop_approve"), {"from": "review", "effective_on": "x"}
    ),
    "workflows:decree_create": Case(
        EKO, lambda w, c: reverse("workflows:decree_create"), {"year": "x"}
    ),
    "workflows:decree_edit": Case(
        EKO, lambda w, c: reverse("workflows:decree_edit", args=[_decree(w)]), {"year": "x"}
    ),
}


def _token(w: World) -> str:
    from permits.models import IssuedDocument

    return IssuedDocument.objects.get(pk=w.issued).verification_token


def _decree(w: World) -> int:
    from workflows import decrees
    from workflows.models import Decree

    decree = Decree.objects.first() or decrees.new_decree(year=2026, by=w.cast.eko)
    return decree.pk


def _expected_errors(response) -> int:
    contexts = response.context if isinstance(response.context, list) else [response.context]
    forms = forms_with_errors(v for context in contexts for v in context.flatten().values())
    return sum(len(form.non_field_errors()) + sum(len(f.errors) for f in form) for form in forms)


def test_each_form_page_sends_bad_input_back_with_its_summary(world):
    failures = []
    for name, case in CASES.items():
        for language, prefix in (("en", "Error:"), ("id", "Kesalahan:")):
            client = world.client(case.who(world), language)
            data = case.data(world) if callable(case.data) else case.data
            response = client.post(case.url(world, client), data)
            where = f"{name} ({language}, {response.status_code})"
            if not 400 <= response.status_code < 500:
                failures.append(f"{where}: not a 4xx {getattr(response, 'url', '')}")
                continue
            try:
                page = error_page(response.content, prefix=prefix)
            except AssertionError as error:
                failures.append(f"{where}: {error}")
                continue
            expected = _expected_errors(response)
            if len(page.links) != expected:
                failures.append(f"{where}: {len(page.links)} links for {expected} errors")
    assert not failures, "\n".join(failures)
