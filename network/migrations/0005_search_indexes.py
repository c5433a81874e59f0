# Full-text search on PostgreSQL (issue 18): the GIN index on the search document of the global search
# (portal/pages/selectors/search.py); fields and weights as there. Nothing on SQLite.

from django.db import migrations

from portal.fulltext import search_index


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_german_order"),
    ]

    operations = [
        search_index("network.Meeting", "meeting_search", {"title": "A", "agenda": "B", "location": "C"}),
        search_index("network.Thread", "thread_search", {"title": "A"}),
        search_index("network.Document", "document_search", {"title": "A", "tags": "B", "description": "B"}),
    ]
