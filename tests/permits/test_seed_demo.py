"""``manage.py seed_demo``: agencies, the service catalogue with published SOPs, demo users;
idempotent, refused without DEBUG unless forced; every seed document valid and in normal form."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.models import User
from agencies.models import Agency, Membership, Role
from agencies.seed import TECHNICAL_AGENCIES, seed_agencies
from permits.interchange import export_document, import_document, validate_document
from permits.models import Requirement, Service, ServiceKind
from permits.seed.catalogue import InvalidSeedFile, read_document, seed_files, seed_services
from permits.seed.users import APPLICANT, DEMO_PASSWORD, DEMO_USERS, seed_users
from sop_portal.models import AuditEntry
from workflows.models import Sop, SopVersion

SEED_FILES = seed_files()


@pytest.fixture(autouse=True)
def _fast_and_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True
    with translation.override("en"):
        yield


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def state() -> dict:
    return {
        "agencies": Agency.objects.count(),
        "services": Service.objects.count(),
        "requirements": Requirement.objects.count(),
        "sops": Sop.objects.count(),
        "versions": sorted(SopVersion.objects.values_list("sop__code", "version", "status")),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.mark.django_db
def test_it_loads_the_office_the_17_agencies_and_a_published_valid_sop_for_every_service():
    seed()
    assert list(Agency.objects.filter(kind=Agency.Kind.ONE_STOP_OFFICE).values_list("code")) == [
        ("DPMPTSP",)
    ]
    assert Agency.objects.technical().count() == 17 == len(TECHNICAL_AGENCIES)
    assert all(a.email.endswith(".invalid") for a in Agency.objects.all())

    services = list(Service.objects.with_published_sop())
    assert len(services) == len(SEED_FILES) >= 21
    for service in services:
        published = service.published_sop
        assert published is not None, service.code
        assert published.version == 1
        assert validate_document(export_document(published)) == [], service.code
    assert Service.objects.public().count() == len(services)


@pytest.mark.django_db
def test_it_gives_every_role_a_demo_user_who_can_log_in(client):
    out = seed()
    assert {u.role for u in DEMO_USERS} == {APPLICANT, *Role.values}
    assert DEMO_PASSWORD in out
    for demo in DEMO_USERS:
        assert demo.email in out
        user = User.objects.get(email=demo.email)
        if demo.role == APPLICANT:
            assert not user.memberships.exists()
        else:
            assert user.memberships.filter(agency__code=demo.agency, role=demo.role).exists()
        assert client.login(email=demo.email, password=DEMO_PASSWORD), demo.email
        # Only the administrator gets into /admin/.
        expected = 200 if demo.role == Role.ADMINISTRATOR else 302
        assert client.get("/admin/").status_code == expected, demo.email
        client.logout()


@pytest.mark.django_db
def test_it_changes_nothing_when_run_twice():
    seed()
    first = state()
    out = seed()
    assert state() == first
    assert "Agencies: 0 created, 0 updated, 18 unchanged." in out
    assert f"0 created, 0 updated, {len(SEED_FILES)} unchanged." in out
    assert f"Demo users: 0 created, 0 updated, {len(DEMO_USERS)} unchanged." in out


@pytest.mark.django_db
def test_it_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert Agency.objects.count() == 0
    assert User.objects.count() == 0

    seed("--force")
    assert Service.objects.public().count() == len(SEED_FILES)


@pytest.mark.django_db
def test_it_publishes_a_new_version_when_a_seed_file_changes(tmp_path):
    seed()
    doc = read_document(SEED_FILES[0])
    doc["service"]["service_time"] = {"value": 9, "unit": "days"}
    changed = tmp_path / SEED_FILES[0].name
    changed.write_text(json.dumps(doc), encoding="utf-8")

    assert seed_services([changed, *SEED_FILES[1:]]) == {
        "created": 0,
        "updated": 1,
        "unchanged": len(SEED_FILES) - 1,
    }
    service = Service.objects.get(code=doc["service"]["code"])
    assert service.service_time_value == 9
    assert service.sop.published_version.version == 2
    assert service.sop.versions.get(version=1).status == SopVersion.Status.SUPERSEDED


@pytest.mark.django_db
def test_it_refuses_a_bad_seed_file_and_loads_nothing(tmp_path):
    seed_agencies()
    doc = read_document(SEED_FILES[0])
    doc["sop"]["steps"][1]["on_no"] = 99
    bad = tmp_path / "BAD.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")

    with pytest.raises(InvalidSeedFile) as refused:
        seed_services([SEED_FILES[1], bad])
    assert refused.value.path == bad
    assert any("99" in str(p) for p in refused.value.problems)
    assert Service.objects.count() == 0


@pytest.mark.django_db
def test_it_restores_agency_names_but_keeps_contact_details_filled_in_by_an_administrator():
    seed_agencies()
    dishub = Agency.objects.get(code="DISHUB")
    dishub.name = "Dinas Perhubungan (diubah)"
    dishub.address = "Jl. Contoh No. 1, Kendari"
    dishub.save()

    assert seed_agencies()["updated"] == 1
    dishub.refresh_from_db()
    assert dishub.name == "Dinas Perhubungan"
    assert dishub.address == "Jl. Contoh No. 1, Kendari"


@pytest.mark.django_db
def test_it_keeps_a_changed_password_unless_asked_to_reset_it(client):
    seed_agencies()
    seed_users()
    demo = DEMO_USERS[0]
    user = User.objects.get(email=demo.email)
    user.set_password("sandi-baru-456")
    user.save()

    assert seed_users()["unchanged"] == len(DEMO_USERS)
    assert not client.login(email=demo.email, password=DEMO_PASSWORD)
    seed("--reset-passwords")
    assert client.login(email=demo.email, password=DEMO_PASSWORD)


# --- the seed documents themselves -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_it_ships_a_valid_seed_document_in_normal_form(path):
    seed_agencies()
    doc = read_document(path)
    assert doc["service"]["code"] == path.stem
    assert [str(p) for p in validate_document(doc)] == []
    # Normal form: what seed_demo compares with to stay idempotent.
    assert export_document(import_document(doc, publish=True)) == doc


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_it_gives_each_seed_sop_the_steps_the_portal_runs(path):
    doc = read_document(path)
    service, sop = doc["service"], doc["sop"]
    steps = sop["steps"]
    by_action = {s["action"]: s for s in steps if s["action"]}
    roles = {p["key"]: p["role"] for p in sop["performers"]}

    assert 6 <= len(steps) <= 12
    series = "PB" if service["kind"] == ServiceKind.PERMIT else "NP"
    assert sop["number"].startswith(f"SOP/DPMPTSP/{series}/")
    assert any("Permenpan RB 35/2012" in law for law in sop["legal_basis"])
    check = by_action["check"]
    assert roles[steps[check["on_no"] - 1]["performer"]] == "applicant"
    decide = by_action["decide"]
    assert {steps[decide["on_no"] - 1]["action"]} == {"issue_rejection"}
    assert "issue_permit" in by_action
    assert steps[-1]["action"] == "handover"
    assert any(p["agency"] == "*technical*" for p in sop["performers"])
    if service["fee"]["amount"]:
        assert roles[by_action["pay"]["performer"]] == "cashier"


def test_it_numbers_every_seed_sop_differently():
    numbers = [read_document(p)["sop"]["number"] for p in SEED_FILES]
    assert len(set(numbers)) == len(numbers)
