"""Writes of the customers' survey: waves opened and closed, answers stored (all or nothing, once per
form token), comments masked when they arrive and released by project staff, and pruned by the
retention rules."""

import hashlib
import re
import secrets
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from authorities import rules, tasks
from authorities.models.process import ChangeProcess, Measure
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
    SurveyItem,
    SurveyMeasure,
    SurveyPoster,
    SurveyQuestionnaire,
    SurveyResponse,
    SurveyTokenUse,
    SurveyWave,
)
from authorities.selectors.assessment import active_questionnaire
from portal.accounts.models import User
from portal.links import absolute_url
from portal.notifications.mail import send_email
from portal.notifications.services import notification_batch, notify
from portal.services import model_update

TOKEN_SALT = "authorities.survey.form"


class SurveyRefused(Exception):
    """An answer the survey does not take; `reason` names the visitor's message (survey_words)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- waves ----------------------------------------------------------------------------------------


def customer_questionnaire() -> SurveyQuestionnaire:
    """The questionnaire new waves use: the newest one shipped."""
    questionnaire = SurveyQuestionnaire.objects.order_by("-pk").first()
    if questionnaire is None:
        raise ValidationError(_("Es gibt keinen Fragebogen für die Kundenbefragung."))
    return questionnaire


@transaction.atomic
def wave_open(*, authority: Authority, kind: str, opens_on: date, closes_on: date, by: User) -> SurveyWave:
    """Open a wave at the authority, tied to its running change process (if it has one). Waves of one
    authority do not overlap: a customer's answer belongs to exactly one of them."""
    _require(rules.may_manage_survey(by, authority))
    # The authority's row is the lock: two people opening waves at once do not both pass the check.
    Authority.objects.select_for_update().get(pk=authority.pk)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("Das Ende darf nicht vor dem Beginn liegen.")})
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("Das Ende darf nicht in der Vergangenheit liegen.")})
    if closes_on - opens_on > timedelta(days=settings.SURVEY_WAVE_MAX_DAYS):
        raise ValidationError(
            {
                "closes_on": _("Eine Welle dauert höchstens %(days)s Tage.")
                % {"days": settings.SURVEY_WAVE_MAX_DAYS}
            }
        )
    overlapping = authority.survey_waves.filter(
        closed=False, opens_on__lte=closes_on, closes_on__gte=opens_on
    )
    if overlapping.exists():
        raise ValidationError(_("In diesem Zeitraum läuft schon eine Welle dieser Behörde."))
    process = ChangeProcess.objects.filter(authority=authority).active().first()
    return SurveyWave.objects.create(
        authority=authority,
        process=process,
        questionnaire=customer_questionnaire(),
        kind=kind,
        opens_on=opens_on,
        closes_on=closes_on,
        opened_by=by,
    )


@transaction.atomic
def wave_close(*, wave: SurveyWave, by: User) -> None:
    """Close a wave before its last day; what was answered stays."""
    _require(rules.may_manage_survey(by, wave.authority))
    if wave.has_ended():
        raise ValidationError(_("Diese Welle ist schon beendet."))
    model_update(instance=wave, fields=["closed"], data={"closed": True})


@transaction.atomic
def poster_request(*, wave: SurveyWave, size: str, by: User) -> SurveyPoster:
    """Ask the worker for the wave's poster (A4) or table card (A6); made anew each time."""
    _require(rules.may_manage_survey(by, wave.authority))
    poster, _created = SurveyPoster.objects.update_or_create(
        wave=wave, size=size, defaults={"requested_at": timezone.now(), "requested_by": by}
    )
    transaction.on_commit(partial(tasks.render_survey_poster.delay, poster.pk))
    return poster


@transaction.atomic
def survey_measure_set(*, measure: Measure, items: list[SurveyItem], by: User) -> None:
    """Sie sagten – wir taten: the survey items a measure answers (replacing the earlier choice)."""
    _require(rules.may_manage_survey(by, measure.process.authority))
    SurveyMeasure.objects.filter(measure=measure).exclude(item__in=items).delete()
    known = set(SurveyMeasure.objects.filter(measure=measure).values_list("item_id", flat=True))
    SurveyMeasure.objects.bulk_create(
        SurveyMeasure(measure=measure, item=item) for item in items if item.pk not in known
    )


# --- the form token: one per page view, used once ------------------------------------------------


def form_token(wave: SurveyWave) -> str:
    return signing.dumps({"w": wave.pk, "n": secrets.token_urlsafe(12)}, salt=TOKEN_SALT, compress=False)


def _token_digest(wave: SurveyWave, token: str) -> str:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=settings.SURVEY_TOKEN_MAX_AGE_SECONDS)
    except signing.BadSignature:  # also an expired one
        raise SurveyRefused("token") from None
    if not isinstance(data, dict) or data.get("w") != wave.pk:
        raise SurveyRefused("token")
    return hashlib.sha256(str(data.get("n")).encode()).hexdigest()


