"""The in-process sections on a small scale: pages against the floors, the PDF against the plain one."""

import re

import pytest

from portal.ops.bench import pages, pdf_report


@pytest.mark.django_db
def test_pages_are_timed_against_floor_two_with_their_queries(bench_urls, project_staff, mainz):
    page = pages.Page("Behördenliste", "/behoerden/", project_staff.email)
    before = pages.count_queries([page])

    rows, floor = pages.measure([page], before, "1x", repeat=2, signed_in=project_staff.email)

    assert [row.section for row in rows] == ["1", "1", "1", "1", "2"]
    assert rows[1].ratio == 1.0
    assert floor > 0
    # What every logged-in page pays: session and user read, no write (written at login).
    labels = [f"{label} (im Prozess)" for label, _url in pages.SIGNED_IN_FLOORS]
    assert [row.what for row in rows[2:4]] == labels
    assert int(rows[2].queries) >= 2
    page_row = rows[4]
    assert page_row.ratio == pytest.approx(float(page_row.measured.split()[0]) / 1000 / floor, rel=0.05)
    assert page_row.queries.startswith(f"{before['Behördenliste']} (1x: {before['Behördenliste']}), SQL")
    assert page_row.met == (round(page_row.ratio, 2) <= 2 and before["Behördenliste"] <= 20)


@pytest.mark.django_db
def test_report_section_says_when_the_report_does_not_exist_yet(monkeypatch):
    monkeypatch.setattr(pdf_report, "report_function", lambda: None)
    [row] = pdf_report.measure("1x", {})
    assert "noch nicht verfügbar" in row.measured


def _per_page(row) -> tuple[int, int, int]:
    """Pages, cells and characters per page of a row's "… s, N S., je Seite C Zellen, Z Zeichen"."""
    pages, cells, characters = re.search(
        r"(\d+) S\., je Seite (\d+) Zellen, (\d+) Zeichen", row.measured
    ).groups()
    return int(pages), int(cells), int(characters)


@pytest.mark.django_db
def test_report_is_compared_per_page_with_a_plain_document_of_the_same_density():
    queries = {}

    # Without the forked memory measurement: a fork inside a multi-threaded test worker can hang.
    plain, report, context = pdf_report.measure("1x", queries, repeat=1, rss=False)

    report_pages, report_cells, report_characters = _per_page(report)
    plain_pages, plain_cells, plain_characters = _per_page(plain)
    assert report_pages >= 6 and plain_pages == report_pages
    assert abs(plain_cells - report_cells) <= 2  # four to a row
    assert plain_characters == pytest.approx(report_characters, rel=0.25)
    assert 0.1 < report.ratio < 10
    assert report.queries == f"{queries['report']} (1x: {queries['report']})"
    assert context.met is True and context.queries == f"{queries['context']} (1x: {queries['context']})"


def test_a_section_of_the_plain_document_holds_a_dense_page_of_the_report():
    # The bench's report at 10x: about 78 cells and 1,700 characters a page. With the base template's
    # table typography a section of that density ran over two pages.
    density = pdf_report.Density(cells=80, characters=1800)
    pdf = pdf_report.plain_pdf(3, density)
    assert pdf_report.page_count(pdf) == 3
    measured = pdf_report.Density.of(pdf_report.plain_html(3, density), pdf)
    assert measured.cells == 80
    assert measured.characters == pytest.approx(1800, rel=0.25)
