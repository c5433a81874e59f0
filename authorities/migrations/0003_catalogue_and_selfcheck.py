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

# The self-check in English (authorities 0006 added the columns; `add` fills them where they exist, as
# the demo and the tests call it with today's models).
ENGLISH = {
    "Selbstverständnis": "Self-image",
    "Interne Organisation": "Internal organisation",
    "Außendarstellung und Service": "Public image and service",
    "Interkulturelle Kompetenzen": "Intercultural competences",
    "Vernetzung": "Networking",
    "Wir verstehen uns als Dienstleisterin für alle Menschen, die zu uns kommen.": "We see ourselves as a service provider for everyone who comes to us.",
    "Die Leitung vermittelt eine klare Haltung zur Willkommenskultur.": "The management conveys a clear stance on a welcoming culture.",
    "Unsere Abläufe sind für Kundinnen und Kunden nachvollziehbar.": "Our procedures are easy for our clients to follow.",
    "Wartezeiten sind planbar und angemessen.": "Waiting times are predictable and reasonable.",
    "Informationen gibt es in mehreren Sprachen und in einfacher Sprache.": "Information is available in several languages and in plain language.",
    "Der Empfang hilft schnell weiter.": "The reception desk helps quickly.",
    "Mitarbeitende werden regelmäßig interkulturell geschult.": "Staff receive intercultural training regularly.",
    "Im Team gibt es Sprachkenntnisse, die genutzt werden.": "The team has language skills, and they are put to use.",
    "Wir arbeiten verbindlich mit Jobcenter, Beratungsstellen und Arbeitgebern zusammen.": "We work together reliably with the job centre, advice centres and employers.",
    "Es gibt feste Ansprechpersonen bei unseren Partnern.": "Our partners have named contact persons for us.",
}


def add_english(apps, schema_editor=None):
    """English names of the shipped dimensions and statements, where nobody has given one yet."""
    Dimension = apps.get_model("authorities", "Dimension")
    Statement = apps.get_model("authorities", "Statement")
    for german, english in ENGLISH.items():
        Dimension.objects.filter(name=german, name_en="").update(name_en=english)
        Statement.objects.filter(text=german, text_en="").update(text_en=english)


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
    if any(field.name == "name_en" for field in apps.get_model("authorities", "Dimension")._meta.get_fields()):
        add_english(apps)


class Migration(migrations.Migration):
    dependencies = [("authorities", "0002_change_processes")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
