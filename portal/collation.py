"""German sort order for names: "Göttingen" before "Grafschaft Bentheim" (ö sorts as o, ß as ss, as in
a German dictionary, DIN 5007-1), not after "Zweibrücken" as a byte order puts it.

Name columns carry the collation `GERMAN` (`db_collation=GERMAN`), so every ORDER BY on them sorts
German without anyone having to remember it. On PostgreSQL the migrations create it from ICU's German
(`create_collation`; the predefined "de-x-icu" would do, but SQLite cannot take a name with hyphens, and
Django does not quote it there). SQLite knows no locales: the portal registers a collation of the same
name on each connection that compares with `german_key`.
"""

import unicodedata

GERMAN = "german"


def german_key(text: str) -> tuple[str, str, str]:
    """As ICU compares: the letters without accents and case first (ä as a, ß as ss), then the accents,
    then the case, lower before upper: "Muller" < "Müller" < "Mullerweg", "strasse" < "Strasse" < "Straße"."""
    spelled = text.replace("ß", "ss").replace("ẞ", "SS")
    base = "".join(c for c in unicodedata.normalize("NFKD", spelled) if not unicodedata.combining(c))
    return base.casefold(), text.lower(), text.swapcase()


def _compare(left: str, right: str) -> int:
    a, b = german_key(left), german_key(right)
    return (a > b) - (a < b)


def register_on_sqlite(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: SQLite connections learn the collation before their first query."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(GERMAN, _compare)


def create_collation(apps, schema_editor) -> None:
    """RunPython of each migration that gives a column the collation (idempotent: any may run first)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE COLLATION IF NOT EXISTS {GERMAN} (provider = icu, locale = 'de')")
