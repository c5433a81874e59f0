"""Demo customer survey: Stadt Mainz has a closed baseline and a running follow-up wave (so results,
the before/after comparison and the public page all show), and the other kreisfreie Städte of
Rhineland-Palatinate have closed baselines with enough answers to form Mainz's peer group. Mainz also
has a finished staff wave (8 of 12 invited colleagues answered), so its results show.

Runs after authorities.demo.process (the waves belong to the running processes). Idempotent: an
authority that has a wave is left alone. The answers are drawn from a fixed seed, so every run of the
demo shows the same figures.
"""

import random
from datetime import timedelta

from django.utils import timezone

from authorities.models.assessment import Statement
from authorities.models.process import ChangeProcess
from authorities.models.registry import Authority
from authorities.models.survey import (
    CommentStatus,
    ItemKind,
    StaffAnswer,
    StaffInvitation,
    StaffResponse,
    StaffWave,
    SurveyAnswer,
    SurveyComment,
    SurveyQuestionnaire,
    SurveyResponse,
    SurveyWave,
    WaveKind,
)
from authorities.selectors.assessment import active_questionnaire

MAINZ = "07315000"
PEERS = 6
# Weights of the answers 1..5 (very bad .. very good): before, and after the change process.
BEFORE = (1, 2, 4, 5, 3)
AFTER = (1, 1, 3, 6, 6)
COMMENTS = [
    "Die Wartezeit war lang, aber die Mitarbeiterin war sehr freundlich.",
    "Bitte mehr Informationen auf Arabisch auf der Internetseite.",
    "Das neue Aufrufsystem ist gut, man weiß, wann man dran ist.",
]


def _answers(wave: SurveyWave, count: int, weights: tuple[int, ...], rng: random.Random) -> None:
    items = list(wave.questionnaire.items.exclude(kind=ItemKind.COMMENT))
    for index in range(count):
        day = min(wave.opens_on + timedelta(days=index % 20), wave.closes_on, timezone.localdate())
        response = SurveyResponse.objects.create(wave=wave, answered_on=day)
        answers = []
        for item in items:
            if item.kind == ItemKind.SCALE:
                value = rng.choices(range(1, 6), weights=weights)[0]
            elif item.kind == ItemKind.YES_NO:
                value = 1 if rng.random() < 0.5 + weights[4] / 20 else 0
            else:
                value = rng.randrange(3)
            answers.append(SurveyAnswer(response=response, item=item, value=value))
        SurveyAnswer.objects.bulk_create(answers)


def _wave(
    authority: Authority, questionnaire: SurveyQuestionnaire, kind: str, opens_days_ago: int, days: int
):
    today = timezone.localdate()
    opens_on = today - timedelta(days=opens_days_ago)
    return SurveyWave.objects.create(
        authority=authority,
        process=ChangeProcess.objects.filter(authority=authority).active().first(),
        questionnaire=questionnaire,
        kind=kind,
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=days),
    )


def _staff_wave(mainz: Authority, rng: random.Random) -> None:
    """A finished staff wave at Mainz: 12 colleagues invited, 8 answered (their links used)."""
    questionnaire = active_questionnaire()
    if questionnaire is None or mainz.staff_waves.exists():
        return
    today = timezone.localdate()
    wave = StaffWave.objects.create(
        authority=mainz,
        process=ChangeProcess.objects.filter(authority=mainz).active().first(),
        questionnaire=questionnaire,
        opens_on=today - timedelta(days=60),
        closes_on=today - timedelta(days=39),
    )
    StaffInvitation.objects.bulk_create(
        StaffInvitation(wave=wave, digest=f"demo-{wave.pk}-{index}", used=index < 8) for index in range(12)
    )
    statements = list(Statement.objects.filter(dimension__questionnaire=questionnaire))
    for _index in range(8):
        response = StaffResponse.objects.create(wave=wave, answered_on=wave.opens_on + timedelta(days=3))
        StaffAnswer.objects.bulk_create(
            StaffAnswer(
                response=response, statement=statement, rating=rng.choices(range(1, 6), weights=BEFORE)[0]
            )
            for statement in statements
        )


def seed() -> str:
    mainz = Authority.objects.filter(ags=MAINZ).first()
    if mainz is not None:
        _staff_wave(mainz, random.Random(18))
    questionnaire = SurveyQuestionnaire.objects.order_by("-pk").first()
    mainz = Authority.objects.filter(ags=MAINZ).first()
    if questionnaire is None or mainz is None or SurveyWave.objects.filter(authority=mainz).exists():
        return "Kundenbefragung: nichts zu tun"
    rng = random.Random(17)
    baseline = _wave(mainz, questionnaire, WaveKind.BASELINE, opens_days_ago=300, days=28)
    _answers(baseline, 48, BEFORE, rng)
    follow_up = _wave(mainz, questionnaire, WaveKind.FOLLOW_UP, opens_days_ago=10, days=30)
    _answers(follow_up, 23, AFTER, rng)
    for wave, status in ((baseline, CommentStatus.RELEASED), (follow_up, CommentStatus.PENDING)):
        for text in COMMENTS:
            SurveyComment.objects.create(wave=wave, answered_on=wave.opens_on, text=text, status=status)
    peers = Authority.objects.filter(state=mainz.state, kind=mainz.kind).exclude(pk=mainz.pk).order_by("ags")
    for index, peer in enumerate(peers[:PEERS]):
        if not peer.survey_waves.exists():
            wave = _wave(peer, questionnaire, WaveKind.BASELINE, opens_days_ago=200 + 10 * index, days=28)
            _answers(wave, 15 + 5 * index, BEFORE, rng)
    return (
        f"Kundenbefragung: Stadt Mainz (Ausgangs- und laufende Folgebefragung) und {PEERS} Vergleichsbehörden"
    )
