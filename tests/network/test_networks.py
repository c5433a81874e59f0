"""Networks: who sees which, creating and editing one, the network page and the list."""

import datetime as dt
import html
import re
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network import rules
from network.models import ItemKind, Meeting, MeetingRegistration, MinutesItem, Network, RegistrationStatus
from network.services import networks as network_services
from tests.factories import (
    AuthorityFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    MinutesFactory,
    MinutesItemFactory,
    NetworkFactory,
    UserFactory,
)
from tests.network.helpers import url

REGISTERED = RegistrationStatus.REGISTERED


# --- access ---------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, meeting):
    for path in [reverse("network:list"), meeting.network.get_absolute_url(), meeting.get_absolute_url()]:
        response = client.get(path)
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("accounts:login")


def test_funder_sees_no_network(client_for, funder, meeting):
    client = client_for(funder)
    for path in [
        reverse("network:list"),
        meeting.network.get_absolute_url(),
        meeting.get_absolute_url(),
        url("meeting_ics", meeting),
    ]:
        assert client.get(path).status_code == 404
    assert not Network.objects.visible_to(funder).exists()


def test_member_lists_only_the_networks_of_their_authority(client_for, member, network, other_network):
    response = client_for(member).get(reverse("network:list"))
    assert response.status_code == 200
    assert network.name in response.text
    assert other_network.name not in response.text


def test_project_staff_list_every_network(client_for, project_staff, network, other_network):
    response = client_for(project_staff).get(reverse("network:list"))
    assert network.name in response.text and other_network.name in response.text


def test_outsider_gets_404_on_another_networks_pages(client_for, outsider, meeting, other_network):
    client = client_for(outsider)
    MinutesFactory(meeting=meeting)
    for path in [
        meeting.network.get_absolute_url(),
        reverse("network:edit", args=[meeting.network_id]),
        reverse("network:meeting_create", args=[meeting.network_id]),
        meeting.get_absolute_url(),
        url("meeting_ics", meeting),
        url("meeting_edit", meeting),
        url("meeting_attendance", meeting),
        url("minutes", meeting),
    ]:
        assert client.get(path).status_code == 404, path
    assert client.post(url("meeting_register", meeting)).status_code == 404
    assert not MeetingRegistration.objects.exists()


def test_network_page_offers_planning_to_its_moderators_only(
    client_for, network, coordinator, member, project_staff, other_network
):
    create = reverse("network:meeting_create", args=[network.pk])
    # A moderator of another network is no moderator here.
    other_network.moderators.add(member)
    assert create not in client_for(member).get(network.get_absolute_url()).text
    assert create in client_for(coordinator).get(network.get_absolute_url()).text
    assert create in client_for(project_staff).get(network.get_absolute_url()).text


# --- creating and editing -------------------------------------------------------------------------


def test_project_staff_create_a_network_with_members_and_moderators(client_for, project_staff, mainz, member):
    response = client_for(project_staff).post(
        reverse("network:create"),
        {
            "name": "Netzwerk Service",
            "description": "Austausch",
            "scope": "RP",
            "members": [mainz.pk],
            "moderators": [project_staff.pk, member.pk],
        },
    )
    network = Network.objects.get(name="Netzwerk Service")
    assert response.status_code == 302
    assert list(network.members.all()) == [mainz]
    assert set(network.moderators.all()) == {project_staff, member}
    assert rules.is_moderator(member, network)


def test_a_moderator_must_come_from_a_member_authority(client_for, project_staff, mainz, outsider):
    response = client_for(project_staff).post(
        reverse("network:create"),
        {"name": "Netzwerk Service", "scope": "RP", "members": [mainz.pk], "moderators": [outsider.pk]},
    )
    assert response.status_code == 200
    assert "Nicht aus einer Mitgliedsbehörde" in response.text
    assert not Network.objects.filter(name="Netzwerk Service").exists()
    with pytest.raises(ValidationError):
        network_services.network_create(
            by=project_staff, members=[mainz], moderators=[outsider], name="X", scope="RP"
        )


def test_project_staff_rename_a_network_and_change_its_members(client_for, project_staff, network, hannover):
    response = client_for(project_staff).post(
        reverse("network:edit", args=[network.pk]),
        {"name": "Netzwerk Rheinhessen-Nahe", "scope": "RP", "members": [hannover.pk], "moderators": []},
    )
    network.refresh_from_db()
    assert response.status_code == 302
    assert (network.name, network.scope) == ("Netzwerk Rheinhessen-Nahe", "RP")
    assert list(network.members.all()) == [hannover]


