"""Role facts: which memberships count, who holds which staff role, who is an administrator,
who works office-wide, who may monitor. Every app's access module (``permits.access``,
``workflows.access``, ``feedback.access``, ``monitoring.access``) asks these questions here and
nowhere else."""

import json
from contextvars import ContextVar

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject

from .models import Agency, Membership, Role


def signed_in(user) -> bool:
    """An authenticated, active account (anonymous visitors and closed accounts hold nothing)."""
    return user is not None and user.is_authenticated and user.is_active


def active_memberships(user) -> QuerySet[Membership]:
    """The memberships that grant something: the membership is active and so is its agency (a
    closed agency's staff keep their rows for the record, but no rights). Empty for anonymous
    or inactive users."""
    if not signed_in(user):
        return Membership.objects.none()
    return _active_memberships_of(user)


# --- the memberships of one request, read once ------------------------------------------------
# A staff page asks several of these questions (the menu, the inbox's rule, the second factor,
# the access policy): each used to read the memberships again, 6-8 queries a page. For the
# user of a request they come with the user's own row, in the same query
# (``with_membership_facts``, used by ``accounts.backends.PortalModelBackend.get_user``, which
# ``AuthenticationMiddleware`` calls), and are kept on it for the request
# (``remember_memberships``, set by ``MembershipsOncePerRequest``); any membership or agency
# write in this process starts a new generation, so a request that changes memberships reads
# them again. Other user objects (tests, tasks, the shell) are never memoised: they read them
# on every question, as before.

_generation = 0
_NOT_REMEMBERED = object()
#: The annotation ``with_membership_facts`` puts on a user row.
FACTS_COLUMN = "_membership_rows"


def _new_generation(**kwargs) -> None:
    global _generation
    _generation += 1


def _active_memberships_of(user_ref) -> QuerySet[Membership]:
    # The one definition of "a membership that grants something" (see active_memberships).
    return Membership.objects.filter(user=user_ref, is_active=True, agency__is_active=True)


def with_membership_facts(users: QuerySet) -> QuerySet:
    """``users`` with each row's active membership facts as an array column: the request's
    user and their memberships in one query."""
    rows = _active_memberships_of(OuterRef("pk")).values(
        fact=JSONObject(agency="agency_id", role="role", kind="agency__kind")
    )
    return users.annotate(**{FACTS_COLUMN: ArraySubquery(rows)})


_PROBE_PK = -314159265
_compiled_user_read: tuple[str, list, int] | None = None

# --- values read along with the request's user ------------------------------------------------
# Another app's one-value read that every page of a kind makes (the monitoring facts' version,
# the key of every figure) rides in the user's query: one round trip instead of two. Only on
# GET and HEAD requests, which change nothing: a request that writes could otherwise show what
# it just changed under the version read before it (it reads the database itself).
_along: dict[str, str] = {}
_along_values: ContextVar[dict | None] = ContextVar("read_along", default=None)
_ALONG_PREFIX = "_along_"


def read_along(name: str, sql: str) -> None:
    """Read the one value of ``sql`` with every request's user row (register at start-up)."""
    global _compiled_user_read
    _along[name] = sql
    _compiled_user_read = None


def value_read_along(name: str):
    """The value of ``name`` read with this request's user, or None (no such request, not
    read yet, a writing request): then the caller reads it itself."""
    values = _along_values.get()
    return None if values is None else values.get(name)


def user_with_memberships(user_model, user_id):
    """The user ``user_id`` with their membership facts (:func:`with_membership_facts`), or
    None. The SQL is compiled once per process: building the subquery with the ORM on every
    request cost more than running it."""
    global _compiled_user_read
    if _compiled_user_read is None:
        probe = with_membership_facts(user_model._default_manager.filter(pk=_PROBE_PK))
        along = {f"{_ALONG_PREFIX}{name}": RawSQL(sql, []) for name, sql in _along.items()}
        probe = probe.annotate(**along)
        sql, params = probe.query.sql_with_params()
        _compiled_user_read = (sql, list(params), list(params).index(_PROBE_PK))
    sql, params, at = _compiled_user_read
    params = [*params[:at], user_model._meta.pk.to_python(user_id), *params[at + 1 :]]
    return next(iter(user_model._default_manager.raw(sql, params)), None)


def remember_memberships(user):
    """Let ``user`` (a request's) keep its membership facts for the request; returns it. A
    user read by :func:`with_membership_facts` starts with them (no query of its own)."""
    if user is not None and getattr(user, "is_authenticated", False):
        rows = getattr(user, FACTS_COLUMN, None)
        if rows is None:
            user._membership_facts = None
        else:
            # Raw reads give each jsonb value as its text (Django's loader), the ORM as a dict.
            rows = [json.loads(row) if isinstance(row, str) else row for row in rows]
            facts = [(row["agency"], row["role"], row["kind"]) for row in rows]
            user._membership_facts = (_generation, facts)
    return user


