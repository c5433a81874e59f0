"""Counts agree with their nouns: "1 Ziel", not "1 Ziele" (ngettext / blocktranslate count)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from network.services import meetings as meeting_services
from tests.factories import (
    ChangeProcessFactory,
    GoalFactory,
    MeasureFactory,
    MeetingFactory,
    MeetingRegistrationFactory,
    MilestoneFactory,
)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_authority_page_counts_one_goal_and_one_measure_in_the_singular(client_for, coordinator, mainz):
    process = ChangeProcessFactory(authority=mainz)
    GoalFactory(process=process)
    MeasureFactory(process=process)
    MilestoneFactory(process=process)
    MilestoneFactory(process=process)

    text = _text(client_for(coordinator).get(reverse("authorities:detail", args=[mainz.pk])))

    assert "1 Ziel, 1 Maßnahme, 2 Meilensteine" in text


def test_fewer_places_than_one_registration_says_person_in_the_singular(project_staff, db):
    meeting = MeetingFactory(capacity=5)
    MeetingRegistrationFactory(meeting=meeting)

    with pytest.raises(ValidationError) as refused:
        meeting_services.meeting_update(meeting=meeting, by=project_staff, capacity=0)

    assert refused.value.message_dict["capacity"] == [
        "Es ist bereits 1 Person angemeldet; die Zahl der Plätze kann nicht darunter liegen."
    ]
