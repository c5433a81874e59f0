"""Counting for pages whose time is a few small reads (issue 18), in two ways:

- `count_each(querysets)`: each queryset's `.count()`, read in one statement instead of one round trip each.
- `RowCount`/`RowValue`/`RowMin`/`RowExists`: what other tables hold about each row of a query, as pieces
  of SQL that are cheap to build: `annotate(goal_count=RowCount(Goal, "process"))`, `annotate(read_at=
  RowValue(ReadMarker, "thread", "read_at", user=user.pk))`, `filter(RowExists(CourseDate, "course",
  ends_at__gte=now))` (and `~RowExists(…)`, as `Exists`).

For the second: Django's way, `Coalesce(Subquery(Goal.objects.filter(process=OuterRef("pk")).values("process")
.annotate(n=Count("pk")).values("n")), 0)`, builds and compiles a whole queryset for each count of each
request: on an authority's page its processes' three counts cost about 2 ms of CPU, more than running the
query (issue 18). The SQL is the same correlated subquery; written here from the tables' names.

The rows are those whose foreign key `field` points at the query's own row (at its column `of`, the
primary key unless named), and whose fields meet `conditions`: `status="registered"` (equal),
`created_at__lte=…` (also `__lt`, `__gt`, `__gte`), `status__in=[…]`, `published_at__isnull=False`,
`author__ne=user.pk` (not equal, or empty: NULL counts as different, as in `exclude(author=user)`); a value
may be another
expression of the same outer row (a `RowValue`, also inside `Coalesce`). The outer row is the query's
own, or with `of="relation__field"` that of a table the query already joins (`of="running__pk"` for the
process a `FilteredRelation("running", …)` joined); conditions only on the counted table.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models import BooleanField, Expression, IntegerField, QuerySet

_OPERATORS = {"exact": "=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


class _Related(Expression):
    def __init__(self, model: type[models.Model], field: str, *, of: str = "pk", **conditions: Any) -> None:
        super().__init__()
        self.model = model
        self.foreign_key = field
        self.of = of
        self.conditions = conditions
        self.outer: tuple[str, str] | None = None  # the query's alias of its table and the column `of`

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> "_Related":
        clone = self.copy()
        if "__" in self.of:  # a column of a joined table (e.g. a FilteredRelation's): the join's alias
            column = query.resolve_ref(self.of)
            clone.outer = (column.alias, column.target.column)
        else:
            meta = query.get_meta()
            clone.outer = (
                query.get_initial_alias(),
                (meta.pk if self.of == "pk" else meta.get_field(self.of)).column,
            )
        clone.conditions = {
            name: value.resolve_expression(query, *args, **kwargs)
            if hasattr(value, "resolve_expression")
            else value
            for name, value in self.conditions.items()
        }
        return clone

    def _where(self, compiler: Any, connection: Any) -> tuple[str, str, list[Any]]:
        """The table and the WHERE clause of the subquery, with its parameters."""
        assert self.outer is not None, "resolve_expression first"
        quote = connection.ops.quote_name
        alias, outer_column = self.outer
        table = quote(self.model._meta.db_table)
        column = quote(self.model._meta.get_field(self.foreign_key).column)  # type: ignore[union-attr]
        where = [f"{table}.{column} = {quote(alias)}.{quote(outer_column)}"]
        params: list[Any] = []
        for key, value in self.conditions.items():
            name, _, lookup = key.partition("__")
            field = self.model._meta.get_field(name)
            if lookup == "isnull":
                where.append(f"{table}.{quote(field.column)} IS {'' if value else 'NOT '}NULL")  # type: ignore[union-attr]
                continue
            if lookup == "in":
                values = [field.get_db_prep_value(each, connection) for each in value]  # type: ignore[union-attr]
                params.extend(values)
                listed = ", ".join(["%s"] * len(values))
                where.append(f"{table}.{quote(field.column)} IN ({listed})" if values else "1 = 0")  # type: ignore[union-attr]
                continue
            if hasattr(value, "as_sql"):
                sql, value_params = compiler.compile(value)
                params.extend(value_params)
            else:
                sql = "%s"
                params.append(field.get_db_prep_value(value, connection))  # type: ignore[union-attr]
            column_sql = f"{table}.{quote(field.column)}"  # type: ignore[union-attr]
            if lookup == "ne" and field.null:  # type: ignore[union-attr]
                # exclude()'s meaning: a row whose column is empty is not equal either.
                where.append(f"({column_sql} <> {sql} OR {column_sql} IS NULL)")
                continue
            if lookup == "ne":
                # A column that is never empty: as exclude() writes it, so that PostgreSQL can use a
                # partial index on `NOT (column = value)` (an enrollment's active one per person).
                where.append(f"NOT ({column_sql} = {sql})")
                continue
            where.append(f"{column_sql} {_OPERATORS[lookup or 'exact']} {sql}")
        return table, " AND ".join(where), params

    def get_group_by_cols(self) -> list[Any]:
        return []


class RowCount(_Related):
    """How many rows of `model` point at the query's row (0 for none)."""

    output_field = IntegerField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        table, where, params = self._where(compiler, connection)
        # Only names from the models and the query, each quoted, and the values as parameters.
        return f"(SELECT COUNT(*) FROM {table} WHERE {where})", tuple(params)  # noqa: S608


class RowExists(_Related):
    """Whether any row of `model` points at the query's row: Django's `Exists` of the same rows, for
    `filter()` and `annotate()`, negated with `~`."""

    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        table, where, params = self._where(compiler, connection)
        return f"EXISTS (SELECT 1 FROM {table} WHERE {where})", tuple(params)  # noqa: S608


class RowValue(_Related):
    """Column `column` of a row of `model` that points at the query's row (None for none): for rows
    that are unique per outer row and conditions (a person's read marker of a thread)."""

    def __init__(self, model: type[models.Model], field: str, column: str, **conditions: Any) -> None:
        super().__init__(model, field, **conditions)
        self.column = column
        self.output_field = model._meta.get_field(column)  # type: ignore[assignment]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        table, where, params = self._where(compiler, connection)
        column = connection.ops.quote_name(self.model._meta.get_field(self.column).column)  # type: ignore[union-attr]
        return f"(SELECT {table}.{column} FROM {table} WHERE {where} LIMIT 1)", tuple(params)  # noqa: S608


class RowMin(RowValue):
    """The least value of column `column` among the rows of `model` that point at the query's row (None
    for none): a course's next date, `RowMin(CourseDate, "course", "starts_at", ends_at__gte=now)`."""

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        table, where, params = self._where(compiler, connection)
        column = connection.ops.quote_name(self.model._meta.get_field(self.column).column)  # type: ignore[union-attr]
        return f"(SELECT MIN({table}.{column}) FROM {table} WHERE {where})", tuple(params)  # noqa: S608


# Subqueries per statement: far below the parameter limits of SQLite and PostgreSQL.
COUNTS_PER_QUERY = 150


def count_each(querysets: Sequence[QuerySet[Any]]) -> list[int]:
    """COUNT(*) of each queryset's rows, as `.count()` would give them, in one statement per
    COUNTS_PER_QUERY querysets."""
    counts: list[int] = []
    for first in range(0, len(querysets), COUNTS_PER_QUERY):
        parts: list[str] = []
        params: list[Any] = []
        for queryset in querysets[first : first + COUNTS_PER_QUERY]:
            sql, query_params = queryset.query.sql_with_params()
            # The SQL is the ORM's own, its values stay parameters: nothing from outside is spliced in.
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")  # noqa: S608
            params.extend(query_params)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts.extend(int(value) for value in cursor.fetchone())
    return counts
