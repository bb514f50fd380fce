"""Who hears about what: the applicant on every change of their application, officers when a
task arrives in their agency's inbox. Each notice is a Notification row written in the
transition's transaction (so a rolled-back transition leaves none); the notices are the
outbox of their e-mails, which the worker sends (``permits.outbox``)."""

import re
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from sop_portal.formatting import ZONE_LABEL, format_day, format_rupiah, month_names
from workflows import actions
from workflows.models import PerformerRole, StepAction

from .models import Application, ApplicationDocument, Notification
from .outbox import EMAIL_BATCH, mail_notices_on_commit


def application_link(application: Application) -> str:
    """Where a notice about ``application`` leads its applicant (empty until the pages exist)."""
    try:
        return reverse("permits:application_detail", args=[application.pk])
    except NoReverseMatch:
        return ""


def staff_application_link(application: Application) -> str:
    """Where a notice about ``application`` leads a member of staff: the staff page of the
    file (the applicant's page is a 404 for anyone but the applicant)."""
    try:
        return reverse("permits:staff_application", args=[application.pk])
    except NoReverseMatch:
        return ""


def task_link(task) -> str:
    try:
        return reverse("permits:task_detail", args=[task.pk])
    except NoReverseMatch:
        return ""


@dataclass
class _LanguagePass:
    """One run of a notice handler: the language it writes in, and the other languages of the
    readers it met (each gets its own run)."""

    language: str
    others: set[str] = field(default_factory=set)

    def keeps(self, language: str) -> bool:
        language = language or settings.LANGUAGE_CODE
        if language != self.language:
            self.others.add(language)
        return language == self.language


_pass: ContextVar[_LanguagePass | None] = ContextVar("notice_language_pass", default=None)


def in_readers_language(handler: Callable[..., None]) -> Callable[..., None]:
    """Run a notice handler so that each reader's notice is written in their language
    (``User.language``): once in the portal's language for its readers, then once more per
    other language met, for those readers only. A handler only reads and calls :func:`notify`,
    so running it again writes nothing twice; with every reader in one language it runs once."""

    @wraps(handler)
    def run(*args: Any, **kwargs: Any) -> None:
        first = _LanguagePass(settings.LANGUAGE_CODE)
        passes = [first]
        while passes:
            current = passes.pop(0)
            token = _pass.set(current)
            try:
                with translation.override(current.language):
                    handler(*args, **kwargs)
            finally:
                _pass.reset(token)
            if current is first:
                passes = [_LanguagePass(code) for code in sorted(first.others)]

    return run


def _readers(users: Iterable[User]) -> list[User]:
    """The users this language pass writes to (all of them outside a pass)."""
    current = _pass.get()
    return [user for user in users if current is None or current.keeps(user.language)]


