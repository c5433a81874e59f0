"""Writes of the online discussions: threads, posts, moderation, subscriptions, read markers."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models.discussions import Post, ReadMarker, Subscription, Thread
from network.models.networks import Network
from portal.accounts.models import User


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
