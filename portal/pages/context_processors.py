from functools import partial

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from authorities.rules import may_edit_questionnaire
from portal.accounts.rules import may_manage_accounts
from portal.forms import SEARCH_MAX_LENGTH
from portal.pages.rules import may_search_everything
from training.rules import may_manage_courses

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
]

# The "Verwaltung" menu: the pages that keep the portal running rather than the project's work. It is
# one menu button in the bar; a person who sees only one of its pages (a coordinator: accounts) gets
# that page as a plain link instead of a menu with one entry.
ADMINISTRATION = (
    _("Verwaltung"),
    [
        (_("Konten"), "accounts:user_list", may_manage_accounts, None),
        (_("Sicherheitsprotokoll"), "privacy:security_log", lambda user: user.is_project_staff, None),
        (_("Fehlgeschlagene E-Mails"), "notifications:failed", lambda user: user.is_project_staff, None),
        (_("Themen der Schulungen"), "training:topics", may_manage_courses, None),
        (_("Fragebogen des Selbstchecks"), "authorities:questionnaire", may_edit_questionnaire, None),
        # Django's admin (/verwaltung/) for the data no page of the portal edits.
        (
            _("Datenpflege (Django-Admin)"),
            "admin:index",
            lambda user: user.is_project_staff and user.is_staff,
            None,
        ),
    ],
)


# The navigation's URLs and its rendered bar, kept per process: every logged-in page shows them, and
# they change only with the language, the links a person may see and the current section (a few dozen
# combinations). Not kept with DEBUG on, where templates may change while the server runs.
_URLS: dict[tuple, str] = {}
_BARS: dict[tuple, SafeString] = {}
_MAX_BARS = 500


def _url(name: str) -> str:
    key = (name, get_urlconf(), get_script_prefix())
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = reverse(name)
    return url


# The layout's own links (header and footer of base.html), as `{{ layout_urls.<name> }}`; given to the
# template as the function, so that a page without the layout reverses nothing.
_LAYOUT_URLS = [
    "pages:home",
    "pages:search",
    "pages:imprint",
    "pages:privacy",
    "pages:accessibility",
    "pages:barrier_report",
    "pages:easy_language",
    "accounts:login",
    "accounts:logout",
    "accounts:profile",
    "set_language",
]


_LAYOUTS: dict[tuple, dict[str, str]] = {}


def _layout_urls() -> dict[str, str]:
    key = (get_urlconf(), get_script_prefix())
    urls = _LAYOUTS.get(key)
    if urls is None:
        urls = _LAYOUTS[key] = {name.rpartition(":")[2]: _url(name) for name in _LAYOUT_URLS}
    return urls


def _navigation_bar(items: list[dict]) -> SafeString:
    """The bar (includes/navigation_bar.html) for these links; called by the template when it shows it."""
    key = (get_language(), repr(items))  # repr: labels in the current language, URLs, what is current
    bar = _BARS.get(key)
    if bar is None:
        bar = render_to_string("includes/navigation_bar.html", {"main_navigation": items})
        if not settings.DEBUG:
            if len(_BARS) >= _MAX_BARS:
                _BARS.clear()
            _BARS[key] = bar
    return bar


def _links(user, entries, path):
    links = []
    for label, name, visible, section in entries:
        if visible(user):
            url = _url(name)
            prefix = section(user) if section else url
            matches = path == prefix if prefix == "/" else path.startswith(prefix)
            links.append({"label": label, "url": url, "current": False, "prefix": prefix if matches else ""})
    return links


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_navigation": [], "operator": settings.PORTAL_OPERATOR, "layout_urls": _layout_urls}
    path = request.path
    items = _links(user, NAVIGATION, path)
    group_label, group_entries = ADMINISTRATION
    group = _links(user, group_entries, path)
    # The most specific section wins: "Meine Schulungen" rather than "Schulungen" on /schulungen/meine/.
    best = max(items + group, key=lambda item: len(item["prefix"]), default=None)
    if best and best["prefix"]:
        best["current"] = True
    if len(group) == 1:
        items += group
    elif group:
        current = any(link["current"] for link in group)
        items.append({"label": group_label, "group": group, "current": current})
    return {
        "main_navigation": items,
        "navigation_html": partial(_navigation_bar, items),
        "layout_urls": _layout_urls,
        "operator": settings.PORTAL_OPERATOR,
        "header_search": may_search_everything(user),
        "search_max_length": SEARCH_MAX_LENGTH,
    }
