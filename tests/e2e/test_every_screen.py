"""Every main page of every role, on a phone (390 px) and on a laptop (1,366 px): the page never
scrolls sideways and axe finds nothing. Before the walk, the demo gets what real people type: a
word and a URL of 300 characters in a post, in minutes and a thread's title, a very long surname
and a course title with a long word; they must wrap (tables scroll inside their own region)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from authorities.models import Authority, ChangeProcess
from network.models import Meeting, Minutes, MinutesItem, Network, Post, Thread
from portal.accounts.models import User
from portal.reports.models import ProgressReport, ReportingPeriod
from tests.e2e.pages import DEMO_USERS, LAPTOP, PHONE
from training.models import Course

pytestmark = pytest.mark.e2e

LONG_WORD = "Verwaltungsmodernisierungs" * 11 + "gesetz"  # 292 characters, no break opportunity
LONG_URL = "https://example.org/" + "a" * 280
OWN_AUTHORITY = {"coordinator": "Stadt Mainz", "authority_staff": "Region Hannover"}

# Elements that reach past the right edge of the window (those outside a table's own scroll region
# first): named in the failure message, so that a failing walk says what to fix.
CULPRITS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
  .sort((a, b) => !!a.closest('.portal-wide-table') - !!b.closest('.portal-wide-table'))
  .slice(0, 5)
  .map(el => [el.tagName, el.className, Math.round(el.getBoundingClientRect().right)].join(" "))"""


def plant_long_words():
    staff = User.objects.get(email=DEMO_USERS["project_staff"])
    staff.last_name = "Projektteam-" + "Willkommenskulturbeauftragte" * 4
    staff.save(update_fields=["last_name"])
    for network in Network.objects.all():
        thread = Thread.objects.create(network=network, title=LONG_WORD[:200], created_by=staff)
        Post.objects.create(
            thread=thread, author=staff, body=f"{LONG_WORD}\n\nSiehe [Quelle]({LONG_URL}) und {LONG_URL}"
        )
        thread.last_post_at = timezone.now()
        thread.save(update_fields=["last_post_at"])
        minutes = Minutes.objects.filter(meeting__network=network, published_at__isnull=False).first()
        MinutesItem.objects.create(
            minutes=minutes, kind="information", text=f"{LONG_WORD} {LONG_URL}", position=99
        )
    period = ReportingPeriod.objects.filter(project__is_current=True).order_by("starts_on").first()
    ProgressReport.objects.update_or_create(period=period, defaults={"summary": LONG_WORD})


def pages_of(role: str) -> list[str]:
    """Beyond the navigation: the pages a person of this role works on."""
    course = Course.objects.filter(status="published").order_by("pk").first()
    course.title = f"{course.title} {LONG_WORD[:150]}"
    course.save(update_fields=["title"])
    paths = [course.get_absolute_url()]
    if role == "funder":
        return paths
    authority = Authority.objects.get(name=OWN_AUTHORITY.get(role, "Stadt Mainz"))
    paths.append(authority.get_absolute_url())
    process = ChangeProcess.objects.filter(authority=authority).order_by("-pk").first()
    if process:  # the process page's four parts
        args = [process.authority_id, process.pk]
        paths.append(process.get_absolute_url())
        parts = ("process_milestones", "process_self_check", "process_history")
        paths += [reverse(f"authorities:{part}", args=args) for part in parts]
    networks = Network.objects.filter(members=authority) if role != "project_staff" else Network.objects.all()
    network = networks.order_by("pk").first()
    thread = Thread.objects.get(network=network, title=LONG_WORD[:200])
    meeting = (
        Meeting.objects.filter(network=network, minutes__published_at__isnull=False).order_by("pk").first()
    )
    paths += [network.get_absolute_url(), thread.get_absolute_url(), meeting.get_absolute_url()]
    if role == "project_staff":
        period = ReportingPeriod.objects.filter(project__is_current=True).order_by("starts_on").first()
        paths += [period.get_absolute_url(), "/berichte/indikatoren/", "/berichte/", "/behoerden/katalog/"]
    return paths


@pytest.mark.parametrize("role", list(DEMO_USERS))
def test_every_main_page_fits_a_phone_and_a_laptop(open_browsing, role):
    plant_long_words()
    extra = pages_of(role)
    problems = []
    for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        browsing = open_browsing(viewport=viewport)
        page = browsing.page
        browsing.login(DEMO_USERS[role])
        navigation = page.locator("nav.portal-nav a[href]").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        assert len(navigation) >= 4, navigation
        for path in dict.fromkeys(navigation + extra):
            browsing.goto(path)
            overflow = page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{name} {path}: {overflow} px too wide, {page.evaluate(CULPRITS)}")
            browsing.axe(f"{role} on a {name}: {path}")
            browsing.screenshot(f"every-screen-{role}-{name}-{path.strip('/').replace('/', '-') or 'start'}")
        browsing.assert_clean()
    assert not problems, "\n".join(problems)


def test_the_long_words_are_on_the_pages_that_are_walked(open_browsing):
    """Guards the walk: the planted words are shown (not cut or escaped away), and a table with a
    long word scrolls inside its region rather than widening the page."""
    plant_long_words()
    browsing = open_browsing(viewport=PHONE)
    page = browsing.page
    browsing.login(DEMO_USERS["project_staff"])
    network = Network.objects.order_by("pk").first()
    thread = Thread.objects.get(network=network, title=LONG_WORD[:200])
    browsing.goto(thread.get_absolute_url())
    assert page.get_by_text(LONG_WORD).is_visible()
    assert page.get_by_role("link", name="Quelle").get_attribute("href") == LONG_URL
    browsing.goto(reverse("network:threads", args=[network.pk]))
    region = page.get_by_role("region", name=re.compile("^Diskussionen"))
    assert region.get_by_role("link", name=LONG_WORD[:200]).is_visible()
    first_cell = region.locator("tbody tr").first.locator("th, td").first
    assert first_cell.evaluate("el => getComputedStyle(el).position") == "sticky"
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")
    browsing.goto("/behoerden/")
    region = page.get_by_role("region", name="Ausländerbehörden")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "a wide table scrolls in its region"
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")
