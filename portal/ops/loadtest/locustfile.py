"""200 people at work on the portal (run by `make loadtest`, see portal/ops/loadtest/__main__.py).

Authority staff browse the catalogue, enroll in the load courses and cancel again; project staff
look through the authorities and courses and edit them (forms are read from the page, CSRF token
included, and sent back changed); funders open their start page, download the indicators as CSV
and XLSX and a released report PDF. Every user has its own account of the plan written by
`prepare`: project staff and one in five of the others log in through the form (a two-factor code
is computed where project staff need one), the others continue a session opened before the run.
"""

import itertools
import json
import os
import random
import re
import time
from collections import Counter, defaultdict
from http.cookiejar import Cookie
from urllib.parse import urlparse

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

from portal.ops import loadtest
from portal.ops.loadtest.forms import Form, post_form

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"]).read())  # noqa: SIM115
RESULT = os.environ.get("LOADTEST_RESULT")

# Think time between two pages of one person.
WAIT = between(float(os.environ.get("LOADTEST_WAIT_MIN", 10)), float(os.environ.get("LOADTEST_WAIT_MAX", 40)))

_accounts = {kind: itertools.cycle(PLAN[kind]) for kind in ("authority", "project", "funder")}
statuses: dict[str, Counter] = defaultdict(Counter)
# (name, when, milliseconds) of every request, and when all users were running.
timings: list[tuple[str, float, float]] = []
ramped_up: list[float] = []


# --- people ---------------------------------------------------------------------------------------


class Person(FastHttpUser):
    abstract = True
    wait_time = WAIT
    kind = ""

    def on_start(self):
        self.email = next(_accounts[self.kind])
        session = PLAN["sessions"].get(self.email)
        if session:
            self.resume(session)
        else:
            self.log_in()
        # Browsers fetch the style sheet once and keep it: WhiteNoise serves it with a long cache time.
        with self.client.get("/", name="/", catch_response=True) as response:
            home = response.text or ""
            if "/konto/abmelden/" not in home:
                response.failure("nach der Anmeldung nicht angemeldet")
        match = re.search(r'href="(/static/[^"]+\.css)"', home or "")
        if match:
            self.page(match.group(1), "/static/ (CSS)")

    def page(self, path: str, name: str) -> str | None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return None
            text = response.text if "text/html" in response.headers.get("Content-Type", "") else ""
            # A lost session ends on the login form (after a redirect): that is a failure too.
            if 'name="password"' in text and not path.startswith("/konto/anmelden/"):
                response.failure("nicht angemeldet")
                return None
            return response.text

    def submit(self, form: Form, url: str, name: str, *, expect_redirect: bool = True) -> str | None:
        """Send a form like a browser (POST, then follow the redirect); returns the page it lands on."""
        action = form.action or url
        with self.client.post(
            action,
            data=form.encoded(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self.host + url},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (301, 302, 303):
                location = response.headers.get("Location", "")
            elif expect_redirect:
                response.failure(f"HTTP {response.status_code} statt Weiterleitung (Formular abgelehnt?)")
                return None
            else:
                return response.text
        target = urlparse(location)
        path = target.path + (f"?{target.query}" if target.query else "")
        return self.page(path, f"{name} → {_pattern(target.path)}")

    def resume(self, session_key: str):
        """Continue a session started earlier (made by `prepare`), as a browser keeps its cookie."""
        host = urlparse(self.host).hostname
        self.client.cookiejar.set_cookie(
            Cookie(
                0, "sessionid", session_key, None, False, host, False, False, "/", True,
                False, None, True, None, None, {},
            )
        )  # fmt: skip

    def log_in(self):
        login = self.page("/konto/anmelden/", "/konto/anmelden/")
        form = post_form(login, has="password")
        if form is None:
            raise RuntimeError("Kein Anmeldeformular")
        form.set("username", self.email)
        form.set("password", loadtest.PASSWORD)
        landed = self.submit(form, "/konto/anmelden/", "POST /konto/anmelden/")
        code_form = post_form(landed, has="code")
        if code_form is not None:
            key = PLAN["totp"].get(self.email)
            code_form.set("code", loadtest.totp(key, time.time()))
            self.submit(code_form, "/konto/anmelden/", "POST Zwei-Faktor-Code")


def _pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|\.|$)", "/[id]", path)


class AuthorityStaff(Person):
    weight = 15
    kind = "authority"

    @task(5)
    def catalogue(self):
        page = random.choice(["", "", "?free_seats=on", "?format=in_person", "?seite=2"])
        html = self.page(f"/schulungen/{page}", "/schulungen/")
        self.known = list(set(re.findall(r'href="/schulungen/(\d+)/"', html or ""))) or PLAN["courses"]

    @task(3)
    def course(self):
        pk = random.choice(getattr(self, "known", None) or PLAN["courses"])
        self.page(f"/schulungen/{pk}/", "/schulungen/[id]/")

    @task(4)
    def enroll(self):
        pk = random.choice(PLAN["courses"])
        url = f"/schulungen/{pk}/"
        html = self.page(url, "/schulungen/[id]/")
        form = post_form(html, action="/anmelden/")
        if form is not None and "participant" not in form.names():
            self.submit(form, url, "POST /schulungen/[id]/anmelden/")

    @task(3)
    def cancel(self):
        html = self.page("/schulungen/meine/", "/schulungen/meine/")
        mine = {int(pk) for pk in re.findall(r'href="/schulungen/(\d+)/"', html or "")} & set(PLAN["courses"])
        if not mine:
            return
        url = f"/schulungen/{random.choice(sorted(mine))}/"
        form = post_form(self.page(url, "/schulungen/[id]/"), action="/stornieren/")
        if form is not None:
            self.submit(form, url, "POST /schulungen/anmeldungen/[id]/stornieren/")

    @task(1)
    def start_page(self):
        self.page("/", "/")


