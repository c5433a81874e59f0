"""The helpers that make a table's rows without a reverse() or a translation of every choice per row."""

import pytest
from django.urls import reverse
from django.utils import translation

from authorities.models import HistoryEntry
from portal.accounts.models import User
from portal.links import reverse_each


@pytest.mark.parametrize(
    ("name", "ids"),
    [("authorities:process", (5, 1234)), ("privacy:erase", (42,)), ("accounts:invitation_resend", (7,))],
)
def test_reverse_each_gives_what_reverse_gives(name, ids):
    assert reverse_each(name, len(ids))(*ids) == reverse(name, args=ids)


def test_reverse_each_without_ids_in_the_route_reverses_each_time():
    assert reverse_each("pages:home", 0)() == reverse("pages:home")


def test_choice_labels_follow_the_language_and_keep_unknown_values():
    entry = HistoryEntry(action="created")
    person = User(role="funder")

    with translation.override("de"):
        assert (entry.get_action_display(), person.get_role_display()) == (
            "Behörde angelegt",
            "Fördermittelgeber",
        )
    with translation.override("en"):
        assert entry.get_action_display() != "Behörde angelegt"
    assert HistoryEntry(action="gone").get_action_display() == "gone"
