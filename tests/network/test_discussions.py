"""Discussions of a network: starting threads, replying, unread markers, who reads and writes where,
the query budgets of the pages, the demo."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network.demo import discussions as discussion_demo
from network.models import Network, Post, ReadMarker, Scope, Subscription, Thread
from network.selectors import discussions as selectors
from network.services import discussions as services
from tests.factories import AuthorityFactory, UserFactory
from tests.helpers import page_queries
from tests.network.helpers import post_url, thread_url

# --- reading and writing ---------------------------------------------------------------------------


def test_member_starts_a_thread_and_it_shows_in_the_list(client_for, member, network):
    client = client_for(member)

    response = client.post(
        reverse("network:thread_create", args=[network.pk]),
        {"title": "Wartezeiten", "body": "Wie lang sind Ihre **Wartezeiten**?"},
    )

    thread = Thread.objects.get(title="Wartezeiten")
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert thread.created_by == member
    assert thread.last_post_at == thread.posts.get().created_at
    page = client.get(thread.get_absolute_url())
    assert "<strong>Wartezeiten</strong>" in page.text
    listing = client.get(reverse("network:threads", args=[network.pk]))
    assert "Wartezeiten" in listing.text


def test_colleague_replies_and_the_thread_moves_up(client_for, colleague, thread):
    response = client_for(colleague).post(
        thread_url(thread, "network:reply"), {"body": "Mit Online-Terminen."}
    )

    reply = thread.posts.get(author=colleague)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#beitrag-{reply.pk}")
    thread.refresh_from_db()
    assert thread.last_post_at == reply.created_at


def test_empty_reply_shows_the_thread_with_an_error(client_for, colleague, thread):
    response = client_for(colleague).post(thread_url(thread, "network:reply"), {"body": ""})

    assert response.status_code == 200
    assert thread.posts.count() == 1
    assert "Wie machen Sie das?" in response.text


def test_posts_with_script_and_html_render_escaped(client_for, member, thread):
    services.post_create(
        thread=thread, by=member, body='<script>alert("x")</script> <b onclick="y">fett</b> [a](javascript:z)'
    )

    page = client_for(member).get(thread.get_absolute_url()).text

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<b onclick="y">' not in page
    assert 'href="javascript:' not in page


def test_thread_list_shows_pinned_first_then_by_last_post(network, member, colleague):
    old = services.thread_create(network=network, title="Alt", body="a", by=member)
    pinned = services.thread_create(network=network, title="Angeheftet", body="b", by=member)
    new = services.thread_create(network=network, title="Neu", body="c", by=member)
    Thread.objects.filter(pk=pinned.pk).update(
        is_pinned=True, last_post_at=timezone.now() - timedelta(days=9)
    )
    services.post_create(thread=old, body="wieder aktuell", by=colleague)

    order = list(selectors.threads_for_list(network=network, user=member))

    assert order == [pinned, old, new]


def test_unread_counts_follow_the_read_marker(client_for, member, colleague, thread):
    services.post_create(thread=thread, body="Antwort 1", by=colleague)
    services.post_create(thread=thread, body="Antwort 2", by=colleague)

    # The member wrote the first post and has not opened the thread since: two unread replies.
    [row] = selectors.threads_for_list(network=thread.network, user=member)
    assert (row.post_count, row.unread_count) == (3, 2)
    # Replying counts as reading up to one's own reply; a reader who never opened it sees all three.
    [row] = selectors.threads_for_list(network=thread.network, user=colleague)
    assert row.unread_count == 0
    [row] = selectors.threads_for_list(network=thread.network, user=UserFactory(authority=member.authority))
    assert row.unread_count == 3

    page = client_for(member).get(thread.get_absolute_url())

    assert page.text.count(">Neu<") == 2
    assert ReadMarker.objects.get(user=member, thread=thread).read_at >= thread.posts.last().created_at
    [row] = selectors.threads_for_list(network=thread.network, user=member)
    assert row.unread_count == 0


def test_deleted_and_hidden_posts_are_not_counted(network, member, colleague, coordinator, thread):
    gone = services.post_create(thread=thread, body="weg", by=colleague)
    hidden = services.post_create(thread=thread, body="ausgeblendet", by=colleague)
    services.post_delete(post=gone, by=colleague)
    services.post_set_hidden(
        post=Post.objects.select_related("thread__network").get(pk=hidden.pk), hidden=True, by=coordinator
    )

    [row] = selectors.threads_for_list(network=network, user=member)

    assert (row.post_count, row.unread_count) == (1, 0)


# --- who sees what -------------------------------------------------------------------------------------


def _read_urls(thread, post):
    network_pk = thread.network_id
    return [
        reverse("network:threads", args=[network_pk]),
        reverse("network:thread_create", args=[network_pk]),
        thread_url(thread),
        post_url(post, "network:post_edit"),
    ]


def _write_urls(thread, post):
    return [
        (reverse("network:thread_create", args=[thread.network_id]), {"title": "x", "body": "y"}),
        (reverse("network:network_follow", args=[thread.network_id]), {"mode": "digest"}),
        (thread_url(thread, "network:reply"), {"body": "Eingeschleust"}),
        (thread_url(thread, "network:thread_lock"), {"locked": "1"}),
        (thread_url(thread, "network:thread_pin"), {"pinned": "1"}),
        (thread_url(thread, "network:thread_follow"), {"mode": "digest"}),
        (post_url(post, "network:post_edit"), {"body": "x"}),
        (post_url(post, "network:post_delete"), {}),
        (post_url(post, "network:post_hide"), {"hidden": "1"}),
    ]


@pytest.mark.parametrize("who", ["outsider", "funder"])
def test_people_outside_the_network_get_404_everywhere(request, client_for, thread, post, who):
    client = client_for(request.getfixturevalue(who))

    for url in _read_urls(thread, post):
        assert client.get(url).status_code == 404, url
    for url, data in _write_urls(thread, post):
        assert client.post(url, data).status_code == 404, url

    thread.refresh_from_db()
    post.refresh_from_db()
    assert thread.posts.count() == 1 and not thread.is_locked and not thread.is_pinned
    assert post.hidden_at is None and not post.is_deleted
    assert not Subscription.objects.exists()
    assert Thread.objects.count() == 1


def test_tampered_ids_reach_no_other_network(client_for, coordinator, network, other_thread):
    """A member of network A puts network A's id in the URL with thread/post ids of network B."""
    client = client_for(coordinator)  # a moderator of A, so 403 cannot hide a leak
    other_post = other_thread.posts.get()
    tampered_thread = reverse("network:thread", args=[network.pk, other_thread.pk])
    tampered_reply = reverse("network:reply", args=[network.pk, other_thread.pk])
    tampered_hide = reverse("network:post_hide", args=[network.pk, other_thread.pk, other_post.pk])
    tampered_lock = reverse("network:thread_lock", args=[network.pk, other_thread.pk])

    assert client.get(tampered_thread).status_code == 404
    assert client.get(other_thread.get_absolute_url()).status_code == 404
    assert client.post(tampered_reply, {"body": "Eingeschleust"}).status_code == 404
    assert client.post(tampered_hide, {"hidden": "1"}).status_code == 404
    assert client.post(tampered_lock, {"locked": "1"}).status_code == 404
    assert client.post(post_url(other_post, "network:post_hide"), {"hidden": "1"}).status_code == 404
    other_thread.refresh_from_db()
    other_post.refresh_from_db()
    assert other_thread.posts.count() == 1 and not other_thread.is_locked
    assert other_post.hidden_at is None


