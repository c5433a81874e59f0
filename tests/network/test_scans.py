"""The reminder scans of the networks on a frozen clock: meetings, tasks from minutes, new posts right
away and in the weekly digest. The right people on the right day, nobody else, nothing twice, and a
run missed for hours or days still sends once."""

from datetime import UTC, date, datetime, timedelta

import pytest

from network.models import Post, RegistrationStatus, Subscription, SubscriptionMode, Thread
from network.scans import meeting_reminders, new_posts, post_digests, tasks_due
from portal.notifications.models import DeliveryMode, Notification, NotificationPreference
from portal.notifications.scans import weekly_occasion
from tests.factories import (
    MeetingFactory,
    MeetingRegistrationFactory,
    MinutesFactory,
    MinutesItemFactory,
    NetworkFactory,
    UserFactory,
)

# A Wednesday, 10:00 German time, in ISO week 48.
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
# Monday of that week, 07:00 German time: the digest of week 48 is due from here.
MONDAY_0700 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def _off(user, kind):
    NotificationPreference.objects.create(user=user, kind=kind, mode=DeliveryMode.OFF)


# --- meetings -------------------------------------------------------------------------------------


def test_registered_participants_are_reminded_three_days_before_once(
    mainz, member, coordinator, mailoutbox, run
):
    network = NetworkFactory(name="Netzwerk Rheinhessen", members=[mainz])
    meeting = MeetingFactory(network=network, title="Frühjahrstreffen", starts_at=NOW + timedelta(days=5))
    MeetingRegistrationFactory(meeting=meeting, participant=member)
    MeetingRegistrationFactory(meeting=meeting, participant=coordinator)

    assert run(meeting_reminders, meeting.starts_at - timedelta(days=3, hours=1)) == 0
    assert run(meeting_reminders, meeting.starts_at - timedelta(days=3)) == 2
    assert run(meeting_reminders, meeting.starts_at - timedelta(days=2, hours=23)) == 0
    assert run(meeting_reminders, meeting.starts_at - timedelta(hours=1)) == 0

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([member.email, coordinator.email])
    mail = mailoutbox[0]
    assert mail.subject == "Erinnerung: „Frühjahrstreffen“ am 30.11.2026"
    assert "des Netzwerks Netzwerk Rheinhessen, für das Sie angemeldet sind" in mail.body
    assert meeting.get_absolute_url() in mail.body
    assert meeting.get_absolute_url() in mail.alternatives[0][0]
    assert set(Notification.objects.values_list("occasion", flat=True)) == {"3d"}


def test_a_missed_meeting_reminder_still_goes_out_once_before_the_start(mainz, member, mailoutbox, run):
    meeting = MeetingFactory(network=NetworkFactory(members=[mainz]), starts_at=NOW + timedelta(days=5))
    MeetingRegistrationFactory(meeting=meeting, participant=member)

    assert run(meeting_reminders, meeting.starts_at - timedelta(hours=20)) == 1  # beat down for two days
    assert run(meeting_reminders, meeting.starts_at - timedelta(hours=19)) == 0
    assert run(meeting_reminders, meeting.starts_at + timedelta(hours=1)) == 0

    assert [mail.to for mail in mailoutbox] == [[member.email]]


def test_no_meeting_reminder_for_the_unregistered_the_switched_off_or_other_meetings(
    mainz, member, coordinator, outsider, mailoutbox, run
):
    meeting = MeetingFactory(network=NetworkFactory(members=[mainz]), starts_at=NOW + timedelta(days=2))
    MeetingRegistrationFactory(meeting=meeting, participant=member, status=RegistrationStatus.CANCELLED)
    MeetingRegistrationFactory(meeting=meeting, participant=coordinator)
    _off(coordinator, "network.meeting_reminder")
    later = MeetingFactory(starts_at=NOW + timedelta(days=4))  # more than three days ahead
    MeetingRegistrationFactory(meeting=later, participant=outsider)
    past = MeetingFactory(starts_at=NOW - timedelta(hours=1))
    MeetingRegistrationFactory(meeting=past, participant=UserFactory())

    assert run(meeting_reminders, NOW) == 0
    assert mailoutbox == []


# --- tasks from minutes ---------------------------------------------------------------------------


