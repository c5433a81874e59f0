"""Hypothesis fuzzes every form of the portal: 0 server errors.

The forms are found, not listed: every page of the URL walk (tests/url_walk.py) is fetched as each role,
and every `<form method="post">` in it is parsed for its fields. Each form then gets arbitrary values —
text with control characters, NUL bytes, very long strings and any Unicode; huge, negative and
fractional numbers; valid and impossible dates; fields left out — and must answer below 500.

FUZZ_EXAMPLES (default 3) sets the examples per form; `FUZZ_EXAMPLES=200 pytest tests/test_fuzz_forms.py`
searches much harder. Run it on PostgreSQL too (DATABASE_URL), which treats NUL bytes and out-of-range
numbers differently from SQLite. All examples share the test's one transaction (each is undone to a
savepoint): on PostgreSQL, FUZZ_EXAMPLES=150 ran out of its lock table ("out of shared memory",
max_locks_per_transaction 64) after about 15,000 requests; up to 40 runs clean, larger searches run on
SQLite or with a larger max_locks_per_transaction.
"""

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.factories import EnrollmentFactory, UserFactory
from tests.url_walk import build_world, pages

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# Logging out would end the session the rest of the role's forms are posted with.
NOT_FUZZED = {reverse("accounts:logout")}
MISSING = object()  # a field left out of the request


# --- the forms on a page ----------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    value: str = ""
    options: list = field(default_factory=list)


@dataclass
class Form:
    action: str
    fields: dict = field(default_factory=dict)  # name -> Field (radio and checkbox names collect options)

    @property
    def has_file(self):
        return any(f.kind == "file" for f in self.fields.values())


class FormParser(HTMLParser):
    def __init__(self, page_path):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                action = urlsplit(urljoin(self.page_path, attrs.get("action") or self.page_path))
                self.form = Form(action=action.path + (f"?{action.query}" if action.query else ""))
                self.forms.append(self.form)
            return
        if tag == "option" and self.select is not None:
            self.select.options.append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select.value = attrs.get("value", "")
            return
        if self.form is None or not attrs.get("name") or "disabled" in attrs:
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "reset", "image"}:
                # The button a person presses says what they want ("action=publish"): keep it as an option.
                kind = "radio"
            known = self.form.fields.get(name)
            if kind in {"radio", "checkbox"} and known:
                known.options.append(attrs.get("value", "on"))
                return
            self.form.fields[name] = Field(
                name,
                kind,
                attrs.get("value", ""),
                [attrs.get("value", "on")] if kind in {"radio", "checkbox"} else [],
            )
        elif tag == "select":
            self.select = Field(name, "select-multiple" if "multiple" in attrs else "select")
            self.form.fields[name] = self.select
        elif tag == "textarea":
            self.textarea = Field(name, "textarea")
            self.form.fields[name] = self.textarea

    def handle_data(self, data):
        if self.textarea is not None:
            # As in a browser: the line break right after <textarea> is not part of the value.
            self.textarea.value += data.removeprefix("\n") if not self.textarea.value else data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_on(path, html):
    parser = FormParser(path)
    parser.feed(html)
    return parser.forms


# --- arbitrary values ---------------------------------------------------------------------------------

EDGE_TEXT = [
    "",
    " ",
    "\x00",
    "Mainz\x00",
    "\r\n\t\x0b\x0c\x1b",
    "x" * 100_000,
    "ä" * 5_000,
    "😀" * 1_000,
    "\u202eevil",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "{{ 7*7 }}",
]
EDGE_NUMBERS = [
    "0",
    "-1",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999999",
    "-9223372036854775809",
    "2147483648",
    "32768",
    "1,5",
    "1.000.000",
    "0x10",
]
EDGE_DATES = [
    "2026-02-30",
    "31.02.2026",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-13-01",
    "2026-06-15T25:61",
    "15.06.2026 24:00",
    "1.1.1",
    "-2026-01-01",
]

any_text = st.one_of(
    st.sampled_from(EDGE_TEXT),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=300),
    st.text(st.characters(max_codepoint=0x1F), max_size=20),
)
numbers = st.one_of(
    st.sampled_from(EDGE_NUMBERS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
dates = st.one_of(
    st.sampled_from(EDGE_DATES),
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.isoformat()),
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: f"{d.day}.{d.month}.{d.year}"),
)
datetimes = st.one_of(
    st.sampled_from(EDGE_DATES),
    st.datetimes(min_value=dt.datetime(1, 1, 1)).map(lambda d: d.isoformat(timespec="minutes")),
)
anything = st.one_of(any_text, numbers, dates)

