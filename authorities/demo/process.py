"""Demo change processes: every participating demo authority gets one, in a plausible phase.

Runs after portal.accounts.demo (the coach is the demo project-staff account). Everything goes through
authorities.services, so the authorities' history shows how the processes came about. Idempotent: an
authority that has a process already is left alone, so a second run changes nothing. Due dates are
placed relative to the day of the run, so there are always some overdue and some upcoming items.
"""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from authorities.demo.registry import PARTICIPATING, office_time, working_day
from authorities.models.assessment import AssessmentRound, MeasureTemplate, Questionnaire
from authorities.models.process import (
    ChangeProcess,
    ConsultationFormat,
    Field,
    FieldOfAction,
    Measure,
    MeasureStatus,
    Phase,
    PhaseTransition,
)
from authorities.models.registry import Authority, HistoryAction, HistoryEntry
from authorities.services import assessment as assessment_services
from authorities.services import process as services
from portal.accounts.models import Role, User

COACH_EMAIL = "projekt@example.org"

# The phase each authority has reached, in the order of PARTICIPATING (10 in RP, then 10 in NI):
# those who joined first are furthest along. Phases 4 to 6 have done the self-check twice.
PHASES = [6, 5, 4, 5, 4, 3, 3, 2, 2, 1, 5, 6, 4, 4, 3, 4, 2, 3, 1, 2]

GOALS = [
    ("Wartezeiten verkürzen und Abläufe transparent machen", Field.ORGANISATION),
    ("Interkulturelle Kompetenz im Team stärken", Field.PERSONNEL),
    ("Verbindliche Zusammenarbeit mit Partnern vor Ort", Field.COOPERATION),
]

# Measures of the authorities' own, besides those taken from the catalogue.
OWN_MEASURES = [
    ("Sprechzeiten für Berufstätige am Donnerstagabend", Field.ORGANISATION, FieldOfAction.SERVICE),
    (
        "Checkliste für vollständige Antragsunterlagen",
        Field.ORGANISATION,
        FieldOfAction.INTERNAL_ORGANISATION,
    ),
    ("Teamtag zum Selbstverständnis als Servicebehörde", Field.PERSONNEL, FieldOfAction.SELF_IMAGE),
    ("Feste Ansprechperson für Arbeitgeber", Field.COOPERATION, FieldOfAction.NETWORKING),
]

RESPONSIBLE = [
    "Leitung der Ausländerbehörde",
    "Sachgebietsleitung Aufenthalt",
    "Personalentwicklung",
    "Koordination Willkommenskultur",
    "Teamleitung Service",
]

MILESTONES = [
    ("Auftaktworkshop durchgeführt", Phase.KICK_OFF),
    ("Standortbestimmung abgeschlossen", Phase.SITE_ASSESSMENT),
    ("Zielvereinbarung unterzeichnet", Phase.AGREED_GOALS),
]

RESULT_NOTES = {
    Phase.KICK_OFF: "Projektgruppe gebildet, Erwartungen geklärt.",
    Phase.SITE_ASSESSMENT: "Selbstcheck ausgewertet, Stärken und Handlungsbedarfe beschrieben.",
    Phase.AGREED_GOALS: "Ziele mit der Behördenleitung vereinbart.",
    Phase.IMPLEMENTATION: "Die wichtigsten Maßnahmen sind umgesetzt.",
    Phase.EVALUATION: "Ergebnisse mit Mitarbeitenden und Partnern ausgewertet.",
}


def _coach() -> User | None:
    return (
        User.objects.filter(email=COACH_EMAIL).first()
        or User.objects.filter(role=Role.PROJECT_STAFF).order_by("pk").first()
    )


def seed() -> str:
    # The catalogue and the questionnaire come from a data migration; make sure they are there even
    # where the tables were emptied since (browser tests flush the database between tests).
    import_module("authorities.migrations.0003_catalogue_and_selfcheck").add(apps, None)
    coach = _coach()
    if coach is None:
        return "Veränderungsprozesse übersprungen (kein Konto des Projektteams)"
    authorities = Authority.objects.in_bulk(list(PARTICIPATING), field_name="ags")
    with_process = set(
        ChangeProcess.objects.filter(authority__ags__in=list(PARTICIPATING)).values_list(
            "authority__ags", flat=True
        )
    )
    templates = list(MeasureTemplate.objects.order_by("title"))
    questionnaire = (
        Questionnaire.objects.filter(is_active=True).prefetch_related("dimensions__statements").first()
    )
    today = timezone.localdate()
    created = 0
    for index, (ags, joined) in enumerate(PARTICIPATING.items()):
        if ags in with_process or ags not in authorities:
            continue
        _process_for(authorities[ags], joined, index, coach, templates, questionnaire, today)
        created += 1
    if not created:
        return f"{len(with_process)} Veränderungsprozesse (bereits vorhanden)"
    return f"{created} Veränderungsprozesse mit Zielen, Maßnahmen, Meilensteinen und Beratungen"


