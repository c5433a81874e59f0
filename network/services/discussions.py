"""Online discussions: threads, posts, moderation, subscriptions, read markers, and the reads that
feed their pages (each bounded: a constant number of queries however many threads or posts)."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models import Network, Post, ReadMarker, Subscription, SubscriptionMode, Thread
from portal.accounts.models import Role, User

# Older than any post: a thread without a read marker counts all its posts as unread.
_NEVER = datetime(2000, 1, 1, tzinfo=UTC)


class PostRefused(ValidationError):
    """A post cannot be written or changed; the message says why, in words for the page."""


def edit_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "NETWORK_POST_EDIT_MINUTES", 30))


def may_change_post(post: Post, user: User, *, now: datetime | None = None) -> bool:
    """Authors edit and delete their own posts for a while; not once deleted, hidden or locked.

    Reads only `post.thread` (selected with the post), so a page may ask for every post it shows.
    """
    now = now or timezone.now()
    return (
        post.author_id == user.pk
        and not post.is_deleted
        and post.hidden_at is None
        and not post.thread.is_locked
        and now - post.created_at <= edit_window()
    )


def _require_moderator(network: Network, user: User) -> None:
    if not network.is_moderator(user):
        raise PermissionDenied


def _require_open(thread: Thread) -> None:
    if thread.is_locked:
        raise PostRefused(
            _("Diese Diskussion wurde von der Moderation geschlossen. Neue Beiträge sind nicht möglich.")
        )


def _mark_read(*, thread: Thread, user: User, at: datetime) -> None:
    ReadMarker.objects.update_or_create(user=user, thread=thread, defaults={"read_at": at})


# --- writes -------------------------------------------------------------------------------------------


@transaction.atomic
def thread_create(*, network: Network, title: str, body: str, by: User) -> Thread:
    thread = Thread.objects.create(network=network, title=title, created_by=by)
    post = Post.objects.create(thread=thread, author=by, body=body)
    thread.last_post_at = post.created_at
    thread.save(update_fields=["last_post_at"])
    _mark_read(thread=thread, user=by, at=post.created_at)
    return thread


@transaction.atomic
def post_create(*, thread: Thread, body: str, by: User) -> Post:
    # The row lock makes "locked?" and "write" one step: no reply slips in as a moderator locks.
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    _require_open(thread)
    post = Post.objects.create(thread=thread, author=by, body=body)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
    _mark_read(thread=thread, user=by, at=post.created_at)
    return post


@transaction.atomic
def post_update(*, post: Post, body: str, by: User) -> Post:
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if not may_change_post(post, by):
        raise PermissionDenied
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    return post


@transaction.atomic
def post_delete(*, post: Post, by: User) -> Post:
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if not may_change_post(post, by):
        raise PermissionDenied
    # The row stays so that the thread reads in order; the page shows "Beitrag gelöscht".
    post.is_deleted = True
    post.edited_at = timezone.now()
    post.save(update_fields=["is_deleted", "edited_at"])
    return post


@transaction.atomic
def post_set_hidden(*, post: Post, hidden: bool, by: User) -> Post:
    _require_moderator(post.thread.network, by)
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.hidden_by = by if hidden else None
    post.hidden_at = timezone.now() if hidden else None
    post.save(update_fields=["hidden_by", "hidden_at"])
    return post


@transaction.atomic
def thread_set_locked(*, thread: Thread, locked: bool, by: User) -> Thread:
    _require_moderator(thread.network, by)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.is_locked = locked
    thread.save(update_fields=["is_locked"])
    return thread


@transaction.atomic
def thread_set_pinned(*, thread: Thread, pinned: bool, by: User) -> Thread:
    _require_moderator(thread.network, by)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.is_pinned = pinned
    thread.save(update_fields=["is_pinned"])
    return thread


@transaction.atomic
def thread_mark_read(*, thread: Thread, user: User) -> None:
    _mark_read(thread=thread, user=user, at=timezone.now())


@transaction.atomic
def subscription_set(
    *, user: User, mode: str, network: Network | None = None, thread: Thread | None = None
) -> Subscription:
    """Follow a network or a thread (exactly one), or change how one is followed."""
    if (network is None) == (thread is None):
        raise ValueError("Follow either a network or a thread.")
    subscription, _created = Subscription.objects.update_or_create(
        user=user, network=network, thread=thread, defaults={"mode": mode}
    )
    return subscription


@transaction.atomic
def subscription_delete(*, user: User, network: Network | None = None, thread: Thread | None = None) -> None:
    if (network is None) == (thread is None):
        raise ValueError("Unfollow either a network or a thread.")
    Subscription.objects.filter(user=user, network=network, thread=thread).delete()


# --- reads --------------------------------------------------------------------------------------------


def _visible_posts() -> Q:
    return Q(posts__is_deleted=False, posts__hidden_at__isnull=True)


def threads_for_list(*, network: Network, user: User) -> QuerySet[Thread]:
    """The thread list of a network, pinned first, with post and unread counts for `user`.

    One query whatever the number of threads: the user's read marker is a subquery inside the
    filtered Count, not a lookup per thread.
    """
    read_at = ReadMarker.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")[:1]
    return (
        Thread.objects.filter(network=network)
        .select_related("created_by")
        .annotate(
            post_count=Count("posts", filter=_visible_posts()),
            unread_count=Count(
                "posts",
                filter=_visible_posts()
                & ~Q(posts__author=user)
                & Q(posts__created_at__gt=Coalesce(Subquery(read_at), Value(_NEVER))),
            ),
        )
        .order_by("-is_pinned", "-last_post_at", "-pk")
    )


def posts_for_thread(*, thread: Thread) -> QuerySet[Post]:
    # Author and authority come along: the page costs the same for 5 posts as for 100.
    return thread.posts.select_related("author", "author__authority", "thread").order_by("created_at", "pk")


def read_marker_of(*, thread: Thread, user: User) -> datetime | None:
    return ReadMarker.objects.filter(thread=thread, user=user).values_list("read_at", flat=True).first()


def subscription_of(*, user: User, network: Network | None = None, thread: Thread | None = None):
    return Subscription.objects.filter(user=user, network=network, thread=thread).first()


def _followed(user: User, mode: str) -> Q:
    subscriptions = Subscription.objects.filter(user=user, mode=mode)
    return Q(thread__network__in=subscriptions.filter(network__isnull=False).values("network")) | Q(
        thread__in=subscriptions.filter(thread__isnull=False).values("thread")
    )


def posts_for_digest(user: User, since: datetime) -> QuerySet[Post]:
    """New posts since `since` in what `user` follows by weekly digest, for the reminders.

    Only what the user may still see (membership may have ended), not their own posts, none deleted
    or hidden. Grouped by network and thread, oldest first.
    """
    return (
        Post.objects.filter(
            _followed(user, SubscriptionMode.DIGEST),
            thread__network__in=Network.objects.visible_to(user),
            created_at__gt=since,
            is_deleted=False,
            hidden_at__isnull=True,
        )
        .exclude(author=user)
        .select_related("author", "author__authority", "thread", "thread__network")
        .order_by("thread__network__name", "thread__last_post_at", "thread_id", "created_at", "pk")
    )


def subscribers_for_immediate(post: Post) -> QuerySet[User]:
    """Who wants an e-mail right away about `post`: following its network or its thread, still able
    to see it, and not its author."""
    thread = post.thread
    following = Subscription.objects.filter(mode=SubscriptionMode.IMMEDIATE).filter(
        Q(network_id=thread.network_id) | Q(thread_id=thread.pk)
    )
    members = Q(role=Role.PROJECT_STAFF) | Q(role=Role.AUTHORITY_STAFF, authority__networks=thread.network_id)
    return (
        User.objects.filter(members, is_active=True, pk__in=following.values("user"))
        .exclude(pk=post.author_id)
        .distinct()
    )
