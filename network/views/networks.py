"""Networks: the list, a network's page, creating and editing one (see network/urls.py).

Every view fetches through `Network.objects.visible_to(user)`: a network the user does not belong to,
and anything in it, answers 404, whatever ids are put into the URL or the form.
"""

from django.contrib import messages
from django.db.models import Count, F, OuterRef
from django.db.models.lookups import GreaterThan
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_format
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from network import rules
from network.forms.networks import NetworkForm
from network.models.meetings import Meeting, MeetingRegistration, Minutes, MinutesItem, RegistrationStatus
from network.models.networks import Network, member_names_of
from network.services import networks as services
from network.templatetags.network_tasks import task_state
from portal.counting import RowCount
from portal.forms import form_errors
from portal.links import reverse_each
from portal.permissions import rule_required

REGISTERED = RegistrationStatus.REGISTERED
# What the network page shows of a person (their name, or that it was erased) and of an open task.
PERSON_FIELDS = ("first_name", "last_name", "email", "erased_at", "authority")
TASK_FIELDS = (
    "text",
    "responsible_person",
    "due_on",
    "done_on",
    "responsible_authority__name",
    "minutes__meeting__title",
)


def network_list(request):
    user = request.user
    if not rules.may_see_networks(user):
        raise Http404
    upcoming = Meeting.objects.filter(network=OuterRef("pk"), starts_at__gte=timezone.now()).order_by(
        "starts_at"
    )
    networks = Network.objects.visible_to(user).annotate(
        member_count=Count("members", distinct=True),
        next_meeting_at=upcoming.values("starts_at")[:1],
        next_meeting_title=upcoming.values("title")[:1],
    )
    context = {"networks": networks, "may_manage": rules.may_manage_networks(user)}
    return render(request, "network/list.html", context)


