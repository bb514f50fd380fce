"""What the staff pages read: the tasks a member of staff may see and act on, the inbox's
filters and order, and the people a task can be handed to. Who may see what is
``workflows.access`` (tasks) and ``permits.access`` (applications, files, issued documents)."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from agencies.access import holds_membership, is_administrator
from agencies.models import Agency
from workflows import access as workflow_access
from workflows.models import StepEvent, Task

from . import public_cache
from .models import Application, Service

SORTS = ("due", "age")
STATES = ("open", "claimed", "mine")
SCOPES = ("actionable", "queue")


def is_staff_member(user) -> bool:
    """Someone who works in an agency (or administers the portal)."""
    return is_administrator(user) or holds_membership(user)


def staff_tasks(user) -> QuerySet:
    """The staff tasks ``user`` may open (:func:`workflows.access.staff_tasks`)."""
    return workflow_access.staff_tasks(user, Task.objects.all())


@dataclass(frozen=True)
class InboxQuery:
    """The inbox's filters, as read from the query string (unknown values are ignored)."""

    scope: str = "actionable"
    service: str = ""
    action: str = ""
    state: str = ""
    q: str = ""
    sort: str = "due"

    @classmethod
    def from_params(cls, params) -> "InboxQuery":
        def pick(name: str, allowed: tuple[str, ...], default: str = "") -> str:
            value = params.get(name, default)
            return value if value in allowed else default

        return cls(
            scope=pick("scope", SCOPES, "actionable"),
            service=(params.get("service") or "").strip()[:60],
            action=(params.get("action") or "").strip()[:30],
            state=pick("state", STATES),
            q=(params.get("q") or "").strip()[:100],
            sort=pick("sort", SORTS, "due"),
        )


def filter_choices() -> dict[str, list[tuple]]:
    """The services and agencies of the staff pages' filters (inbox, search), as ``(value,
    text)`` pairs: the services with an SOP by name, the active agencies; kept with the
    catalogue's version (``permits.public_cache.local``: a write of either starts a new one)."""

    def build() -> dict[str, list[tuple]]:
        services = Service.objects.filter(sop__isnull=False).order_by("name")
        agencies = Agency.objects.active().order_by("kind", "name")
        return {
            "services": list(services.values_list("code", "name")),
            "agencies": list(agencies.values_list("pk", "name")),
        }

    # In this process's memory (one cache read, the version): read on every inbox page.
    return public_cache.local(("staff-filter-choices",), build)


def status_choices() -> list[tuple[str, str]]:
    """The statuses of a submitted file (a draft is nobody's search result)."""
    return [s for s in Application.Status.choices if s[0] != Application.Status.DRAFT]


def inbox(user, query: InboxQuery) -> QuerySet:
    """The open tasks of the inbox: the ones ``user`` may act on, or their agencies' whole
    queue; filtered, searched and sorted (due date first, the ones without one last; or the
    oldest first), with what a row shows fetched along (page it with
    :class:`IdsFirstPaginator`)."""
    if query.scope == "queue":
        tasks = staff_tasks(user).open()
    elif is_staff_member(user):
        # Every (agency, role) of the user's memberships lies within ``staff_tasks``, so
        # their staff tasks to act on are just that part of ``actionable_by``; asked alone it
        # is one index range per membership (intersecting it with ``staff_tasks`` made
        # PostgreSQL join every open task to its application).
        tasks = Task.objects.actionable_by(user, as_applicant=False)
    else:
        tasks = Task.objects.none()
    if query.service:
        tasks = tasks.filter(application__service__code=query.service)
    if query.action:
        tasks = tasks.filter(step__action=query.action)
    if query.state == "open":
        tasks = tasks.filter(assignee__isnull=True)
    elif query.state == "claimed":
        tasks = tasks.filter(assignee__isnull=False)
    elif query.state == "mine":
        tasks = tasks.filter(assignee=user)
    if query.q:
        tasks = tasks.filter(
            Q(application__tracking_number__icontains=query.q)
            | Q(application__service__name__icontains=query.q)
            | Q(application__service__code__icontains=query.q)
        )
    if query.sort == "age":
        order = [F("opened_at").asc(), "id"]
    else:
        order = [F("due_at").asc(nulls_last=True), F("opened_at").asc(), "id"]
    return (
        tasks.select_related(
            "application__service", "application__applicant", "step", "agency", "assignee"
        )
        # The due-date badge reads each task's pauses from its events.
        .prefetch_related(Prefetch("events", queryset=StepEvent.objects.select_related("by")))
        .order_by(*order)
    )


