from django.db import migrations

# The starting catalogue of example measures: (title, description, field, field of action).
TEMPLATES = [
    ("Aufrufsystem im Wartebereich", "Ein Aufrufsystem mit Wartenummern und Anzeige, auch in einfacher Sprache und mit Piktogrammen.", "organisation", "service"),
    ("Terminvergabe online", "Termine für Vorsprachen online buchbar machen, mit Erinnerung per E-Mail oder SMS.", "organisation", "internal_organisation"),
    ("Mehrsprachige Beschilderung", "Wegeleitung und Türschilder in den häufigsten Sprachen der Kundschaft und mit Piktogrammen.", "organisation", "service"),
    ("Servicepoint am Empfang", "Ein besetzter Empfang, der Anliegen klärt, Unterlagen vorprüft und Wartezeiten verkürzt.", "organisation", "service"),
    ("Schulung interkulturelle Kompetenz", "Alle Mitarbeitenden mit Kundenkontakt nehmen an einer Schulung zu interkultureller Kompetenz teil.", "personnel", "intercultural"),
    ("Kooperationsvereinbarung mit dem Jobcenter", "Feste Ansprechpersonen und abgestimmte Abläufe mit dem Jobcenter vereinbaren.", "cooperation", "networking"),
    ("Leitbild Willkommenskultur", "Ein gemeinsam erarbeitetes Leitbild, das das Selbstverständnis als Servicebehörde beschreibt.", "organisation", "self_image"),
    ("Mehrsprachige Merkblätter", "Merkblätter zu häufigen Verfahren in den wichtigsten Sprachen und in einfacher Sprache.", "organisation", "service"),
    ("Einarbeitungskonzept für neue Mitarbeitende", "Strukturierte Einarbeitung mit Patenschaft, Checkliste und Hospitationen.", "personnel", "internal_organisation"),
    ("Runder Tisch mit Migrationsberatung", "Regelmäßiger Austausch mit Migrationsberatungsstellen und Integrationskursträgern.", "cooperation", "networking"),
]

DIMENSIONS = [
    ("Selbstverständnis", ["Wir verstehen uns als Dienstleisterin für alle Menschen, die zu uns kommen.", "Die Leitung vermittelt eine klare Haltung zur Willkommenskultur."]),
    ("Interne Organisation", ["Unsere Abläufe sind für Kundinnen und Kunden nachvollziehbar.", "Wartezeiten sind planbar und angemessen."]),
    ("Außendarstellung und Service", ["Informationen gibt es in mehreren Sprachen und in einfacher Sprache.", "Der Empfang hilft schnell weiter."]),
    ("Interkulturelle Kompetenzen", ["Mitarbeitende werden regelmäßig interkulturell geschult.", "Im Team gibt es Sprachkenntnisse, die genutzt werden."]),
    ("Vernetzung", ["Wir arbeiten verbindlich mit Jobcenter, Beratungsstellen und Arbeitgebern zusammen.", "Es gibt feste Ansprechpersonen bei unseren Partnern."]),
]


def add(apps, schema_editor):
    MeasureTemplate = apps.get_model("authorities", "MeasureTemplate")
    for title, description, field, field_of_action in TEMPLATES:
        MeasureTemplate.objects.get_or_create(
            title=title, defaults={"description": description, "field": field, "field_of_action": field_of_action}
        )
    Questionnaire = apps.get_model("authorities", "Questionnaire")
    questionnaire, created = Questionnaire.objects.get_or_create(title="Selbstcheck Willkommenskultur")
    if created:
        for position, (name, statements) in enumerate(DIMENSIONS):
            dimension = questionnaire.dimensions.create(name=name, position=position)
            for index, text in enumerate(statements):
                dimension.statements.create(text=text, position=index)


class Migration(migrations.Migration):
    dependencies = [("authorities", "0002_change_processes")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
