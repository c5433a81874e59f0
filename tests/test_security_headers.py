"""Every page of the portal, for every role, carries the security headers: a Content-Security-Policy
with a nonce, nosniff, a referrer policy and frame denial; pages seen while logged in and every file
handed out (PDF, CSV, XLSX, ICS) are `Cache-Control: no-store`."""

import pytest
from django.urls import reverse

from tests.factories import ChangeProcessFactory, EnrollmentFactory, MeasureFactory, UserFactory
from tests.url_walk import ROLES, build_world, pages

DOWNLOAD_TYPES = ("application/pdf", "text/csv", "text/calendar", "application/vnd.openxmlformats")


def _problems(response, *, logged_in: bool) -> list[str]:
    problems = []
    content_type = response.get("Content-Type", "")
    csp = response.get("Content-Security-Policy", "")
    if content_type.startswith("text/html"):
        if "script-src 'self' 'nonce-" not in csp or "frame-ancestors 'none'" not in csp:
            problems.append(f"CSP without nonce or frame-ancestors: {csp!r}")
        if response.get("X-Frame-Options") != "DENY":
            problems.append(f"X-Frame-Options {response.get('X-Frame-Options')!r}")
        if response.get("Referrer-Policy") != "same-origin":
            problems.append(f"Referrer-Policy {response.get('Referrer-Policy')!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"X-Content-Type-Options {response.get('X-Content-Type-Options')!r}")
    is_download = content_type.startswith(DOWNLOAD_TYPES) or response.has_header("Content-Disposition")
    stored = "no-store" not in response.get("Cache-Control", "")
    if (logged_in or is_download) and response.status_code == 200 and stored:
        problems.append(f"Cache-Control {response.get('Cache-Control')!r} ({content_type})")
    return problems


@pytest.fixture
def world(db):
    return build_world()


def test_every_page_carries_the_security_headers(world):
    problems, not_found = [], {}
    for role in ROLES:
        client = world.client(role)
        seen = {"html": 0, "download": 0}
        for route, name in pages():
            path = world.path(route, name)
            response = client.get(path)
            if response.status_code >= 500:
                problems.append(f"{role} {name} {path}: status {response.status_code}")
                continue
            for problem in _problems(response, logged_in=role != "anonymous"):
                problems.append(f"{role} {name} {path} ({response.status_code}): {problem}")
            if role != "anonymous" and "<" in route:
                not_found.setdefault(name, []).append(response.status_code == 404)
            if response.status_code == 200:
                content_type = response.get("Content-Type", "")
                seen["html" if content_type.startswith("text/html") else "download"] += 1
        # The walk reaches real pages and files, not only redirects to the login.
        minimum = {"anonymous": (8, 0), "project_staff": (60, 8)}.get(role, (20, 0))
        if (seen["html"], seen["download"]) < minimum:
            problems.append(f"{role} saw only {seen}")

    # A page that is "not found" for everybody was not checked: its objects are missing in the world.
    problems += [
        f"nobody reaches {name}: add its objects to tests/url_walk.py"
        for name, missing in not_found.items()
        if all(missing) and not name.startswith("admin:")
    ]
    assert problems == []


def test_downloads_are_never_stored(client_for, project_staff, mainz, django_capture_on_commit_callbacks):
    """PDF, CSV, XLSX and ICS, one of each, by name: the walk above must not miss them."""
    course = EnrollmentFactory(participant__authority=mainz).course
    process = ChangeProcessFactory(authority=mainz)
    MeasureFactory(process=process)
    client = client_for(project_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("authorities:measure_plan", args=[mainz.pk]))
    for path in [
        reverse("authorities:export"),
        reverse("authorities:process_overview_xlsx"),
        reverse("authorities:measure_plan_pdf", args=[mainz.pk]),
        reverse("training:participants_csv", args=[course.pk]),
        reverse("training:participants_xlsx", args=[course.pk]),
        reverse("training:course_ics", args=[course.pk]),
        reverse("reports:indicators_csv"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content[:300])
        assert "no-store" in response.get("Cache-Control", ""), path
        assert response.get("X-Content-Type-Options") == "nosniff", path
        assert response.get("Content-Disposition", "").startswith("attachment"), path


def test_public_pages_may_be_cached_for_anonymous_visitors_but_not_when_logged_in(client, client_for, member):
    anonymous = client.get(reverse("pages:imprint"))
    logged_in = client_for(member).get(reverse("pages:imprint"))

    assert "no-store" not in anonymous.get("Cache-Control", "")
    assert "'nonce-" in anonymous["Content-Security-Policy"]
    assert logged_in["Cache-Control"] == "private, no-store"


def test_a_view_that_sets_its_own_cache_control_keeps_it(db, client_for):
    # The admin marks its pages never_cache itself.
    admin = UserFactory(project_staff=True, is_staff=True, is_superuser=True)
    response = client_for(admin).get("/verwaltung/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