# --- masking of comments --------------------------------------------------------------------------

MASK = "[…]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Six or more digits, in any grouping (+49 6131 12-34 56, 0176/1234567).
PHONE = re.compile(r"\+?\d(?:[\s/().-]*\d){5,}")
# A title or an introduction followed by a name: "Frau Yilmaz", "Herr Dr. Schmidt", "ich heiße Ali".
NAMED = re.compile(
    r"\b(?P<lead>Frau|Herrn?|Hr\.|Fr\.|Dr\.|Mr\.?|Mrs\.?|Ms\.?|Mme\.?|M\.|"
    r"[Ii]ch hei(?:ß|ss)e|[Mm]ein Name ist|[Mm]y name is|[Jj]e m'appelle)\s+"
    r"(?:(?:Dr|Prof)\.\s+)?(?P<name>[^\W\d_][\w'-]*(?:\s+[A-ZÄÖÜ][\w'-]*)?)",
    re.UNICODE,
)


def _known_names(authority: Authority) -> list[str]:
    """The names the portal knows at this authority: its contact persons and its staff accounts."""
    names: set[str] = set()
    for full in authority.contacts.values_list("name", flat=True):
        names.update(part for part in full.split() if len(part) > 2)
    for first, last in User.objects.filter(authority=authority).values_list("first_name", "last_name"):
        names.update(part for part in (first, last) if len(part) > 2)
    return sorted(names, key=len, reverse=True)


def comment_mask(text: str, *, known_names: list[str] = ()) -> str:  # type: ignore[assignment]
    """The comment with e-mail addresses, phone numbers and names replaced by "[…]"."""
    text = EMAIL.sub(MASK, text)
    text = PHONE.sub(MASK, text)
    text = NAMED.sub(lambda m: f"{m.group('lead')} {MASK}", text)
    for name in known_names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", MASK, text, flags=re.IGNORECASE)
    return text


# --- answering ------------------------------------------------------------------------------------


def _check_answers(items: list[SurveyItem], answers: dict[str, int]) -> None:
    """Every required item answered, every value within its item's range (the form checked the
    same; this is the last line for a hand-made request)."""
    for item in items:
        value = answers.get(item.code)
        if item.kind == ItemKind.COMMENT:
            continue
        if value is None:
            if item.required:
                raise SurveyRefused("missing")
            continue
        allowed = {
            ItemKind.SCALE: range(1, 6),
            ItemKind.YES_NO: range(0, 2),
            ItemKind.CHOICE: range(0, 6),
        }[ItemKind(item.kind)]
        if value not in allowed:
            raise SurveyRefused("missing")


def response_submit(
    *, wave: SurveyWave, token: str, answers: dict[str, int], comment: str = ""
) -> SurveyResponse:
    """Store one visitor's answers, all or nothing, and only the day. The token is the form's, signed
    for this wave; its use is recorded (apart from the response), so one page view answers once."""
    today = timezone.localdate()
    digest = _token_digest(wave, token)
    if not wave.is_open(today):
        raise SurveyRefused("closed")
    comment = comment.strip()
    if len(comment) > settings.SURVEY_COMMENT_MAX_CHARS:
        raise SurveyRefused("too_long")
    items = list(wave.questionnaire.items.all())
    _check_answers(items, answers)
    by_code = {item.code: item for item in items}
    try:
        with transaction.atomic():
            SurveyTokenUse.objects.create(digest=digest, used_on=today)
            response = SurveyResponse.objects.create(wave=wave, answered_on=today)
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, item=by_code[code], value=value)
                for code, value in answers.items()
                if code in by_code and value is not None
            )
            if comment:
                SurveyComment.objects.create(
                    wave=wave,
                    answered_on=today,
                    text=comment_mask(comment, known_names=_known_names(wave.authority)),
                )
    except IntegrityError:
        # The token was used already (a second click, a form sent twice): nothing of this is kept.
        raise SurveyRefused("token") from None
    return response


# --- comments -------------------------------------------------------------------------------------


@transaction.atomic
def comment_review(*, comment: SurveyComment, release: bool, by: User) -> None:
    """Project staff release a (masked) comment to the authority's coordinator, or withhold it."""
    _require(rules.may_release_comments(by))
    status = CommentStatus.RELEASED if release else CommentStatus.WITHHELD
    model_update(instance=comment, fields=["status"], data={"status": status})