def notify(recipients: Iterable[User], application: Application | None, text: str, link: str = ""):
    """Write one notice per distinct recipient; their e-mails go out from the outbox once the
    transaction commits. The one writer of notices for every channel and kind. Inside
    :func:`in_readers_language`, only the readers of the pass's language are written to."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    unique = {user.pk: user for user in _readers(unique.values())}
    if not unique:
        return []
    rows = Notification.objects.bulk_create(
        [
            Notification(recipient=user, application=application, text=text, link=link)
            for user in unique.values()
        ]
    )
    mail_notices_on_commit([row.pk for row in rows])
    return rows


def _portal_language():
    # The language is the pass's (in_readers_language): each reader's notice in their language.
    return nullcontext()


@in_readers_language
def notify_holder(issued, message, **values: Any) -> None:
    """A notice to the holder of an issued document about where it stands (suspended, revoked,
    expiring, expired): ``message`` is lazy and written in the reader's language, its dates
    formatted in that language too (the sweep runs with no request, a head may read English)."""
    application = issued.application
    shown = {k: format_day(v) if hasattr(v, "isoformat") else v for k, v in values.items()}
    text = str(message) % shown
    notify([application.applicant], application, text, application_link(application))


def _officers(task) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__agency_id=task.agency_id,
            memberships__role=task.role,
            memberships__is_active=True,
        ).distinct()
    )


def _where(step, tasks) -> str:
    agencies = sorted({t.agency.name for t in tasks if t.agency_id})
    return f"{step.activity} ({', '.join(agencies)})" if agencies else step.activity


@in_readers_language
def on_submitted(application, by, **kwargs: Any) -> None:
    with _portal_language():
        text = _(
            "We have received your application %(number)s for %(service)s. "
            "We will let you know at every step."
        ) % {
            "number": application.tracking_number,
            "service": application.service.name,
        }
    notify([application.applicant], application, text, application_link(application))


@in_readers_language
def on_step_opened(application, step, tasks, by, **kwargs: Any) -> None:
    if step.performer.role == PerformerRole.APPLICANT:
        return  # told by on_returned, with the reason
    with _portal_language():
        text = _("Your application %(number)s has moved on to: %(where)s.") % {
            "number": application.tracking_number,
            "where": _where(step, tasks),
        }
        if step.action == StepAction.PAY:
            payment = tasks[0].payment
            text += " " + _(
                "Please pay %(amount)s using billing number %(bill)s, then upload the proof "
                "of payment on your application page."
            ) % {
                "amount": format_rupiah(payment.amount, payment.currency),
                "bill": payment.billing_number,
            }
        for task in tasks:
            notify(
                _officers(task),
                application,
                _(
                    "A new task is waiting in your inbox: %(activity)s, "
                    "application %(number)s (%(service)s)."
                )
                % {
                    "number": application.tracking_number,
                    "service": application.service.name,
                    "activity": step.activity,
                },
                task_link(task),
            )
    notify([application.applicant], application, text, application_link(application))


@in_readers_language
def on_returned(application, task, reason, documents, by, **kwargs: Any) -> None:
    names = list(
        ApplicationDocument.objects.current()
        .filter(application=application, requirement_code__in=list(documents or {}))
        .values_list("requirement_name", flat=True)
    )
    with _portal_language():
        text = _("Your application %(number)s needs a correction from you: %(reason)s") % {
            "number": application.tracking_number,
            "reason": reason,
        }
        if names:
            text += " " + _("Documents to replace: %(names)s.") % {"names": ", ".join(names)}
    notify([application.applicant], application, text, application_link(application))


@in_readers_language
def on_finished(application, task, by, **kwargs: Any) -> None:
    with _portal_language():
        text = _(
            "Your application %(number)s is finished: %(status)s. Open it to see the result."
        ) % {
            "number": application.tracking_number,
            "status": Application.Status(application.status).label,
        }
    notify([application.applicant], application, text, application_link(application))


@in_readers_language
def on_withdrawn(application, by, tasks, **kwargs: Any) -> None:
    with _portal_language():
        text = _(
            "The applicant withdrew application %(number)s; there is nothing more to do on it."
        ) % {"number": application.tracking_number}
        officers = [u for task in tasks if task.agency_id for u in _officers(task)]
    notify([application.applicant], application, text, application_link(application))
    notify(officers, application, text, staff_application_link(application))


@in_readers_language
def on_reassigned(task, by, to_user, **kwargs: Any) -> None:
    application = task.application
    with _portal_language():
        text = _("%(who)s handed you a task: %(activity)s, application %(number)s.") % {
            "who": by,
            "number": application.tracking_number,
            "activity": task.step.activity,
        }
    notify([to_user], application, text, task_link(task))


@in_readers_language
def on_inspection_scheduled(application, inspection, by, **kwargs: Any) -> None:
    with _portal_language():
        text = _("Officers will visit the site for application %(number)s on %(date)s.") % {
            "number": application.tracking_number,
            "date": format_day(inspection.visit_on),
        }
    notify([application.applicant], application, text, application_link(application))


# The sweep's notices, written by PostgreSQL in one statement from the marks it took: per
# task its latest mark; recipients are the assignee, else the members of the agency holding
# the task's role, plus the agency's heads when overdue (each person once per task).
CLOCK_NOTICES = """
    WITH people AS (
        SELECT w.task_id, t.assignee_id AS user_id
        FROM {taken} w JOIN {task} t ON t.id = w.task_id
        WHERE t.assignee_id IS NOT NULL
        UNION
        SELECT w.task_id, m.user_id
        FROM {taken} w JOIN {task} t ON t.id = w.task_id
        JOIN {membership} m ON m.agency_id = t.agency_id AND m.role = t.role AND m.is_active
        WHERE t.assignee_id IS NULL
        UNION
        SELECT w.task_id, m.user_id
        FROM {taken} w JOIN {task} t ON t.id = w.task_id
        JOIN {membership} m ON m.agency_id = t.agency_id AND m.role = %s AND m.is_active
        WHERE w.kind = %s
    )
    INSERT INTO {notification} (recipient_id, application_id, text, link, created_at)
    SELECT p.user_id, t.application_id,
           CASE WHEN w.kind = %s THEN {overdue} ELSE {soon} END,
           {link}, statement_timestamp()
    FROM people p
    JOIN {taken} w ON w.task_id = p.task_id
    JOIN {task} t ON t.id = p.task_id
    JOIN {application} a ON a.id = t.application_id
    JOIN {step} s ON s.id = t.step_id
    JOIN {user} u ON u.id = p.user_id AND u.is_active
    ORDER BY p.task_id, p.user_id
    RETURNING id
"""


def _sql_text(template: str, fields: dict[str, tuple[str, list]]) -> tuple[str, list]:
    """A translated ``%(name)s`` template as an SQL ``concat`` of its literal parts (bound as
    parameters) and the SQL expressions (with their parameters) ``fields`` gives for its
    placeholders, in the template's order (a translation may reorder them)."""
    parts = re.split(r"%\((\w+)\)s", template)
    sql, params = [], []
    for index, part in enumerate(parts):
        if index % 2:
            expression, expression_params = fields[part]
            sql.append(expression)
            params += expression_params
        elif part:
            sql.append("%s")
            params.append(part.replace("%%", "%"))
    return f"concat({', '.join(sql)})", params


