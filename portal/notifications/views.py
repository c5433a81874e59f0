from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.notifications import services
from portal.notifications.forms import PreferencesForm
from portal.notifications.kinds import KINDS
from portal.notifications.models import Notification, NotificationStatus
from portal.permissions import role_required


def preferences(request):
    rows = services.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, preferences=rows)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=request.user, modes=form.cleaned_data)
        messages.success(request, _("Ihre Benachrichtigungseinstellungen wurden gespeichert."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "mandatory": [row["kind"] for row in rows if row["kind"].mandatory],
            "title": _("Benachrichtigungen"),
        },
    )


@role_required("is_project_staff")
def failed(request):
    notifications = list(
        Notification.objects.filter(status=NotificationStatus.FAILED)
        .select_related("recipient")
        .order_by("-claimed_at")[:500]
    )
    for notification in notifications:
        kind = KINDS.get(notification.kind)
        # A mail without a claim (confirmation, password reset, …) has no kind.
        notification.kind_label = kind.label if kind else notification.kind or _("Sonstige E-Mail")
        notification.to = (
            [notification.recipient.email] if notification.recipient else notification.payload.get("to", [])
        )
    # Mails the broker could not take (it is or was down): the sweep sends them once it is back.
    waiting = Notification.objects.filter(status=NotificationStatus.CLAIMED, enqueued_at__isnull=True).count()
    return render(request, "notifications/failed.html", {"notifications": notifications, "waiting": waiting})


@require_POST
@role_required("is_project_staff")
def resend(request, pk):
    notification = get_object_or_404(Notification, pk=pk)
    if notification.status != NotificationStatus.FAILED:
        messages.info(request, _("Diese E-Mail wird bereits versendet oder wurde versendet."))
    else:
        services.notification_resend(notification=notification, by=request.user)
        messages.success(
            request,
            _("Die E-Mail an %(email)s wird erneut gesendet.") % {"email": notification.payload["to"][0]}
            if notification.payload.get("to")
            else _("Die E-Mail wird erneut gesendet."),
        )
    return redirect("notifications:failed")