def _process_for(authority, joined, index, coach, templates, questionnaire, today):
    phase = PHASES[index % len(PHASES)]
    started_on = joined + timedelta(days=14)
    process = services.process_start(authority=authority, coach=coach, started_on=started_on, by=coach)
    for to_phase in range(Phase.SITE_ASSESSMENT, phase + 1):
        services.phase_change(
            process=process, to_phase=to_phase, by=coach, result_note=RESULT_NOTES[to_phase - 1]
        )
    _backdate_transitions(process, started_on, today)

    goals = [
        services.goal_save(
            process=process,
            by=coach,
            title=title,
            field=field,
            description="Vereinbart mit der Behördenleitung im Rahmen der Zielvereinbarung.",
        )
        for title, field in GOALS[: 1 + index % 3]
    ]
    _measures(process, phase, index, coach, templates, goals, started_on, today)
    _milestones(process, phase, index, coach, started_on, today)
    _consultations(process, phase, index, coach, started_on)
    if phase >= Phase.IMPLEMENTATION and questionnaire is not None:
        _two_rounds(process, index, coach, questionnaire, started_on, today)
    _spread_history(authority, joined, today)


def _backdate_transitions(process, started_on, today):
    """Spread the phase changes between the start and today, so the timeline reads like a real one."""
    transitions = list(PhaseTransition.objects.filter(process=process).order_by("to_phase"))
    step = max((today - started_on).days // len(transitions), 1)
    for number, transition in enumerate(transitions):
        transition.at = office_time(started_on + timedelta(days=number * step), process.pk + number)
    PhaseTransition.objects.bulk_update(transitions, ["at"])


def _spread_history(authority, joined, today):
    """The services stamp every history entry with the moment of the demo run; a real authority's
    history grew over months. The entries keep their order and move to office hours on working days
    between the day the authority joined and yesterday."""
    entries = list(
        HistoryEntry.objects.filter(authority=authority).exclude(action=HistoryAction.CREATED).order_by("pk")
    )
    span = max((today - joined).days - 1, 1)
    previous = None
    for number, entry in enumerate(entries):
        at = office_time(joined + timedelta(days=span * number // len(entries)), authority.pk + number)
        if previous is not None and at <= previous:
            at = previous + timedelta(minutes=3 + number % 7)
        entry.at = previous = at
    HistoryEntry.objects.bulk_update(entries, ["at"])


def _status(phase, number, count):
    """Status and progress of measure `number` of `count` in a process in `phase`."""
    if phase <= Phase.SITE_ASSESSMENT:
        return MeasureStatus.PLANNED, 0
    if phase == Phase.AGREED_GOALS:
        return (MeasureStatus.IN_PROGRESS, 20) if number == 0 else (MeasureStatus.PLANNED, 0)
    if phase == Phase.IMPLEMENTATION:
        return [
            (MeasureStatus.DONE, 100),
            (MeasureStatus.IN_PROGRESS, 60),
            (MeasureStatus.IN_PROGRESS, 30),
            (MeasureStatus.PLANNED, 0),
        ][number % 4]
    if number == count - 1:
        return MeasureStatus.DROPPED, 10
    if phase == Phase.EVALUATION and number == count - 2:
        return MeasureStatus.IN_PROGRESS, 80
    return MeasureStatus.DONE, 100


def _measures(process, phase, index, coach, templates, goals, started_on, today):
    count = 3 + index % 4
    goal_of = {goal.field: goal for goal in goals}
    for number in range(count):
        status, progress = _status(phase, number, count)
        # Overdue: an open measure in phases 3 to 5 whose due date has passed (one in every other process).
        open_ = status in (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)
        overdue = open_ and phase >= Phase.AGREED_GOALS and number == 1 and index % 2 == 0
        if status in (MeasureStatus.DONE, MeasureStatus.DROPPED):
            due_on = today - timedelta(days=30 + 20 * number)
        elif overdue:
            due_on = today - timedelta(days=7 + index)
        else:
            due_on = today + timedelta(days=30 + 25 * number + index)
        starts_on = min(started_on + timedelta(days=30 + 10 * number), due_on - timedelta(days=14))
        values = {
            "responsible": RESPONSIBLE[(index + number) % len(RESPONSIBLE)],
            "involved": "Team Service, Personalrat" if number % 2 else "",
            "starts_on": starts_on,
            "due_on": due_on,
            "status": status,
            "progress": progress,
            "result": "Umgesetzt und im Team bekannt gemacht." if status == MeasureStatus.DONE else "",
        }
        # Mostly from the catalogue; every third measure is the authority's own.
        if number % 3 == 2 or not templates:
            title, field, field_of_action = OWN_MEASURES[(index + number) % len(OWN_MEASURES)]
            values |= {
                "title": title,
                "field": field,
                "field_of_action": field_of_action,
                "description": f"{title}: vereinbart in der Projektgruppe.",
            }
            template = None
        else:
            template = templates[(index * 3 + number) % len(templates)]
            field = template.field
        values["goal"] = goal_of.get(field)
        measure = services.measure_create(process=process, by=coach, template=template, **values)
        if status == MeasureStatus.DONE:
            # Done on its due day, as the demo's timeline reads (the service records today).
            Measure.objects.filter(pk=measure.pk).update(done_on=due_on)


def _milestones(process, phase, index, coach, started_on, today):
    for number, (title, done_in) in enumerate(MILESTONES[: 2 + index % 2]):
        due_on = started_on + timedelta(days=45 + 120 * number)
        if phase > done_in:
            # Mostly on time; every fourth authority needed a few weeks more.
            late = number == 1 and index % 4 == 1
            reached_on = due_on + timedelta(days=21) if late else due_on - timedelta(days=5)
            reached_on = min(reached_on, today)
        else:
            reached_on = None
            # Not reached: due soon, or (in every third process) overdue by a couple of weeks.
            due_on = today - timedelta(days=14) if index % 3 == 0 else today + timedelta(days=40 + index)
        services.milestone_save(process=process, by=coach, title=title, due_on=due_on, reached_on=reached_on)
    if phase >= Phase.IMPLEMENTATION:
        services.milestone_save(
            process=process,
            by=coach,
            title="Zwischenbilanz mit der Behördenleitung",
            due_on=today + timedelta(days=20 + index),
            reached_on=None,
        )


def _consultations(process, phase, index, coach, started_on):
    services.consultation_add(
        process=process,
        by=coach,
        held_on=working_day(started_on + timedelta(days=7)),
        format=ConsultationFormat.ON_SITE,
        participants="Behördenleitung, Koordination, Prozessbegleitung",
        topics="Auftakt: Ziele des Projekts, Ablauf, Projektgruppe",
        agreements="Die Projektgruppe trifft sich monatlich.",
        next_steps="Termin für den Selbstcheck abstimmen.",
    )
    if phase >= Phase.SITE_ASSESSMENT and index % 4 != 3:
        services.consultation_add(
            process=process,
            by=coach,
            held_on=working_day(started_on + timedelta(days=70)),
            format=[ConsultationFormat.WORKSHOP, ConsultationFormat.ONLINE][index % 2],
            participants="Projektgruppe, Personalrat, Prozessbegleitung",
            topics="Ergebnisse des Selbstchecks, erste Handlungsbedarfe",
            agreements="Schwerpunkte Wartebereich und Terminvergabe.",
            next_steps="Entwurf der Zielvereinbarung bis zum nächsten Treffen.",
        )


def _two_rounds(process, index, coach, questionnaire, started_on, today):
    statements = [s for d in questionnaire.dimensions.all() for s in d.statements.all()]
    baseline = {s.pk: 2 + (number + index) % 2 for number, s in enumerate(statements)}
    # Better in most respects, unchanged in one in five.
    follow_up = {
        pk: min(rating + (0 if n % 5 == index % 5 else 1 + n % 2), 5)
        for n, (pk, rating) in enumerate(baseline.items())
    }
    rounds = [
        assessment_services.assessment_submit(
            process=process, questionnaire=questionnaire, label=label, ratings=ratings, by=coach
        )
        for label, ratings in [("Ausgangslage", baseline), ("Folgeerhebung", follow_up)]
    ]
    # The service dates a round today; the demo places them at the start and a while ago.
    AssessmentRound.objects.filter(pk=rounds[0].pk).update(completed_on=started_on + timedelta(days=40))
    AssessmentRound.objects.filter(pk=rounds[1].pk).update(completed_on=today - timedelta(days=20 + index))
