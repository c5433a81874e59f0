# Full-text search on PostgreSQL (issue 18): the GIN index on the search document of the global search
# (portal/pages/selectors/search.py); fields and weights as there. Nothing on SQLite.

from django.db import migrations

from portal.fulltext import search_index


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_german_order"),
    ]

    operations = [
        search_index("accounts.User", "user_search", {"first_name": "A", "last_name": "A", "email": "B"}),
    ]
