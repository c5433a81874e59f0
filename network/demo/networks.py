"""Demo networks: one per state and one across both, with past meetings and published minutes
(information, decisions, tasks – some open, some overdue) and upcoming meetings with registrations.

Idempotent: networks and meetings are found by name and title; a second run changes nothing. Dates
are placed relative to the day of the first run. Threads and library documents come from the
discussions' and the library's own demo modules.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from authorities.demo.registry import PARTICIPATING, working_day
from authorities.models.registry import Authority
from network.models.meetings import ItemKind, Meeting, MeetingKind, Minutes
from network.models.networks import Network, Scope
from network.services import meetings as services
from network.services import networks as network_services
from portal.accounts.models import Role, User

NETWORKS = [
    (
        "Netzwerk Willkommenskultur Rheinland-Pfalz",
        Scope.STATE_RP,
        ["RP"],
        "Die teilnehmenden Ausländerbehörden in Rheinland-Pfalz tauschen sich zu Service, Digitalisierung "
        "und Willkommenskultur aus.",
    ),
    (
        "Netzwerk Willkommenskultur Niedersachsen",
        Scope.STATE_NI,
        ["NI"],
        "Die teilnehmenden Ausländerbehörden in Niedersachsen tauschen sich zu Service, Digitalisierung "
        "und Willkommenskultur aus.",
    ),
    (
        "Länderübergreifendes Forum Fachkräfteeinwanderung",
        Scope.CROSS_STATE,
        ["RP", "NI"],
        "Austauschforum beider Länder zu beschleunigten Verfahren und zur Zusammenarbeit mit Arbeitgebern.",
    ),
]

# title, kind, weeks from today (negative: past), online, capacity
MEETINGS = [
    ("Auftakttreffen", MeetingKind.NETWORK_MEETING, -12, False, 30),
    ("Netzwerktreffen: Terminvergabe und Wartezeiten", MeetingKind.NETWORK_MEETING, -4, True, None),
    ("Fachtag Willkommenskultur", MeetingKind.CONFERENCE, 3, False, 40),
    ("Netzwerktreffen: Digitale Antragsverfahren", MeetingKind.NETWORK_MEETING, 7, True, 25),
]

AGENDA = (
    "1. Begrüßung und Vorstellungsrunde\n"
    "2. Berichte aus den Behörden\n"
    "3. Schwerpunktthema\n"
    "4. Vereinbarungen und nächste Schritte"
)

# kind, text, task due in days from the meeting (None: no task), done
ITEMS = [
    (ItemKind.INFORMATION, "Das Projektteam berichtet über den Stand der Veränderungsprozesse.", None, False),
    (ItemKind.DECISION, "Das Netzwerk trifft sich künftig alle zwei Monate, abwechselnd vor Ort und online.", None, False),
    (ItemKind.TASK, "Checkliste für den Empfang neuer Kundinnen und Kunden abstimmen.", 21, False),
    (ItemKind.TASK, "Beispiele für verständliche Bescheide sammeln und im Netzwerk teilen.", 42, False),
    (ItemKind.TASK, "Erfahrungen mit der Online-Terminvergabe zusammenfassen.", 14, True),
]  # fmt: skip


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _staff_of(members) -> list[User]:
    return list(
        User.objects.filter(role=Role.AUTHORITY_STAFF, is_active=True, authority__in=members)
        .select_related("authority")
        .order_by("authority__ags", "pk")
    )


def seed() -> str:
    if Network.objects.filter(name=NETWORKS[0][0]).exists():
        return f"{Network.objects.count()} Netzwerke (bereits vorhanden)"
    staff = User.objects.filter(role=Role.PROJECT_STAFF).order_by("pk").first()
    participating = Authority.objects.filter(ags__in=PARTICIPATING)
    today = timezone.localdate()
    meetings = 0
    for number, (name, scope, states, description) in enumerate(NETWORKS):
        members = list(participating.filter(state__in=states).order_by("name"))
        people = _staff_of(members)
        # A coordinator of a member authority moderates alongside the project team.
        coordinators = [person for person in people if person.is_coordinator][:1]
        network = network_services.network_create(
            by=staff,
            members=members,
            moderators=[staff, *coordinators] if staff else coordinators,
            name=name,
            scope=scope,
            description=description,
        )
        for index, (title, kind, weeks, online, capacity) in enumerate(MEETINGS):
            day = working_day(today + timedelta(weeks=weeks, days=number))
            starts_at = _at(day, 10)
            seat = members[index % len(members)].seat if members else "Mainz"
            meeting = Meeting(
                network=network,
                title=title,
                kind=kind,
                starts_at=starts_at,
                ends_at=_at(day, 16 if kind == MeetingKind.CONFERENCE else 13),
                location="" if online else f"{seat}, Rathaus, Sitzungssaal",
                online_link="https://video.example.org/netzwerk" if online else "",
                agenda=AGENDA,
                capacity=capacity,
                registration_deadline=starts_at - timedelta(days=7),
                created_by=staff,
            )
            meeting.full_clean()
            meeting.save()
            meetings += 1
            if weeks < 0:
                _past(meeting, members, people, staff)
            else:
                _upcoming(meeting, people, index, state_network=len(states) == 1)
    return f"{len(NETWORKS)} Netzwerke mit {meetings} Treffen, Anmeldungen und Protokollen"


def _upcoming(meeting, people, index, *, state_network):
    # The demo accounts mainz@ and hannover@example.org are registered for one meeting each:
    # the Fachtag of their state's network.
    demo_accounts = [p for p in people if p.email in ("mainz@example.org", "hannover@example.org")]
    others = [p for p in people if p not in demo_accounts]
    chosen = (demo_accounts if state_network and index == 2 else []) + others[index % 3 :: 4][:8]
    for person in chosen:
        try:
            services.meeting_register(meeting=meeting, participant=person, by=person)
        except services.RegistrationRefused:
            continue


def _past(meeting, members, people, staff):
    # Past meetings had their registrations and attendance; rows written directly, no mails.
    for person in people[::3][:10]:
        registration = meeting.registrations.create(participant=person)
        registration.attended = person.pk % 5 != 0
        registration.save(update_fields=["attended"])
    minutes = Minutes.objects.create(meeting=meeting)
    meeting_day = timezone.localtime(meeting.starts_at).date()
    for position, (kind, text, due_in, done) in enumerate(ITEMS, start=1):
        values = {"kind": kind, "text": text, "position": position}
        if due_in is not None:
            authority = members[position % len(members)] if members else None
            values.update(
                responsible_authority=authority,
                responsible_person="Leitung der Ausländerbehörde" if authority else "Projektteam",
                due_on=meeting_day + timedelta(days=due_in),
                done_on=meeting_day + timedelta(days=due_in - 3) if done else None,
            )
        minutes.items.create(**values)
    minutes.published_at = meeting.ends_at + timedelta(days=3)
    minutes.published_by = staff
    minutes.save(update_fields=["published_at", "published_by"])
