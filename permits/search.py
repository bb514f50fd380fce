"""Finding a file: the staff search over every application the searcher may see
(:func:`permits.access.applications_visible_to`, finished ones included) by number, applicant
name, NIK, company, service, agency, status and submission date. The text lookups run on
trigram indexes (``pg_trgm``, migration ``0008_search_indexes``) so that a part of a name or a
number is found among 100,000 files without reading them all."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from sop_portal.formatting import portal_zone
from workflows.models import Task

from .access import applications_visible_to
from .models import Application

#: The lookups of a company's identity on an application, for the free text (a part of the
#: company's name) and for an exact NIB: the answers the applicant gave to the service's
#: declared fields (``Application.data``, ``permits.application_data``), each with its index
#: (``Application.Meta.indexes``: a trigram index on the name, an expression index on the NIB).
COMPANY_TEXT_LOOKUPS: tuple[str, ...] = ("data__company_name__icontains",)
COMPANY_NIB_LOOKUPS: tuple[str, ...] = ("data__nib",)

#: A NIK has 16 digits, a NIB 13 (OSS RBA); a typed number of that shape is looked up exactly.
NIK_LENGTH = 16
NIB_LENGTH = 13
MIN_TEXT = 2
#: Up to this many people matching the text are looked up by their ids (``_files_of``).
PEOPLE_LISTED = 1000


class SearchError(ValueError):
    """A search that cannot be run as typed (a bad date, a reversed range); shown as is."""


@dataclass(frozen=True)
class SearchQuery:
    """The search form's fields, read from the query string (unknown choices ignored)."""

    q: str = ""
    service: str = ""
    agency: int | None = None
    status: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.q
            or self.service
            or self.agency
            or self.status
            or self.submitted_from
            or self.submitted_to
        )

    @classmethod
    def from_params(cls, params) -> "SearchQuery":
        status = (params.get("status") or "").strip()
        if status not in Application.Status.values or status == Application.Status.DRAFT:
            status = ""
        agency = (params.get("agency") or "").strip()
        query = cls(
            q=" ".join((params.get("q") or "").split())[:100],
            service=(params.get("service") or "").strip()[:60],
            agency=int(agency) if agency.isdigit() and len(agency) < 10 else None,
            status=status,
            submitted_from=_date(params.get("from"), _("The start date")),
            submitted_to=_date(params.get("to"), _("The end date")),
        )
        if (
            query.submitted_from
            and query.submitted_to
            and query.submitted_from > query.submitted_to
        ):
            raise SearchError(_("The start date is after the end date."))
        return query


def _date(value: str | None, label) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SearchError(
            _("%(field)s is not a date; use the date picker (YYYY-MM-DD).") % {"field": label}
        ) from None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=portal_zone())


def _files_of(people: QuerySet) -> Q:
    """The files of ``people``. The people are read first (a trigram index on their name, the
    NIK's index) and their ids written into the query, where PostgreSQL's statistics tell how
    many files they have: a name's twenty files are then read from the applicant index inside
    the text's BitmapOr, and a part that names everyone (``PEOPLE_LISTED`` or more) is planned
    as what it is, most files. (An ``IN (subquery)`` inside the OR made PostgreSQL filter
    every application with it; ``= ANY(ARRAY(subquery))``, guessed at 200 files whoever
    matched, made it check the OPD's rule file by file on 100,000 of them.)"""
    ids = list(people.order_by().values_list("pk", flat=True)[: PEOPLE_LISTED + 1])
    if len(ids) <= PEOPLE_LISTED:
        return Q(applicant_id__in=ids)
    return Q(applicant__in=people.values("pk"))


def _text(q: str) -> Q:
    """The free text: a part of the tracking number or of the applicant's (or company's) name;
    a NIK or a NIB typed in full is matched exactly."""
    compact = q.replace(" ", "")
    rule = Q(tracking_number__icontains=q)
    if len(q) >= MIN_TEXT:
        people = User.objects.filter(full_name__icontains=q)
        if compact.isdigit() and len(compact) == NIK_LENGTH:
            people = User.objects.filter(Q(full_name__icontains=q) | Q(nik=compact))
        rule |= _files_of(people)
        for lookup in COMPANY_TEXT_LOOKUPS:
            rule |= Q(**{lookup: q})
    if compact.isdigit() and len(compact) == NIB_LENGTH:
        for lookup in COMPANY_NIB_LOOKUPS:
            rule |= Q(**{lookup: compact})
    return rule


def search(user, query: SearchQuery) -> QuerySet[Application]:
    """The applications ``user`` may see that match ``query``, newest submission first
    (drafts are nobody's search result: they are the applicant's alone)."""
    applications = applications_visible_to(user).exclude(status=Application.Status.DRAFT)
    if query.q:
        applications = applications.filter(_text(query.q))
    if query.service:
        applications = applications.filter(service__code=query.service)
    if query.agency:
        applications = applications.filter(
            Exists(Task.objects.filter(application=OuterRef("pk"), agency_id=query.agency))
        )
    if query.status:
        applications = applications.filter(status=query.status)
    # Days are WITA days, turned into UTC bounds (an index range rather than a cast per row).
    if query.submitted_from:
        applications = applications.filter(submitted_at__gte=_start_of(query.submitted_from))
    if query.submitted_to:
        applications = applications.filter(
            submitted_at__lt=_start_of(query.submitted_to + timedelta(days=1))
        )
    return applications.select_related("service", "applicant").order_by("-submitted_at", "-id")
