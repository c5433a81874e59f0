"""Following a network or a thread, and whom the reminders then write to (right away or weekly)."""

from django.urls import reverse
from django.utils import timezone

from network.models import Network, Post, Scope, Subscription, SubscriptionMode
from network.selectors import discussions as selectors
from network.services import discussions as services
from tests.factories import UserFactory
from tests.network.helpers import thread_url

# --- following ----------------------------------------------------------------------------------------


def test_member_follows_a_network_changes_the_mode_and_unfollows(client_for, member, network):
    client = client_for(member)
    url = reverse("network:network_follow", args=[network.pk])

    client.post(url, {"mode": "immediate"})
    assert Subscription.objects.get(user=member, network=network).mode == SubscriptionMode.IMMEDIATE
    client.post(url, {"mode": "digest"})
    assert Subscription.objects.get(user=member, network=network).mode == SubscriptionMode.DIGEST
    page = client.get(reverse("network:threads", args=[network.pk])).text
    assert "Nicht mehr folgen" in page
    client.post(url, {"unfollow": "1"})
    assert not Subscription.objects.filter(user=member).exists()


def test_member_follows_a_thread(client_for, colleague, member, thread):
    response = client_for(colleague).post(thread_url(thread, "network:thread_follow"), {"mode": "immediate"})

    assert response.status_code == 302
    subscription = Subscription.objects.get(user=colleague)
    assert (subscription.thread, subscription.network, subscription.mode) == (thread, None, "immediate")
    # The thread page says so, to them only (the mode comes with the page's thread query).
    assert "Sie folgen: Sofort per E-Mail." in client_for(colleague).get(thread.get_absolute_url()).text
    assert "Sie folgen:" not in client_for(member).get(thread.get_absolute_url()).text


def test_an_unknown_mode_is_refused(client_for, member, network):
    client_for(member).post(reverse("network:network_follow", args=[network.pk]), {"mode": "hourly"})
    assert not Subscription.objects.exists()


def test_posts_for_digest_lists_new_visible_posts_of_followed_networks_and_threads(
    member, colleague, network, thread, hannover
):
    since = timezone.now()
    reader = UserFactory(authority=member.authority, email="reader@mainz.example.org")
    second = services.thread_create(network=network, title="Zweites", body="im Netzwerk", by=colleague)
    reply = services.post_create(thread=thread, body="neu im Thema", by=colleague)
    own = services.post_create(thread=thread, body="eigener Beitrag", by=reader)
    deleted = services.post_create(thread=thread, body="gelöscht", by=colleague)
    Post.objects.filter(pk=deleted.pk).update(is_deleted=True)
    # Left behind: a network the reader follows but no longer belongs to.
    former = Network.objects.create(name="Ehemaliges Netzwerk", scope=Scope.REGION)
    former.members.add(hannover)
    services.thread_create(network=former, title="Fremd", body="nicht mehr sichtbar", by=colleague)
    services.subscription_set(user=reader, network=network, mode=SubscriptionMode.DIGEST)
    services.subscription_set(user=reader, network=former, mode=SubscriptionMode.DIGEST)

    posts = list(selectors.posts_for_digest(reader, since))

    assert set(posts) == {second.posts.get(), reply}
    assert own not in posts
    assert not list(selectors.posts_for_digest(reader, timezone.now()))

    # Immediate followers get mails instead; the digest leaves them out.
    Subscription.objects.filter(user=reader).update(mode=SubscriptionMode.IMMEDIATE)
    assert not selectors.posts_for_digest(reader, since).exists()
    services.subscription_set(user=reader, thread=thread, mode=SubscriptionMode.DIGEST)
    assert set(selectors.posts_for_digest(reader, since)) == {reply}


def test_subscribers_for_immediate(member, colleague, coordinator, outsider, project_staff, network, thread):
    services.subscription_set(user=colleague, network=network, mode=SubscriptionMode.IMMEDIATE)
    services.subscription_set(user=coordinator, thread=thread, mode=SubscriptionMode.IMMEDIATE)
    services.subscription_set(user=project_staff, network=network, mode=SubscriptionMode.DIGEST)
    services.subscription_set(user=member, network=network, mode=SubscriptionMode.IMMEDIATE)
    # Followed once, but the authority is not a member: no mail.
    Subscription.objects.create(user=outsider, network=network, mode=SubscriptionMode.IMMEDIATE)

    post = services.post_create(thread=thread, body="Neu", by=member)

    assert set(selectors.subscribers_for_immediate(post)) == {colleague, coordinator}
