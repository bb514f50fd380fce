"""Query shapes PostgreSQL serves from an index where Django's usual ones would not."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, F, Func, Q, QuerySet


class EqualsAny(Func):
    """``column = ANY(ARRAY(subquery))``. Unlike a join or ``IN (subquery)``, PostgreSQL can
    serve this from an index inside an OR (a BitmapOr): the subquery runs once, first, and
    its few ids are looked up in the column's index, so "my own applications' tasks" OR'd
    with "my agencies' tasks" (or "files of the people named …" OR'd with "files numbered …")
    reads only the matching rows instead of every row the OR could reach."""

    output_field = BooleanField()
    conditional = True

    def as_sql(self, compiler, connection, **extra):
        column, array = (compiler.compile(e) for e in self.get_source_expressions())
        return f"{column[0]} = ANY({array[0]})", (*column[1], *array[1])


def equals_any(column: str, ids: QuerySet) -> Q:
    """``column = ANY(ARRAY(ids))`` as a filter; ``ids`` is a one-column queryset (its own
    order dropped: the array's order means nothing here)."""
    return Q(EqualsAny(F(column), ArraySubquery(ids.order_by())))
