"""Template helpers of the staff pages: Bootstrap classes on form widgets and the WITA time of
a moment."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.forms import BoundField, Select

register = template.Library()
WITA = ZoneInfo("Asia/Makassar")


@register.filter
def control(field: BoundField) -> str:
    """The widget of ``field`` with Bootstrap's class (and marked invalid when it has errors)."""
    widget = field.field.widget
    css = "form-select" if isinstance(widget, Select) else "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def wita(value: datetime | None) -> datetime | None:
    return value.astimezone(WITA) if value else value
