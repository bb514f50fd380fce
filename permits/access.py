"""Who may see what of permits: applications, their files (documents, attachments, reports,
payment proofs), issued documents, applicants' personal data (NIK), and the public tracking
lookup with its throttle. ``Application.objects.visible_to`` and every page, API view,
download and PDF of this app apply these rules and no other.

The role facts (administrator, office-wide staff, active memberships) come from
:mod:`agencies.access`; the tasks' rule from :mod:`workflows.access`."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.access import (
    agency_roles,
    office_memberships,
    office_wide,
    serves_at_counter,
    signed_in,
)
from agencies.models import Role
from workflows.models import Task

from . import numbering
from .models import Application, IssuedDocument

# --- applications ----------------------------------------------------------------------------


def _staff_rule(user) -> Q | None:
    """What ``user`` sees as staff: office-wide staff every submitted application, OPD staff
    the applications with a task of their agency; None for someone who is not staff."""
    if office_wide(user):
        return ~Q(status=Application.Status.DRAFT)
    agencies = sorted({agency_id for agency_id, _role in agency_roles(user)})
    if not agencies:
        return None
    return Q(Exists(Task.objects.filter(application=OuterRef("pk"), agency_id__in=agencies)))


def applications_visible_to(user, applications: QuerySet | None = None) -> QuerySet[Application]:
    """Anyone signed in: their own applications (drafts included); staff besides: what
    :func:`_staff_rule` gives. Nothing for anonymous or inactive users."""
    applications = Application.objects.all() if applications is None else applications
    if not signed_in(user):
        return applications.none()
    rule = Q(applicant=user)
    staff = _staff_rule(user)
    return applications.filter(rule | staff if staff is not None else rule)


def may_see_application(user, application_id: int) -> bool:
    return applications_visible_to(user).filter(pk=application_id).exists()


def files_visible_to(user, model: type[Model]) -> QuerySet:
    """Rows of ``model`` (anything with an ``application``: documents, attachments, inspection
    reports, payments) belonging to an application ``user`` may see; the one rule of every
    file download and preview."""
    return model.objects.filter(application__in=applications_visible_to(user).values("pk"))


def may_download_issued(user, issued: IssuedDocument) -> bool:
    """An issued document goes with its application: whoever may see the application."""
    return may_see_application(user, issued.application_id)


def may_change_standing(user) -> bool:
    """Suspending, reinstating and revoking a permit: the heads of the one-stop office (the
    official who signs permits signs their suspension and revocation)."""
    if not signed_in(user):
        return False
    return office_memberships().filter(user=user, role=Role.HEAD).exists()


def may_follow_up(user, issued: IssuedDocument) -> bool:
    """Starting a renewal or an amendment of a permit: its holder (the applicant)."""
    return signed_in(user) and issued.application.applicant_id == user.pk


def may_serve_at_counter(user) -> bool:
    """Finding and registering walk-in applicants, entering and submitting applications on
    their behalf, printing the office's forms: the front office (and administrators)."""
    return serves_at_counter(user)


def may_act_for_applicant(user, application: Application) -> bool:
    """The applicant's own steps (documents, submitting) of an application entered at the
    counter are done by the front office at the counter; online ones only by the applicant."""
    if not signed_in(user):
        return False
    if user.pk == application.applicant_id:
        return True
    return application.entered_by_id is not None and may_serve_at_counter(user)


def counter_applications(user) -> QuerySet[Application]:
    """What the counter serves: the applications the front office sees, and the drafts entered
    at the counter (by any colleague: a walk-in comes back to another counter). Nothing for
    anyone who does not serve at the counter."""
    if not may_serve_at_counter(user):
        return Application.objects.none()
    return applications_visible_to(user) | Application.objects.filter(
        entered_by__isnull=False, status=Application.Status.DRAFT
    )


def may_read_access_code(user, application: Application) -> bool:
    """Reading and re-issuing the access code: its owner, and the front office for any
    submitted application (a walk-in applicant asks at the counter)."""
    if not signed_in(user):
        return False
    if user.pk == application.applicant_id:
        return True
    return application.status != Application.Status.DRAFT and may_serve_at_counter(user)


# --- personal data ---------------------------------------------------------------------------


def may_see_personal_data(viewer, owner_nik: str) -> bool:
    """An applicant's NIK (and other identity data) in full: for the person themselves and
    office-wide staff (:func:`agencies.access.office_wide`); an OPD sees it masked."""
    if not signed_in(viewer):
        return False
    own = bool(owner_nik) and getattr(viewer, "nik", None) == owner_nik
    return own or office_wide(viewer)