# --- the network page and the list ----------------------------------------------------------------


def test_network_page_shows_members_moderators_and_meetings(client_for, member, mainz, network, meeting):
    network.moderators.add(member)
    past = MeetingFactory(
        network=network,
        title="Auftakttreffen",
        starts_at=timezone.now() - dt.timedelta(days=30),
        ends_at=timezone.now() - dt.timedelta(days=30) + dt.timedelta(hours=3),
        registration_deadline=None,
    )
    MinutesFactory(meeting=past)
    response = client_for(member).get(network.get_absolute_url())
    assert response.status_code == 200
    assert "Stadt Mainz" in response.text
    assert str(member) in response.text
    assert list(response.context["upcoming"]) == [meeting]
    assert list(response.context["past"]) == [past]
    assert "Protokoll veröffentlicht" in response.text


def _fill(network, count, authority):
    people = [UserFactory(authority=authority) for _ in range(3)]
    for number in range(count):
        upcoming = MeetingFactory(network=network, capacity=None)
        for person in people:
            MeetingRegistrationFactory(meeting=upcoming, participant=person)
        past = MeetingFactory(
            network=network,
            starts_at=timezone.now() - dt.timedelta(days=number + 2),
            ends_at=timezone.now() - dt.timedelta(days=number + 1),
            registration_deadline=None,
        )
        MinutesItemFactory(minutes__meeting=past, responsible_authority=authority)


def test_network_page_lists_the_members_by_state_and_name_in_the_networks_query(client_for, project_staff):
    network = NetworkFactory(
        members=[
            AuthorityFactory(name=name, state=state)
            for name, state in [
                ("Zweibrücken", "RP"),
                ("Ämter & Zell", "RP"),
                ("Andernach", "RP"),
                ("Hannover <Region>", "NI"),
            ]
        ]
    )
    empty = NetworkFactory()
    client = client_for(project_staff)

    names = ", ".join(network.members.order_by("state", "name").values_list("name", flat=True))
    assert names.startswith("Hannover <Region>, ")  # Niedersachsen first, then the German order
    page = client.get(network.get_absolute_url()).text
    members = re.search(r"Mitgliedsbehörden</dt><dd[^>]*>(.*?)</dd>", page)[1]
    assert html.unescape(members) == names
    assert "&lt;Region&gt;" in members and "&amp; Zell" in members
    page = client.get(empty.get_absolute_url()).text
    assert re.search(r"Mitgliedsbehörden</dt><dd[^>]*>(.*?)</dd>", page)[1] == "–"


@pytest.mark.parametrize("who", ["project_staff", "member", "coordinator"])
def test_network_page_runs_the_same_queries_for_3_and_30_meetings(
    client_for, request, who, mainz, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    client = client_for(user)
    small = NetworkFactory(members=[mainz], moderators=[user])
    _fill(small, 3, mainz)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(small.get_absolute_url()).status_code == 200

    large = NetworkFactory(members=[mainz], moderators=[user])
    _fill(large, 30, mainz)
    with django_assert_num_queries(len(queries)):
        response = client.get(large.get_absolute_url())
    assert len(response.context["open_tasks"]) == 30
    # Pinned (issue 18): session and user; the network with its members' names, its meetings,
    # moderators (whether the user is one, and so may upload documents, is read from them), open tasks,
    # latest threads and documents.
    assert len(queries) == (8 if connection.features.supports_aggregate_order_by_clause else 9)


def test_network_list_runs_the_same_queries_for_3_and_30_networks(
    client_for, project_staff, mainz, django_assert_num_queries
):
    client = client_for(project_staff)
    for _ in range(3):
        MeetingFactory(network=NetworkFactory(members=[mainz]))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("network:list"))
    for _ in range(27):
        MeetingFactory(network=NetworkFactory(members=[mainz, AuthorityFactory()]))
    with django_assert_num_queries(len(queries)):
        assert client.get(reverse("network:list")).status_code == 200


# --- demo data ------------------------------------------------------------------------------------