def test_a_post_id_under_the_wrong_thread_is_404(client_for, member, network, thread):
    second = services.thread_create(network=network, title="Zweites Thema", body="b", by=member)
    post_of_second = second.posts.get()
    url = reverse("network:post_edit", args=[network.pk, thread.pk, post_of_second.pk])
    assert client_for(member).get(url).status_code == 404


def test_project_staff_read_and_write_in_every_network(client_for, project_staff, other_thread):
    client = client_for(project_staff)
    assert client.get(reverse("network:threads", args=[other_thread.network_id])).status_code == 200
    assert client.get(other_thread.get_absolute_url()).status_code == 200
    assert client.post(thread_url(other_thread, "network:reply"), {"body": "Hallo"}).status_code == 302


def test_anonymous_is_sent_to_login(client, thread, post):
    for url in _read_urls(thread, post):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# --- long threads in pages ----------------------------------------------------------------------------


def _long_thread(thread, author, replies):
    """`replies` posts after the opening one, a minute apart from yesterday on: "Antwort 1" …
    "Antwort <replies>"."""
    start = timezone.now() - timedelta(days=1)
    thread.posts.update(created_at=start)
    posts = Post.objects.bulk_create(
        [Post(thread=thread, author=author, body=f"Antwort {n}") for n in range(1, replies + 1)]
    )
    for n, post in enumerate(posts, start=1):
        post.created_at = start + timedelta(minutes=n)
    Post.objects.bulk_update(posts, ["created_at"])
    Thread.objects.filter(pk=thread.pk).update(last_post_at=posts[-1].created_at)
    return [thread.posts.get(body="Wie machen Sie das?"), *posts]


