"""Template helpers of the monitoring pages: cell formatting and click-through links."""

from urllib.parse import urlencode

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse

register = template.Library()


@register.filter
def cell(value):
    """A table cell: a dash for no value, one decimal for rates and hours."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return floatformat(value, 1)
    return value


@register.simple_tag
def through(link: dict, query: str) -> str:
    """The URL of the applications behind a figure (``link``) under the dashboard's filters."""
    return f"{reverse('monitoring:applications')}?{query}&{urlencode(link)}"