def test_demo_seed_builds_three_networks_once(db):
    from authorities.demo import registry as authorities_demo
    from network.demo import networks as demo
    from portal.accounts import demo as accounts_demo
    from training import demo as training_demo

    for module in (authorities_demo, accounts_demo, training_demo):
        module.seed()
    first = demo.seed()
    counts = (Network.objects.count(), Meeting.objects.count(), MeetingRegistration.objects.count())
    again = demo.seed()

    assert "3 Netzwerke" in first and "bereits vorhanden" in again
    assert (Network.objects.count(), Meeting.objects.count(), MeetingRegistration.objects.count()) == counts
    rp = Network.objects.get(name="Netzwerk Willkommenskultur Rheinland-Pfalz")
    assert set(rp.members.values_list("state", flat=True)) == {"RP"}
    assert rp.members.count() == 10
    for email in ("mainz@example.org", "hannover@example.org"):
        upcoming = MeetingRegistration.objects.filter(
            participant__email=email, status=REGISTERED, meeting__starts_at__gt=timezone.now()
        )
        assert upcoming.count() == 1
    today = timezone.localdate()
    open_tasks = MinutesItem.objects.open_tasks()
    assert open_tasks.filter(due_on__lt=today).exists() and open_tasks.filter(due_on__gte=today).exists()
    assert MinutesItem.objects.filter(kind=ItemKind.TASK, done_on__isnull=False).exists()
    assert MinutesItem.objects.filter(kind=ItemKind.DECISION).exists()


