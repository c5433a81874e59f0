# Full-text search on PostgreSQL (issue 18): the GIN index on the search document of the global search
# (portal/pages/selectors/search.py); fields and weights as there. Nothing on SQLite.

from django.db import migrations

from portal.fulltext import search_index


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0007_german_labels_and_order"),
    ]

    operations = [
        search_index(
            "training.Course",
            "course_search",
            {"title": "A", "description": "B", "contents": "C", "target_group": "C", "trainers": "C"},
        ),
    ]
