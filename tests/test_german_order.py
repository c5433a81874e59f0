"""Names sort as a German dictionary does: ö as o, ä as a, ß as ss, without regard to case —
"Göttingen" before "Grafschaft Bentheim" — on PostgreSQL (ICU) and on SQLite (the portal's own
collation) alike."""

import re

from django.urls import reverse

from authorities.models import Authority
from portal.accounts.models import User
from portal.collation import german_key
from tests.factories import AuthorityFactory, UserFactory

NAMES = ["Zweibrücken", "Grafschaft Bentheim", "Göttingen", "Goslar", "Gifhorn", "Osnabrück", "Oldenburg"]
GERMAN = ["Gifhorn", "Goslar", "Göttingen", "Grafschaft Bentheim", "Oldenburg", "Osnabrück", "Zweibrücken"]


def test_the_key_puts_umlauts_with_their_vowels():
    assert sorted(NAMES, key=german_key) == GERMAN
    assert sorted(["Muller", "Mullerweg", "Müller", "Straße", "Strasse", "strasse"], key=german_key) == [
        "Muller",
        "Müller",
        "Mullerweg",
        "strasse",
        "Strasse",
        "Straße",
    ]


def test_the_database_sorts_authorities_in_german_order(db):
    for name in NAMES:
        AuthorityFactory(name=name)

    assert list(Authority.objects.filter(name__in=NAMES).values_list("name", flat=True)) == GERMAN


def test_project_staff_see_the_authorities_list_in_german_order(client_for, project_staff, db):
    for name in NAMES:
        AuthorityFactory(name=name)

    html = client_for(project_staff).get(reverse("authorities:list"), {"sort": "name"}).content.decode()

    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    shown = re.findall(r'<a [^>]*href="/behoerden/\d+/"[^>]*>([^<]+)</a>', body)
    assert [name for name in shown if name in NAMES] == GERMAN


def test_people_sort_by_last_name_in_german_order(db):
    for last_name in ["Zander", "Özdemir", "Ohm", "Oppermann", "ohlsen"]:
        UserFactory(last_name=last_name, first_name="Alex")

    ordered = User.objects.filter(first_name="Alex").order_by("last_name").values_list("last_name", flat=True)

    assert list(ordered) == ["ohlsen", "Ohm", "Oppermann", "Özdemir", "Zander"]
