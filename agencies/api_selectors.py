"""Queries behind the public agencies API: which agencies are listed and how they are found."""

from django.db.models import Q, QuerySet

from .models import Agency


def public_agencies(*, kind: str = "", search: str = "") -> QuerySet[Agency]:
    """Active agencies, the one-stop office first; an empty value does not filter. ``search``
    matches part of the code or the name."""
    agencies = Agency.objects.active()
    if kind:
        agencies = agencies.filter(kind=kind)
    search = search.strip()
    if search:
        agencies = agencies.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return agencies.order_by("kind", "name", "code")


def public_agency(code: str) -> Agency | None:
    return Agency.objects.active().filter(code=code).first()
