"""How many rows of another table point at each row of a query, as one piece of SQL that is cheap to
build: `annotate(goal_count=RowCount(Goal, "process"))`.

Django's way, `Coalesce(Subquery(Goal.objects.filter(process=OuterRef("pk")).values("process")
.annotate(n=Count("pk")).values("n")), 0)`, builds and compiles a whole queryset for each count of each
request: on an authority's page its processes' three counts cost about 2 ms of CPU, more than running the
query (issue 18). The SQL is the same correlated subquery; written here from the two tables' names.
"""

from typing import Any

from django.db import models
from django.db.models import Expression, IntegerField


class RowCount(Expression):
    """The number of rows of `model` whose foreign key `field` points at the query's own row (0 for
    none), of those whose fields have the values `equal` (`status="registered"`). Only on the query's
    own table (not across a join)."""

    output_field = IntegerField()

    def __init__(self, model: type[models.Model], field: str, **equal: Any) -> None:
        super().__init__()
        self.model = model
        self.foreign_key = field
        self.equal = equal
        self.outer: tuple[str, str] | None = None  # the query's alias of its table and its primary key

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> "RowCount":
        clone = self.copy()
        clone.outer = (query.get_initial_alias(), query.get_meta().pk.column)
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        assert self.outer is not None, "resolve_expression first"
        quote = connection.ops.quote_name
        alias, pk = self.outer
        table = quote(self.model._meta.db_table)
        column = quote(self.model._meta.get_field(self.foreign_key).column)  # type: ignore[union-attr]
        conditions = [f"{table}.{column} = {quote(alias)}.{quote(pk)}"]
        params = []
        for name, value in self.equal.items():
            field = self.model._meta.get_field(name)
            conditions.append(f"{table}.{quote(field.column)} = %s")  # type: ignore[union-attr]
            params.append(field.get_db_prep_value(value, connection))  # type: ignore[union-attr]
        # Only names from the models and the query, each quoted, and the values as parameters.
        sql = f"(SELECT COUNT(*) FROM {table} WHERE {' AND '.join(conditions)})"  # noqa: S608
        return sql, tuple(params)

    def get_group_by_cols(self) -> list[Any]:
        return []