def network_detail(request, pk):
    user = request.user
    network = rules.network_for(user, pk, networks=Network.objects.with_member_names())
    now = timezone.now()
    # The minutes and the user's registration as plain subqueries (portal.counting, issue 18: cheaper to
    # build than a join and an Exists of a queryset).
    published = RowCount(Minutes, "meeting", published_at__isnull=False)
    meetings = (
        network.meetings.defer("agenda").with_places().annotate(minutes_published=GreaterThan(published, 0))
    )
    if user.is_authority_staff:
        registered = RowCount(MeetingRegistration, "meeting", participant=user.pk, status=REGISTERED)
        meetings = meetings.annotate(own=GreaterThan(registered, 0))
    # Upcoming and past from one query (a network has a few meetings a year).
    meetings = list(meetings.order_by("starts_at", "pk"))
    meeting_url = reverse_each("network:meeting", 2)
    for meeting in meetings:
        meeting.url = meeting_url(network.pk, meeting.pk)
    open_tasks = list(
        MinutesItem.objects.open_tasks()
        .filter(minutes__meeting__network=network)
        .select_related("responsible_authority", "minutes__meeting")
        .only(*TASK_FIELDS)
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    for item in open_tasks:
        item.meeting_url = meeting_url(network.pk, item.minutes.meeting_id)
    # The moderators are listed anyway: whether the user is one is read from them (issue 18: one
    # query less than asking the database again).
    moderators = list(
        network.moderators.select_related("authority")
        .only(*PERSON_FIELDS, "authority__name")
        .order_by("last_name", "first_name")
    )
    named = any(person.pk == user.pk for person in moderators)
    context = {
        "network": network,
        "is_moderator": rules.is_moderator(user, network, named=named),
        "may_upload": rules.may_publish_to(user, network, named=named),
        "may_manage": rules.may_manage_networks(user),
        "members": member_names_of(network),
        "moderators": moderators,
        "upcoming": [meeting for meeting in meetings if meeting.ends_at >= now],
        "past": [meeting for meeting in reversed(meetings) if meeting.ends_at < now],
        "open_tasks": open_tasks,
        "task_rows": task_rows(open_tasks, timezone.localdate()),
    }
    context["upcoming_items"] = upcoming_items(context["upcoming"])
    context["past_items"] = past_items(context["past"])
    return render(request, "network/detail.html", context)


# An open task's row, written in Python with the markup the template's loop had (issue 18: the rows and
# each one's included state badge were a good part of the page's template time). Same HTML as before:
# the include of the state ended with a line break.
_TASK_ROW = (
    '\n              <tr class="kern-table__row">'
    '\n                <th class="kern-table__cell" scope="row">{}</th>'
    '\n                <td class="kern-table__cell">{}{}{}</td>'
    '\n                <td class="kern-table__cell">{} {}\n</td>'
    '\n                <td class="kern-table__cell"><a class="kern-link" href="{}">{}</a></td>'
    "\n              </tr>"
    "\n            "
)


# The meetings' list items, written in Python with the markup the template's loops had (issue 18).
_UPCOMING = (
    '\n          <li><a class="kern-link" href="{}">{}</a> · {} · {}, {}{}'
    "\n            {}"
    "\n            {}</li>"
    "\n        "
)
_OWN = (
    ' <span class="kern-badge kern-badge--success">'
    '<span class="kern-label kern-label--small">{}</span></span>'
)
_PAST = '\n          <li><a class="kern-link" href="{}">{}</a> · {}{}</li>\n        '


def upcoming_items(meetings) -> SafeString:
    """The upcoming meetings' list items (each with `url`, `registered` and, for authority staff, `own`)."""
    online = format_html(" · {}", _("online"))
    own = format_html(_OWN, _("Sie sind angemeldet"))
    items = []
    for meeting in meetings:
        starts = localtime(meeting.starts_at)
        place: str
        if meeting.location:
            place = format_html(" · {}", meeting.location)
        else:
            place = online if meeting.online_link else ""
        counter = meeting.registered
        if meeting.capacity:
            taken = ngettext(
                "%(counter)s von %(capacity)s Plätzen belegt",
                "%(counter)s von %(capacity)s Plätzen belegt",
                counter,
            ) % {"counter": counter, "capacity": meeting.capacity}
        else:
            taken = ngettext("%(counter)s Anmeldung", "%(counter)s Anmeldungen", counter) % {
                "counter": counter
            }
        items.append(
            format_html(
                _UPCOMING,
                meeting.url,
                meeting.title,
                meeting.get_kind_display(),
                date_format(starts, "l"),
                _("%(time)s Uhr") % {"time": date_format(starts, "SHORT_DATETIME_FORMAT")},
                place,
                format_html(" · {}", taken),
                own if getattr(meeting, "own", False) else "",
            )
        )
    return mark_safe("".join(items))  # noqa: S308 – each item is format_html's


def past_items(meetings) -> SafeString:
    """The past meetings' list items (each with `url` and `minutes_published`)."""
    published = format_html(" · {}", _("Protokoll veröffentlicht"))
    items = [
        format_html(
            _PAST,
            meeting.url,
            meeting.title,
            date_format(localtime(meeting.starts_at), "SHORT_DATE_FORMAT"),
            published if meeting.minutes_published else "",
        )
        for meeting in meetings
    ]
    return mark_safe("".join(items))  # noqa: S308 – each item is format_html's


def task_rows(items, today) -> SafeString:
    """The rows of the open tasks' table (each with `meeting_url`, see network_detail)."""
    rows = []
    for item in items:
        authority = item.responsible_authority
        rows.append(
            format_html(
                _TASK_ROW,
                linebreaksbr(item.text, autoescape=True),
                authority or "",
                mark_safe("<br>") if authority and item.responsible_person else "",  # noqa: S308 – a constant
                item.responsible_person,
                date_format(item.due_on, "SHORT_DATE_FORMAT") if item.due_on else "–",
                task_state(item, today),
                item.meeting_url,
                item.minutes.meeting.title,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 – each row is format_html's


def _network_form_page(request, network=None):
    initial = None
    if network:
        initial = {"members": network.members.all(), "moderators": network.moderators.all()}
    form = NetworkForm(request.POST or None, instance=network, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.NETWORK_FIELDS}
        people = {name: form.cleaned_data[name] for name in ("members", "moderators")}
        with form_errors(form):
            if network is None:
                network = services.network_create(by=request.user, **people, **values)
                messages.success(request, _("Das Netzwerk wurde angelegt."))
            else:
                network = services.network_update(network=network, by=request.user, **people, **values)
                messages.success(request, _("Das Netzwerk wurde gespeichert."))
            return redirect(network)
    title = _("Netzwerk bearbeiten") if network else _("Netzwerk anlegen")
    return render(request, "network/form.html", {"form": form, "network": network, "title": title})


@rule_required(rules.may_manage_networks)
def network_create(request):
    return _network_form_page(request)


def network_edit(request, pk):
    network = rules.managed_network_for(request.user, pk)
    # A fresh instance: a failed form must not rename the network shown in the breadcrumbs.
    return _network_form_page(request, Network.objects.get(pk=network.pk))
