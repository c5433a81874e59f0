"""The layout's fixed parts (`{% fixed %}` in templates/base.html, portal/pages/templatetags/layout.py) are
rendered once per process and language: every page stays exactly what the layout without the tag
writes, for every person, path and language, also after other pages were shown."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

BASE = django_settings.BASE_DIR / "templates" / "base.html"
# Different on every request: the CSRF token (masked anew) and the CSP nonce.
_RANDOM = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken" value="…"'),
    (re.compile(r'"X-CSRFToken": "[^"]+"'), '"X-CSRFToken": "…"'),
    (re.compile(r'nonce="[^"]+"'), 'nonce="…"'),
]


def _comparable(html: str) -> str:
    for pattern, replacement in _RANDOM:
        html = pattern.sub(replacement, html)
    return html


def _pages(clients: dict[str, Client], urls: list[str]) -> dict[tuple, str]:
    pages = {}
    for name, client in clients.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (name, url)
            pages[name, url] = _comparable(response.text)
    return pages


@pytest.fixture
def without_the_tag(settings, tmp_path):
    """The layout as it was written before: base.html without {% fixed %} and {% fixed_end %}."""
    source = BASE.read_text()
    (tmp_path / "base.html").write_text(source.replace("{% fixed %}", "").replace("{% fixed_end %}", ""))
    templates = [{**engine} for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]

    def switch():
        settings.TEMPLATES = templates

    return switch


def test_fixed_parts_change_nothing_on_any_page(client_for, member, project_staff, without_the_tag):
    english = client_for(member)
    english.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    clients = {
        "anonymous": Client(),
        "member": client_for(member),
        "member, English": english,
        "project staff": client_for(project_staff),
    }
    catalogue = reverse("training:catalogue") + "?when=vergangen"
    urls = [reverse("pages:home"), reverse("pages:imprint"), catalogue]
    signed_in = {name: client for name, client in clients.items() if name != "anonymous"}
    with_tag = _pages(clients, urls[:2]) | _pages(signed_in, urls[2:])

    without_the_tag()
    without = _pages(clients, urls[:2]) | _pages(signed_in, urls[2:])

    assert with_tag.keys() == without.keys()
    for key, html in with_tag.items():
        assert html == without[key], key
    # The fixed parts are in the right language and each page keeps its own path.
    assert "Erklärung zur Barrierefreiheit" in with_tag["member", urls[0]]
    assert "Erklärung zur Barrierefreiheit" not in with_tag["member, English", urls[0]]
    assert "?seite=/schulungen/" in with_tag["member", urls[2]]