# The open tasks' rows as the network page's template wrote them before issue 18 (with the state
# badge's template of then): network.views.networks.task_rows must give the same HTML.
_OLD_TASK_STATE = (
    "{% load i18n %}{% if item.done_on %}"
    '<span class="kern-badge kern-badge--success"><span class="kern-label kern-label--small">'
    '{% blocktranslate with date=item.done_on|date:"SHORT_DATE_FORMAT" %}erledigt am {{ date }}'
    "{% endblocktranslate %}</span></span>{% elif item.due_on and item.due_on < today %}"
    '<span class="kern-badge kern-badge--danger"><span class="kern-label kern-label--small">'
    '{% translate "überfällig" %}</span></span>{% else %}'
    '<span class="kern-badge kern-badge--info"><span class="kern-label kern-label--small">'
    '{% translate "offen" %}</span></span>{% endif %}\n'
)
_OLD_TASK_ROWS = """{% for item in open_tasks %}
              <tr class="kern-table__row">
                <th class="kern-table__cell" scope="row">{{ item.text|linebreaksbr }}</th>
                <td class="kern-table__cell">{{ item.responsible_authority|default:"" }}{% if item.responsible_authority and item.responsible_person %}<br>{% endif %}{{ item.responsible_person }}</td>
                <td class="kern-table__cell">{% if item.due_on %}{{ item.due_on|date:"SHORT_DATE_FORMAT" }}{% else %}–{% endif %} {% include state %}</td>
                <td class="kern-table__cell"><a class="kern-link" href="{{ item.meeting_url }}">{{ item.minutes.meeting.title }}</a></td>
              </tr>
            {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["de", "en"])
def test_open_task_rows_are_the_templates_rows(client_for, coordinator, mainz, network, language):
    from django.template import Context, Template
    from django.utils import translation

    from network.views.networks import task_rows

    today = timezone.localdate()
    past = MeetingFactory(
        network=network,
        title="Treffen <Frühjahr> & mehr",
        starts_at=timezone.now() - dt.timedelta(days=9),
        ends_at=timezone.now() - dt.timedelta(days=9, hours=-2),
        registration_deadline=None,
    )
    minutes = MinutesFactory(meeting=past)
    items = [
        MinutesItemFactory(
            minutes=minutes, text="Zeile 1\nZeile <2> & 3", responsible_authority=mainz, due_on=today
        ),
        MinutesItemFactory(minutes=minutes, responsible_authority=None, responsible_person="Frau A & B"),
        MinutesItemFactory(minutes=minutes, responsible_person="Herr C", due_on=today - dt.timedelta(days=1)),
        MinutesItemFactory(minutes=minutes, responsible_authority=mainz, due_on=None, done_on=today),
    ]
    for item in items:
        item.refresh_from_db()
        item.meeting_url = f"/netzwerke/{network.pk}/treffen/{past.pk}/"
    with translation.override(language):
        state = Template(_OLD_TASK_STATE)
        old = Template("{% load i18n %}" + _OLD_TASK_ROWS).render(
            Context({"open_tasks": items, "today": today, "state": state})
        )
        new = task_rows(items, today)
    assert new == old
    assert "überfällig" in new or "overdue" in new
    assert "Zeile 1<br>Zeile &lt;2&gt; &amp; 3" in new and "Treffen &lt;Frühjahr&gt; &amp; mehr" in new
    # The page shows them.
    page = client_for(coordinator).get(network.get_absolute_url()).text
    assert "Frau A &amp; B" in page and "Zeile 1<br>Zeile &lt;2&gt;" in page


# The meetings as the network page's loops wrote them before issue 18 (network.views.networks).
_OLD_UPCOMING = """{% for meeting in upcoming %}
          <li><a class="kern-link" href="{{ meeting.url }}">{{ meeting.title }}</a> · {{ meeting.get_kind_display }} · {{ meeting.starts_at|localtime|date:"l" }}, {% blocktranslate with time=meeting.starts_at|localtime|date:"SHORT_DATETIME_FORMAT" %}{{ time }} Uhr{% endblocktranslate %}{% if meeting.location %} · {{ meeting.location }}{% elif meeting.online_link %} · {% translate "online" %}{% endif %}
            {% if meeting.capacity %} · {% blocktranslate count counter=meeting.registered with capacity=meeting.capacity %}{{ counter }} von {{ capacity }} Plätzen belegt{% plural %}{{ counter }} von {{ capacity }} Plätzen belegt{% endblocktranslate %}{% else %} · {% blocktranslate count counter=meeting.registered %}{{ counter }} Anmeldung{% plural %}{{ counter }} Anmeldungen{% endblocktranslate %}{% endif %}
            {% if meeting.own %} <span class="kern-badge kern-badge--success"><span class="kern-label kern-label--small">{% translate "Sie sind angemeldet" %}</span></span>{% endif %}</li>
        {% endfor %}"""  # noqa: E501
_OLD_PAST = """{% for meeting in past %}
          <li><a class="kern-link" href="{{ meeting.url }}">{{ meeting.title }}</a> · {{ meeting.starts_at|localtime|date:"SHORT_DATE_FORMAT" }}{% if meeting.minutes_published %} · {% translate "Protokoll veröffentlicht" %}{% endif %}</li>
        {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("who", ["coordinator", "project_staff"])
def test_meeting_items_are_the_templates_items(client_for, request, network, meeting, language, who):
    from django.template import Context, Template
    from django.utils import translation

    user = request.getfixturevalue(who)
    online = MeetingFactory(network=network, title="Online <Treffen> & Co", location="", capacity=None)
    online.online_link = "https://example.org/raum"
    online.save()
    MeetingFactory(network=network, title="Vor Ort", location="Mainz, Rathaus", capacity=1)
    done = MeetingFactory(
        network=network,
        title="Auftakt & Rückblick",
        starts_at=timezone.now() - dt.timedelta(days=30),
        ends_at=timezone.now() - dt.timedelta(days=30) + dt.timedelta(hours=3),
        registration_deadline=None,
    )
    MinutesFactory(meeting=done)
    MeetingFactory(
        network=network,
        starts_at=timezone.now() - dt.timedelta(days=60),
        ends_at=timezone.now() - dt.timedelta(days=60) + dt.timedelta(hours=3),
        registration_deadline=None,
    )
    MeetingRegistrationFactory(meeting=meeting, participant=user)
    with translation.override(language):
        context = client_for(user).get(network.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).context
        upcoming, past = context["upcoming"], context["past"]
        assert len(upcoming) == 3 and len(past) == 2
        old_upcoming = Template("{% load i18n tz %}" + _OLD_UPCOMING).render(Context({"upcoming": upcoming}))
        old_past = Template("{% load i18n tz %}" + _OLD_PAST).render(Context({"past": past}))
        assert context["upcoming_items"] == old_upcoming
        assert context["past_items"] == old_past
    assert ("angemeldet" in old_upcoming or "registered" in old_upcoming) == (who == "coordinator")
    assert "Online &lt;Treffen&gt; &amp; Co</a>" in old_upcoming and "Mainz, Rathaus" in old_upcoming
    assert ("Protokoll veröffentlicht" in old_past or "published" in old_past) and "Auftakt &amp;" in old_past
