# The self-check in English: columns for the English name of a dimension and statement, filled for the
# shipped questionnaire.

from importlib import import_module

from django.db import migrations, models


def add_english(apps, schema_editor):
    import_module("authorities.migrations.0003_catalogue_and_selfcheck").add_english(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("authorities", "0006_german_order_english_selfcheck"),
    ]

    operations = [
        migrations.AddField(
            model_name="dimension",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="Dimension (englisch)"),
        ),
        migrations.AddField(
            model_name="statement",
            name="text_en",
            field=models.CharField(blank=True, max_length=300, verbose_name="Aussage (englisch)"),
        ),
        migrations.RunPython(add_english, migrations.RunPython.noop),
    ]
