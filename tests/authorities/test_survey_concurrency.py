"""One form token, sent many times at once (a double tap, a robot): exactly one answer is stored,
every other attempt is refused, and nothing of them is left half (PostgreSQL: real concurrent
transactions on the unique token row)."""

import pytest
from django.db import connection

from authorities.models import SurveyAnswer, SurveyResponse
from authorities.services.survey import SurveyRefused, form_token, response_submit
from tests.helpers import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]

ANSWERS = {"overall": 5, "appointment": 4, "waiting": 3, "information": 4, "explanation": 5,
           "friendliness": 5, "respect": 1, "understanding": 1, "further_help": 0}  # fmt: skip


def test_one_token_sent_twenty_times_at_once_answers_once(survey_wave):
    token = form_token(survey_wave)

    outcomes = run_together(
        (lambda: response_submit(wave=survey_wave, token=token, answers=ANSWERS, comment="Danke"))
        for _ in range(20)
    )

    stored = [o for o in outcomes if isinstance(o, SurveyResponse)]
    refused = [o for o in outcomes if isinstance(o, SurveyRefused) and o.reason == "token"]
    assert len(stored) == 1 and len(refused) == 19
    assert SurveyResponse.objects.count() == 1
    assert SurveyAnswer.objects.count() == len(ANSWERS)
    assert survey_wave.comments.count() == 1
