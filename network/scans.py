"""The reminders of the networks: meetings, tasks from minutes, new posts (right away and weekly).

Each scan finds in the database what is due at `now` within a window, so that a run missed while beat
was down is caught up by the next one; the claim of every mail (recipient, kind, object, occasion)
makes sure that nothing is sent twice, however often a scan runs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q

from network.models.discussions import Post, Subscription, SubscriptionMode
from network.models.meetings import Meeting, MinutesItem, RegistrationStatus
from network.models.networks import Network
from network.selectors.discussions import (
    numbered_location,
    post_location,
    posts_for_digest,
    subscribers_for_immediate,
)
from portal.accounts.models import User
from portal.notifications.kinds import KINDS
from portal.notifications.mail import send_email
from portal.notifications.models import DeliveryMode, NotificationPreference
from portal.notifications.scans import scan, weekly_occasion
from portal.notifications.services import delivery_mode, notification_claim, notify

BERLIN = ZoneInfo("Europe/Berlin")
MEETING_REMINDER = timedelta(days=3)
TASK_NOTICE = timedelta(days=3)
# New posts are mailed by the next hourly run; a week is how far a stopped beat is caught up.
POST_WINDOW = timedelta(days=7)
# The weekly digest goes out from Monday 07:00 German time and covers the seven days before that.
DIGEST_PERIOD = timedelta(days=7)


# --- meetings and tasks ---------------------------------------------------------------------------


@scan("network.meeting_reminder")
def meeting_reminders(now) -> int:
    """Everyone registered for a meeting that starts within the next three days, once."""
    meetings = Meeting.objects.filter(
        starts_at__gt=now, starts_at__lte=now + MEETING_REMINDER
    ).select_related("network")
    sent = 0
    for meeting in meetings:
        registrations = meeting.registrations.filter(status=RegistrationStatus.REGISTERED).select_related(
            "participant"
        )
        for registration in registrations:
            sent += notify(
                recipient=registration.participant,
                kind="network.meeting_reminder",
                obj=meeting,
                occasion="3d",
                template="network/meeting_reminder",
                context={
                    "meeting": meeting,
                    "network": meeting.network,
                    "participant": registration.participant,
                },
            )
    return sent


def task_recipients(item: MinutesItem, network: Network):
    """The coordinators of the responsible authority; the network's moderators when no authority is
    named or it has no coordinator (somebody has to hear of it)."""
    if item.responsible_authority_id:
        coordinators = User.objects.filter(
            is_active=True, is_coordinator=True, authority_id=item.responsible_authority_id
        )
        if coordinators.exists():
            return coordinators
    return network.moderators.filter(is_active=True)


@scan("network.task_due")
def tasks_due(now) -> int:
    """Open tasks of published minutes due within three days ("due") or past due ("overdue"), once each."""
    today = now.astimezone(BERLIN).date()
    items = (
        MinutesItem.objects.open_tasks()
        .filter(due_on__isnull=False, due_on__lte=today + TASK_NOTICE)
        .select_related("minutes__meeting__network", "responsible_authority")
    )
    sent = 0
    for item in items:
        meeting = item.minutes.meeting
        occasion = "overdue" if item.due_on < today else "due"
        for recipient in task_recipients(item, meeting.network):
            sent += notify(
                recipient=recipient,
                kind="network.task_due",
                obj=item,
                occasion=occasion,
                template="network/task_due",
                context={
                    "item": item,
                    "meeting": meeting,
                    "network": meeting.network,
                    "overdue": occasion == "overdue",
                },
            )
    return sent


# --- new posts ------------------------------------------------------------------------------------


@scan("network.post")
def new_posts(now) -> int:
    """A mail for each new post to those who follow its thread or network immediately.

    Only people who followed before the post was written: following a busy network does not bring
    a week of old posts as single mails."""
    posts = (
        Post.objects.filter(
            created_at__gt=now - POST_WINDOW, created_at__lte=now, is_deleted=False, hidden_at__isnull=True
        )
        .select_related("author", "author__authority", "thread", "thread__network")
        .order_by("created_at", "pk")
    )
    sent = 0
    for post in posts:
        followed_before = Subscription.objects.filter(
            Q(network_id=post.thread.network_id) | Q(thread_id=post.thread_id),
            user=OuterRef("pk"),
            mode=SubscriptionMode.IMMEDIATE,
            created_at__lte=post.created_at,
        )
        location = None
        for recipient in subscribers_for_immediate(post).filter(Exists(followed_before)):
            # The post's page, not the thread's start: worked out once a post has someone to mail.
            location = location or post_location(post, numbered=True)
            sent += notify(
                recipient=recipient,
                kind="network.post",
                obj=post,
                template="network/post",
                context={
                    "post": post,
                    "thread": post.thread,
                    "network": post.thread.network,
                    "post_location": location,
                },
            )
    return sent


def digest_posts(user, *, since: datetime, until: datetime):
    """What a person's digest lists: the posts of what they follow by digest; everything they follow
    when they chose the digest for network.post on their profile (their immediate mails are held back)."""
    every_subscription = delivery_mode(user, "network.post") == DeliveryMode.DIGEST
    return posts_for_digest(user, since, until=until, every_subscription=every_subscription)


def digest_send(user, *, posts, week: str, since: datetime, until: datetime) -> bool:
    """Claim and send one weekly digest; `notify` sends only immediate mails, so the digest claims itself
    (one per person and ISO week) with the same claim that makes every mail go out once."""
    if not user.is_active or delivery_mode(user, "network.post") == DeliveryMode.OFF:
        return False
    claim = notification_claim(recipient=user, kind="network.post", obj=user, occasion=week)
    if claim is None:
        return False
    for post in posts:
        post.location = numbered_location(post, post.posts_before)
    send_email(
        to=[user.email],
        template="network/post_digest",
        context={
            "posts": posts,
            "since": since,
            "until": until,
            "recipient": user,
            "notification_kind": KINDS["network.post"],
        },
        language=user.language,
        notification=claim,
    )
    return True


@scan("network.post_digest")
def post_digests(now) -> int:
    """Once a week (from Monday 07:00), one mail per person listing the new posts of the week before in
    what they follow by digest; nothing when there is nothing new."""
    due = weekly_occasion(now)
    if due is None:
        return 0
    week, until = due
    since = until - DIGEST_PERIOD
    switched_off = NotificationPreference.objects.filter(
        user=OuterRef("pk"), kind="network.post", mode=DeliveryMode.OFF
    )
    users = User.objects.filter(is_active=True, pk__in=Subscription.objects.values("user")).exclude(
        Exists(switched_off)
    )
    sent = 0
    for user in users:
        posts = list(digest_posts(user, since=since, until=until))
        if posts:
            sent += digest_send(user, posts=posts, week=week, since=since, until=until)
    return sent