class IdsFirstPaginator(Paginator):
    """Pages a queryset that joins other tables for what a row shows (``select_related``):
    the page's ids are chosen on the filtered, sorted queryset without those joins, then only
    these rows are read with them. PostgreSQL otherwise joins every matching task (thousands
    in a busy inbox) before sorting and keeping twenty. The ids come with the total
    (``COUNT(*) OVER ()``), so a page costs one query less than a count and then the ids; a
    page past the end falls back to the count. Also the API's task list paginator."""

    def _slim(self) -> QuerySet:
        return self.object_list.select_related(None).prefetch_related(None)

    def _ids_with_total(self, number) -> list[int] | None:
        """The ids from the page's first row on (at most a page and its orphans), and the
        count kept as the paginator's; None when this shortcut does not apply."""
        query = getattr(self.object_list, "query", None)
        if "count" in self.__dict__ or query is None or query.distinct or query.combinator:
            return None
        try:
            number = int(number)
        except (TypeError, ValueError):
            return None
        if number < 1:
            return None
        bottom = (number - 1) * self.per_page
        rows = list(
            self._slim()
            .annotate(_total=Window(Count("*")))
            .values_list("pk", "_total")[bottom : bottom + self.per_page + self.orphans]
        )
        if not rows:
            return None
        self.__dict__["count"] = rows[0][1]
        return [pk for pk, _total in rows]

    def get_page(self, number) -> Page:
        # Django's ``get_page`` validates the number (a count) before ``page``: the ids and
        # the total first, so that the count is not asked for a page that exists.
        self._ids = self._ids_with_total(number)
        return super().get_page(number)

    def page(self, number) -> Page:
        ids, self._ids = getattr(self, "_ids", None), None
        if ids is None:
            ids = self._ids_with_total(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if ids is None:
            ids = list(self._slim().values_list("pk", flat=True)[bottom:top])
        else:
            ids = ids[: top - bottom]
        return self._get_page(list(queryset.filter(pk__in=ids)), number, self)


class CappedPaginator(IdsFirstPaginator):
    """An :class:`IdsFirstPaginator` that reads at most :attr:`cap` + 1 matching ids, in no
    order (a ``LIMIT`` that stops at the first ones found), instead of counting every match:
    an exact count of 100,000 files costs more than the page itself. ``capped`` tells whether
    there are more than ``cap``; the pages offered end there (narrow the search).

    When they are all there (not capped), the page's rows are read among those ids, in one
    query: a look-up of known ids, which PostgreSQL sorts, instead of the newest-first index
    walked backwards through 100,000 files in search of a name's twenty files (the plan its
    LIMIT tempts it into). Capped, the matches are many and that walk finds them soon."""

    cap = 1000

    def _ids_with_total(self, number) -> None:
        # The window's exact total is the very count this paginator is here to avoid.
        return None

    @cached_property
    def matches(self) -> list[int]:
        rows = self.object_list.select_related(None).prefetch_related(None).order_by()
        return list(rows.values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return min(len(self.matches), self.cap)

    @property
    def capped(self) -> bool:
        return len(self.matches) > self.cap

    def page(self, number) -> Page:
        if self.capped:
            return super().page(number)
        # All the matches are known: the page's rows in one query, among those ids.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list.filter(pk__in=self.matches)[bottom:top]
        return self._get_page(list(rows), number, self)


class TaskPagination(PageNumberPagination):
    """The API's task list, paged like the inbox (:class:`IdsFirstPaginator`)."""

    django_paginator_class = IdsFirstPaginator


class CappedPagination(PageNumberPagination):
    """The API's search results, paged like the search page (:class:`CappedPaginator`):
    ``count`` is at most ``cap``, and ``count_capped`` says there are more."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"More than {CappedPaginator.cap} match; count stops there.",
        }
        schema["required"] = [*schema.get("required", []), "count_capped"]
        return schema


def colleagues(task: Task) -> QuerySet:
    """The people a task can be handed to: those holding its role in its agency."""
    from accounts.models import User

    return User.objects.filter(
        is_active=True,
        memberships__agency_id=task.agency_id,
        memberships__role=task.role,
        memberships__is_active=True,
    ).distinct()


def application_summary(application: Application) -> dict:
    """What the task page shows about an application besides its documents."""
    return {
        "application": application,
        "recommendations": list(
            application.recommendations.select_related("agency", "given_by").order_by("given_at")
        ),
        "decisions": list(application.decisions.select_related("decided_by")),
        "issued": list(application.issued_documents.all()),
    }
