"""The one way to choose a colleague to enrol in a course or register for a meeting:
`portal.accounts.selectors.colleagues_for` decides whom, `portal.forms.ColleagueForm` offers them and
`chosen_colleague` reads the choice."""

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from portal.accounts.models import User
from portal.accounts.selectors import colleagues_for
from portal.forms import ColleagueForm, chosen_colleague
from tests.factories import UserFactory


def posted(user, data):
    request = RequestFactory().post("/", data)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_coordinator_chooses_among_the_other_active_staff_of_their_authority(
    coordinator, member, outsider, mainz, project_staff, funder
):
    UserFactory(authority=mainz, is_active=False, email="gone@mainz.example.org")
    # Not themselves: the course or meeting page has its own button for that.
    assert set(colleagues_for(coordinator)) == {member}


def test_project_staff_choose_among_everyone_who_takes_part(
    project_staff, coordinator, member, outsider, funder
):
    assert set(colleagues_for(project_staff)) == {coordinator, member, outsider}


def test_members_and_funders_choose_nobody(member, coordinator, funder):
    assert not colleagues_for(member).exists()
    assert not colleagues_for(funder).exists()


def test_people_are_shown_with_their_authority(coordinator, member):
    member.first_name, member.last_name = "Mia", "Muster"
    member.save()
    form = ColleagueForm(participants=colleagues_for(coordinator), action="/anmelden/")
    choices = [label for _value, label in form.fields["participant"].choices]
    assert choices == ["Bitte wählen", "Mia Muster (Stadt Mainz)"]
    assert form.helper.form_action == "/anmelden/"


def test_the_chosen_colleague_is_returned(coordinator, member):
    assert (
        chosen_colleague(posted(coordinator, {"participant": member.pk}), colleagues_for(coordinator))
        == member
    )


def refused(request, participants) -> bool:
    chosen = chosen_colleague(request, participants)
    said = [str(message) for message in get_messages(request)]
    return chosen is None and said == ["Bitte wählen Sie eine Person aus der Liste aus."]


def test_someone_of_another_authority_cannot_be_chosen_by_changing_the_form(coordinator, outsider):
    assert refused(posted(coordinator, {"participant": outsider.pk}), colleagues_for(coordinator))


def test_nobody_chosen_or_someone_already_taken_is_refused(coordinator, member):
    assert refused(posted(coordinator, {"participant": ""}), colleagues_for(coordinator))
    taken = colleagues_for(coordinator).exclude(pk=member.pk)
    assert refused(posted(coordinator, {"participant": member.pk}), taken)
    assert User.objects.filter(pk=member.pk).exists()


def test_an_erased_person_and_one_without_a_name_are_labelled_as_everywhere(coordinator, member, mainz):
    member.first_name, member.last_name = "", ""
    member.save()
    erased = UserFactory(authority=mainz, first_name="Alt", email="alt@mainz.example.org")
    User.objects.filter(pk=erased.pk).update(erased_at="2026-01-01T00:00Z")
    erased.refresh_from_db()

    form = ColleagueForm(participants=colleagues_for(coordinator), action="/anmelden/")

    labels = dict(form.fields["participant"].choices)
    assert labels[member.pk] == f"{member} (Stadt Mainz)" == f"{member.email} (Stadt Mainz)"
    assert labels[erased.pk] == f"{erased} (Stadt Mainz)" == "gelöschte Person (Stadt Mainz)"
