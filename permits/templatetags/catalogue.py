"""Template filters for the public catalogue pages: money in Rupiah and list-or-text values."""

from decimal import Decimal

from django import template

from sop_portal.formatting import format_rupiah

register = template.Library()


@register.filter
def rupiah(amount: Decimal | int | None, currency: str = "IDR") -> str:
    """``Rp 1.500.000``: Rupiah are written with dots between thousands and no decimals,
    whatever the page language."""
    return format_rupiah(amount, currency)


@register.filter
def as_list(value) -> list:
    """A JSON value that may be a text or a list of texts, as a list without empty items."""
    if value in (None, ""):
        return []
    if isinstance(value, (list, tuple)):
        return [item for item in value if item not in (None, "")]
    return [value]
