"""Template filters of issued documents: where a permit stands today."""

from django import template

from .. import validity

register = template.Library()


@register.filter
def standing_label(issued) -> str:
    """Valid / expiring / expired / suspended / revoked / replaced, in words."""
    return validity.standing_label(issued)


@register.filter
def standing(issued) -> str:
    return validity.standing(issued)
