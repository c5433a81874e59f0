"""Start pages per role, the public legal pages, reporting a barrier, the language switch."""

import pytest
from django.urls import reverse

from authorities.models import ParticipationStatus, State
from tests.factories import (
    AuthorityFactory,
    ChangeProcessFactory,
    ContactPersonFactory,
    MeasureFactory,
    UserFactory,
)
from tests.helpers import page_queries

HOME = reverse("pages:home")


def test_anonymous_sees_the_public_start_page_with_a_login_button(client, db):
    text = client.get(HOME).text

    assert "ABH-Portal" in text and "Willkommenskultur" in text
    assert f'href="{reverse("accounts:login")}"' in text
    # Nothing from the registry is shown to the public.
    assert "Ausländerbehörden nach Land" not in text


def test_project_staff_see_counts_by_state_and_status(client_for, project_staff, mainz, hannover):
    AuthorityFactory(state=State.NI, participation_status=ParticipationStatus.PARTICIPATING)
    AuthorityFactory(state=State.RP, participation_status=ParticipationStatus.PAUSED)
    UserFactory(authority=mainz, password=None)  # a pending invitation

    response = client_for(project_staff).get(HOME)

    text = response.text
    assert f"Guten Tag, {project_staff.first_name}" in text
    assert "Ausländerbehörden nach Land und Teilnahmestatus" in text
    by_state = response.context["by_state"]
    rows = {
        row["state"]: dict(zip(ParticipationStatus.values, row["cells"], strict=True))
        for row in by_state["rows"]
    }
    assert rows["RP"] == {"interested": 1, "participating": 0, "paused": 1, "completed": 0, "withdrawn": 0}
    assert rows["NI"] == {"interested": 1, "participating": 1, "paused": 0, "completed": 0, "withdrawn": 0}
    assert by_state["total"] == 4
    assert response.context["open_items"] == {
        "pending_invitations": 1,
        "interested_authorities": 2,
        "authorities_without_contacts": 1,
        "failed_mails": 0,
    }
    assert "e-mails" not in [section.key for section in response.context["sections"]]  # none failed
    assert "Einladungen, die noch nicht angenommen wurden" in text


def test_funder_sees_only_aggregated_figures(client_for, funder, mainz, hannover):
    ContactPersonFactory(authority=mainz, name="Andrea Becker")
    mainz.participation_status = ParticipationStatus.PARTICIPATING
    mainz.save()

    text = client_for(funder).get(HOME).text

    assert "Projektfortschritt in Zahlen" in text
    assert "1 / 1" in text  # Rheinland-Pfalz: 1 of 1 takes part
    assert "0 / 1" in text  # Niedersachsen
    for name in ("Stadt Mainz", "Region Hannover", "Andrea Becker"):
        assert name not in text


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_authority_staff_see_their_own_authority(client_for, request, mainz, hannover, who):
    user = request.getfixturevalue(who)
    ContactPersonFactory(authority=mainz)

    text = client_for(user).get(HOME).text

    assert "Stadt Mainz" in text and "Region Hannover" not in text
    assert mainz.get_absolute_url() in text
    assert ("Koordination der Behörde" in text) is user.is_coordinator
    # Their navigation leads to their authority, not to the list of all.
    assert reverse("pages:my_authority") in text
    assert f'href="{reverse("authorities:list")}"' not in text


def test_navigation_offers_accounts_only_to_those_who_may_invite(
    client_for, project_staff, coordinator, member, funder
):
    accounts = f'href="{reverse("accounts:user_list")}"'
    assert accounts in client_for(project_staff).get(HOME).text
    assert accounts in client_for(coordinator).get(HOME).text
    assert accounts not in client_for(member).get(HOME).text
    assert accounts not in client_for(funder).get(HOME).text


# --- query budget of the start pages --------------------------------------------------------------


def _more_authorities(count, start):
    for n in range(start, start + count):
        authority = AuthorityFactory(
            ags=f"{3_000_000 + n:08d}",
            state=State.NI if n % 2 else State.RP,
            participation_status=ParticipationStatus.values[n % 5],
        )
        ContactPersonFactory(authority=authority)
        UserFactory(authority=authority, password=None)


