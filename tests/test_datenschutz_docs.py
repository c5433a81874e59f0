"""The paperwork for the data-protection officer (docs/datenschutz/) describes the code as it is: every
file it points to exists, every processing of the record has its fields, and the privacy page's parts are
the ones the docs name."""

import re
from pathlib import Path

from django.conf import settings

DOCS = Path(settings.BASE_DIR) / "docs" / "datenschutz"
# `path/to/file.py` or `dir/` in backticks: paths of this repository.
PATH = re.compile(r"`((?:portal|authorities|training|network|templates|tests|docs)/[\w./-]*)`")


def test_the_three_documents_exist():
    assert {p.name for p in DOCS.glob("*.md")} >= {
        "README.md",
        "verzeichnis-verarbeitungstaetigkeiten.md",
        "toms.md",
        "dsfa-schwellwert-kundenbefragung.md",
    }


def test_every_file_the_docs_point_to_exists():
    named = {match for doc in DOCS.glob("*.md") for match in PATH.findall(doc.read_text(encoding="utf-8"))}

    assert len(named) > 40
    missing = sorted(path for path in named if not (Path(settings.BASE_DIR) / path).exists())
    assert not missing, missing


def test_every_processing_names_purpose_data_recipients_legal_basis_and_period():
    record = (DOCS / "verzeichnis-verarbeitungstaetigkeiten.md").read_text(encoding="utf-8")
    sections = re.split(r"\n## \d+\. ", record)[1:]

    assert len(sections) >= 12
    for section in sections:
        title = section.splitlines()[0]
        for field in ("| Zweck |", "| Betroffene |", "| Empfänger |", "| Rechtsgrundlage |", "| Code |"):
            assert field in section, f"{title}: {field}"
        assert "| Löschfrist |" in section or "| Betroffene | keine" in section, title


def test_the_toms_cover_every_goal_of_art_32():
    toms = (DOCS / "toms.md").read_text(encoding="utf-8")
    for goal in (
        "Zugangskontrolle",
        "Zugriffskontrolle",
        "Verschlüsselung",
        "Pseudonymisierung",
        "Weitergabekontrolle",
        "Eingabekontrolle",
        "Verfügbarkeit",
        "regelmäßigen Überprüfung",
    ):
        assert goal in toms, goal
