"""The reads of the online discussions that feed their pages and the reminders, each bounded: a
constant number of queries however many threads or posts."""

from datetime import UTC, datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from network.models.discussions import Post, ReadMarker, Subscription, SubscriptionMode, Thread
from network.models.networks import Network
from portal.accounts.models import Role, User

# Older than any post: a thread without a read marker counts all its posts as unread.
_NEVER = datetime(2000, 1, 1, tzinfo=UTC)


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


def posts_read(*, thread: Thread, read_at: datetime) -> int:
    """How many posts of `thread` were written up to `read_at`: the place of the first new one
    (the thread page opens on its page)."""
    return thread.posts.filter(created_at__lte=read_at).count()


def place_of(post: Post) -> tuple[int, int]:
    """How many posts come before `post` in its thread (in the page's order: time, then pk), and how
    many the thread has: one query."""
    before = Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk)
    counts = Post.objects.filter(thread_id=post.thread_id).aggregate(
        before=Count("pk", filter=before), total=Count("pk")
    )
    return counts["before"], counts["total"]


def read_marker_of(*, thread: Thread, user: User) -> datetime | None:
    return ReadMarker.objects.filter(thread=thread, user=user).values_list("read_at", flat=True).first()


def subscription_of(
    *, user: User, network: Network | None = None, thread: Thread | None = None
) -> Subscription | None:
    return Subscription.objects.filter(user=user, network=network, thread=thread).first()


def _followed(user: User, mode: str | None) -> Q:
    subscriptions = Subscription.objects.filter(user=user)
    if mode is not None:
        subscriptions = subscriptions.filter(mode=mode)
    return Q(thread__network__in=subscriptions.filter(network__isnull=False).values("network")) | Q(
        thread__in=subscriptions.filter(thread__isnull=False).values("thread")
    )


def posts_for_digest(
    user: User, since: datetime, *, until: datetime | None = None, every_subscription: bool = False
) -> QuerySet[Post]:
    """New posts since `since` (up to `until`) in what `user` follows by weekly digest, for the
    reminders; with `every_subscription` in everything they follow (for people who chose the digest
    for network.post on their profile: their immediate mails are held back for it).

    Only what the user may still see (membership may have ended), not their own posts, none deleted
    or hidden. Grouped by network and thread, oldest first.
    """
    posts = Post.objects.filter(
        _followed(user, None if every_subscription else SubscriptionMode.DIGEST),
        thread__network__in=Network.objects.visible_to(user),
        created_at__gt=since,
        is_deleted=False,
        hidden_at__isnull=True,
    )
    if until is not None:
        posts = posts.filter(created_at__lte=until)
    return (
        posts.exclude(author=user)
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
    people: QuerySet[User] = User.objects.filter(members, is_active=True, pk__in=following.values("user"))
    return people.exclude(pk=post.author_id).distinct()


def unread_threads(*, user: User, limit: int) -> list[Thread]:
    """The threads of every network `user` sees with posts they have not read, newest activity first,
    each with `unread_count` and its network: one query, however many networks and threads (the
    start page of authority staff)."""
    read_at = ReadMarker.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")[:1]
    unread = (
        Thread.objects.filter(network__in=Network.objects.visible_to(user))
        .select_related("network")
        .annotate(
            unread_count=Count(
                "posts",
                filter=_visible_posts()
                & ~Q(posts__author=user)
                & Q(posts__created_at__gt=Coalesce(Subquery(read_at), Value(_NEVER))),
            )
        )
        .filter(unread_count__gt=0)
        .order_by("-last_post_at", "-pk")
    )
    return list(unread[:limit])
