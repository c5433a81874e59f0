"""The benchmark's table: one row per measurement, written as Markdown (printed and saved)."""

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Row:
    section: str
    what: str
    data: str = ""
    measured: str = ""
    ratio: float | None = None
    queries: str = ""
    target: str = ""
    # True/False when the row has a target, None when it is a floor or a reference.
    met: bool | None = None


def ratio(value: float | None, floor: float | None) -> float | None:
    if value is None or not floor:
        return None
    return value / floor


def format_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}x"


def format_ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    milliseconds = seconds * 1000
    return f"{milliseconds:.2f} ms" if milliseconds < 10 else f"{milliseconds:.0f} ms"


def format_met(met: bool | None) -> str:
    return {True: "ja", False: "**nein**", None: ""}[met]


COLUMNS = ["", "Messung", "Daten", "Gemessen", "Verhältnis", "Abfragen", "Ziel", "erreicht"]


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        cells = [
            row.section,
            row.what,
            row.data,
            row.measured,
            format_ratio(row.ratio),
            row.queries,
            row.target,
            format_met(row.met),
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def machine(database: str, broker: str, settings: str) -> list[str]:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return [
        f"Rechner: {os.cpu_count()} Kerne (nproc), {memory} RAM, {platform.machine()}, "
        f"Python {platform.python_version()}; Last (1, 5, 15 min) am Ende: {load}",
        f"Datenbank: {database}; Broker: {broker}; Einstellungen: {settings}",
        f"Gemessen am {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Stand {_commit()}",
    ]


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 – git from PATH, fixed arguments
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def document(rows: list[Row], header: list[str], notes: list[str]) -> str:
    parts = ["# make bench", "", *(f"- {line}" for line in header), "", table(rows)]
    if notes:
        parts += ["", *(f"- {note}" for note in notes)]
    return "\n".join(parts) + "\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
