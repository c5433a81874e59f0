"""Demo discussions in the demo networks (created by network.demo.networks, looked up here by name).

Idempotent: a network that already has one of these threads is left alone; networks that do not
exist yet are skipped quietly.
"""

from datetime import timedelta

from django.utils import timezone

from network.models.discussions import Post, Thread
from network.models.networks import Network, Scope
from network.services import discussions as services
from portal.accounts.models import Role, User

RP = "Netzwerk Willkommenskultur Rheinland-Pfalz"
NI = "Netzwerk Willkommenskultur Niedersachsen"

# title, pinned, locked, posts (each: days ago, text; authors rotate through the network's members)
THREADS = {
    RP: [
        (
            "Erfahrungen mit der Terminvergabe online",
            True,
            False,
            [
                (20, "Wir haben seit März eine **Online-Terminvergabe**. Wie sind Ihre Erfahrungen?\n\n"
                     "Bei uns:\n- weniger Wartezeit im Foyer\n- mehr *nicht wahrgenommene* Termine"),
                (19, "Bei uns ähnlich. Eine Erinnerung per E-Mail am Vortag hat die Ausfälle halbiert."),
                (17, "Welches Verfahren nutzen Sie dafür? Wir prüfen gerade die Angebote."),
                (16, "Eine Übersicht hat das Projektteam in der Bibliothek abgelegt, siehe auch "
                     "[die Checkliste des Landes](https://example.org/checkliste-terminvergabe)."),
            ],
        ),
        (
            "Mehrsprachige Hinweisschilder im Wartebereich",
            False,
            False,
            [
                (9, "Hat jemand gute Vorlagen für Schilder in Leichter Sprache und mehreren Sprachen?"),
                (8, "Wir nutzen Piktogramme plus Deutsch, Englisch, Arabisch und Ukrainisch. "
                    "Ich stelle die Dateien gern in die Bibliothek."),
            ],
        ),
    ],
    NI: [
        (
            "Beschleunigtes Fachkräfteverfahren: Abstimmung mit den Arbeitgebern",
            False,
            False,
            [
                (12, "Wie stimmen Sie sich mit den Arbeitgebern ab? Wir haben eine feste "
                     "Ansprechperson benannt, das hilft sehr."),
                (11, "Wir bieten einmal im Monat eine offene Sprechstunde für Arbeitgeber an."),
                (6, "Gute Idee. Gibt es dafür einen `Textbaustein` für die Einladung?"),
            ],
        ),
        (
            "Protokoll des Auftakttreffens: Rückfragen",
            False,
            True,
            [
                (30, "Rückfragen zum Protokoll bitte hier sammeln."),
                (28, "Alle Rückfragen sind geklärt; die Diskussion ist geschlossen."),
            ],
        ),
    ],
    Scope.CROSS_STATE: [
        (
            "Austausch über die Ländergrenze: Was können wir voneinander lernen?",
            True,
            False,
            [
                (5, "Willkommen im länderübergreifenden Netzwerk! Stellen Sie hier gern kurz vor, "
                    "woran Ihre Behörde gerade arbeitet."),
                (4, "Wir arbeiten an einem **Willkommenspaket** für Neuankommende."),
                (3, "Bei uns läuft gerade ein Versuch mit Videoberatung für Verlängerungen."),
            ],
        ),
    ],
}  # fmt: skip


def _network(key) -> Network | None:
    if key == Scope.CROSS_STATE:
        return Network.objects.filter(scope=Scope.CROSS_STATE).order_by("pk").first()
    return Network.objects.filter(name=key).first()


def _authors(network: Network) -> list[User]:
    # The demo accounts first (they are the ones people log in with), then colleagues of members.
    members = User.objects.filter(
        role=Role.AUTHORITY_STAFF, is_active=True, authority__in=network.members.all()
    ).order_by("email")
    people = sorted(members[:6], key=lambda u: u.email not in {"mainz@example.org", "hannover@example.org"})
    staff = User.objects.filter(role=Role.PROJECT_STAFF, is_active=True).order_by("pk").first()
    return people or ([staff] if staff else [])


def seed() -> str:
    now = timezone.now()
    created = 0
    for key, threads in THREADS.items():
        network = _network(key)
        if network is None or Thread.objects.filter(network=network, title=threads[0][0]).exists():
            continue
        authors = _authors(network)
        if not authors:
            continue
        staff = User.objects.filter(role=Role.PROJECT_STAFF, is_active=True).order_by("pk").first()
        for title, pinned, locked, posts in threads:
            (first_days, first_text), *replies = posts
            thread = services.thread_create(network=network, title=title, body=first_text, by=authors[0])
            for number, (_days, text) in enumerate(replies, start=1):
                services.post_create(thread=thread, body=text, by=authors[number % len(authors)])
            # Spread the posts over the past weeks, oldest first, so the lists look lived in.
            for post, (days, _text) in zip(thread.posts.order_by("pk"), posts, strict=True):
                Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(days=days))
            Thread.objects.filter(pk=thread.pk).update(
                created_at=now - timedelta(days=first_days),
                last_post_at=now - timedelta(days=posts[-1][0]),
            )
            if staff and (pinned or locked):
                services.thread_set_pinned(thread=thread, pinned=pinned, by=staff)
                services.thread_set_locked(thread=thread, locked=locked, by=staff)
            created += 1
    total = Thread.objects.count()
    if not created:
        return f"{total} Diskussionen in Netzwerken (keine neuen)"
    return f"{total} Diskussionen in Netzwerken ({created} neu angelegt)"
