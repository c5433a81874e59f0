"""Meetings, registrations, attendance and minutes (see network/urls.py).

Every view fetches through `Network.objects.visible_to(user)`: a network the user does not belong to,
and anything in it, answers 404, whatever ids are put into the URL or the form.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network import ics, rules
from network.forms.meetings import MeetingForm, MinutesItemForm, RegisterColleagueForm
from network.models.meetings import (
    Meeting,
    MeetingRegistration,
    Minutes,
    MinutesItem,
    RegistrationStatus,
)
from network.services import meetings as services
from portal.accounts.selectors import colleagues_for
from portal.downloads import as_download
from portal.forms import (
    AttendanceForm,
    CorrectionForm,
    ParticipantMessageForm,
    chosen_colleague,
    form_errors,
    message_errors,
)
from portal.permissions import rule_required

REGISTERED = RegistrationStatus.REGISTERED


# --- meetings ------------------------------------------------------------------------------------


def _registrable_colleagues(user, meeting):
    """Whom the user may register besides themselves: not who is registered already. The same list
    on the page and for the POST, so a choice from elsewhere is refused as not in the list."""
    registered = MeetingRegistration.objects.filter(meeting=meeting, status=REGISTERED).values("participant")
    return colleagues_for(user).exclude(pk__in=registered)


def meeting_detail(request, pk, meeting_pk):
    user = request.user
    meeting = rules.meeting_for(user, pk, meeting_pk)
    meeting = Meeting.objects.with_places().select_related("network").get(pk=meeting.pk)
    network = meeting.network
    is_moderator = rules.is_moderator(user, network)
    is_member = rules.is_member(user, network)
    registrations = MeetingRegistration.objects.filter(meeting=meeting, status=REGISTERED).select_related(
        "participant__authority"
    )
    own = registrations.filter(participant=user).first() if is_member else None
    problem = meeting.registration_problem(registered=meeting.registered)
    minutes = (
        Minutes.objects.filter(meeting=meeting)
        .select_related("published_by")
        .prefetch_related(Prefetch("items", MinutesItem.objects.select_related("responsible_authority")))
        .first()
    )
    if minutes and not (minutes.is_published or is_moderator):
        minutes = None  # a draft is for the moderators only
    context = {
        "meeting": meeting,
        "network": network,
        "is_moderator": is_moderator,
        "is_member": is_member,
        "own": own,
        "problem": problem,
        "free": None if meeting.capacity is None else max(meeting.capacity - meeting.registered, 0),
        "minutes": minutes,
        "today": timezone.localdate(),
        "registrations": registrations if is_moderator else None,
        # Once the meeting has begun, no "Abmelden" button: the page says why instead.
        "unregistration_refused": rules.unregistration_refused(meeting, user),
        "may_correct": rules.may_correct_registrations(user) and meeting.has_begun(),
        "may_register_others": is_member and rules.may_register_others(user),
        "may_message": rules.may_message_participants(user),
    }
    if rules.may_correct_registrations(user):
        # The corrections after the start, with their reason: what changed figures of the past.
        context["corrections"] = (
            MeetingRegistration.objects.filter(meeting=meeting, status=RegistrationStatus.CANCELLED)
            .exclude(cancellation_reason="")
            .select_related("participant", "cancelled_by")
            .order_by("-cancelled_at")
        )
    if context["may_register_others"]:
        context["colleagues"] = registrations.filter(participant__authority_id=user.authority_id).exclude(
            participant=user
        )
        if not problem:
            context["colleague_form"] = RegisterColleagueForm(
                participants=_registrable_colleagues(user, meeting),
                action=reverse("network:meeting_register", args=[network.pk, meeting.pk]),
            )
    return render(request, "network/meeting_detail.html", context)


@rule_required(rules.may_message_participants)
def meeting_message(request, pk, meeting_pk):
    meeting = rules.meeting_for(request.user, pk, meeting_pk)
    form = ParticipantMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            queued = services.meeting_message_send(meeting=meeting, by=request.user, **form.cleaned_data)
            messages.success(request, form.sent(queued))
            return redirect(meeting)
    registered = MeetingRegistration.objects.filter(meeting=meeting, status=REGISTERED).count()
    context = {"meeting": meeting, "network": meeting.network, "form": form, "registered": registered}
    return render(request, "network/meeting_message.html", context)


def _meeting_form_page(request, network, meeting=None):
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        with form_errors(form):
            if meeting is None:
                meeting = services.meeting_create(network=network, by=request.user, **values)
                messages.success(request, _("Das Treffen wurde angelegt."))
            else:
                meeting = services.meeting_update(meeting=meeting, by=request.user, **values)
                messages.success(request, _("Das Treffen wurde gespeichert."))
            return redirect(meeting)
    title = _("Treffen bearbeiten") if meeting else _("Treffen anlegen")
    return render(
        request,
        "network/meeting_form.html",
        {"form": form, "network": network, "meeting": meeting, "title": title},
    )


def meeting_create(request, pk):
    network = rules.moderated_network_for(request.user, pk)
    return _meeting_form_page(request, network)


def meeting_edit(request, pk, meeting_pk):
    meeting = rules.moderated_meeting_for(request.user, pk, meeting_pk)
    return _meeting_form_page(request, meeting.network, Meeting.objects.get(pk=meeting.pk))


@require_POST
def meeting_register(request, pk, meeting_pk):
    user = request.user
    meeting = rules.meeting_for(user, pk, meeting_pk)
    participant = user
    if "participant" in request.POST:
        # A coordinator registers a colleague; the choice is limited to their own authority.
        if not rules.may_register_others(user):
            raise PermissionDenied
        participant = chosen_colleague(request, _registrable_colleagues(user, meeting))
        if participant is None:
            return redirect(meeting)
    elif not rules.may_register(user, user):
        raise PermissionDenied
    with message_errors(request):
        services.meeting_register(meeting=meeting, participant=participant, by=user)
        messages.success(
            request,
            _("%(name)s ist angemeldet. Eine Bestätigung mit Kalendereintrag wurde per E-Mail verschickt.")
            % {"name": participant},
        )
    return redirect(meeting)


@require_POST
def meeting_unregister(request, pk, meeting_pk, registration_pk):
    meeting = rules.meeting_for(request.user, pk, meeting_pk)
    registration = rules.registration_for(meeting, registration_pk)
    if not rules.may_unregister(request.user, registration):
        # Someone else's registration is not there for this user.
        raise Http404
    try:
        services.meeting_unregister(registration=registration, by=request.user)
    except services.RegistrationRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
    except ValidationError:
        # After the start project staff correct with a reason, on a page of its own.
        return redirect(
            "network:meeting_registration_correct", meeting.network_id, meeting.pk, registration.pk
        )
    else:
        messages.success(request, _("%(name)s ist abgemeldet.") % {"name": registration.participant})
    return redirect(meeting)


@rule_required(rules.may_correct_registrations)
def meeting_registration_correct(request, pk, meeting_pk, registration_pk):
    """Project staff cancel a registration after the meeting has begun: a correction with a reason."""
    meeting = rules.meeting_for(request.user, pk, meeting_pk)
    registration = rules.registration_for(meeting, registration_pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.meeting_unregister(
                registration=registration, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("%(name)s ist abgemeldet.") % {"name": registration.participant})
            return redirect(meeting)
    return render(
        request,
        "network/meeting_registration_correct.html",
        {
            "form": form,
            "registration": registration,
            "meeting": meeting,
            "network": meeting.network,
            "begun": meeting.has_begun(),
        },
    )


def meeting_ics(request, pk, meeting_pk):
    meeting = rules.meeting_for(request.user, pk, meeting_pk)
    response = HttpResponse(ics.meeting_calendar(meeting), content_type=f"{ics.MIMETYPE}; charset=utf-8")
    return as_download(response, ics.filename(meeting), private=False)


def meeting_attendance(request, pk, meeting_pk):
    meeting = rules.moderated_meeting_for(request.user, pk, meeting_pk)
    registrations = list(
        MeetingRegistration.objects.filter(meeting=meeting, status=REGISTERED).select_related(
            "participant__authority"
        )
    )
    form = AttendanceForm(
        request.POST or None, rows=[(r.pk, r.participant, r.attended) for r in registrations]
    )
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            count = services.attendance_record(
                meeting=meeting, present_ids=set(form.cleaned_data["present"]), by=request.user
            )
            messages.success(request, _("Anwesenheit gespeichert: %(count)d anwesend.") % {"count": count})
            return redirect(meeting)
    return render(
        request,
        "network/attendance.html",
        {"meeting": meeting, "network": meeting.network, "form": form},
    )


# --- minutes -------------------------------------------------------------------------------------


def minutes_edit(request, pk, meeting_pk):
    meeting = rules.moderated_meeting_for(request.user, pk, meeting_pk)
    network = meeting.network
    form = MinutesItemForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.minutes_item_add(meeting=meeting, by=request.user, **form.cleaned_data)
            messages.success(request, _("Der Punkt wurde dem Protokoll hinzugefügt."))
            return redirect("network:minutes", network.pk, meeting.pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    items = minutes.items.select_related("responsible_authority") if minutes else []
    return render(
        request,
        "network/minutes.html",
        {
            "meeting": meeting,
            "network": network,
            "minutes": minutes,
            "items": items,
            "form": form,
            "today": timezone.localdate(),
        },
    )


def minutes_item_edit(request, pk, meeting_pk, item_pk):
    item = rules.minutes_item_for(request.user, pk, meeting_pk, item_pk)
    meeting = item.minutes.meeting
    form = MinutesItemForm(
        request.POST or None, instance=MinutesItem.objects.get(pk=item.pk), network=meeting.network
    )
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.minutes_item_update(item=item, by=request.user, **form.cleaned_data)
            messages.success(request, _("Der Punkt wurde gespeichert."))
            return redirect("network:minutes", meeting.network_id, meeting.pk)
    return render(
        request,
        "network/minutes_item_form.html",
        {"form": form, "meeting": meeting, "network": meeting.network, "item": item},
    )


@require_POST
def minutes_item_delete(request, pk, meeting_pk, item_pk):
    item = rules.minutes_item_for(request.user, pk, meeting_pk, item_pk)
    with message_errors(request):
        services.minutes_item_delete(item=item, by=request.user)
        messages.success(request, _("Der Punkt wurde gelöscht."))
    return redirect("network:minutes", pk, meeting_pk)


@require_POST
def minutes_publish(request, pk, meeting_pk):
    meeting = rules.moderated_meeting_for(request.user, pk, meeting_pk)
    minutes = get_object_or_404(Minutes, meeting=meeting)
    minutes.meeting = meeting
    with message_errors(request):
        services.minutes_publish(minutes=minutes, by=request.user)
        messages.success(request, _("Das Protokoll ist veröffentlicht und für alle Mitglieder sichtbar."))
        return redirect(meeting)
    return redirect("network:minutes", pk, meeting_pk)


@require_POST
def task_done(request, pk, meeting_pk, item_pk):
    item = rules.minutes_item_for(request.user, pk, meeting_pk, item_pk)
    done = request.POST.get("done", "1") == "1"
    with message_errors(request):
        services.task_mark_done(item=item, by=request.user, done=done)
        messages.success(
            request,
            _("Die Aufgabe ist als erledigt markiert.") if done else _("Die Aufgabe ist wieder offen."),
        )
    back = request.POST.get("next")
    if back == "network":
        return redirect(item.minutes.meeting.network)
    return redirect("network:minutes", pk, meeting_pk)
