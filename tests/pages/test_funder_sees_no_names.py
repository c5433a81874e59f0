"""Funders see aggregated figures and released reports, never personal data (DESIGN: "never personal
data"). A crawl from the start page, logged in as the funder, follows every link of the portal (GET
only) and reads every page and every download it reaches — HTML, PDF text, CSV, spreadsheets and the
text inside Office files — for the first or last name of any person the portal knows: accounts
(participants of courses and meetings among them), the authorities' contact persons and the
trainers named on courses.

The world is the demo (`seed_demo`) with every person renamed to a name that appears nowhere else,
and one released report version, as the funders' demo account has it.
"""

import html
import io
import re
import zipfile
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from authorities.models import ContactPerson
from network.models import Document
from portal.accounts.models import Role, User
from portal.reports import services as report_services
from portal.reports import tasks as report_tasks
from portal.reports.models import ReportingPeriod
from training.models import Course

FIRST_NAMES = [
    "Zacharias", "Eulalia", "Ottokar", "Philippina", "Balduin", "Hyazinth", "Leopoldine", "Gottlieb",
    "Walburga", "Ansgar", "Kunigunde", "Ruprecht", "Adelgunde", "Theobald", "Irmingard", "Wigbert",
]  # fmt: skip
LAST_NAMES = [
    "Quellmalz", "Pfefferkorn", "Zirbelbach", "Schnabelmeier", "Trautwein", "Gänsewein", "Brummerhoff",
    "Vielhaber", "Knöterich", "Sauerbrey", "Wolkenstein", "Hagedorn", "Eichelkraut", "Rübsamen",
    "Kesselring", "Mauderer",
]  # fmt: skip
# The funder's own name is theirs to see (profile, own-data export): it is no other person's.
FUNDER_FIRST, FUNDER_LAST = "Fridolin", "Fördermittler"

SKIP_PATHS = ("/static/", "/konto/abmelden/", "/i18n/")
BARRIER_REPORT = reverse("pages:barrier_report")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and (href := dict(attrs).get("href")):
            self.hrefs.append(href)


def _names_everywhere() -> set[str]:
    """Give every person a distinctive name; return every first and last name but the funder's."""
    people = list(User.objects.order_by("pk"))
    contacts = list(ContactPerson.objects.order_by("pk"))
    assert len(people) + len(contacts) <= len(FIRST_NAMES) * len(LAST_NAMES)
    for index, person in enumerate([*people, *contacts]):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
        if isinstance(person, ContactPerson):
            ContactPerson.objects.filter(pk=person.pk).update(name=f"{first} {last}")
        elif person.is_funder:
            User.objects.filter(pk=person.pk).update(first_name=FUNDER_FIRST, last_name=FUNDER_LAST)
        else:
            User.objects.filter(pk=person.pk).update(first_name=first, last_name=last)
    names = set()
    for first, last in User.objects.exclude(role=Role.FUNDER).values_list("first_name", "last_name"):
        names |= {first, last}
    for name in ContactPerson.objects.values_list("name", flat=True):
        names |= set(name.split())
    # Trainers are free text on the course: one distinctive pair of names per course.
    for index, course in enumerate(Course.objects.order_by("pk")):
        trainer = f"{FIRST_NAMES[-1 - index % len(FIRST_NAMES)]}a {LAST_NAMES[index % len(LAST_NAMES)]}er"
        Course.objects.filter(pk=course.pk).update(trainers=trainer)
        names |= set(trainer.split())
    return names - {""}


def _release_a_report(staff) -> None:
    period = ReportingPeriod.objects.filter(project__is_current=True).order_by("starts_on").first()
    version = report_services.version_request(period=period, by=staff)
    report_tasks.render_version(version.pk)
    version.refresh_from_db()
    report_services.version_release(version=version, by=staff)


def _text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if "spreadsheetml" in kind:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row
        )
    if content.startswith(b"PK\x03\x04"):  # Office files of the library: the text of every part
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    if kind.startswith("image/"):
        return ""
    return html.unescape(content.decode("utf-8-sig", "replace"))


def _links(response, url) -> list[str]:
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = Links()
    parser.feed(response.content.decode())
    found = []
    for href in parser.hrefs:
        target, _fragment = urldefrag(urljoin(url, html.unescape(href)))
        parts = urlsplit(target)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue  # another site, mailto:, tel:
        # Every page links the barrier report with its own address filled in: one visit is enough.
        query = "" if parts.path == BARRIER_REPORT else parts.query
        path = parts.path + (f"?{query}" if query else "")
        if not path.startswith(SKIP_PATHS):
            found.append(path)
    return found


def crawl(client, start: str = "/", limit: int = 2_000) -> dict[str, tuple[int, str, str]]:
    """url -> (status, content type, text) of everything reachable from `start` by links and redirects."""
    seen, queue, reached = {start}, deque([start]), {}
    while queue:
        url = queue.popleft()
        response = client.get(url)
        reached[url] = (response.status_code, response.get("Content-Type", ""), _text_of(response))
        following = _links(response, url)
        if response.status_code in (301, 302) and urlsplit(response["Location"]).netloc in ("", "testserver"):
            following.append(urljoin(url, response["Location"]))
        for link in following:
            if link not in seen:
                seen.add(link)
                queue.append(link)
        assert len(seen) < limit, "the crawl does not end: a link makes new links forever"
    return reached


def _named(text: str, names: set[str]) -> set[str]:
    return {name for name in names if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)}


@pytest.fixture
def world(db, settings):
    call_command("seed_demo", verbosity=0)
    staff = User.objects.get(email="projekt@example.org")
    _release_a_report(staff)
    return {"names": _names_everywhere(), "funder": User.objects.get(email="foerderung@example.org")}


def test_funder_reaches_no_name_of_any_person_on_any_page_or_download(world, client_for):
    names = world["names"]
    reached = crawl(client_for(world["funder"]))

    leaks = {url: found for url, (_s, _k, text) in reached.items() if (found := _named(text, names))}
    assert leaks == {}

    # The crawl really went where the names could be: the library, released reports and the figures
    # as files, and it can see names where they are (the funder's own, on the profile).
    kinds = {kind.split(";")[0] for _status, kind, _text in reached.values()}
    assert {"text/html", "application/pdf", "text/csv"} <= kinds
    assert any("spreadsheetml" in kind for kind in kinds)
    assert any(url.startswith(reverse("network:library")) for url in reached)
    assert sum(1 for status, _k, _t in reached.values() if status == 200) > 20
    assert _named(reached[reverse("accounts:profile")][2], {FUNDER_LAST}) == {FUNDER_LAST}


def test_the_name_check_finds_a_name_where_project_staff_may_see_it(world, client_for):
    document = Document.objects.filter(uploaded_by__isnull=False).first()
    staff = User.objects.get(email="projekt@example.org")
    text = _text_of(client_for(staff).get(document.get_absolute_url()))
    assert _named(text, world["names"]) >= {document.uploaded_by.last_name}
