"""Full-text search on PostgreSQL: a row's weighted search document, the query that matches it, and the
GIN index that finds the matching rows without reading the table.

A document is the words of some fields, each with a weight: "A" for titles and names down to "D"
(`document({"title": "A", "description": "B"})`, in the `german` configuration: "Schulungen" is stored
as "schul"). PostgreSQL uses a table's expression index only for the very expression it was built on,
so the migrations build each index with `search_index` from the same function as the queries use; the
global search's tests check that every kind's query reads its index. SQLite has no such search: there the
search filters with icontains, and `search_index` does nothing.
"""

from collections.abc import Mapping
from functools import reduce
from operator import add
from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import migrations
from django.db.models import Expression

CONFIG = "german"


def document(weighted: Mapping[str, str]) -> Any:
    """The search document of a row: `weighted` maps field names to weights "A" … "D"."""
    parts = [SearchVector(field, weight=weight, config=CONFIG) for field, weight in weighted.items()]
    return reduce(add, parts)


Key = tuple[str, tuple[tuple[str, str], ...]]  # the table's alias in the query, the fields and weights


class SearchDocument(Expression):
    """`document(weighted)` of the query's own table as one piece of SQL, compiled once per process
    (PostgreSQL only). A document of five fields is about thirty expressions, which Django would
    otherwise resolve and compile anew for each use (filter and rank) in each search: about a third
    of the global search's time. Its SQL depends only on the table and the mapping, never on the
    words searched for."""

    output_field = SearchVectorField()
    _compiled: dict[Key, tuple[str, tuple[Any, ...]]] = {}

    def __init__(self, weighted: Mapping[str, str]) -> None:
        super().__init__()
        self.weighted = tuple(weighted.items())
        self.key: Key = ("", self.weighted)
        self.resolved: Any = None  # the expressions, resolved until the SQL is known

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> "SearchDocument":
        clone = self.copy()
        clone.key = (query.get_initial_alias(), self.weighted)
        if clone.key not in self._compiled:
            clone.resolved = document(dict(self.weighted)).resolve_expression(query, *args, **kwargs)
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if self.key not in self._compiled:
            sql, params = compiler.compile(self.resolved)
            self._compiled[self.key] = (sql, tuple(params))
        return self._compiled[self.key]


def prefix_query(words: list[str]) -> SearchQuery:
    """Every word must occur, each also as the beginning of a word ("Main" finds "Mainz"). The words
    must be letters and digits only (then the query can never be a syntax error)."""
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=CONFIG)


def search_index(model: str, name: str, weighted: Mapping[str, str]) -> migrations.RunPython:
    """The migration step that creates (and on the way back drops) the GIN index `name` on the
    document of `model` ("app_label.Model"), on PostgreSQL only. The model's state is unchanged: the
    index is the database's business, not the model's (SQLite could not build it)."""
    app_label, model_name = model.split(".")
    weights = dict(weighted)  # a frozen copy: a later change to the caller's mapping needs a new index

    def index() -> GinIndex:
        return GinIndex(document(weights), name=name)

    def create(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(apps.get_model(app_label, model_name), index())

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(apps.get_model(app_label, model_name), index())

    return migrations.RunPython(create, drop, elidable=False)
