"""The staff search's trigram indexes exist where the server has pg_trgm, and the planner uses
them for the search's own lookups (the expression must be the one Django writes)."""

import pytest
from django.db import connection

from accounts.models import User
from permits.models import Application
from sop_portal.trigram import has_trigram

pytestmark = pytest.mark.django_db

INDEXES = ["user_full_name_trgm", "application_number_trgm", "application_company_trgm"]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: ask for the index
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_search_lookups_use_the_trigram_indexes():
    if not has_trigram(connection):
        pytest.skip("this PostgreSQL server has no pg_trgm (the embedded wheel): no index made")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [INDEXES])
        assert {row[0] for row in cursor.fetchall()} == set(INDEXES)
    assert "user_full_name_trgm" in _plan(User.objects.filter(full_name__icontains="anoa"))
    number = Application.objects.filter(tracking_number__icontains="2026-0001")
    assert "application_number_trgm" in _plan(number)
    company = Application.objects.filter(data__company_name__icontains="anoa")
    assert "application_company_trgm" in _plan(company)
