"""Who may do what in the networks, and the scope helpers that fetch an object for a user: one home
for every rule of the app, asked by views, services, forms and templates alike (the templates through
the flags the views set).

Scope first, then the rule: a `<object>_for(user, …)` answers 404 for whatever the user may not see
(another authority's network, a meeting put under the wrong network in the URL), so that outsiders
learn nothing; a rule that refuses someone who may see the object answers 403 (PermissionDenied).

Who may act for others is decided per app on purpose (see portal/accounts/rules.py): in the networks
only a coordinator registers colleagues; project staff register nobody from the meeting page, while
training lets them enrol anyone.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models.discussions import Post, Thread
from network.models.library import Document, Visibility
from network.models.meetings import Meeting, MeetingRegistration, MinutesItem, RegistrationStatus
from network.models.networks import Network, NetworkQuerySet
from portal.accounts.models import User
from portal.accounts.rules import may_act_for

# --- networks --------------------------------------------------------------------------------------


def may_see_networks(user: User) -> bool:
    """The network pages are for project staff and authority staff; funders see none."""
    return user.is_project_staff or user.is_authority_staff


def may_manage_networks(user: User) -> bool:
    """Creating a network and choosing its members and moderators: project staff."""
    return user.is_project_staff


def is_member(user: User, network: Network) -> bool:
    """The user works for one of the network's member authorities (project staff are no members)."""
    authority_id = user.authority_id
    return (
        user.is_authority_staff
        and authority_id is not None
        and network.members.filter(pk=authority_id).exists()
    )


def is_moderator(user: User, network: Network, *, named: bool | None = None) -> bool:
    """Project staff moderate every network; authority staff the ones they are named for. Moderators
    plan meetings, write minutes, record attendance and moderate the discussions.

    `named`: whether `user` is among the network's moderators, where the page read that already (the
    moderators it lists, or an annotation of the thread page's one query); otherwise one query."""
    if user.is_project_staff:
        return True
    if named is not None:
        return named
    return network.moderators.filter(pk=user.pk).exists()


def network_for(user: User, pk: int, *, networks: NetworkQuerySet | None = None) -> Network:
    """`networks`: the page's own queryset (with what it annotates); `Network.objects` otherwise."""
    return get_object_or_404((networks if networks is not None else Network.objects).visible_to(user), pk=pk)


def managed_network_for(user: User, pk: int) -> Network:
    network = network_for(user, pk)
    if not may_manage_networks(user):
        raise PermissionDenied
    return network


def moderated_network_for(user: User, pk: int) -> Network:
    network = network_for(user, pk)
    if not is_moderator(user, network):
        raise PermissionDenied
    return network


# --- meetings and registrations --------------------------------------------------------------------


def may_register(actor: User, participant: User) -> bool:
    """Register `participant` for a meeting: only authority staff take part; oneself, a coordinator
    their colleagues, project staff anyone (the shared rule `may_act_for`)."""
    return participant.is_authority_staff and may_act_for(actor, participant)


def may_unregister(actor: User, registration: MeetingRegistration) -> bool:
    """Cancel a registration: whoever may act for its participant (see also `unregistration_refused`)."""
    return may_act_for(actor, registration.participant)


def may_register_others(user: User) -> bool:
    """The form "Kollegin oder Kollegen anmelden" on the meeting page: coordinators only."""
    return user.is_coordinator


def may_correct_registrations(user: User) -> bool:
    """Cancelling a registration after the start corrects figures the funders read: project staff,
    with a reason."""
    return user.is_project_staff


def may_message_participants(user: User) -> bool:
    """A message to everyone registered for a meeting (an e-mail each, through the outbox): project
    staff, as for the courses."""
    return user.is_project_staff


def unregistration_refused(meeting: Meeting, by: User) -> str:
    """Why `by` may not cancel a registration for the meeting, or "". Once it has begun, its
    registrations are figures the funders read: only project staff correct them, with a reason."""
    if not may_correct_registrations(by) and meeting.has_begun():
        return _("Das Treffen hat bereits begonnen; eine Abmeldung ist nicht mehr möglich.")
    return ""


def meeting_for(user: User, pk: int, meeting_pk: int) -> Meeting:
    # The network in the URL must be the meeting's own: another network's meeting is 404 too.
    meetings = Meeting.objects.visible_to(user).select_related("network")
    return get_object_or_404(meetings, network_id=pk, pk=meeting_pk)


