"""The monitoring API (``/api/v1/``): the figures behind every dashboard table (read-only, for
those who may monitor; a 404 for other staff and applicants) and the public transparency
figures. Thin callers of ``tables`` and ``transparency``; one endpoint per table, each with
its own documented output serializer built from the table's columns."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import access, facts, page_cache, tables
from .filters import Filters
from .transparency import cache_key, cached_rows

TAG = "monitoring"


class CanMonitor(BasePermission):
    """Heads, the complaints and reporting unit and administrators; other signed-in users get a
    404 (the figures do not exist for them), anonymous callers a 401/403."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not access.may_see_figures(request.user):
            raise Http404
        return True


FILTER_PARAMETERS = [
    OpenApiParameter("from", str, description="First day of the period (YYYY-MM-DD, WITA)."),
    OpenApiParameter("to", str, description="Last day of the period (YYYY-MM-DD, WITA)."),
    OpenApiParameter("service", int, description="Only this service (id)."),
    OpenApiParameter("agency", int, description="Only this agency (id)."),
    OpenApiParameter("version", int, description="Only this SOP version (id)."),
]

FIELD_FOR_KIND = {
    tables.TEXT: lambda: serializers.CharField(),
    tables.INT: lambda: serializers.IntegerField(allow_null=True),
    tables.NUMBER: lambda: serializers.FloatField(allow_null=True),
    tables.PERCENT: lambda: serializers.FloatField(allow_null=True, help_text="percent"),
    tables.HOURS: lambda: serializers.FloatField(allow_null=True, help_text="office hours"),
}


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    service = serializers.IntegerField(allow_null=True)
    agency = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=list(FIELD_FOR_KIND))


def _row_serializer(name: str) -> type[serializers.Serializer]:
    fields = {c.key: FIELD_FOR_KIND[c.kind]() for c in tables.COLUMNS[name]}
    return type(f"Monitoring{name.title()}RowSerializer", (serializers.Serializer,), fields)


def _output_serializer(name: str) -> type[serializers.Serializer]:
    return type(
        f"Monitoring{name.title()}Serializer",
        (serializers.Serializer,),
        {
            "table": serializers.CharField(),
            "title": serializers.CharField(),
            "period": PeriodSerializer(),
            "columns": ColumnSerializer(many=True),
            "rows": _row_serializer(name)(many=True),
            "note": serializers.CharField(),
        },
    )


def _payload(table: tables.Table, f: Filters) -> dict:
    return {
        "table": table.name,
        "title": str(table.title),
        "period": {
            "start": f.start,
            "end": f.end,
            "service": f.service_id,
            "agency": f.agency_id,
            "version": f.sop_version_id,
        },
        "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns],
        "rows": [
            {k: (str(v) if k in _texts(table) else v) for k, v in r.values.items()}
            for r in table.rows
        ],
        "note": str(table.note),
    }


def _texts(table: tables.Table) -> set[str]:
    return {c.key for c in table.columns if c.kind == tables.TEXT}


def _table_view(name: str) -> type[APIView]:
    output = _output_serializer(name)

    @extend_schema(
        tags=[TAG],
        summary=f"Monitoring figures: {name}",
        description=(
            f"The figures of the dashboard's “{name}” table for the period and filters given "
            "(default: the last six months). Same numbers as the page and its CSV/XLSX exports. "
            "Heads, the complaints and reporting unit and administrators only."
        ),
        parameters=FILTER_PARAMETERS,
        responses={200: output},
    )
    class TableApi(APIView):
        permission_classes = [CanMonitor]

        def get(self, request: Request) -> Response:
            f = Filters.from_params(request.query_params)
            # The answer itself is cached while the figures do not change (facts.cached).
            return Response(
                facts.cached(
                    f"api:{name}",
                    f,
                    lambda: _plain(output(_payload(tables.build(name, f), f)).data),
                )
            )

    TableApi.__name__ = TableApi.__qualname__ = f"Monitoring{name.title()}Api"
    return TableApi


TABLE_VIEWS = {name: _table_view(name) for name in tables.BUILDERS}


class IkmSerializer(serializers.Serializer):
    respondents = serializers.IntegerField()
    ikm = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    converted = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    grade = serializers.CharField(allow_null=True)
    grade_label = serializers.CharField(allow_null=True)


class TransparencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    sector = serializers.CharField()
    sop_number = serializers.CharField()
    sop_name = serializers.CharField()
    service_time = serializers.SerializerMethodField()
    standard_days = serializers.IntegerField(allow_null=True)
    finished = serializers.IntegerField(help_text="Applications finished in the last 90 days.")
    median_days = serializers.FloatField(
        allow_null=True,
        help_text="Median working days from the file declared complete to finished.",
    )
    decided = serializers.IntegerField()
    within = serializers.IntegerField(help_text="Decided within the service time.")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="percent")
    ikm = IkmSerializer(allow_null=True, help_text="Satisfaction index, last six months.")

    def get_service_time(self, row) -> str | None:
        return str(row.service_time) if row.service_time else None


@extend_schema(
    tags=[TAG],
    summary="Public service performance",
    description="Per public service: its SOP, service standard, the last 90 days' median "
    "completion time and on-time rate, and the latest satisfaction index. No personal data.",
    responses={200: TransparencySerializer(many=True)},
)
class TransparencyApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        key = cache_key()

        def answer():
            return _plain(TransparencySerializer(cached_rows(), many=True).data)

        return Response(page_cache.get_or_set(key and f"{key}:api", answer))


def _plain(data):
    """A serializer's output as plain lists and dicts (cacheable without its serializer)."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data