TYPED = {
    "number": numbers,
    "range": numbers,
    "date": dates,
    "datetime-local": datetimes,
    "time": st.one_of(st.sampled_from(["25:00", "12:60", "-1:00", "12"]), st.times().map(str)),
    "month": dates,
    "email": st.one_of(st.emails().map(str), any_text),
}


MANAGEMENT_FIELDS = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def _fits_64_bits(text):
    try:
        return -(2**63) <= int(text) < 2**63
    except ValueError:
        return True


# Known and left to Django: on SQLite (development only) the admin's multiple choices (groups, permissions,
# network members) raise OverflowError for a number beyond 64 bits, as the portal's own did (fixed in
# network/forms.py). PostgreSQL gets the full range everywhere.
anything_in_64_bits = st.one_of(any_text, numbers.filter(_fits_64_bits), dates)


def _value(fld: Field, *, admin=False, admin_on_sqlite=False):
    if fld.kind == "file":
        return st.builds(
            lambda name, content: SimpleUploadedFile(name, content),
            st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=80).map(
                lambda s: s.replace("/", "_").replace("\\", "_") or "x"
            ),
            st.binary(max_size=2_000),
        )
    if admin and fld.name == "_selected_action":
        # Known and left to Django: the admin's list actions crash (ValueError, 500) on a selected row
        # that is no number; a browser only sends the numbers of the rows' checkboxes.
        return st.sampled_from(fld.options or [""])
    if fld.kind == "select-multiple":
        arbitrary = anything_in_64_bits if admin_on_sqlite else anything
        return st.one_of(
            st.lists(st.sampled_from(fld.options or [""]), max_size=4), st.lists(arbitrary, max_size=3)
        )
    if fld.kind in {"select", "radio", "checkbox"}:
        return st.one_of(st.sampled_from(fld.options or [""]), anything)
    if fld.name.endswith(MANAGEMENT_FIELDS):
        # A formset's counts: a huge one makes Django build its maximum of 1000 forms, slow but no error.
        return st.one_of(st.just(fld.value), st.sampled_from(["", "-1", "x", "0", "1e3"]))
    if fld.kind == "hidden":
        return st.one_of(st.just(fld.value), anything)
    return st.one_of(TYPED.get(fld.kind, any_text), anything)


def _plausible(fld: Field):
    """A value a person might enter, so that a form gets past its validation and into its services."""
    soon = timezone.localdate() + dt.timedelta(days=30)
    if any(word in fld.name for word in ("end", "close", "due", "until")):
        soon += dt.timedelta(days=1)  # ends after it starts
    if fld.kind == "file":
        return SimpleUploadedFile("konzept.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    if fld.kind == "select" and fld.value:
        return fld.value
    if fld.kind in {"select", "radio", "checkbox"}:
        return next((option for option in fld.options if option), "")
    if fld.kind == "select-multiple":
        return [option for option in fld.options if option][:1]
    if fld.kind == "hidden" or fld.value:
        return fld.value
    return {
        "number": "5",
        "date": soon.isoformat(),
        "datetime-local": f"{soon.isoformat()}T10:00",
        "time": "10:00",
        "email": "person@example.org",
        "url": "https://example.org/",
        "tel": "06131 123456",
        "password": "ein-sicheres-Passwort-123",
    }.get(fld.kind, "Beispiel")


@st.composite
def form_data(draw, form: Form):
    """A dict of field values: either everything arbitrary, or plausible values with some fields
    arbitrary or left out (so the arbitrary values also reach the code behind a valid form)."""
    everything = draw(st.booleans())
    admin = form.action.startswith("/verwaltung/")
    admin_on_sqlite = admin and connection.vendor == "sqlite"
    data = {}
    for name, fld in form.fields.items():
        if everything or draw(st.integers(0, 3)) == 0:
            value = draw(
                st.one_of(_value(fld, admin=admin, admin_on_sqlite=admin_on_sqlite), st.just(MISSING))
            )
        else:
            value = _plausible(fld)
        if value is not MISSING:
            data[name] = value
    return data


# --- the test -------------------------------------------------------------------------------------------


def _discover(world):
    """Every distinct form (by where it posts to), each with the first role that sees it."""
    found = {}
    order = ["project_staff", "coordinator", "member", "funder", "anonymous"]
    for role in order:
        client = world.client(role)
        for route, name in pages():
            if name.startswith("admin:") and role != "project_staff":
                continue
            path = world.path(route, name)
            response = client.get(path)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            for form in forms_on(path, response.content.decode()):
                # One of each: the same form on every row of a list (…/3/entfernen/) is fuzzed once.
                key = (re.sub(r"\d+", "N", form.action), tuple(sorted(form.fields)))
                if key not in found and urlsplit(form.action).path not in NOT_FUZZED:
                    found[key] = (role, form)
    return found


def _short(data):
    return {k: v[:60] + f"…({len(v)})" if isinstance(v, str) and len(v) > 80 else v for k, v in data.items()}


def _post(client, form, data):
    # Each example is undone afterwards (a savepoint), so every example meets the same world, and a
    # database error inside a view does not break the test's transaction on PostgreSQL.
    savepoint = transaction.savepoint_create()
    try:
        return client.post(form.action, data)
    finally:
        transaction.savepoint_rollback(savepoint)


def _fuzzer(client, form, tried):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=form_data(form))
    def fuzz(data):
        tried["data"] = data
        response = _post(client, form, data)
        assert response.status_code < 500, response.status_code

    return fuzz


