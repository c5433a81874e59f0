"""Writes of the online discussions: threads, posts, moderation, subscriptions, read markers."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network import rules
from network.models.discussions import Post, ReadMarker, Subscription, Thread
from network.models.networks import Network
from portal.accounts.models import User


class PostRefused(ValidationError):
    """A post cannot be written or changed; the message says why, in words for the page."""


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
    if not rules.may_change_post(post, by):
        raise PermissionDenied
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    return post


@transaction.atomic
def post_delete(*, post: Post, by: User) -> Post:
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if not rules.may_change_post(post, by):
        raise PermissionDenied
    # The row stays so that the thread reads in order; the page shows "Beitrag gelöscht".
    post.is_deleted = True
    post.edited_at = timezone.now()
    post.save(update_fields=["is_deleted", "edited_at"])
    return post


@transaction.atomic
def post_set_hidden(*, post: Post, hidden: bool, by: User) -> Post:
    if not rules.is_moderator(by, post.thread.network):
        raise PermissionDenied
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.hidden_by = by if hidden else None
    post.hidden_at = timezone.now() if hidden else None
    post.save(update_fields=["hidden_by", "hidden_at"])
    return post


@transaction.atomic
def thread_set_locked(*, thread: Thread, locked: bool, by: User) -> Thread:
    if not rules.is_moderator(by, thread.network):
        raise PermissionDenied
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.is_locked = locked
    thread.save(update_fields=["is_locked"])
    return thread


@transaction.atomic
def thread_set_pinned(*, thread: Thread, pinned: bool, by: User) -> Thread:
    if not rules.is_moderator(by, thread.network):
        raise PermissionDenied
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.is_pinned = pinned
    thread.save(update_fields=["is_pinned"])
    return thread


def thread_mark_read(
    *, thread: Thread, user: User, read_before: datetime | None, up_to: datetime | None = None
) -> None:
    """The visit counts as read: everything (now), or `up_to` the last post shown (the thread page:
    posts written after it are new, also those written while the page was made). `read_before` is
    the marker as the page found it (None: the first visit). At most one statement whatever the page,
    none where nothing new was shown (issue 18), and the marker never moves back. No transaction
    of its own: the UPDATE is atomic by itself and `get_or_create` brings its own (issue 18: BEGIN
    and COMMIT were two of the thread page's round trips)."""
    at = up_to or timezone.now()
    if read_before is None:
        ReadMarker.objects.get_or_create(user=user, thread=thread, defaults={"read_at": at})
    elif at > read_before:
        ReadMarker.objects.filter(thread=thread, user=user, read_at__lt=at).update(read_at=at)


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
