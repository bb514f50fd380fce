"""Reads for the public service catalogue: which services the public sees and how it finds them."""

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from agencies.models import Agency
from workflows import effective
from workflows.models import SopStep, SopVersion

from .models import Service, ServiceKind

MAX_SEARCH_WORDS = 8


@dataclass(frozen=True)
class CatalogueOptions:
    """The choices offered by the catalogue's filters, taken from the public services only."""

    sectors: list[str]
    kinds: list[tuple[str, str]]
    agencies: list[Agency]


def catalogue_services(
    q: str = "", sector: str = "", kind: str = "", agency: str = ""
) -> QuerySet[Service]:
    """Public services matching a free-text search and the filters; an empty value does not
    filter. Every word of ``q`` must appear in the name, the code or the sector. A ``kind``
    that is not a service kind is ignored; an unknown ``agency`` code matches nothing."""
    services = Service.objects.public()
    # A handful of words is plenty to find a service; more would only lengthen the query.
    for word in q.split()[:MAX_SEARCH_WORDS]:
        services = services.filter(
            Q(name__icontains=word) | Q(code__icontains=word) | Q(sector__icontains=word)
        )
    if sector:
        services = services.filter(sector=sector)
    if kind in ServiceKind.values:
        services = services.filter(kind=kind)
    if agency:
        services = services.filter(technical_agencies__code=agency)
    # A card says when a new SOP version takes effect (read in the same query).
    upcoming = SopVersion.objects.filter(
        sop=OuterRef("sop"), status=SopVersion.Status.PUBLISHED, effective_on__gt=effective.today()
    ).values("effective_on")[:1]
    services = services.annotate(sop_upcoming_on=Subquery(upcoming))
    # The cards show the technical agencies: one query for the page, not one per service.
    return services.prefetch_related(
        Prefetch("technical_agencies", queryset=Agency.objects.order_by("name"))
    ).order_by("sector", "name", "pk")


def catalogue_options() -> CatalogueOptions:
    """Filter choices in two queries, whatever the number of services."""
    public = Service.objects.public()
    sectors = list(
        Service.objects.filter(pk__in=public.values("pk"))
        .order_by("sector")
        .values_list("sector", flat=True)
        .distinct()
    )
    agencies = list(
        Agency.objects.filter(services__in=public.values("pk")).distinct().order_by("name")
    )
    return CatalogueOptions(sectors=sectors, kinds=list(ServiceKind.choices), agencies=agencies)


def public_service(code: str) -> Service:
    """One public service with everything its page shows: requirements, technical agencies and
    the published SOP with its steps and performers. Raises ``Service.DoesNotExist`` when the
    code is unknown or the service is not public (inactive, or no published SOP)."""
    return (
        Service.objects.public()
        .with_published_sop()
        .prefetch_related(
            "requirements",
            Prefetch("technical_agencies", queryset=Agency.objects.order_by("name")),
            Prefetch(
                "sop__published_sops__steps",
                queryset=SopStep.objects.select_related("performer__agency").order_by("no"),
            ),
        )
        .get(code=code)
    )
