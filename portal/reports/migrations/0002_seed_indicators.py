from decimal import Decimal

from django.db import migrations

NOTE = (
    "Zuordnung zu den AMIF-Indikatoren (VO (EU) 2021/1147, Anhang VIII; für Altdaten VO (EU) "
    "516/2014) ist ein Vorschlag und vom Projektteam zu prüfen und zu korrigieren."
)

# code, name_de, name_en, unit, computation, total, RP, NI, AMIF codes
INDICATORS = [
    ("ABH-1", "Teilnehmende Ausländerbehörden", "Foreigners' authorities taking part",
     "Behörden", "authorities_participating", 20, 10, 10, "O.2.2"),
    ("ABH-2", "Bei der Umsetzung interkultureller Maßnahmen begleitete Ausländerbehörden",
     "Foreigners' authorities supported in implementing integration measures",
     "Behörden", "authorities_supported", 16, 8, 8, "O.2.2; R.2.4"),
    ("ABH-3", "Begonnene Veränderungsprozesse", "Change processes started",
     "Prozesse", "processes_started", 16, 8, 8, ""),
    ("ABH-4", "Abgeschlossene Veränderungsprozesse", "Change processes completed",
     "Prozesse", "processes_completed", 12, 6, 6, ""),
    ("ABH-5", "Umgesetzte Maßnahmen", "Measures implemented",
     "Maßnahmen", "measures_done", 80, 40, 40, ""),
    ("ABH-6", "Durchgeführte Qualifizierungen", "Training courses held",
     "Schulungen", "courses_held", 40, 20, 20, "O.1.2"),
    ("ABH-7", "Teilnehmende an Qualifizierungen", "Participants in training activities",
     "Personen", "participants_people", 400, 200, 200, "O.1.2"),
    ("ABH-8", "Teilnahmetage an Qualifizierungen", "Participant-days in training activities",
     "Teilnahmetage", "participant_days", 800, 400, 400, "O.1.2"),
    ("ABH-9", "Teilnehmende, die die Qualifizierung als nützlich für ihre Arbeit bewerten",
     "Participants who consider the training useful for their work",
     "Prozent", "participants_useful_share", 80, 80, 80, "R.1.5"),
    ("ABH-10", "Teilnehmende, die das Gelernte drei Monate später anwenden",
     "Participants who report three months later that they use what they learned",
     "Personen", "participants_apply_learning", 240, 120, 120, "R.1.6"),
    ("ABH-11", "Durchgeführte Netzwerktreffen", "Network meetings held",
     "Treffen", "meetings_held", 24, 12, 12, "O.2.2"),
    ("ABH-12", "Teilnehmende an Netzwerktreffen", "Participants in network meetings",
     "Personen", "meeting_participants", 150, 75, 75, ""),
    ("ABH-13", "Erledigte Aufgaben aus Protokollen", "Tasks from minutes completed",
     "Aufgaben", "minutes_tasks_done", 60, 30, 30, ""),
    ("ABH-14", "Veröffentlichte Instrumente", "Instruments published",
     "Dokumente", "documents_published", 20, None, None, ""),
    ("ABH-15", "Downloads veröffentlichter Instrumente", "Downloads of published instruments",
     "Downloads", "documents_downloaded", 500, None, None, ""),
]  # fmt: skip


def _decimal(value):
    return None if value is None else Decimal(value)


def seed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    for position, (code, name_de, name_en, unit, key, total, rp, ni, amif) in enumerate(INDICATORS, 1):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name_de": name_de,
                "name_en": name_en,
                "unit": unit,
                "computation": key,
                "target_total": _decimal(total),
                "target_rp": _decimal(rp),
                "target_ni": _decimal(ni),
                "funding_period": "2021–2027",
                "position": position,
                "amif_codes": amif,
                "notes": NOTE,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("reports", "Indicator").objects.filter(code__in=[row[0] for row in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