def test_every_form_survives_arbitrary_input(db):
    world = build_world()
    found = _discover(world)
    assert len(found) >= 40, sorted(found)

    failures = []
    for _key, (role, form) in sorted(found.items()):
        client = world.client(role)
        tried = {}
        try:
            # The form as the page offers it and the form with nothing in it, then the arbitrary ones.
            for data in (
                {n: f.value for n, f in form.fields.items() if f.kind not in {"radio", "checkbox", "file"}},
                {},
            ):
                tried["data"] = data
                assert _post(client, form, data).status_code < 500
            _fuzzer(client, form, tried)()
        except Exception as error:  # noqa: BLE001 - every server error is a finding, all are reported
            failures.append(f"{role} POST {form.action}: {type(error).__name__}: {str(error)[:300]}")
            failures.append(f"    data={_short(tried.get('data', {}))!r}")

    assert not failures, "\n".join(failures)


# --- what the fuzzing found -------------------------------------------------------------------------------


def test_cancelling_with_a_next_that_is_no_path_goes_back_to_the_course(client_for, project_staff):
    # redirect() took "' OR 1=1 --" for the name of a view: NoReverseMatch, a server error.
    enrollment = EnrollmentFactory()
    url = reverse("training:enrollment_cancel", args=[enrollment.pk])

    response = client_for(project_staff).post(url, {"next": "' OR 1=1 --"})

    assert response.status_code == 302
    assert response["Location"] == enrollment.course.get_absolute_url()
    other = EnrollmentFactory()
    back = client_for(project_staff).post(
        reverse("training:enrollment_cancel", args=[other.pk]), {"next": "/schulungen/meine/"}
    )
    assert back["Location"] == "/schulungen/meine/"


def test_history_entries_cannot_be_added_by_hand_in_the_admin(db, client_for):
    # The add form had no authority field, and saving it failed in the database.
    admin = UserFactory(project_staff=True, is_staff=True, is_superuser=True)

    response = client_for(admin).post("/verwaltung/authorities/historyentry/add/", {})

    assert response.status_code == 403


def test_a_member_number_beyond_64_bits_is_an_invalid_choice_not_a_server_error(client_for, project_staff):
    # SQLite raised OverflowError in the IN lookup of the multiple choice.
    response = client_for(project_staff).post(
        reverse("network:create"),
        {"name": "Netzwerk Nord", "scope": "RP", "members": ["9223372036854775808"], "moderators": []},
    )

    assert response.status_code == 200
    assert "9223372036854775808" in str(response.context["form"].errors["members"])


def test_a_date_in_the_year_1_is_a_field_error_not_a_server_error(client_for, project_staff):
    # 0001-01-01 00:00 in Berlin is still year 0 in UTC: OverflowError while the form was validated.
    course = EnrollmentFactory().course
    page = client_for(project_staff).get(reverse("training:edit", args=[course.pk]))
    (form,) = [f for f in forms_on(page.wsgi_request.path, page.content.decode()) if "title" in f.fields]
    data = {name: fld.value for name, fld in form.fields.items() if fld.kind not in {"checkbox", "radio"}}
    data["registration_opens"] = "0001-01-01T00:00"

    response = client_for(project_staff).post(form.action, data)

    assert response.status_code == 200
    assert response.context["form"].errors["registration_opens"] == [
        "Bitte geben Sie ein Datum zwischen 1900 und 2199 an."
    ]