@pytest.mark.parametrize("who", ["project_staff", "funder", "member", "coordinator"])
def test_start_page_runs_the_same_queries_for_10_and_90_authorities(
    client_for, request, mainz, django_assert_num_queries, who
):
    client = client_for(request.getfixturevalue(who))
    _more_authorities(9, start=0)
    with_10 = page_queries(client, HOME)
    _more_authorities(80, start=9)

    with django_assert_num_queries(with_10):
        client.get(HOME)


def test_account_list_runs_the_same_queries_for_5_and_60_accounts(
    client_for, project_staff, mainz, django_assert_num_queries
):
    client = client_for(project_staff)
    url = reverse("accounts:user_list")
    _more_authorities(5, start=0)
    few = page_queries(client, url)
    _more_authorities(55, start=5)

    with django_assert_num_queries(few):
        text = client.get(url).text
    assert "1–50 von 61" in text


# --- public pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,heading,names_operator",
    [
        ("pages:imprint", "Impressum", True),
        ("pages:privacy", "Datenschutzerklärung", True),
        ("pages:accessibility", "Erklärung zur Barrierefreiheit", False),
        ("pages:easy_language", "Informationen in Leichter Sprache", False),
    ],
)
def test_anonymous_reads_the_legal_pages_in_german(client, settings, db, name, heading, names_operator):
    text = client.get(reverse(name)).text

    assert f'<h1 class="kern-heading-x-large">{heading}' in text
    assert (settings.PORTAL_OPERATOR["name"] in text) is names_operator


def test_every_page_links_the_legal_pages_in_the_footer(client_for, member):
    text = client_for(member).get(HOME).text

    for name in (
        "pages:imprint",
        "pages:privacy",
        "pages:accessibility",
        "pages:barrier_report",
        "pages:easy_language",
    ):
        assert reverse(name) in text


def test_anonymous_reports_a_barrier_and_the_team_gets_a_mail(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pages:barrier_report"),
            {
                "page": "/behoerden/",
                "description": "Der Filter ist mit der Tastatur nicht erreichbar.",
                "name": "Murat Yılmaz",
                "email": "murat@example.org",
            },
            follow=True,
        )

    assert response.redirect_chain[-1][0] == reverse("pages:accessibility")
    assert "Vielen Dank. Ihre Meldung wurde an das Projektteam geschickt" in response.text
    [mail] = mailoutbox
    assert mail.to == [settings.PORTAL_TEAM_EMAIL]
    assert mail.reply_to == ["murat@example.org"]
    assert mail.subject == "Barriere gemeldet: /behoerden/"
    assert "Der Filter ist mit der Tastatur nicht erreichbar." in mail.body


def test_barrier_report_form_is_prefilled_with_the_page(client, db):
    text = client.get(reverse("pages:barrier_report"), {"seite": "/impressum/"}).text

    assert 'value="/impressum/"' in text


def test_anonymous_gets_german_errors_for_an_empty_barrier_report(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pages:barrier_report"), {"page": "", "description": "", "email": "x"})

    assert response.status_code == 200
    assert "Bitte korrigieren Sie die 3 markierten Angaben." in response.text
    assert "Dieses Feld ist zwingend erforderlich." in response.text
    assert mailoutbox == []


def test_visitor_switches_the_language(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("pages:imprint")})

    assert response.status_code == 302
    assert response["Location"] == reverse("pages:imprint")
    assert response.cookies["portal_language"].value == "en"
    assert 'lang="en"' in client.get(reverse("pages:imprint")).text


def test_member_sees_my_authority_marked_current_on_own_authority_pages(client_for, member, mainz):
    for url in (mainz.get_absolute_url(), reverse("pages:my_authority")):
        response = client_for(member).get(url, follow=True)
        current = [item for item in response.context["main_navigation"] if item["current"]]
        assert [str(item["label"]) for item in current] == ["Meine Behörde"]


def test_funder_sees_change_process_figures_without_any_name(client_for, funder, mainz, project_staff):
    process = ChangeProcessFactory(authority=mainz, coach=project_staff)
    MeasureFactory(process=process, title="Aufrufsystem im Wartebereich", responsible="Frau Vertraulich")

    text = client_for(funder).get(reverse("pages:home")).text

    assert "Behörden je Phase" in text
    assert "Maßnahmen nach Entwicklungsfeld und Status" in text
    private = ["Stadt Mainz", "Aufrufsystem im Wartebereich", "Frau Vertraulich", project_staff.last_name]
    assert [word for word in private if word in text] == []