def _shown(page) -> list[str]:
    return re.findall(r"<p>(Antwort \d+|Wie machen Sie das\?)</p>", page)


def test_a_long_thread_is_read_in_pages_of_25(client_for, member, colleague, thread):
    _long_thread(thread, colleague, 119)
    client = client_for(member)

    first = client.get(thread_url(thread), {"seite": 1}).text
    last = client.get(thread_url(thread), {"seite": 5}).text

    assert "120 Beiträge" in first
    assert _shown(first) == ["Wie machen Sie das?", *[f"Antwort {n}" for n in range(1, 25)]]
    assert 'aria-label="Seitennavigation"' in first
    assert "101–120 von 120" in last
    assert _shown(last) == [f"Antwort {n}" for n in range(100, 120)]
    assert '<ol class="kern-stack portal-posts" role="list" start="101">' in last


def test_a_thread_opens_where_the_new_posts_begin(client_for, member, colleague, thread):
    posts = _long_thread(thread, colleague, 79)
    ReadMarker.objects.filter(user=member, thread=thread).update(read_at=posts[59].created_at)

    page = client_for(member).get(thread_url(thread)).text

    assert _shown(page) == [f"Antwort {n}" for n in range(50, 75)]
    assert page.count(">Neu</span>") == 15  # posts 61 to 75 are new, 51 to 60 were read


def test_a_page_that_is_not_the_last_counts_as_read_up_to_its_last_post(
    client_for, member, colleague, thread
):
    posts = _long_thread(thread, colleague, 59)
    ReadMarker.objects.filter(user=member, thread=thread).update(read_at=posts[0].created_at)
    client = client_for(member)

    client.get(thread_url(thread), {"seite": 1})

    assert ReadMarker.objects.get(user=member, thread=thread).read_at == posts[24].created_at
    listing = client.get(reverse("network:threads", args=[thread.network_id])).text
    assert "35 neu" in listing
    client.get(thread_url(thread), {"seite": 2})
    client.get(thread_url(thread), {"seite": 1})  # read again: the marker never moves back
    assert ReadMarker.objects.get(user=member, thread=thread).read_at == posts[49].created_at
    client.get(thread_url(thread), {"seite": 3})
    assert ReadMarker.objects.get(user=member, thread=thread).read_at == posts[-1].created_at
    listing = client.get(reverse("network:threads", args=[thread.network_id])).text
    assert " neu<" not in listing
    later = services.post_create(thread=thread, body="Später", by=colleague)
    assert "1 neu" in client.get(reverse("network:threads", args=[thread.network_id])).text
    assert later.created_at > posts[-1].created_at


def test_a_reply_to_a_long_thread_leads_to_its_page(client_for, colleague, thread):
    _long_thread(thread, colleague, 60)

    response = client_for(colleague).post(thread_url(thread, "network:reply"), {"body": "Die 62."})

    reply = thread.posts.get(body="Die 62.")
    assert response["Location"] == f"{thread.get_absolute_url()}?seite=3#beitrag-{reply.pk}"
    assert "<p>Die 62.</p>" in client_for(colleague).get(response["Location"]).text


# --- query budgets -----------------------------------------------------------------------------------