def membership_facts(user) -> list[tuple[int, str, str]]:
    """(agency id, role, agency kind) of ``user``'s active memberships, read once per request."""
    memo = getattr(user, "_membership_facts", _NOT_REMEMBERED)
    if memo is not _NOT_REMEMBERED and memo is not None and memo[0] == _generation:
        return memo[1]
    facts = list(active_memberships(user).values_list("agency_id", "role", "agency__kind"))
    if memo is not _NOT_REMEMBERED:
        user._membership_facts = (_generation, facts)
    return facts


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (Membership, Agency):
        post_save.connect(_new_generation, sender=model, dispatch_uid=f"memo.{model.__name__}")
        post_delete.connect(_new_generation, sender=model, dispatch_uid=f"memo.d.{model.__name__}")


#: The backend sessions signed in before ``accounts.backends.PortalModelBackend`` name.
_LEGACY_BACKEND = "django.contrib.auth.backends.ModelBackend"
_PORTAL_BACKEND = "accounts.backends.PortalModelBackend"


class MembershipsOncePerRequest:
    """After ``AuthenticationMiddleware``: the request's user reads its memberships once."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth import BACKEND_SESSION_KEY
        from django.contrib.auth.middleware import get_user
        from django.utils.functional import SimpleLazyObject

        def user():
            # A session signed in with Django's ModelBackend (before the portal's subclass,
            # which authenticates the same way) keeps its sign-in: it now names the subclass.
            session = request.session
            if session.get(BACKEND_SESSION_KEY) == _LEGACY_BACKEND:
                session[BACKEND_SESSION_KEY] = _PORTAL_BACKEND
            found = get_user(request)
            values = _along_values.get()
            if values is not None:
                for name in _along:
                    values[name] = getattr(found, f"{_ALONG_PREFIX}{name}", None)
            return remember_memberships(found)

        request.user = SimpleLazyObject(user)
        reading = request.method in ("GET", "HEAD")
        token = _along_values.set({} if reading else None)
        try:
            return self.get_response(request)
        finally:
            _along_values.reset(token)


def holds_membership(user) -> bool:
    """Any active membership (in an active agency)."""
    return signed_in(user) and bool(membership_facts(user))


def agency_roles(user) -> list[tuple[int, str]]:
    """(agency id, role) of the active memberships."""
    if not signed_in(user):
        return []
    return [(agency_id, role) for agency_id, role, _kind in membership_facts(user)]


def active_roles(user) -> set[str]:
    """The roles ``user`` holds through active memberships (empty for anonymous or inactive
    users)."""
    if not signed_in(user):
        return set()
    return {role for _agency, role, _kind in membership_facts(user)}


def is_administrator(user) -> bool:
    """A superuser, or a user with an active ``administrator`` membership."""
    if not signed_in(user):
        return False
    return user.is_superuser or Role.ADMINISTRATOR in active_roles(user)


# --- the one-stop office (DPMPTSP) -----------------------------------------------------------


def _office(prefix: str = "") -> Q:
    return Q(**{f"{prefix}kind": Agency.Kind.ONE_STOP_OFFICE, f"{prefix}is_active": True})


def office_agencies() -> QuerySet[Agency]:
    """The active one-stop office(s): the agency that delivers every service."""
    return Agency.objects.filter(_office())


def is_office(agency_id: int | None) -> bool:
    """Whether ``agency_id`` is an active one-stop office."""
    return agency_id is not None and office_agencies().filter(pk=agency_id).exists()


def office_memberships() -> QuerySet[Membership]:
    """Active memberships of active people in an active one-stop office (filter by ``role``
    for, e.g., the office's heads)."""
    return Membership.objects.filter(_office("agency__"), is_active=True, user__is_active=True)


def office_wide(user) -> bool:
    """The one "office-wide staff" rule: administrators (any administrator membership, or a
    superuser) and everyone with an active membership, in any role, of an active one-stop
    office. They see every submitted application, every task and applicants' personal data; an
    OPD's staff see only what reaches their agency. A membership of a closed agency counts for
    nothing (see :func:`active_memberships`)."""
    if not signed_in(user):
        return False
    return is_administrator(user) or any(
        kind == Agency.Kind.ONE_STOP_OFFICE for _agency, _role, kind in membership_facts(user)
    )


def is_office_head(user) -> bool:
    """An active ``head`` membership of an active one-stop office (the *Kepala Dinas*)."""
    if not signed_in(user):
        return False
    return any(
        role == Role.HEAD and kind == Agency.Kind.ONE_STOP_OFFICE
        for _agency, role, kind in membership_facts(user)
    )


# --- monitoring and complaints --------------------------------------------------------------

#: Roles that watch SOP performance (dashboards, SKM results, the six-monthly monitoring).
MONITORING_ROLES = frozenset({Role.HEAD, Role.COMPLAINTS_OFFICER, Role.ADMINISTRATOR})


def can_monitor(user) -> bool:
    """Heads, the complaints and reporting unit, and administrators see performance figures."""
    if not signed_in(user):
        return False
    return user.is_superuser or bool(MONITORING_ROLES & active_roles(user))


def handles_complaints(user) -> bool:
    """The complaints and reporting unit, heads and administrators answer complaints."""
    return can_monitor(user)


def serves_at_counter(user) -> bool:
    """The counter (*loket*) of the one-stop office: its front-office members, and
    administrators (who stand in for them)."""
    if not signed_in(user):
        return False
    if is_administrator(user):
        return True
    return any(
        role == Role.FRONT_OFFICE and kind == Agency.Kind.ONE_STOP_OFFICE
        for _agency, role, kind in membership_facts(user)
    )