def test_a_task_due_within_three_days_goes_to_the_coordinators_and_again_once_overdue(
    mainz, member, coordinator, mailoutbox, run
):
    network = NetworkFactory(name="Netzwerk Rheinhessen", members=[mainz])
    meeting = MeetingFactory(network=network, title="Herbsttreffen", starts_at=NOW - timedelta(days=30))
    item = MinutesItemFactory(
        minutes=MinutesFactory(meeting=meeting),
        text="Checkliste für den Empfang abstimmen",
        responsible_authority=mainz,
        due_on=date(2026, 11, 29),
    )

    assert run(tasks_due, NOW) == 0  # Wednesday the 25th: due in four days
    thursday = NOW + timedelta(days=1)
    assert run(tasks_due, thursday) == 1
    assert run(tasks_due, thursday + timedelta(hours=1)) == 0
    assert run(tasks_due, datetime(2026, 11, 29, 22, 0, tzinfo=UTC)) == 0  # due today: not overdue yet
    assert run(tasks_due, datetime(2026, 11, 29, 23, 0, tzinfo=UTC)) == 1  # Monday 00:00 in Germany
    assert run(tasks_due, datetime(2026, 12, 5, 9, 0, tzinfo=UTC)) == 0

    assert [mail.to for mail in mailoutbox] == [[coordinator.email], [coordinator.email]]
    due, overdue = mailoutbox
    assert due.subject == "Aufgabe bald fällig – Netzwerk Rheinhessen"
    assert "ist am 29.11.2026 fällig" in due.body
    assert "Checkliste für den Empfang abstimmen" in due.body
    assert f"{meeting.get_absolute_url()}#protokoll" in due.body
    assert overdue.subject == "Überfällige Aufgabe – Netzwerk Rheinhessen"
    assert list(
        Notification.objects.filter(object_id=item.pk).order_by("pk").values_list("occasion", flat=True)
    ) == [
        "due",
        "overdue",
    ]


def test_a_task_missed_past_its_due_date_sends_only_the_overdue_notice(mainz, coordinator, mailoutbox, run):
    MinutesItemFactory(responsible_authority=mainz, due_on=date(2026, 11, 20))

    assert run(tasks_due, NOW) == 1
    assert run(tasks_due, NOW + timedelta(days=1)) == 0

    assert Notification.objects.get().occasion == "overdue"


def test_a_task_without_authority_goes_to_the_moderators(mainz, member, project_staff, mailoutbox, run):
    network = NetworkFactory(members=[mainz], moderators=[member])
    MinutesItemFactory(
        minutes=MinutesFactory(meeting=MeetingFactory(network=network)), due_on=date(2026, 11, 26)
    )

    assert run(tasks_due, NOW) == 1
    assert [mail.to for mail in mailoutbox] == [[member.email]]


def test_no_task_notice_when_done_not_published_not_a_task_not_due_or_switched_off(
    mainz, hannover, coordinator, outsider, mailoutbox, run
):
    due = date(2026, 11, 26)
    MinutesItemFactory(responsible_authority=mainz, due_on=due, done_on=date(2026, 11, 24))
    MinutesItemFactory(responsible_authority=mainz, due_on=due, minutes=MinutesFactory(published_at=None))
    MinutesItemFactory(responsible_authority=mainz, due_on=due, kind="decision")
    MinutesItemFactory(responsible_authority=mainz, due_on=None)
    MinutesItemFactory(responsible_authority=mainz, due_on=date(2026, 12, 20))
    MinutesItemFactory(responsible_authority=hannover, due_on=due)
    _off(outsider, "network.task_due")

    assert run(tasks_due, NOW) == 0
    assert mailoutbox == []


# --- new posts ------------------------------------------------------------------------------------


def _post(thread, author, at, body="Wie handhaben Sie die Terminvergabe?"):
    post = Post.objects.create(thread=thread, author=author, body=body)
    Post.objects.filter(pk=post.pk).update(created_at=at)
    post.refresh_from_db()
    return post


def _follow(user, *, mode=SubscriptionMode.IMMEDIATE, network=None, thread=None, at=None):
    subscription = Subscription.objects.create(user=user, network=network, thread=thread, mode=mode)
    Subscription.objects.filter(pk=subscription.pk).update(created_at=at or NOW - timedelta(days=60))
    return subscription


@pytest.fixture
def discussion(mainz, hannover):
    network = NetworkFactory(name="Netzwerk Willkommen", members=[mainz, hannover])
    return Thread.objects.create(network=network, title="Terminvergabe online")


