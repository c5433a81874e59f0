"""The reads of the online discussions that feed their pages and the reminders, each bounded: a
constant number of queries however many threads or posts."""

from datetime import UTC, datetime

from django.db.models import Count, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from network.models.discussions import Post, ReadMarker, Subscription, SubscriptionMode, Thread
from network.models.networks import Network, visible_network
from portal.accounts.models import Role, User
from portal.counting import RowCount, RowValue

# Older than any post: a thread without a read marker counts all its posts as unread.
_NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def _visible_posts() -> Q:
    return Q(posts__is_deleted=False, posts__hidden_at__isnull=True)


def threads_for_list(*, network: Network, user: User) -> QuerySet[Thread]:
    """The thread list of a network, pinned first, with post and unread counts for `user`.

    One query whatever the number of threads: the user's read marker (one per thread and user) is
    joined once, not looked up per thread, nor per post as a subquery inside the filtered Count
    (issue 18: 0.49 -> 0.20 ms in PostgreSQL for the 200-post thread's network at 10x).
    """
    return (
        _with_marker(Thread.objects.filter(network=network).select_related("created_by"), user)
        .annotate(post_count=Count("posts", filter=_visible_posts()), unread_count=_unread_count(user))
        .order_by("-is_pinned", "-last_post_at", "-pk")
    )


def latest_threads(*, network: Network, user: User, limit: int) -> list[Thread]:
    """The newest threads of a network with `user`'s unread counts, in the list's order, for the
    network page: only what it shows (title, address, last post), one query.

    The unread count is `_unread_posts`, a plain correlated subquery."""
    return list(
        Thread.objects.filter(network=network)
        .annotate(unread_count=_unread_posts(user))
        .only("title", "network_id", "last_post_at")
        .order_by("-is_pinned", "-last_post_at", "-pk")[:limit]
    )


def _unread_posts(user: User) -> RowCount:
    """How many posts of each thread of the query `user` has not read: the same posts as
    `_unread_count` (visible, not the reader's own, after their marker), as a plain correlated subquery
    (portal.counting, issue 18): without the join of all the threads' posts and its GROUP BY, and
    cheaper to build."""
    read_at = Coalesce(RowValue(ReadMarker, "thread", "read_at", user=user.pk), Value(_NEVER))
    return RowCount(
        Post, "thread", is_deleted=False, hidden_at__isnull=True, author__ne=user.pk, created_at__gt=read_at
    )


def _with_marker(threads: QuerySet[Thread], user: User) -> QuerySet[Thread]:
    return threads.annotate(marker=FilteredRelation("read_markers", condition=Q(read_markers__user=user)))


def _unread_count(user: User) -> Count:
    """The posts `user` has not read (after their marker, not their own), of a `_with_marker` query."""
    return Count(
        "posts",
        filter=_visible_posts()
        & ~Q(posts__author=user)
        & Q(posts__created_at__gt=Coalesce(F("marker__read_at"), Value(_NEVER))),
    )


# What the thread page shows of a post and of its author (the byline), not who hid it.
_POST_FIELDS = ("thread", "author", "body", "created_at", "edited_at", "is_deleted", "hidden_at")
_AUTHOR_FIELDS = ("first_name", "last_name", "email", "erased_at", "authority")


def threads_for_reader(*, user: User) -> QuerySet[Thread]:
    """Threads with their network and, in the same query, what the thread page needs to know about
    `user` (issue 18: one round trip instead of five): the read marker (`read_at`, None before the
    first visit), how many posts the thread has (`post_total`, deleted and hidden ones included, as
    the page lists them) and how many were written up to the marker (`posts_read`), how `user`
    follows the thread (`subscription_mode`, None) and whether they are named among the network's
    moderators (`named_moderator`, for `rules.is_moderator`)."""
    # Written by portal.counting (issue 18: as querysets in Subquery and Exists, building and compiling
    # them cost more CPU than the rest of the page's queries): the same correlated subqueries.
    marker = RowValue(ReadMarker, "thread", "read_at", user=user.pk)
    moderators = RowCount(Network.moderators.through, "network", of="network", user=user.pk)
    return Thread.objects.select_related("network").annotate(
        read_at=marker,
        post_total=RowCount(Post, "thread"),
        # The marker once per thread (the outer query's), not once per post.
        posts_read=RowCount(Post, "thread", created_at__lte=marker),
        subscription_mode=RowValue(Subscription, "thread", "mode", user=user.pk),
        named_moderator=GreaterThan(moderators, 0),
    )


def posts_for_thread(*, thread: Thread) -> QuerySet[Post]:
    # Author and authority come along (only what the byline shows): the page costs the same for 5
    # posts as for 100. The thread is the page's own: the caller sets it on each post.
    return (
        thread.posts.select_related("author", "author__authority")
        .only(*_POST_FIELDS, *(f"author__{name}" for name in _AUTHOR_FIELDS), "author__authority__name")
        .order_by("created_at", "pk")
    )


# A bounded page: a long thread (200 posts) in pages of as many posts as forums usually show, so that
# a visit renders at most this many (issue 18: 50 posts per page were still 2.6x floor 2).
THREAD_PAGE_SIZE = 25


def post_location(post: Post, *, numbered: bool = False) -> str:
    """Where a post is read: its thread on the page that holds it, at the post; one query. The page
    is named wherever the thread has more than one page (without a number it opens where the
    reader's new posts begin) and, with `numbered`, always (see `numbered_location`)."""
    before, total = place_of(post)
    if numbered or total > THREAD_PAGE_SIZE:
        return numbered_location(post, before)
    return f"{post.thread.get_absolute_url()}#beitrag-{post.pk}"


def numbered_location(post: Post, before: int) -> str:
    """The post's thread on the page that holds it (`before`: how many posts come before it), at the
    post: for links in e-mails, opened when the thread may have grown (a post never moves to another
    page; without a number the thread opens where the reader's new posts begin)."""
    return f"{post.thread.get_absolute_url()}?seite={before // THREAD_PAGE_SIZE + 1}#beitrag-{post.pk}"


def place_of(post: Post) -> tuple[int, int]:
    """How many posts come before `post` in its thread (in the page's order: time, then pk), and how
    many the thread has: one query."""
    before = Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk)
    counts = Post.objects.filter(thread_id=post.thread_id).aggregate(
        before=Count("pk", filter=before), total=Count("pk")
    )
    return counts["before"], counts["total"]


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
    or hidden. Grouped by network and thread, oldest first; each with `posts_before` (for
    `numbered_location`).
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
    # How many posts come before each in its thread (all of them, as the thread page counts): the
    # page its link names, in the same query.
    earlier = (
        Post.objects.filter(thread=OuterRef("thread"))
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        posts.exclude(author=user)
        .annotate(posts_before=Coalesce(Subquery(earlier), 0))
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
    each with `unread_count` and its network's name: one query, however many networks and threads (the
    start page of authority staff)."""
    # The networks as a join (`visible_network`), the count as `_unread_posts` (also the condition) and
    # only the columns the start page shows: the networks' subquery, the join of every post with its
    # GROUP BY and HAVING cost more to build and to plan than the query's run (issue 18).
    unread = (
        Thread.objects.filter(visible_network(user, "network"))
        .annotate(unread_count=_unread_posts(user))
        .filter(unread_count__gt=0)
        .select_related("network")
        .only("title", "network__name")
        .order_by("-last_post_at", "-pk")
    )
    return list(unread[:limit])
