"""German is the source language; every string the UI shows must also exist in English."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["portal", "authorities", "training", "network", "templates", "locale", "manage.py"]


def _untranslated(po: Path) -> list[str]:
    out = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    ids = [line for line in (out + fuzzy).splitlines() if line.startswith("msgid ")]
    return [i for i in ids if i != 'msgid ""']


@pytest.mark.skipif(not shutil.which("msgattrib"), reason="gettext is installed by `make setup`")
def test_every_ui_string_is_in_the_committed_english_catalogue(tmp_path):
    # Extract the strings of the current code into a copy, so the committed .po file stays as it is:
    # a string missing there means makemessages was not run or a translation was not written.
    for name in SOURCES:
        source = ROOT / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, target)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
    )
    missing = _untranslated(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert missing == [], "Untranslated strings (run makemessages -l en and translate):\n" + "\n".join(
        missing
    )


def test_english_speaker_sees_the_login_page_in_english(db):
    response = Client(headers={"accept-language": "en"}).get(
        "/konto/anmelden/", HTTP_COOKIE="portal_language=en"
    )
    assert "Log in" in response.text or "Sign in" in response.text
    assert 'lang="en"' in response.text


def test_every_select_offers_a_german_blank_choice(client_for, project_staff):
    client = client_for(project_staff)
    for url in ("/behoerden/neu/", "/konto/konten/einladen/", "/schulungen/neu/"):
        text = client.get(url).text
        assert "Select an option" not in text, url
        assert "Bitte wählen" in text, url