class ProjectStaff(Person):
    weight = 2
    kind = "project"

    @task(3)
    def authorities(self):
        html = self.page(random.choice(["/behoerden/", "/behoerden/?q=Kreis"]), "/behoerden/")
        self.known = list(set(re.findall(r'href="/behoerden/(\d+)/"', html or "")))

    @task(2)
    def authority(self):
        if getattr(self, "known", None):
            self.page(f"/behoerden/{random.choice(self.known)}/", "/behoerden/[id]/")

    @task(2)
    def edit_authority(self):
        if not getattr(self, "known", None):
            return
        url = f"/behoerden/{random.choice(self.known)}/bearbeiten/"
        form = post_form(self.page(url, "/behoerden/[id]/bearbeiten/"), has="ags")
        if form is not None:
            form.set("notes", f"Im Lasttest bearbeitet von {self.email} um {time.strftime('%H:%M:%S')}.")
            self.submit(form, url, "POST /behoerden/[id]/bearbeiten/")

    @task(2)
    def edit_course(self):
        pk = random.choice(PLAN["courses"])
        url = f"/schulungen/{pk}/bearbeiten/"
        form = post_form(self.page(url, "/schulungen/[id]/bearbeiten/"), has="description")
        if form is None:
            return
        form.set("description", f"Eine Schulung für den Lasttest (Stand {time.strftime('%H:%M:%S')}).")
        if random.random() < 0.25:
            # A new room: everybody enrolled is told by mail (once per change).
            form.set("location", f"Mainz, Raum {random.randint(2, 99)}")
        self.submit(form, url, "POST /schulungen/[id]/bearbeiten/")

    @task(2)
    def participants(self):
        pk = random.choice(PLAN["courses"])
        self.page(f"/schulungen/{pk}/teilnehmende/", "/schulungen/[id]/teilnehmende/")

    @task(1)
    def participants_csv(self):
        pk = random.choice(PLAN["courses"])
        self.page(f"/schulungen/{pk}/teilnehmende/export.csv", "/schulungen/[id]/teilnehmende/export.csv")

    @task(1)
    def processes(self):
        self.page("/behoerden/prozesse/", "/behoerden/prozesse/")


class Funder(Person):
    weight = 3
    kind = "funder"

    @task(2)
    def start_page(self):
        self.page("/", "/")

    @task(3)
    def indicators(self):
        self.page("/berichte/indikatoren/", "/berichte/indikatoren/")

    @task(2)
    def indicators_csv(self):
        self.page("/berichte/indikatoren/export.csv", "/berichte/indikatoren/export.csv")

    @task(2)
    def indicators_xlsx(self):
        self.page("/berichte/indikatoren/export.xlsx", "/berichte/indikatoren/export.xlsx")

    @task(1)
    def authorities(self):
        self.page("/behoerden/", "/behoerden/")

    @task(2)
    def report_pdf(self):
        html = self.page("/berichte/", "/berichte/")
        versions = re.findall(r'href="/berichte/versionen/(\d+)/pdf/"', html or "") or PLAN.get("reports")
        if versions:
            pk = random.choice(versions)
            self.page(f"/berichte/versionen/{pk}/pdf/", "/berichte/versionen/[id]/pdf/")


# --- what the checks read afterwards ------------------------------------------------------------


def _key(request_type: str, name: str) -> str:
    return name if request_type == "GET" or name.startswith(request_type) else f"{request_type} {name}"


@events.request.add_listener
def _count_status(request_type, name, response, exception, response_time, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    statuses[_key(request_type, name)][str(status)] += 1
    timings.append((_key(request_type, name), time.time(), response_time))


@events.spawning_complete.add_listener
def _all_running(user_count, **kwargs):
    ramped_up.append(time.time())


def p95(values: list[float]) -> float | None:
    """Nearest-rank 95th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


@events.quitting.add_listener
def _write_result(environment, **kwargs):
    if not RESULT:
        return
    pages = {}
    since = ramped_up[0] if ramped_up else float("inf")
    for (name, method), entry in environment.stats.entries.items():
        key = _key(method, name)
        own = [(when, ms) for page, when, ms in timings if page == key]
        pages[key] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "median_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": p95([ms for _when, ms in own]),
            "p95_running_ms": p95([ms for when, ms in own if when >= since]),
            "max_ms": entry.max_response_time,
        }
    total = environment.stats.total
    result = {
        "pages": pages,
        "statuses": {name: dict(counter) for name, counter in statuses.items()},
        "errors": [
            {"name": error.name, "error": str(error.error), "count": error.occurrences}
            for error in environment.stats.errors.values()
        ],
        "total": {
            "requests": total.num_requests,
            "failures": total.num_failures,
            "p95_ms": p95([ms for _page, _when, ms in timings]),
            "p95_running_ms": p95([ms for _page, when, ms in timings if when >= since]),
            "rps": total.total_rps,
            "ramp_up_s": (since - environment.stats.start_time) if ramped_up else None,
        },
    }
    with open(RESULT, "w") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
