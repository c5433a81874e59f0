"""Every table on a page sits in the one region of includes/wide_table.html: it scrolls sideways on
its own, can be reached and scrolled with the keyboard, has a name, and keeps its first column."""

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PRINTED = {"pdf", "email"}  # PDFs and mails do not scroll


def test_every_table_of_a_page_uses_the_wide_table_region():
    bare = []
    for path in TEMPLATES.rglob("*.html"):
        if PRINTED & set(path.relative_to(TEMPLATES).parts):
            continue
        text = path.read_text(encoding="utf-8")
        tables, regions = text.count("<table"), text.count("{% wide_table ")
        if tables > regions or "kern-table-responsive" in text and path.name != "wide_table.html":
            bare.append(str(path.relative_to(TEMPLATES)))
    assert not bare, f"tables outside {{% wide_table %}}: {bare}"


def test_the_region_is_focusable_and_named_by_its_caption_or_a_label():
    html = Template(
        '{% load portal %}{% wide_table "tabelle-" key %}<table><caption id="tabelle-7">X</caption></table>'
        '{% endwide_table %}{% wide_table label="Konten" %}<table></table>{% endwide_table %}'
    ).render(Context({"key": 7}))
    regions = re.findall(r"<div [^>]*>", html)
    assert regions == [
        '<div class="kern-table-responsive portal-wide-table" tabindex="0" role="region" '
        'aria-labelledby="tabelle-7">',
        '<div class="kern-table-responsive portal-wide-table" tabindex="0" role="region" '
        'aria-label="Konten">',
    ]
    assert '<caption id="tabelle-7">X</caption>' in html  # the table itself is not escaped


def test_a_page_renders_its_table_inside_the_region(client_for, project_staff, mainz):
    page = client_for(project_staff).get(reverse("authorities:list")).text
    region = page.split('class="kern-table-responsive portal-wide-table"')[1]
    assert region.index('aria-labelledby="tabelle-behoerden"') < region.index("<table")
    assert "Stadt Mainz" in region.split("</table>")[0]
