# Indicator units in English; one English term for the Ausländerbehörden ("foreigners' authorities").

from django.db import migrations, models

UNITS = {
    "Behörden": "authorities",
    "Prozesse": "processes",
    "Maßnahmen": "measures",
    "Schulungen": "courses",
    "Personen": "people",
    "Teilnahmetage": "participant-days",
    "Prozent": "per cent",
    "Treffen": "meetings",
    "Aufgaben": "tasks",
    "Dokumente": "documents",
    "Downloads": "downloads",
}


def english(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    for german, unit_en in UNITS.items():
        Indicator.objects.filter(unit=german, unit_en="").update(unit_en=unit_en)
    for indicator in Indicator.objects.filter(name_en__contains="mmigration authorit"):
        indicator.name_en = indicator.name_en.replace("Immigration authorities", "Foreigners' authorities")
        indicator.name_en = indicator.name_en.replace("immigration authorities", "foreigners' authorities")
        indicator.save(update_fields=["name_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0010_period_overlap_guard"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="unit_en",
            field=models.CharField(blank=True, max_length=50, verbose_name="Einheit (englisch)"),
        ),
        migrations.RunPython(english, migrations.RunPython.noop),
    ]
