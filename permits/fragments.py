"""The variable parts of the public tracking result and of the staff inbox, rendered once per
version and kept in the shared cache (Redis in production).

Both pages cost 25-100 ms to build (the timeline's clocks, the inbox's twenty rows through
Django's template engine) but change only when a file moves. So each rendered fragment is kept
under *version tokens*: random values in the cache that any save of what the fragment shows
replaces (a task, its events, the application, its service clock, its issued documents). A hit
costs one cache read of the tokens and one of the fragment, and no query of its own (the
tracking result reads both in one round trip: its entry keeps the token it was built under).

A token is replaced at the write (so the writing request itself sees the change) and again
after its transaction commits (so a fragment rendered meanwhile by another request from the data
before the commit is not kept), as ``permits.public_cache`` does for the catalogue. A missing
token (evicted) is made anew, so it never matches an old fragment.

What is *not* in a fragment, so that nothing is cached across people: the access-code check
and its throttle (``permits.access.track``, run on every lookup), the CSRF token and the
claim / release buttons of the inbox (they depend on who asks: a placeholder per row is filled
in per request). The inbox's key names the access facts that decide the rows (the agencies, or
the user for the "for me" scope whose rule includes their own claims), never more people than
would see the same rows.

Time-dependent text (clock states, working days used, a permit's standing on its expiry day)
is kept for the WITA hour at most: the hour is part of every key, and an entry ends at the
first due date it shows (a clock turns overdue then; "due soon" may show up to the hour
late). Data changed by a raw ``QuerySet.update`` of these models (none on these paths: the
deadline sweep's late mark is not shown) or a change of the working calendar is seen at the
next hour.
"""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from workflows import calendar

from . import public_cache

TRACK_TEMPLATE = "permits/applicant/_track_result.html"
INBOX_TEMPLATE = "permits/staff/_inbox_body.html"
#: Every template a fragment renders: a deploy that changes one starts new keys.
TEMPLATES = (
    TRACK_TEMPLATE,
    "permits/applicant/_service_time.html",
    "permits/applicant/_timeline.html",
    INBOX_TEMPLATE,
    "permits/staff/_filter_select.html",
)
#: The hour is in every key; an entry outliving it would never be read again.
FRAGMENT_SECONDS = 3600
#: Every staff inbox of office-wide staff (they see every agency's queue).
ALL_QUEUES = "queue:all"


# --- version tokens -----------------------------------------------------------------------------


def _token_key(name: str) -> str:
    return f"fragment-version:{name}"


def tokens(names: list[str], *also: str) -> list[str]:
    """The current token of each of ``names`` (one cache read; made on first use), then the
    values of the cache keys ``also`` read along (None where missing)."""
    keys = [_token_key(name) for name in names]
    found = cache.get_many([*keys, *also])
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, None)
        found.update(cache.get_many(missing))
    return [found.get(key, "") for key in keys] + [found.get(key) for key in also]


def _renew(names: tuple[str, ...]) -> None:
    cache.set_many({_token_key(name): uuid.uuid4().hex for name in names}, None)


def bump(*names: str) -> None:
    """What ``names`` stand for changed: now, and again when the transaction commits."""
    _renew(names)
    transaction.on_commit(lambda: _renew(names))


@functools.cache
def _deploy() -> str:
    from django.template import engines

    engine = engines["django"].engine
    sources = [engine.find_template(name)[0].source for name in TEMPLATES]
    return hashlib.sha256(repr(sources).encode()).hexdigest()[:12]


def _hour() -> str:
    return timezone.localtime(timezone.now(), calendar.ZONE).strftime("%Y-%m-%dT%H")


def _next_due(moments) -> datetime | None:
    now = timezone.now()
    return min((m for m in moments if m and m > now), default=None)


