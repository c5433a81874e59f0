from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from authorities.models import Authority
from portal.accounts import ratelimit
from portal.celery import app as celery_app
from portal.notifications.mail import send_email
from portal.pages.forms import BarrierReportForm, SearchForm
from portal.pages.rules import may_search_everything
from portal.pages.selectors import figures
from portal.pages.selectors.search import search_everything
from portal.permissions import rule_required
from portal.start_sections import Shared, start_sections_for


@login_not_required
def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "pages/start.html")
    if user.is_funder:
        return render(request, "pages/dashboard_funder.html", figures.funder_dashboard())
    # Project staff and authority staff: the sections the apps contribute (portal/start_sections.py).
    # What the sections and the page's figures both show is read once (`Shared`, per request).
    shared = Shared()
    sections = start_sections_for(user, timezone.now(), shared)
    if user.is_project_staff:
        context = {**figures.project_staff_dashboard(shared), "sections": sections}
        return render(request, "pages/dashboard_project_staff.html", context)
    context = {**figures.authority_dashboard(user, shared), "sections": sections}
    return render(request, "pages/dashboard_authority_staff.html", context)


@rule_required(may_search_everything)
def search(request):
    form = SearchForm(request.GET)
    text = form.filters().get("q", "")
    groups = search_everything(text)
    context = {"form": form, "groups": groups, "search_query": text, "searched": bool(text)}
    return render(request, "pages/search.html", context)


def my_authority(request):
    if not request.user.is_authority_staff:
        return redirect("authorities:list")
    return redirect(Authority.objects.get(pk=request.user.authority_id))


def _static_page(template):
    @login_not_required
    def view(request):
        return render(request, template)

    view.__name__ = template.rsplit("/", 1)[-1].removesuffix(".html")
    return view


imprint = _static_page("pages/imprint.html")
privacy = _static_page("pages/privacy.html")
accessibility = _static_page("pages/accessibility.html")
easy_language = _static_page("pages/easy_language.html")


@login_not_required
def barrier_report(request):
    initial = {"page": request.GET.get("seite", "")}
    form = BarrierReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.mail_allowed("barrier_report", request, address=form.cleaned_data["email"]):
            form.add_error(None, ratelimit.refusal())
            return render(request, "pages/barrier_report.html", {"form": form}, status=429)
        send_email(
            to=[settings.PORTAL_TEAM_EMAIL],
            template="barrier_report",
            context={**form.cleaned_data, "language": get_language()},
            reply_to=[form.cleaned_data["email"]] if form.cleaned_data["email"] else None,
        )
        messages.success(
            request,
            _("Vielen Dank. Ihre Meldung wurde an das Projektteam geschickt; wir antworten binnen 6 Wochen."),
        )
        return redirect("pages:accessibility")
    return render(request, "pages/barrier_report.html", {"form": form})


@login_not_required
@never_cache
def health(request):
    """State of the database and the broker, without any personal data."""
    # It answers for the machine, not for a person: the session's user, which middleware would load
    # from the database on the way out, is never looked up, so a database that is down gives 503 here.
    request.user = AnonymousUser()
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "error"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception:
        checks["broker"] = "error"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
