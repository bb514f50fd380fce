"""The template face of :mod:`sop_portal.formatting` (a builtin: no ``{% load %}`` needed):
``{{ task.due_at|when }}`` "2 Desember 2026, 08.00 WITA", ``{{ permit.valid_until|day }}``
"2 Desember 2026", ``{{ payment.amount|rupiah }}`` "Rp 1.200.000"."""

from django import template

from sop_portal import formatting

register = template.Library()


@register.filter
def when(value) -> str:
    return formatting.format_moment(value)


@register.filter
def day(value) -> str:
    return formatting.format_day(value)


@register.filter
def rupiah(value, currency: str = "IDR") -> str:
    return formatting.format_rupiah(value, currency)
