from django.db import migrations

# The customer survey's result indicators (portal/reports/survey_computations.py). No targets yet:
# project staff set them once the first baselines are in.
INDICATORS = [
    ("KB-1", "Kundschaft, die den Besuch gut oder sehr gut bewertet (Ausgangsbefragung)",
     "Customers rating their visit good or very good (baseline)", "Prozent", "survey_good_baseline"),
    ("KB-2", "Kundschaft, die den Besuch gut oder sehr gut bewertet (Folgebefragung)",
     "Customers rating their visit good or very good (follow-up)", "Prozent", "survey_good_follow_up"),
    ("KB-3", "Behörden mit Ausgangs- und Folgebefragung der Kundschaft",
     "Authorities with a baseline and a follow-up customer survey", "Behörden", "survey_authorities_both_waves"),
]  # fmt: skip


def seed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    last = Indicator.objects.order_by("-position").values_list("position", flat=True).first() or 0
    for offset, (code, name_de, name_en, unit, key) in enumerate(INDICATORS, 1):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name_de": name_de,
                "name_en": name_en,
                "unit": unit,
                "computation": key,
                "position": last + offset,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("reports", "Indicator").objects.filter(code__in=[row[0] for row in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0008_interim_and_withdrawn_versions"), ("authorities", "0007_survey")]

    operations = [migrations.RunPython(seed, unseed)]