def survey_data_prune(*, today: date | None = None) -> int:
    """Retention: comments are deleted SURVEY_COMMENT_RETENTION_DAYS after their wave ended, and used
    form tokens once they could no longer be sent. Returns the number of comments deleted."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.SURVEY_COMMENT_RETENTION_DAYS)
    deleted, _counts = SurveyComment.objects.filter(wave__closes_on__lt=cutoff).delete()
    token_days = settings.SURVEY_TOKEN_MAX_AGE_SECONDS // 86400 + 2
    SurveyTokenUse.objects.filter(used_on__lt=today - timedelta(days=token_days)).delete()
    return deleted


# --- the staff survey -----------------------------------------------------------------------------


@transaction.atomic
def staff_wave_open(*, authority: Authority, closes_on: date, by: User) -> StaffWave:
    """Open a staff wave from today: colleagues rate the self-check's statements."""
    _require(rules.may_manage_survey(by, authority))
    today = timezone.localdate()
    if closes_on < today:
        raise ValidationError({"closes_on": _("Das Ende darf nicht in der Vergangenheit liegen.")})
    if closes_on - today > timedelta(days=settings.SURVEY_WAVE_MAX_DAYS):
        raise ValidationError(
            {
                "closes_on": _("Eine Welle dauert höchstens %(days)s Tage.")
                % {"days": settings.SURVEY_WAVE_MAX_DAYS}
            }
        )
    questionnaire = active_questionnaire()
    if questionnaire is None:
        raise ValidationError(_("Es gibt keinen Fragebogen in Verwendung."))
    return StaffWave.objects.create(
        authority=authority,
        process=ChangeProcess.objects.filter(authority=authority).active().first(),
        questionnaire=questionnaire,
        opens_on=today,
        closes_on=closes_on,
        opened_by=by,
    )


def _staff_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def staff_invite(
    *, wave: StaffWave, colleagues: list[User], by: User, addresses: tuple[str, ...] | list[str] = ()
) -> int:
    """Send each colleague (an account of the wave's authority) a one-time link, once per wave: a
    colleague named again gets no second link. The invitation row holds only the link's hash; the
    mail is emptied in the outbox once sent. `addresses` reach colleagues without an account (an
    address of an account of the authority counts as that account; other addresses are not
    remembered, so one named twice gets two links). Returns how many were invited now."""
    _require(rules.may_manage_survey(by, wave.authority))
    if not wave.is_open():
        raise ValidationError(_("Diese Welle ist nicht offen."))
    accounts = {
        user.email.lower(): user
        for user in User.objects.filter(authority_id=wave.authority_id, email__in=list(addresses))
    }
    sent = 0
    with notification_batch():
        for colleague in [*colleagues, *accounts.values()]:
            if colleague.authority_id != wave.authority_id:
                raise ValidationError(_("Eingeladen werden können nur Konten dieser Behörde."))
            token = secrets.token_urlsafe(24)
            invitation = StaffInvitation.objects.create(wave=wave, digest=_staff_digest(token))
            invited = notify(
                recipient=colleague,
                kind="survey.staff_invitation",
                obj=wave,
                occasion="invitation",
                template="authorities/staff_survey_invitation",
                context={
                    "authority": wave.authority,
                    "wave": wave,
                    "link": absolute_url(reverse("survey:staff_answer", args=[token])),
                },
            )
            if invited:
                sent += 1
            else:  # invited before (or the account is inactive): this link was never sent
                invitation.delete()
        for address in addresses:
            if address in accounts:
                continue
            token = secrets.token_urlsafe(24)
            StaffInvitation.objects.create(wave=wave, digest=_staff_digest(token))
            # A mail of its own in the outbox (no claim, no kind): emptied once sent.
            send_email(
                to=[address],
                template="authorities/staff_survey_invitation",
                context={
                    "authority": wave.authority,
                    "wave": wave,
                    "link": absolute_url(reverse("survey:staff_answer", args=[token])),
                },
            )
            sent += 1
    return sent


def staff_invitation_open(token: str) -> StaffInvitation | None:
    """The unused invitation of a link, or None (unknown, used, or its wave is not open)."""
    invitation = (
        StaffInvitation.objects.select_related("wave__authority")
        .filter(digest=_staff_digest(token), used=False)
        .first()
    )
    return invitation if invitation is not None and invitation.wave.is_open() else None


def staff_response_submit(*, token: str, ratings: dict[int, int]) -> StaffResponse:
    """Store a colleague's ratings (statement id -> 1..5) once per link. In one transaction the link is
    marked used (a conditional UPDATE: of two at once, the second finds it used) and the response
    stored, which points to the wave only."""
    today = timezone.localdate()
    with transaction.atomic():
        invitation = staff_invitation_open(token)
        if invitation is None:
            raise SurveyRefused("token")
        wave = invitation.wave
        if not StaffInvitation.objects.filter(pk=invitation.pk, used=False).update(used=True):
            raise SurveyRefused("token")
        statement_ids = set(
            wave.questionnaire.dimensions.values_list("statements", flat=True).exclude(statements=None)
        )
        if set(ratings) != statement_ids or any(value not in range(1, 6) for value in ratings.values()):
            raise SurveyRefused("missing")
        response = StaffResponse.objects.create(wave=wave, answered_on=today)
        StaffAnswer.objects.bulk_create(
            StaffAnswer(response=response, statement_id=statement_id, rating=rating)
            for statement_id, rating in ratings.items()
        )
    return response
