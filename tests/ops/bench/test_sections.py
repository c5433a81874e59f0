"""The in-process sections on a small scale: pages against the floors, the PDF against the plain one."""

import pytest

from portal.ops.bench import pages, pdf_report


@pytest.mark.django_db
def test_pages_are_timed_against_floor_two_with_their_queries(bench_urls, project_staff, mainz):
    page = pages.Page("Behördenliste", "/behoerden/", project_staff.email)
    before = pages.count_queries([page])

    rows, floor = pages.measure([page], before, "1x", repeat=2)

    assert [row.section for row in rows] == ["1", "1", "2"]
    assert rows[1].ratio == 1.0
    assert floor > 0
    assert rows[2].ratio == pytest.approx(float(rows[2].measured.split()[0]) / 1000 / floor, rel=0.05)
    assert rows[2].queries.startswith(f"{before['Behördenliste']} (1x: {before['Behördenliste']}), SQL")
    assert rows[2].met == (round(rows[2].ratio, 2) <= 2 and before["Behördenliste"] <= 20)


@pytest.mark.django_db
def test_report_section_says_when_the_report_does_not_exist_yet(monkeypatch):
    monkeypatch.setattr(pdf_report, "report_function", lambda: None)
    [row] = pdf_report.measure("1x", {})
    assert "noch nicht verfügbar" in row.measured


@pytest.mark.django_db
def test_report_is_compared_per_page_with_a_plain_document_of_as_many_pages(monkeypatch):
    def fake_report(**kwargs):
        return pdf_report.plain_pdf(2)

    monkeypatch.setattr(pdf_report, "report_function", lambda: fake_report)
    queries = {}

    plain, report = pdf_report.measure("1x", queries, repeat=1)

    assert plain.measured.endswith("2 S.")
    assert report.measured.endswith("2 S.")
    assert report.queries == "0 (1x: 0)"
    assert 0.3 < report.ratio < 3