def _authors(count):
    return [UserFactory(authority=AuthorityFactory()) for _ in range(count)]


def test_thread_page_costs_the_same_for_5_and_100_posts(client_for, member, network):
    # Every post by a different person of a different authority, so a missing select_related shows.
    authors = _authors(100)
    for person in authors:
        network.members.add(person.authority)
    small = services.thread_create(network=network, title="Klein", body="0", by=member)
    large = services.thread_create(network=network, title="Groß", body="0", by=member)
    Post.objects.bulk_create(
        [Post(thread=small, author=a, body=f"**{n}**") for n, a in enumerate(authors[:4])]
    )
    Post.objects.bulk_create(
        [Post(thread=large, author=a, body=f"**{n}**") for n, a in enumerate(authors[:99])]
    )
    client = client_for(member)
    page_queries(client, small.get_absolute_url())  # first visit creates the read marker
    page_queries(client, large.get_absolute_url())
    Post.objects.create(thread=small, author=authors[0], body="neu")

    # Pinned (issue 18): session and user, then the thread with the reader's marker, the counts, the
    # subscription and the moderator flag in one query, the page's posts, the marker's UPDATE where
    # the page shows posts not read before (the new one; the long thread's next page).
    small_url, large_url = small.get_absolute_url(), large.get_absolute_url()
    assert page_queries(client, small_url) == page_queries(client, large_url) == 5
    # Read again without anything new, or an earlier page of the long thread: no UPDATE.
    assert page_queries(client, small.get_absolute_url()) == 4
    before = ReadMarker.objects.get(user=member, thread=large).read_at
    assert page_queries(client, large.get_absolute_url(), {"seite": 1}) == 4
    assert ReadMarker.objects.get(user=member, thread=large).read_at == before


def test_thread_list_costs_the_same_for_2_and_20_threads(client_for, member, colleague, network):
    small = Network.objects.create(name="Klein", scope=Scope.REGION)
    small.members.add(member.authority)
    for n in range(2):
        services.thread_create(network=small, title=f"S{n}", body="x", by=_authors(1)[0])
    for n in range(20):
        thread = services.thread_create(network=network, title=f"T{n}", body="x", by=_authors(1)[0])
        services.post_create(thread=thread, body="y", by=colleague)
    ReadMarker.objects.create(user=member, thread=thread, read_at=timezone.now())
    client = client_for(member)

    few = page_queries(client, reverse("network:threads", args=[small.pk]))
    many = page_queries(client, reverse("network:threads", args=[network.pk]))

    assert few == many


def test_network_page_block_shows_latest_threads_with_unread_markers(member, colleague, network):
    for n in range(8):
        thread = services.thread_create(network=network, title=f"Thema {n}", body="x", by=colleague)
    request = RequestFactory().get("/")
    request.user = member

    with CaptureQueriesContext(connection) as context:
        html = render_to_string(
            "network/discussions/_network_threads.html",
            {"network": network, "request": request, "user": member},
        )

    assert len(context.captured_queries) == 1
    assert "Thema 7" in html and "Thema 2" not in html
    assert html.count("1 neu") == 5
    assert reverse("network:threads", args=[network.pk]) in html
    assert thread.get_absolute_url() in html


# --- demo data ----------------------------------------------------------------------------------------


def test_demo_adds_threads_once_and_skips_missing_networks(mainz, hannover, member, outsider, project_staff):
    assert "keine neuen" in discussion_demo.seed()  # no demo networks yet: nothing to do, no error

    rp = Network.objects.create(name=discussion_demo.RP, scope=Scope.STATE_RP)
    rp.members.add(mainz)
    cross = Network.objects.create(name="Länderübergreifend", scope=Scope.CROSS_STATE)
    cross.members.add(mainz, hannover)

    line = discussion_demo.seed()

    assert "neu angelegt" in line
    assert Thread.objects.filter(network=rp).count() == 2
    assert Thread.objects.filter(network=cross).count() == 1
    assert Thread.objects.filter(network=rp, is_pinned=True).count() == 1
    count = Post.objects.count()
    assert "keine neuen" in discussion_demo.seed()
    assert Post.objects.count() == count
