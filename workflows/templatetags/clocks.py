"""``{% due_badge task %}``: a task's clock as a badge (on time, due soon, overdue, paused) with
its due date in WITA; ``{% clock_badge state label %}`` and ``|office_time`` for the applicant's
timeline."""

from datetime import timedelta

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from sop_portal.formatting import format_moment
from workflows import clocks
from workflows.durations import Duration, TimeUnit

register = template.Library()

CLASSES = {
    clocks.ON_TIME: "text-bg-success",
    clocks.DUE_SOON: "text-bg-warning",
    clocks.OVERDUE: "text-bg-danger",
    clocks.PAUSED: "text-bg-secondary",
    clocks.DONE: "text-bg-light",
    clocks.NO_NORM: "text-bg-light",
}


@register.simple_tag
def due_badge(task) -> str:
    """The badge of ``task``'s clock; the pause reason is its title while paused."""
    state = clocks.state(task)
    label = clocks.STATE_LABELS[state.status]
    if state.due_at is None:
        return format_html('<span class="badge {}">{}</span>', CLASSES[state.status], label)
    due = format_moment(state.due_at)
    title = ""
    if state.status == clocks.PAUSED and state.pauses:
        title = state.pauses[-1].reason_label
    return format_html(
        '<span class="badge {}" title="{}">{} · {} {}</span>',
        CLASSES[state.status],
        title,
        label,
        _("due"),
        due,
    )


@register.simple_tag
def task_clock(task) -> dict:
    """What the task page says of its clock: the due time, the state's badge, and the office
    time left (or how late it is): ``{% task_clock task as clock %}``."""
    state = clocks.state(task)
    late = None
    if state.remaining is not None and state.remaining < timedelta(0):
        late = -state.remaining
    return {
        "status": state.status,
        "label": clocks.STATE_LABELS[state.status],
        "css": CLASSES[state.status],
        "due_at": state.due_at,
        "left": state.remaining if state.remaining and state.remaining > timedelta(0) else None,
        "late": late,
    }


@register.simple_tag
def clock_badge(state: str, label: str) -> str:
    """A clock's state as a pill: a shape and the words, so colour is never the only sign
    (styles in ``static/css/timeline.css``)."""
    return format_html(
        '<span class="clock-badge clock-badge--{}"><span class="clock-badge__icon" '
        'aria-hidden="true"></span>{}</span>',
        state,
        label,
    )


@register.filter
def office_time(value: timedelta | None) -> str:
    """Office time as "2 hours 30 minutes" (never as days: a day of office time is not 24 h)."""
    if not value:
        return ""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = [Duration(hours, TimeUnit.HOURS)] if hours else []
    if minutes or not hours:
        parts.append(Duration(minutes, TimeUnit.MINUTES))
    return " ".join(str(p) for p in parts)