def _cached(
    kind: str, parts: tuple, build: Callable[[], tuple[str, datetime | None]]
) -> SafeString:
    """``build()`` gives the HTML and the next due date it shows, if any: a clock turns
    overdue then, so the entry ends at that moment rather than at the end of the hour."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"fragment:{kind}:{_deploy()}:{get_language()}:{_hour()}:{digest}"
    kept = cache.get(key)
    # The end is kept with the HTML and read on the portal's clock (the cache's own expiry
    # runs on the server's): the same moment the clocks compute overdue with.
    if kept is None or (kept[1] is not None and timezone.now() >= kept[1]):
        html, due = build()
        cache.set(key, (str(html), due), FRAGMENT_SECONDS)
        return mark_safe(html)
    return mark_safe(kept[0])  # rendered by the template engine, which escaped it


# --- the tracking result --------------------------------------------------------------------


def tracking_result(application) -> SafeString:
    """The tracking result of ``application`` (its status, permits, service time and step
    timeline) as HTML. Call it only after the access code was checked for this request;
    ``application`` may be the lookup's partial row (:func:`permits.access.find_tracked`):
    the whole application is read only to build the fragment."""
    from . import progress
    from .models import Application

    def build() -> tuple[str, datetime | None]:
        shown_application = application
        if application.get_deferred_fields():
            shown_application = Application.objects.select_related("service", "service_clock").get(
                pk=application.pk
            )
        shown = progress.progress(shown_application, public=True)
        context = {"application": shown_application, "progress": shown}
        html = render_to_string(TRACK_TEMPLATE, context)
        dues = [step.due_at for step in shown.steps if step.is_open]
        return html, _next_due([*dues, shown.service_time.due_at])

    # One key per application, the token kept inside the entry: the token and the fragment
    # are then read in one cache round trip (a key named by the token needs the token first).
    key = f"fragment:track:{_deploy()}:{get_language()}:{_hour()}:{application.pk}"
    token, kept = tokens([f"track:{application.pk}"], key)
    # The end is kept with the HTML and read on the portal's clock (see _cached).
    if kept is None or kept[2] != token or (kept[1] is not None and timezone.now() >= kept[1]):
        html, due = build()
        cache.set(key, (str(html), due, token), FRAGMENT_SECONDS)
        return mark_safe(html)
    return mark_safe(kept[0])  # rendered by the template engine, which escaped it


# --- the staff inbox ------------------------------------------------------------------------

_ACTION = re.compile(r"<!--inbox-action:(\d+):(\d+)-->")


def _inbox_scope(user, query) -> tuple[tuple, list[str]]:
    """What decides the rows ``user`` sees under ``query``, and the queue tokens that cover
    them: the same facts ``staff_services.inbox`` filters by."""
    from agencies.access import agency_roles, office_wide

    if office_wide(user):
        facts, queues = ("office",), [ALL_QUEUES]
    else:
        roles = sorted(agency_roles(user))
        facts = tuple(roles)
        queues = [f"queue:{agency}" for agency in sorted({a for a, _r in roles})] or [ALL_QUEUES]
    if query.scope == "queue":
        # The agency queue: the agencies (or office-wide) decide, not the person...
        facts = (("office",) if facts == ("office",) else tuple(sorted({f[0] for f in facts})),)
    # ...but "for me" also holds the tasks they claimed, and "mine" is theirs alone.
    if query.scope != "queue" or query.state == "mine":
        facts = (*facts, ("user", user.pk))
    return facts, queues


#: A pk no row has, reversed once per request and then replaced by each row's pk.
_PK_SLOT = 987654321
_FORM = (
    '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken"'
    ' value="{}"><input type="hidden" name="next" value="inbox"><button class="btn'
    ' btn-sm btn-outline-{}" type="submit">{}</button></form>'
)


def _actions(request, html: str) -> str:
    """Fill each row's placeholder with the claim or release button of this request's user.
    Each kind of form is built once per request (a ``reverse`` and a ``format_html`` per row
    were a fifth of a warm inbox); a row's form is that one with its pk put in the URL."""
    csrf = get_token(request)
    forms: dict[str, list[str]] = {}

    def form(kind: str) -> list[str]:
        if kind not in forms:
            label, css = (_("Claim"), "primary") if kind == "claim" else (_("Release"), "secondary")
            url = reverse(f"permits:task_{kind}", args=[_PK_SLOT])
            # The URL comes first in the form, so the first slot is the one in it.
            forms[kind] = format_html(_FORM, url, csrf, css, label).split(str(_PK_SLOT), 1)
        return forms[kind]

    def button(match: re.Match) -> str:
        pk, assignee = int(match[1]), int(match[2])
        if assignee == 0:
            kind = "claim"
        elif assignee == request.user.pk:
            kind = "release"
        else:
            return ""
        return str(pk).join(form(kind))

    return _ACTION.sub(button, html)


def inbox_body(request, query, page_number: str, build: Callable[[], dict]) -> SafeString:
    """The inbox's tabs, filters, rows and pages for ``request.user`` under ``query`` as HTML;
    ``build()`` gives the template's context on a miss (the page of rows from the one access
    rule, ``staff_services.inbox``)."""
    facts, queues = _inbox_scope(request.user, query)
    # The catalogue's version too (the service list, the steps' names): one cache read.
    *versions, catalogue = tokens(queues, public_cache.VERSION_KEY)
    versions.append(catalogue or public_cache.version())
    page = page_number if (page_number or "").isdigit() else ""
    parts = (facts, versions, query, page[:6])

    def render() -> tuple[str, datetime | None]:
        context = build()
        html = render_to_string(INBOX_TEMPLATE, context)
        return html, _next_due(task.due_at for task in context["page"].object_list)

    html = _cached("inbox", parts, render)
    return mark_safe(_actions(request, html))  # the buttons are built by format_html


# --- what replaces the tokens ---------------------------------------------------------------


def _task_changed(sender, instance, **kwargs) -> None:
    bump(f"track:{instance.application_id}", f"queue:{instance.agency_id or 0}", ALL_QUEUES)


def _of_application(sender, instance, **kwargs) -> None:
    bump(f"track:{instance.application_id}")


def _application_changed(sender, instance, **kwargs) -> None:
    bump(f"track:{instance.pk}")


def connect() -> None:
    """Replace the tokens on every save or delete of what the fragments show."""
    from workflows.models import ServiceClock, StepEvent, Task

    from .models import Application, IssuedDocument

    receivers = [
        (Task, _task_changed),
        (StepEvent, _of_application),
        (ServiceClock, _of_application),
        (IssuedDocument, _of_application),
        (Application, _application_changed),
    ]
    for model, receiver in receivers:
        uid = f"fragments.{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + ".delete")