def test_a_new_post_is_mailed_to_immediate_followers_once(
    discussion, member, coordinator, outsider, mailoutbox, run
):
    _follow(member, network=discussion.network)
    _follow(coordinator, thread=discussion)
    _follow(outsider, network=discussion.network)  # the author: no mail about their own post
    post = _post(discussion, outsider, NOW - timedelta(minutes=20))

    assert run(new_posts, NOW) == 2
    assert run(new_posts, NOW + timedelta(hours=1)) == 0

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([member.email, coordinator.email])
    mail = mailoutbox[0]
    assert mail.subject == "Neuer Beitrag in „Terminvergabe online“ (Netzwerk Willkommen)"
    assert f"{discussion.get_absolute_url()}?seite=1#beitrag-{post.pk}" in mail.body
    # A link, never the post's text or its author's name (mails leave the portal).
    for mailed in (mail.body, mail.alternatives[0][0]):
        assert "Wie handhaben Sie die Terminvergabe?" not in mailed
        assert outsider.last_name not in mailed and "Region Hannover" not in mailed


def test_the_mail_links_to_the_page_that_holds_the_post(
    discussion, member, outsider, mailoutbox, run, client_for
):
    # 30 posts: the new one is the 30th, on the second page of 25, where it stays however much the
    # thread grows (without a number the thread opens at the reader's first unread post: page 1).
    for minutes in range(29, 0, -1):
        _post(discussion, outsider, NOW - timedelta(days=9, minutes=minutes), body="Älter")
    _follow(member, thread=discussion)
    post = _post(discussion, outsider, NOW - timedelta(minutes=5), body="Der neue Beitrag")

    assert run(new_posts, NOW) == 1

    link = f"{discussion.get_absolute_url()}?seite=2#beitrag-{post.pk}"
    mail = mailoutbox[0]
    assert f"{link}\n" in mail.body
    assert f'{link}">' in mail.alternatives[0][0]
    assert "Der neue Beitrag" in client_for(member).get(link).text


def test_a_post_missed_for_days_is_mailed_once_but_not_after_a_week(
    discussion, member, outsider, mailoutbox, run
):
    _follow(member, network=discussion.network)
    _post(discussion, outsider, NOW - timedelta(days=3), body="Neu")
    _post(discussion, outsider, NOW - timedelta(days=8), body="Alt")

    assert run(new_posts, NOW) == 1
    assert run(new_posts, NOW + timedelta(days=1)) == 0
    assert [mail.to for mail in mailoutbox] == [[member.email]]


def test_no_immediate_mail_for_digest_followers_late_followers_hidden_posts_or_the_digest_preference(
    discussion, mainz, member, coordinator, outsider, mailoutbox, run
):
    _follow(member, network=discussion.network, mode=SubscriptionMode.DIGEST)
    _follow(coordinator, network=discussion.network, at=NOW - timedelta(minutes=5))  # followed after the post
    digest_reader = UserFactory(authority=mainz)
    _follow(digest_reader, thread=discussion)
    NotificationPreference.objects.create(user=digest_reader, kind="network.post", mode=DeliveryMode.DIGEST)
    switched_off = UserFactory(authority=mainz)
    _follow(switched_off, thread=discussion)
    _off(switched_off, "network.post")
    stranger = UserFactory()  # follows, but their authority is not a member (any more)
    _follow(stranger, network=discussion.network)
    _post(discussion, outsider, NOW - timedelta(minutes=20))
    hidden = _post(discussion, outsider, NOW - timedelta(minutes=10))
    Post.objects.filter(pk=hidden.pk).update(hidden_at=NOW)
    deleted = _post(discussion, outsider, NOW - timedelta(minutes=10))
    Post.objects.filter(pk=deleted.pk).update(is_deleted=True)

    assert run(new_posts, NOW) == 0
    assert mailoutbox == []


# --- weekly digest --------------------------------------------------------------------------------


def test_digest_week_is_the_iso_week_from_monday_seven_oclock_german_time():
    assert weekly_occasion(MONDAY_0700 - timedelta(minutes=1)) is None
    assert weekly_occasion(MONDAY_0700) == ("2026-W48", MONDAY_0700)
    assert weekly_occasion(NOW) == ("2026-W48", MONDAY_0700)
    sunday_night = datetime(2026, 11, 29, 22, 59, tzinfo=UTC)  # Sunday 23:59 in Germany
    assert weekly_occasion(sunday_night) == ("2026-W48", MONDAY_0700)
    # Summer time: Monday 07:00 is 05:00 UTC.
    assert weekly_occasion(datetime(2026, 6, 29, 5, 0, tzinfo=UTC))[0] == "2026-W27"
    assert weekly_occasion(datetime(2026, 6, 29, 4, 59, tzinfo=UTC)) is None


