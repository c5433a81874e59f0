from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.accounts.rules import may_manage_accounts

# (label, url name, who sees it, section): one list, so that navigation and permissions are read in one
# place. An item is marked current on every page under its section (by default its own URL).
NAVIGATION = [
    (_("Start"), "pages:home", lambda user: True, None),
    (_("Ausländerbehörden"), "authorities:list", lambda user: not user.is_authority_staff, None),
    (
        _("Meine Behörde"),
        "pages:my_authority",
        lambda user: user.is_authority_staff,
        lambda user: reverse("authorities:detail", args=[user.authority_id]),
    ),
    (_("Veränderungsprozesse"), "authorities:process_overview", lambda user: user.is_project_staff, None),
    (_("Schulungen"), "training:catalogue", lambda user: True, None),
    (_("Netzwerke"), "network:list", lambda user: not user.is_funder, None),
    (_("Bibliothek"), "network:library", lambda user: True, None),
    (_("Meine Schulungen"), "training:mine", lambda user: user.is_authority_staff, None),
    # Current on every page of the reports area (periods, narratives, indicators).
    (_("Berichte"), "reports:periods", lambda user: user.is_project_staff, lambda user: "/berichte/"),
    # Funders: the released reports and, one click further, the current indicator values.
    (_("Berichte"), "reports:index", lambda user: user.is_funder, lambda user: "/berichte/"),
    (_("Konten"), "accounts:user_list", may_manage_accounts, None),
    (_("Sicherheitsprotokoll"), "privacy:security_log", lambda user: user.is_project_staff, None),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_navigation": [], "operator": settings.PORTAL_OPERATOR}
    path = request.path
    items = []
    for label, name, visible, section in NAVIGATION:
        if visible(user):
            url = reverse(name)
            prefix = section(user) if section else url
            matches = path == prefix if prefix == "/" else path.startswith(prefix)
            items.append({"label": label, "url": url, "current": False, "prefix": prefix if matches else ""})
    # The most specific section wins: "Meine Schulungen" rather than "Schulungen" on /schulungen/meine/.
    best = max(items, key=lambda item: len(item["prefix"]), default=None)
    if best and best["prefix"]:
        best["current"] = True
    return {"main_navigation": items, "operator": settings.PORTAL_OPERATOR}
