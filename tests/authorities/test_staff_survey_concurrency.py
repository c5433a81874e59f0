"""One staff-survey link posted many times at once (a double click, two tabs): one answer is stored,
every other attempt is refused, nothing half (PostgreSQL: real concurrent transactions)."""

import pytest
from django.db import connection
from django.utils import timezone

from authorities.models import StaffAnswer, StaffInvitation, StaffResponse, StaffWave
from authorities.services import survey as services
from tests.helpers import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


def test_one_link_sent_ten_times_at_once_answers_once(mainz, questionnaire):
    today = timezone.localdate()
    wave = StaffWave.objects.create(
        authority=mainz, questionnaire=questionnaire, opens_on=today, closes_on=today
    )
    token = "ein-einmaliger-link"
    StaffInvitation.objects.create(wave=wave, digest=services._staff_digest(token))
    ratings = {s.pk: 3 for d in questionnaire.dimensions.all() for s in d.statements.all()}

    outcomes = run_together(
        (lambda: services.staff_response_submit(token=token, ratings=ratings)) for _ in range(10)
    )

    stored = [o for o in outcomes if isinstance(o, StaffResponse)]
    refused = [o for o in outcomes if isinstance(o, services.SurveyRefused) and o.reason == "token"]
    assert len(stored) == 1 and len(refused) == 9
    assert StaffResponse.objects.count() == 1
    assert StaffAnswer.objects.count() == len(ratings)
    assert StaffInvitation.objects.get().used