def test_the_weekly_digest_lists_last_weeks_posts_once(
    discussion, member, coordinator, outsider, mailoutbox, run
):
    _follow(member, network=discussion.network, mode=SubscriptionMode.DIGEST)
    saturday = _post(discussion, outsider, MONDAY_0700 - timedelta(days=2), body="Vom Samstag")
    tuesday = _post(discussion, coordinator, MONDAY_0700 - timedelta(days=6), body="Vom Dienstag")
    before = _post(discussion, outsider, MONDAY_0700 - timedelta(days=8), body="Aus der Vorwoche")
    after = _post(discussion, outsider, MONDAY_0700 + timedelta(hours=1), body="Schon für nächste Woche")

    assert run(post_digests, MONDAY_0700 - timedelta(hours=1)) == 0  # Monday 06:00: not yet
    assert run(post_digests, MONDAY_0700) == 1
    assert run(post_digests, MONDAY_0700 + timedelta(hours=1)) == 0
    assert run(post_digests, NOW) == 0

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [member.email]
    assert mail.subject == "Wochenübersicht: 2 neue Beiträge in Ihren Netzwerken"
    # Links to the posts of the week, oldest first; never their text or their authors' names.
    link = f"{discussion.get_absolute_url()}?seite=1#beitrag-"
    assert f"{link}{tuesday.pk}\n" in mail.body and f"{link}{saturday.pk}\n" in mail.body
    assert f"{link}{before.pk}\n" not in mail.body and f"{link}{after.pk}\n" not in mail.body
    assert mail.body.index(f"{link}{tuesday.pk}") < mail.body.index(f"{link}{saturday.pk}")
    assert "- Beitrag vom 17.11.2026, 07:00 Uhr: " in mail.body
    for mailed in (mail.body, mail.alternatives[0][0]):
        assert "Vom Dienstag" not in mailed and coordinator.last_name not in mailed
    assert discussion.get_absolute_url() in mail.alternatives[0][0]
    claim = Notification.objects.get()
    assert (claim.kind, claim.occasion, claim.object_id) == ("network.post", "2026-W48", member.pk)


def test_the_digest_links_each_post_on_its_page(discussion, member, outsider, mailoutbox, run):
    for minutes in range(26, 0, -1):  # 26 older posts, the week's two are the 27th and 28th
        _post(discussion, outsider, MONDAY_0700 - timedelta(days=10, minutes=minutes), body="Älter")
    _follow(member, thread=discussion, mode=SubscriptionMode.DIGEST)
    first = _post(discussion, outsider, MONDAY_0700 - timedelta(days=3))
    second = _post(discussion, outsider, MONDAY_0700 - timedelta(days=2))

    assert run(post_digests, MONDAY_0700) == 1

    mail = mailoutbox[0]
    for post in (first, second):
        link = f"{discussion.get_absolute_url()}?seite=2#beitrag-{post.pk}"
        assert f"{link}\n" in mail.body and f'{link}">' in mail.alternatives[0][0]


def test_a_digest_missed_on_monday_goes_out_once_later_in_the_week(
    discussion, member, outsider, mailoutbox, run
):
    _follow(member, thread=discussion, mode=SubscriptionMode.DIGEST)
    _post(discussion, outsider, MONDAY_0700 - timedelta(days=1))

    assert run(post_digests, NOW) == 1  # Wednesday: beat was down since Sunday
    assert run(post_digests, NOW + timedelta(days=1)) == 0
    assert len(mailoutbox) == 1


def test_the_digest_preference_puts_immediate_follows_into_the_digest(
    discussion, member, coordinator, outsider, mailoutbox, run
):
    _follow(member, network=discussion.network)  # immediate subscription ...
    NotificationPreference.objects.create(user=member, kind="network.post", mode=DeliveryMode.DIGEST)
    post = _post(discussion, outsider, MONDAY_0700 - timedelta(days=1), body="Gesammelt")

    assert run(new_posts, MONDAY_0700) == 0  # ... but no single mail
    assert run(post_digests, MONDAY_0700) == 1  # the digest brings it
    assert f"#beitrag-{post.pk}" in mailoutbox[0].body


def test_no_digest_when_nothing_is_new_switched_off_or_only_immediate(
    discussion, mainz, member, coordinator, outsider, mailoutbox, run
):
    _follow(member, network=discussion.network, mode=SubscriptionMode.DIGEST)  # nothing new for them
    _follow(coordinator, network=discussion.network, mode=SubscriptionMode.DIGEST)
    _off(coordinator, "network.post")
    immediate = UserFactory(authority=mainz)
    _follow(immediate, network=discussion.network)  # gets single mails, no digest
    _post(discussion, member, MONDAY_0700 - timedelta(days=1))  # their own post does not count for them

    assert run(post_digests, MONDAY_0700) == 0
    assert mailoutbox == []
    assert not Notification.objects.exists()
