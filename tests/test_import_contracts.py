"""The layers of DESIGN.md are a failing check, not a hope: `lint-imports` (import-linter, run by
`make lint`) keeps the contracts in pyproject.toml. These tests plant the imports the contracts forbid
into a copy of the code and watch them fail, so a contract that stopped checking anything is noticed."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGES = ("authorities", "training", "network", "portal")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture
def code(tmp_path):
    """A copy of the Python packages and pyproject.toml (no migrations, templates or data needed)."""
    for package in PACKAGES:
        shutil.copytree(
            BASE_DIR / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "data", "*.json"),
        )
    shutil.copy(BASE_DIR / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def plant(folder: Path, module: str, line: str) -> None:
    path = folder / module
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_code_keeps_every_contract(code):
    result = lint_imports(code)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # the bottom reaches a change process
        ("portal/accounts/forms.py", "from authorities.models.process import ChangeProcess", "Layers"),
        # a domain app reads the report
        ("training/services/courses.py", "from portal.reports import computations", "Layers"),
        # training reaches into the change processes instead of the registry
        ("training/scans.py", "from authorities.selectors import process", "through the registry"),
        # the two domains tied together
        ("network/ics.py", "from training import ics", "independent"),
        # the product imports the operations tooling
        ("training/tasks.py", "from portal.ops import backup", "operations tooling"),
        # a cycle: the outbox would import the sending it serves
        ("portal/notifications/outbox.py", "from portal.notifications import mail", "cycle"),
        # inside an app: a model imports a service
        ("network/models/library.py", "from network.services import library", "Inside each app"),
    ],
)
def test_an_import_across_a_layer_breaks_its_contract(code, module, line, contract):
    plant(code, module, line)
    result = lint_imports(code)
    assert result.returncode == 1
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in broken, result.stdout


def test_routes_live_only_in_urls_modules():
    """One place to find a URL: each app's urls.py (the bench's own URLconf is ops)."""
    defined_elsewhere = [
        str(path.relative_to(BASE_DIR))
        for package in PACKAGES
        for path in (BASE_DIR / package).rglob("*.py")
        if "urlpatterns" in path.read_text() and path.name != "urls.py" and "migrations" not in path.parts
    ]
    assert defined_elsewhere == []
