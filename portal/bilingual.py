"""Data that has a German and an English name (indicators and their units, the self-check's dimensions
and statements, the programme's indicator wordings) shows in the reader's language: one helper decides,
so no page, PDF or export picks by hand. The English name may be empty; then the German one shows."""

from django.utils.translation import get_language


def english_wanted() -> bool:
    return (get_language() or "de").startswith("en")


def in_language(german: str, english: str) -> str:
    return english if english and english_wanted() else german


def localized(obj: object, field: str) -> str:
    """`obj.<field>_en` for an English reader (when filled in), else the German `obj.<field>_de` or
    `obj.<field>`: `localized(indicator, "name")`, `localized(statement, "text")`."""
    german = getattr(obj, f"{field}_de", None)
    if german is None:
        german = getattr(obj, field)
    return in_language(str(german), str(getattr(obj, f"{field}_en", "") or ""))