def _per_reader_language(template: Callable[[], str], fields) -> tuple[str, list]:
    """``template`` translated into each of the portal's languages, chosen in SQL by the
    reader's ``u.language`` (the portal's language when it is another)."""
    sql, params = ["CASE u.language"], []
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        with translation.override(code):
            text, text_params = _sql_text(template(), fields() if callable(fields) else fields)
        sql.append(f"WHEN %s THEN {text}")
        params += [code, *text_params]
    with translation.override(settings.LANGUAGE_CODE):
        text, text_params = _sql_text(template(), fields() if callable(fields) else fields)
    sql.append(f"ELSE {text} END")
    return " ".join(sql), params + text_params


def _sql_link(table: str) -> tuple[str, list[str]]:
    """``task_link`` of the task ``table``.id, in SQL."""
    sentinel = 987654321
    try:
        before, after = reverse("permits:task_detail", args=[sentinel]).split(str(sentinel))
    except NoReverseMatch:
        return "%s", [""]
    return f"concat(%s, {table}.id, %s)", [before, after]


def on_clock_warnings(taken) -> None:
    """The clock sweep's warnings (``workflows.sweep.TakenWarnings``), in one statement
    whatever their number: "due soon" to the assignee (else the agency's queue), "overdue"
    also to the agency's heads; the emails go out on commit, in batches."""
    from agencies.models import Membership, Role
    from workflows.models import ClockWarning, SopStep, Task

    tables = {
        "taken": taken.table,
        "task": Task._meta.db_table,
        "membership": Membership._meta.db_table,
        "notification": Notification._meta.db_table,
        "application": Application._meta.db_table,
        "step": SopStep._meta.db_table,
        "user": User._meta.db_table,
    }
    # The due time as ``sop_portal.formatting.format_moment`` writes it, "2 Desember 2026,
    # 08.00 WITA" (the month's name from the reader's language's list, bound as an array).
    local = "(t.due_at AT TIME ZONE %s)"
    due = (
        f"coalesce(to_char({local}, 'FMDD') || ' ' "
        f"|| (%s::text[])[extract(month from {local})::int] "
        f"|| ' ' || to_char({local}, 'YYYY, HH24.MI') || ' {ZONE_LABEL}', '')"
    )
    zone = settings.TIME_ZONE

    def fields() -> dict:  # evaluated in each reader's language (the month names)
        return {
            "activity": ("s.activity", []),
            "number": ("coalesce(a.tracking_number, '')", []),
            "due": (due, [zone, month_names(), zone, zone]),
        }

    overdue, overdue_params = _per_reader_language(
        lambda: _(
            "Overdue: %(activity)s for application %(number)s should have been done by %(due)s."
        ),
        fields,
    )
    soon, soon_params = _per_reader_language(
        lambda: _("Due soon: %(activity)s for application %(number)s must be done by %(due)s."),
        fields,
    )
    link, link_params = _sql_link("t")
    sql = CLOCK_NOTICES.format(**tables, overdue=overdue, soon=soon, link=link)
    params = [
        Role.HEAD,
        ClockWarning.Kind.OVERDUE,
        ClockWarning.Kind.OVERDUE,
        *overdue_params,
        *soon_params,
        *link_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    mail_notices_on_commit(ids)


@in_readers_language
def on_late_applications(clocks) -> None:
    """Applications whose service time passed without a decision: their office's heads hear
    of it (and that it is deemed approved, where so)."""
    from agencies.access import office_memberships
    from agencies.models import Role

    head_ids = set(office_memberships().filter(role=Role.HEAD).values_list("user_id", flat=True))
    heads = {user.pk for user in _readers(User.objects.filter(pk__in=head_ids))}
    notices = []
    with _portal_language():
        for clock in clocks:
            application = clock.application
            text = _(
                "Application %(number)s has run past its service time and has no decision yet."
            ) % {"number": application.tracking_number}
            if clock.deemed_approved_at:
                text += " " + _("Under the service's policy it is deemed approved.")
            link = staff_application_link(application)
            notices += [
                Notification(recipient_id=head, application=application, text=text, link=link)
                for head in sorted(heads)
            ]
    rows = Notification.objects.bulk_create(notices, batch_size=EMAIL_BATCH)
    mail_notices_on_commit([row.pk for row in rows])


def deemed_approval_policy(applications) -> list[int]:
    """The ids of ``applications`` whose service grants deemed approval."""
    return list(
        Application.objects.filter(
            pk__in=[a.pk for a in applications], service__deemed_approval=True
        ).values_list("pk", flat=True)
    )


def register() -> None:
    """Listen to the engine's and the lifecycle's events (``PermitsConfig.ready``)."""
    actions.connect("application_submitted", on_submitted)
    actions.connect("step_opened", on_step_opened)
    actions.connect("application_returned", on_returned)
    actions.connect("application_finished", on_finished)
    actions.connect("application_withdrawn", on_withdrawn)
    actions.connect("task_reassigned", on_reassigned)
    actions.connect("inspection_scheduled", on_inspection_scheduled)
    actions.provide("clock_warnings", on_clock_warnings)
    actions.provide("late_applications", on_late_applications)
    actions.provide("deemed_approval", deemed_approval_policy)
    actions.provide("service_time", lambda application: application.service.service_time)
