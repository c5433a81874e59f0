"""portal.calendar: the iCalendar writer behind the course and meeting calendar files."""

import datetime as dt
from zoneinfo import ZoneInfo

from portal.calendar import calendar, event, host

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 1, 12, tzinfo=BERLIN)


def _fields(**values) -> dict:
    return {
        "uid": "course-1-date-2@abh-portal.example.org",
        "starts_at": dt.datetime(2026, 7, 14, 9, tzinfo=BERLIN),
        "ends_at": dt.datetime(2026, 7, 14, 12, tzinfo=BERLIN),
        "summary": "Aufenthaltsrecht kompakt",
        "description": "Grundlagen",
        "url": "https://abh-portal.example.org/schulungen/1/",
        "status": "CONFIRMED",
        "now": NOW,
        **values,
    }


def _one(**values) -> str:
    return calendar(
        [event(**_fields(**values))], name="Meine Schulungen – ABH-Portal", prodid="-//ABH-Portal//Test//DE"
    )


def _unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_times_are_written_in_utc_without_a_time_zone_definition():
    lines = _unfold(_one(last_modified=dt.datetime(2026, 2, 1, 10, tzinfo=BERLIN)))

    # 09:00 in Berlin in summer is 07:00 UTC; in winter 10:00 is 09:00 UTC.
    assert "DTSTART:20260714T070000Z" in lines
    assert "DTEND:20260714T100000Z" in lines
    assert "DTSTAMP:20260301T110000Z" in lines
    assert "LAST-MODIFIED:20260201T090000Z" in lines
    assert not any(line.startswith(("BEGIN:VTIMEZONE", "TZID")) or ";TZID=" in line for line in lines)


def test_the_file_names_the_calendar_and_holds_the_event():
    lines = _unfold(_one(location="Mainz, Rathaus"))

    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-1] == "END:VCALENDAR"
    assert "PRODID:-//ABH-Portal//Test//DE" in lines
    assert "X-WR-CALNAME:Meine Schulungen – ABH-Portal" in lines
    assert "UID:course-1-date-2@abh-portal.example.org" in lines
    assert "STATUS:CONFIRMED" in lines
    assert "URL:https://abh-portal.example.org/schulungen/1/" in lines
    assert "LOCATION:Mainz\\, Rathaus" in lines


def test_an_event_without_a_location_has_no_empty_location():
    assert not any(line.startswith("LOCATION") for line in _unfold(_one()))


def test_long_lines_are_folded_at_75_octets_never_inside_a_character():
    summary = "€" * 60 + " Fachtag"
    text = _one(summary=summary)

    raw_lines = text.encode("utf-8").split(b"\r\n")[:-1]
    assert any(line.startswith(b" ") for line in raw_lines)
    for line in raw_lines:
        assert len(line) <= 75
        line.decode("utf-8")  # each line on its own is whole characters: no cut inside "€"
    assert f"SUMMARY:{summary}" in _unfold(text)


def test_text_values_are_escaped():
    lines = _unfold(_one(summary="Recht, Praxis; Teil \\ eins", description="Zeile 1\nZeile 2"))

    assert "SUMMARY:Recht\\, Praxis\\; Teil \\\\ eins" in lines
    assert "DESCRIPTION:Zeile 1\\nZeile 2" in lines


def test_a_line_break_in_a_title_stays_inside_its_value():
    title = "Recht\r\nBcc: jemand@example.org, Teil 1"
    text = calendar([event(**_fields(summary=title))], name=title, prodid="-//ABH-Portal//Test//DE")

    lines = _unfold(text)
    assert "X-WR-CALNAME:Recht\\nBcc: jemand@example.org\\, Teil 1" in lines
    assert "SUMMARY:Recht\\nBcc: jemand@example.org\\, Teil 1" in lines
    assert not any(line.startswith("Bcc") for line in lines)


def test_uids_name_the_portals_host(settings):
    settings.PORTAL_BASE_URL = "https://abh-portal.example.org"
    assert host() == "abh-portal.example.org"
