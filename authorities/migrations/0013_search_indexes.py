# Full-text search on PostgreSQL (issue 18): the GIN index on the search document of the global search
# (portal/pages/selectors/search.py); fields and weights as there. Nothing on SQLite.

from django.db import migrations

from portal.fulltext import search_index


class Migration(migrations.Migration):
    dependencies = [
        ("authorities", "0012_history_reason"),
    ]

    operations = [
        search_index(
            "authorities.Authority", "authority_search", {"name": "A", "seat": "B", "ags": "A", "city": "C"}
        ),
        search_index("authorities.ContactPerson", "contactperson_search", {"name": "A", "email": "B"}),
    ]
