# German sort order for names; the self-check in English.

from importlib import import_module

from django.db import migrations, models

from portal.collation import create_collation


def add_english(apps, schema_editor):
    import_module("authorities.migrations.0003_catalogue_and_selfcheck").add_english(apps)


class Migration(migrations.Migration):
    dependencies = [
        ('authorities', '0007_survey'),
    ]

    operations = [
        migrations.RunPython(create_collation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="authority",
            name="name",
            field=models.CharField(db_collation="german", max_length=200, verbose_name="Name"),
        ),
        migrations.AlterField(
            model_name="contactperson",
            name="name",
            field=models.CharField(db_collation="german", max_length=200, verbose_name="Name"),
        ),
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
