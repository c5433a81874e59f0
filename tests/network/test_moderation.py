"""Changing posts: authors edit and delete their own for a while, moderators hide posts, lock and pin
threads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from network import rules
from network.models import Post, Thread
from tests.network.helpers import post_url, thread_url

# --- own posts: edit and delete within the window ----------------------------------------------------


def test_author_edits_their_post_within_the_window(client_for, member, post):
    client = client_for(member)
    assert client.get(post_url(post, "network:post_edit")).status_code == 200

    response = client.post(post_url(post, "network:post_edit"), {"body": "Korrigiert"})

    post.refresh_from_db()
    assert response.status_code == 302
    assert post.body == "Korrigiert"
    assert post.edited_at is not None
    assert "bearbeitet" in client.get(post.thread.get_absolute_url()).text


def test_author_cannot_edit_or_delete_after_the_window(client_for, member, post, settings):
    settings.NETWORK_POST_EDIT_MINUTES = 10
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    client = client_for(member)

    assert client.get(post_url(post, "network:post_edit")).status_code == 403
    assert client.post(post_url(post, "network:post_edit"), {"body": "x"}).status_code == 403
    assert client.post(post_url(post, "network:post_delete")).status_code == 403
    post.refresh_from_db()
    assert (post.body, post.is_deleted) == ("Wie machen Sie das?", False)
    assert "network:post_edit" not in client.get(post.thread.get_absolute_url()).text


def test_edit_window_defaults_to_30_minutes(settings, member, post):
    del settings.NETWORK_POST_EDIT_MINUTES
    assert rules.edit_window() == timedelta(minutes=30)
    now = timezone.now()
    assert rules.may_change_post(post, member, now=post.created_at + timedelta(minutes=29))
    assert not rules.may_change_post(post, member, now=now + timedelta(minutes=31))


def test_someone_else_cannot_edit_or_delete_a_post(client_for, colleague, coordinator, post):
    for user in (colleague, coordinator):
        client = client_for(user)
        assert client.get(post_url(post, "network:post_edit")).status_code == 403
        assert client.post(post_url(post, "network:post_delete")).status_code == 403
    post.refresh_from_db()
    assert not post.is_deleted


def test_author_deletes_their_post_and_the_thread_says_so(client_for, member, colleague, post):
    response = client_for(member).post(post_url(post, "network:post_delete"))

    assert response.status_code == 302
    page = client_for(colleague).get(post.thread.get_absolute_url()).text
    assert "Beitrag gelöscht" in page
    assert "Wie machen Sie das?" not in page


# --- moderation ------------------------------------------------------------------------------------------


def test_moderator_hides_a_post_members_see_a_note_moderators_the_text(
    client_for, coordinator, colleague, project_staff, post
):
    response = client_for(coordinator).post(post_url(post, "network:post_hide"), {"hidden": "1"})

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden_by == coordinator and post.hidden_at is not None
    member_page = client_for(colleague).get(post.thread.get_absolute_url()).text
    assert "Von der Moderation ausgeblendet" in member_page
    assert "Wie machen Sie das?" not in member_page
    for moderator in (coordinator, project_staff):
        page = client_for(moderator).get(post.thread.get_absolute_url()).text
        assert "Von der Moderation ausgeblendet" in page
        assert "Wie machen Sie das?" in page

    client_for(project_staff).post(post_url(post, "network:post_hide"), {"hidden": "0"})
    post.refresh_from_db()
    assert post.hidden_at is None and post.hidden_by is None


def test_moderator_locks_a_thread_and_replies_are_refused(client_for, coordinator, colleague, thread):
    client_for(coordinator).post(thread_url(thread, "network:thread_lock"), {"locked": "1"})
    thread.refresh_from_db()
    assert thread.is_locked

    client = client_for(colleague)
    page = client.get(thread.get_absolute_url()).text
    assert "Diese Diskussion ist geschlossen." in page
    assert 'name="body"' not in page
    response = client.post(thread_url(thread, "network:reply"), {"body": "Trotzdem"}, follow=True)
    assert "von der Moderation geschlossen" in response.text
    assert thread.posts.count() == 1

    client_for(coordinator).post(thread_url(thread, "network:thread_lock"), {"locked": "0"})
    thread.refresh_from_db()
    assert not thread.is_locked


def test_locked_thread_stops_edits_of_own_posts(member, post):
    Thread.objects.filter(pk=post.thread_id).update(is_locked=True)
    post = Post.objects.select_related("thread").get(pk=post.pk)
    assert not rules.may_change_post(post, member)


def test_moderator_pins_and_unpins_a_thread(client_for, project_staff, thread):
    client_for(project_staff).post(thread_url(thread, "network:thread_pin"), {"pinned": "1"})
    thread.refresh_from_db()
    assert thread.is_pinned
    client_for(project_staff).post(thread_url(thread, "network:thread_pin"), {"pinned": "0"})
    thread.refresh_from_db()
    assert not thread.is_pinned


@pytest.mark.parametrize(
    "name,data",
    [("network:thread_lock", {"locked": "1"}), ("network:thread_pin", {"pinned": "1"})],
)
def test_non_moderator_gets_403_on_thread_moderation(client_for, member, thread, name, data):
    assert client_for(member).post(thread_url(thread, name), data).status_code == 403
    thread.refresh_from_db()
    assert not (thread.is_locked or thread.is_pinned)


def test_non_moderator_gets_403_on_hiding_a_post(client_for, colleague, post):
    assert client_for(colleague).post(post_url(post, "network:post_hide"), {"hidden": "1"}).status_code == 403
    post.refresh_from_db()
    assert post.hidden_at is None


def test_moderation_buttons_only_for_moderators(client_for, member, coordinator, thread):
    assert "Schließen" not in client_for(member).get(thread.get_absolute_url()).text
    assert "Schließen" in client_for(coordinator).get(thread.get_absolute_url()).text