# --- public tracking (page and API) ----------------------------------------------------------

#: The same message whatever was wrong: the number, the code, or both.
NO_MATCH = _("No application matches this tracking number and access code.")
THROTTLED = _("Too many attempts. Try again in a few minutes.")


class TrackingRefused(Exception):
    """A tracking lookup that found nothing (``throttled`` false) or was not tried because
    the address has used up its guesses (``throttled`` true)."""

    def __init__(self, throttled: bool):
        super().__init__(str(THROTTLED if throttled else NO_MATCH))
        self.throttled = throttled


def client_address(request) -> str:
    """The client address a throttle counts against (the proxy in front sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _throttle_key(address: str) -> str:
    return f"tracking:failures:{address}"


def tracking_window() -> int:
    return settings.TRACKING_THROTTLE_SECONDS


def tracking_attempts_left(address: str) -> int:
    """Failed lookups ``address`` may still make in the current window. One counter per
    address, shared by the tracking page, the tracking API and the complaint tracking doors,
    kept in the cache (shared between processes when the cache is Redis or the database)."""
    limit = settings.TRACKING_MAX_ATTEMPTS
    return max(0, limit - (cache.get(_throttle_key(address)) or 0))


def record_failed_tracking(address: str) -> None:
    key, window = _throttle_key(address), tracking_window()
    if cache.add(key, 1, window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)


def normalise_number(number: str) -> str:
    return (number or "").strip().upper()[:40]


_PROBE_NUMBER = "\x00probe"
_compiled_tracked_read: tuple[str, list, int] | None = None


def _tracked_candidate(number: str) -> Application | None:
    """The submitted application numbered ``number`` with only what the code check reads
    (the other fields load when used: the result fragment on a miss). The SQL is compiled
    once per process, as ``agencies.access.user_with_memberships`` does: building this query
    with the ORM cost more than running it."""
    global _compiled_tracked_read
    if _compiled_tracked_read is None:
        probe = (
            Application.objects.exclude(status=Application.Status.DRAFT)
            .filter(tracking_number=_PROBE_NUMBER)
            .only("pk", "tracking_number", "access_code_hash")
            .order_by()[:1]
        )
        sql, params = probe.query.sql_with_params()
        _compiled_tracked_read = (sql, list(params), list(params).index(_PROBE_NUMBER))
    sql, params, at = _compiled_tracked_read
    params = [*params[:at], number, *params[at + 1 :]]
    return next(iter(Application.objects.raw(sql, params)), None)


def find_tracked(number: str, code: str) -> Application | None:
    """The submitted application with this tracking number and access code, or None (for a
    wrong number and a wrong code alike; the code is compared in constant time, and hashed
    even when the number is unknown so that both cost the same). Only its number and code
    hash are loaded; any other field costs a query when read."""
    application = _tracked_candidate(normalise_number(number))
    if application is None:
        numbering.hash_access_code("-", code or "")
        return None
    return application if numbering.access_code_matches(application, code) else None


def track(number: str, code: str, address: str, find=find_tracked):
    """The one guarded lookup behind every public tracking door: refused while ``address``
    has no attempts left, a failure counted against it otherwise. ``find(number, code)``
    defaults to applications (complaints pass their own). Raises :class:`TrackingRefused`."""
    if tracking_attempts_left(address) <= 0:
        raise TrackingRefused(throttled=True)
    found = find(number, code)
    if found is None:
        record_failed_tracking(address)
        raise TrackingRefused(throttled=False)
    return found


# A lookup that succeeded is kept in the session (the object's kind and pk, never the code), so
# that the same browser can see the result again at ``?nomor=`` — after the language switch,
# which redirects with a GET (issue 15 item 4). The grant ends with the session.
TRACKED_SESSION_KEY = "tracked"


def remember_tracked(session, kind: str, obj) -> None:
    """Note in ``session`` that its holder gave the right code for ``obj`` (of ``kind``)."""
    granted = dict(session.get(TRACKED_SESSION_KEY) or {})
    if obj.pk in granted.get(kind, ()):
        return  # already granted: the session is not written again (a repeat lookup)
    granted[kind] = sorted({*granted.get(kind, []), obj.pk})[-20:]
    session[TRACKED_SESSION_KEY] = granted


def tracked_again(session, kind: str, queryset, number_field: str, number: str):
    """The object of ``kind`` numbered ``number`` that this session already tracked, or None."""
    pks = (session.get(TRACKED_SESSION_KEY) or {}).get(kind) or []
    number = normalise_number(number)
    if not pks or not number:
        return None
    return queryset.filter(pk__in=pks, **{number_field: number}).first()