def moderated_meeting_for(user: User, pk: int, meeting_pk: int) -> Meeting:
    meeting = meeting_for(user, pk, meeting_pk)
    if not is_moderator(user, meeting.network):
        raise PermissionDenied
    return meeting


def registration_for(meeting: Meeting, registration_pk: int) -> MeetingRegistration:
    """An active registration of the meeting (already scoped by `meeting_for`)."""
    registrations = MeetingRegistration.objects.select_related("participant", "meeting")
    return get_object_or_404(
        registrations, meeting=meeting, pk=registration_pk, status=RegistrationStatus.REGISTERED
    )


def minutes_item_for(user: User, pk: int, meeting_pk: int, item_pk: int) -> MinutesItem:
    """An item of the minutes of the meeting in the URL, for its moderators."""
    meeting = moderated_meeting_for(user, pk, meeting_pk)
    item = get_object_or_404(
        MinutesItem.objects.select_related("minutes"), minutes__meeting=meeting, pk=item_pk
    )
    item.minutes.meeting = meeting
    return item


# --- discussions -----------------------------------------------------------------------------------


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


def thread_for(user: User, pk: int, thread_pk: int, *, threads: QuerySet[Thread] | None = None) -> Thread:
    """`threads`: the queryset to fetch from (the thread page's, with what it needs annotated)."""
    threads = (threads if threads is not None else Thread.objects.select_related("network")).filter(
        network__in=Network.objects.visible_to(user)
    )
    return get_object_or_404(threads, network_id=pk, pk=thread_pk)


def post_for(user: User, pk: int, thread_pk: int, post_pk: int) -> Post:
    posts = Post.objects.filter(thread__network__in=Network.objects.visible_to(user)).select_related(
        "thread", "thread__network"
    )
    return get_object_or_404(posts, thread__network_id=pk, thread_id=thread_pk, pk=post_pk)


# --- library ---------------------------------------------------------------------------------------
# Project staff publish anything; authority staff who moderate a network publish for that network
# only, and only while their authority belongs to it.


def publishable_networks(user: User) -> QuerySet[Network]:
    """The networks the user may publish documents for."""
    if user.is_project_staff:
        return Network.objects.all()
    if user.is_authority_staff:
        return Network.objects.visible_to(user).filter(moderators=user)
    return Network.objects.none()


def may_publish(user: User) -> bool:
    """The upload page and its link above the library."""
    return user.is_project_staff or (user.is_authority_staff and publishable_networks(user).exists())


def may_publish_to(user: User, network: Network, *, named: bool | None = None) -> bool:
    """The upload link on a network's page, and the upload's check.

    `named`: whether `user` is among the network's moderators, where the page read that already
    from a network it fetched with `network_for` (so visible to the user: their authority is a
    member); otherwise one query."""
    if user.is_project_staff:
        return True
    if named is not None:
        return user.is_authority_staff and named
    return publishable_networks(user).filter(pk=network.pk).exists()


def may_edit_document(user: User, document: Document) -> bool:
    if user.is_project_staff:
        return True
    network_id = document.network_id
    return (
        document.visibility == Visibility.NETWORK
        and network_id is not None
        and publishable_networks(user).filter(pk=network_id).exists()
    )


def check_publish_target(by: User, *, visibility: str, network: Network | None) -> None:
    """PermissionDenied unless `by` may publish with this visibility (and for this network)."""
    if by.is_project_staff:
        return
    if visibility != Visibility.NETWORK or network is None or not may_publish_to(by, network):
        raise PermissionDenied


def may_see_uploader(user: User) -> bool:
    # Who published a document is a person's name: not for funders (DESIGN: never personal data).
    return user.is_project_staff or user.is_authority_staff


def counts_downloads(user: User) -> bool:
    # The figure is about the authorities using the instruments: the team and the funders do not count.
    return user.is_authority_staff


def document_for(user: User, pk: int) -> Document:
    return get_object_or_404(
        Document.objects.visible_to(user).select_related("network", "uploaded_by"), pk=pk
    )


def editable_document_for(user: User, pk: int) -> Document:
    # Scope first: a document the user cannot see is 404, one they see but may not change 403.
    document = document_for(user, pk)
    if not may_edit_document(user, document):
        raise PermissionDenied
    return document
