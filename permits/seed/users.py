"""The demo users, one per role, and their documented password: the one list the README cites."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from agencies.models import Agency, Membership, Role
from sop_portal import audit

# Documented on purpose: these accounts exist only on development and demo servers
# (``seed_demo`` refuses to run with DEBUG off unless forced).
DEMO_PASSWORD = "demo12345"
# ``.invalid`` is reserved (RFC 2606): mail to these accounts can never reach a real mailbox.
DEMO_EMAIL_DOMAIN = "demo.sopportal.invalid"
APPLICANT = "applicant"


@dataclass(frozen=True)
class DemoUser:
    login: str
    full_name: str
    role: str  # a ``Role`` value, or ``APPLICANT`` for an applicant without membership
    agency: str | None = None  # agency code of the membership
    position: str = ""
    is_admin: bool = False  # staff and superuser, so that /admin/ is open to them

    @property
    def email(self) -> str:
        return f"{self.login}@{DEMO_EMAIL_DOMAIN}"

    @property
    def role_label(self) -> str:
        return str(_("Applicant")) if self.role == APPLICANT else str(Role(self.role).label)


DEMO_USERS = (
    DemoUser("pemohon", "Ani Lestari", APPLICANT),
    DemoUser("fo", "Budi Santoso", Role.FRONT_OFFICE, "DPMPTSP", "Petugas Front Office"),
    DemoUser("bo", "Fajar Nugraha", Role.BACK_OFFICE, "DPMPTSP", "Petugas Back Office"),
    DemoUser(
        "opd.dishub", "Citra Permata", Role.TECHNICAL_OFFICER, "DISHUB", "Tim Teknis Perhubungan"
    ),
    DemoUser(
        "opd.dlh", "Gita Puspita", Role.TECHNICAL_OFFICER, "DLH", "Tim Teknis Lingkungan Hidup"
    ),
    DemoUser("opd.esdm", "Hendra Wijaya", Role.TECHNICAL_OFFICER, "ESDM", "Tim Teknis ESDM"),
    DemoUser("kepala", "Dewi Anggraini", Role.HEAD, "DPMPTSP", "Kepala DPMPTSP"),
    DemoUser("kasir", "Yusuf Maulana", Role.CASHIER, "DPMPTSP", "Bendahara Penerimaan"),
    DemoUser("pengaduan", "Rina Marlina", Role.COMPLAINTS_OFFICER, "DPMPTSP", "Petugas Pengaduan"),
    DemoUser(
        "admin",
        "Eko Prasetyo",
        Role.ADMINISTRATOR,
        "DPMPTSP",
        "Administrator Sistem",
        is_admin=True,
    ),
)


def seed_users(*, reset_passwords: bool = False) -> dict[str, int]:
    """Create the missing demo users and their memberships, and fix their name and admin flags.
    An existing user keeps the password they have unless ``reset_passwords``, which also
    re-activates them. Returns ``{"created", "updated", "unchanged"}`` counts; a second run
    writes nothing."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    agencies = {a.code: a for a in Agency.objects.filter(code__in={u.agency for u in DEMO_USERS})}
    with transaction.atomic():
        for demo in DEMO_USERS:
            user = User.objects.filter(email=demo.email).first()
            if user is None:
                user = User.objects.create_user(
                    demo.email,
                    DEMO_PASSWORD,
                    full_name=demo.full_name,
                    is_staff=demo.is_admin,
                    is_superuser=demo.is_admin,
                )
                _ensure_membership(user, demo, agencies)
                audit.record(
                    "accounts.user.created",
                    user,
                    after={"email": demo.email, "role": str(demo.role), "agency": demo.agency},
                    reason="seed_demo",
                )
                counts["created"] += 1
                continue
            changed = _update_user(user, demo, reset_passwords=reset_passwords)
            changed |= _ensure_membership(user, demo, agencies)
            counts["updated" if changed else "unchanged"] += 1
    return counts


def _update_user(user: User, demo: DemoUser, *, reset_passwords: bool) -> bool:
    wanted = {"full_name": demo.full_name}
    if demo.is_admin:
        wanted |= {"is_staff": True, "is_superuser": True}
    if reset_passwords:
        wanted["is_active"] = True
    before = {k: getattr(user, k) for k, v in wanted.items() if getattr(user, k) != v}
    for key in before:
        setattr(user, key, wanted[key])
    fields = list(before)
    if reset_passwords and not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        fields.append("password")
    if not fields:
        return False
    user.save(update_fields=fields)
    after = {k: wanted[k] for k in before}
    if "password" in fields:
        after["password"] = "reset"  # never the hash itself
    audit.record("accounts.user.updated", user, before=before, after=after, reason="seed_demo")
    return True


def _ensure_membership(user: User, demo: DemoUser, agencies: dict[str, Agency]) -> bool:
    """Give ``user`` the demo membership if missing; say whether one was created."""
    if demo.agency is None:
        return False
    membership, created = Membership.objects.get_or_create(
        user=user,
        agency=agencies[demo.agency],
        role=demo.role,
        defaults={"position": demo.position},
    )
    if created:
        audit.record(
            "agencies.membership.created",
            membership,
            after={"user": user.email, "agency": demo.agency, "role": str(demo.role)},
            reason="seed_demo",
        )
        return True
    return False
