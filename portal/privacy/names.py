"""Finding a person in what the portal stores: the name matcher of the erasure (Art. 17) and of the
own-data export (Art. 15).

People are named in many ways: "Maria Mainzer", "Mainzer, Maria", "Frau Mainzer", "Maria M.", a
signature "Maria", a file name "teilnahmebescheinigung-mainzer-maria-….pdf" or
"Willkommenspaket_Maria_Mainzer.pdf", "Groesse" for "Größe". `NameMatcher` knows two kinds of forms:

- the forms that identify the person, replaced by the erasure without asking: the e-mail addresses and
  phone numbers, the full name in any order and with any separator, with or without "Frau", "Herr", a
  title; "Frau/Herr <surname>"; the first name with the surname's initial ("Maria M.") and the
  initial with the surname ("M. Mainzer"); the surname alone where it is no other person's name in
  the portal (nor a place such as "Mainz" in the registry of authorities);
- the forms that may mean someone else: the first name alone (and the surname alone where another
  person or a place shares it). Project staff see these before they confirm an erasure and tick
  which to redact.

Every name is matched in every spelling: upper or lower case, umlauts written out (ä/ae) or folded
(ä/a, é/e, ß dropped as `slugify` does), and the German umlauts the other way round (ae/ä).
"""

import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

REPLACEMENT = "gelöschte Person"

# Columns that hold secrets, never personal text: they are neither searched nor exported.
SECRET_COLUMNS = {"password", "key", "token", "session_key", "session_data", "session_hash", "sha256"}

_GERMAN = {"ä": ("ae",), "ö": ("oe",), "ü": ("ue",), "ß": ("ss", "sz")}
_WRITTEN_OUT = {"ae": "ä", "oe": "ö", "ue": "ü", "ss": "ß"}
_SEPARATORS = " \t_-."
# A name is a whole word: no letter or digit right before or after it (an underscore or a hyphen of
# a file name is a boundary, so "Paket_Maria_Mainzer.pdf" is found, "Marianne" is not "Maria").
_BEFORE = r"(?<![^\W_])"
_AFTER = r"(?![^\W_])"
_PART_GAP = r"[\s_.\-]*"  # inside a double name: "Müller-Lüdenscheidt", "Mueller Luedenscheidt"
_NAME_GAP = r"(?:\s*,\s*|[\s_.\-]*)"  # between first name and surname, in either order
_WORD_GAP = r"[\s_\-]+"
_SALUTATION = r"(?:(?:Frau|Herrn?|Fr\.|Hrn?\.|Dr\.?|Prof\.?|Mrs?\.?|Ms\.?)[\s_\-]*)"
_MAX_SPELLINGS = 64


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _units(word: str) -> list[tuple[str, ...] | None]:
    """The word as units, each with the spellings it may take; None stands for a separator."""
    units: list[tuple[str, ...] | None] = []
    lower, i = word.lower(), 0
    while i < len(lower):
        pair, char = lower[i : i + 2], lower[i]
        if pair in _WRITTEN_OUT:
            units.append((pair, _WRITTEN_OUT[pair]))
            i += 2
            continue
        i += 1
        if char in _SEPARATORS or char.isspace():
            if units and units[-1] is not None:
                units.append(None)
            continue
        options = {char, _fold(char), *_GERMAN.get(char, ())}
        if not char.isalnum():  # an apostrophe or the like: slugify drops it
            options.add("")
        units.append(tuple(sorted(options, key=lambda o: (-len(o), o))))
    while units and units[-1] is None:
        units.pop()
    return units


def spelling_pattern(word: str) -> str:
    """A regular expression (case-insensitive use) for every spelling of the word."""
    parts = []
    for unit in _units(word):
        if unit is None:
            parts.append(_PART_GAP)
        else:
            parts.append("(?:" + "|".join(re.escape(o) for o in unit) + ")")
    return "".join(parts)


def spellings(word: str) -> set[str]:
    """The literal spellings of the word (lower case), for a database search that `icontains`."""
    units = [u if u is not None else (" ", "-", "_", "") for u in _units(word)]
    count = 1
    for unit in units:
        count *= len(unit)
    if count > _MAX_SPELLINGS:  # a long name full of umlauts: the usual spellings only
        lower = word.lower()
        written = "".join(_GERMAN.get(c, (c,))[0] for c in lower)
        return {lower, _fold(lower), written, _fold(written)} - {""}
    return {"".join(combination) for combination in itertools.product(*units)} - {""}


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", name.strip()) if t]


def _phone_pattern(phone: str) -> tuple[str, str] | None:
    """A pattern for a phone number in any grouping ("06131 987654", "06131/98 76 54",
    "+49 6131 987654", "0049 (0) 6131 …") and its last four digits as a needle; None for fewer than
    six digits."""
    digits, typed = re.sub(r"\D", "", phone), phone.strip()
    if len(digits) < 6:
        return None
    gap = r"[\s/\-().]*"
    german = rf"(?:(?:\+|00){gap}49{gap}(?:\(0\))?{gap}|0{gap})"
    if digits.startswith("0049") or typed.startswith("+49"):
        national = digits[4:] if digits.startswith("0049") else digits[2:]
        pattern = german + gap.join(national[1:] if national.startswith("0") else national)
    elif digits.startswith("00") or typed.startswith("+"):
        pattern = rf"(?:\+|00){gap}" + gap.join(digits[2:] if digits.startswith("00") else digits)
    elif digits.startswith("0"):
        pattern = german + gap.join(digits[1:])
    else:
        pattern = gap.join(digits)
    return r"(?<![\d+])" + pattern + r"(?!\d)", digits[-4:]


@dataclass
class Identity:
    """What names one person: given names, surname, addresses and phone numbers."""

    first_name: str = ""
    last_name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    # False when another person of the portal (or a place) has this name: the surname alone is
    # then only offered for redaction, never replaced without asking.
    surname_alone: bool = True


class NameMatcher:
    """The forms that identify a person (`pattern`) and the ones that may mean someone else
    (`ambiguous`), with the literal `needles` every match contains (for the database search)."""

    def __init__(self, identity: Identity) -> None:
        self.identity = identity
        given_names = [t for t in _tokens(identity.first_name) if len(_fold(t) or t) >= 2]
        last = identity.last_name.strip()
        identifying: list[str] = []
        ambiguous: list[str] = []
        needles: set[str] = set()
        for email in sorted({e.strip().lower() for e in identity.emails if e and e.strip()}):
            identifying.append(rf"(?<![\w.+-]){re.escape(email)}(?![\w-])")
            needles.add(email)
        for phone in identity.phones:
            found = _phone_pattern(phone or "")
            if found:
                identifying.append(found[0])
                needles.add(found[1])
        if len(_fold(last) or last) >= 2:
            identifying += full_name_forms(identity.first_name, last)
            surname = spelling_pattern(last) + _GENITIVE
            for given in given_names:
                first = spelling_pattern(given)
                identifying += [
                    rf"{_SALUTATION}*{first}{_WORD_GAP}{_initial(last)}(?:\.|{_AFTER})",
                    rf"{_SALUTATION}*{_initial(given)}\.{_PART_GAP}{surname}",
                ]
            identifying.append(rf"{_SALUTATION}+{surname}")
            if identity.surname_alone and len(_fold(last) or last) >= 3:
                identifying.append(surname)
            else:
                ambiguous.append(surname)
            needles |= surname_spellings(last)
        for given in given_names:
            needles |= spellings(given)
            ambiguous.append(spelling_pattern(given) + _GENITIVE)
        self.pattern = _compile(identifying)
        self.ambiguous = _compile(ambiguous)
        self.spelled = needles

    @property
    def needles(self) -> list[str]:
        return _needles(self.spelled)

    def found_in(self, text: str) -> bool:
        return bool(self.pattern and self.pattern.search(text))

    def replace(self, text: str) -> str:
        """The text with every identifying form replaced ("gelöschte Person"; in a file name or a
        slug "geloeschte_person"/"geloeschte-person")."""
        return self.pattern.sub(_replacement, text) if self.pattern else text

    def ambiguous_matches(self, text: str) -> list[re.Match[str]]:
        """Where the first name alone (or a shared surname) stands once the identifying forms are
        replaced; the matches are in `self.replace(text)`."""
        if not self.ambiguous:
            return []
        return list(self.ambiguous.finditer(self.replace(text)))

    def redact(self, text: str) -> str:
        """The identifying forms and the ambiguous ones replaced (what staff ticked)."""
        text = self.replace(text)
        return self.ambiguous.sub(_replacement, text) if self.ambiguous else text


_GENITIVE = r"(?:['’]?s)?"


def full_name_forms(first_name: str, last_name: str) -> list[str]:
    """The full name in either order, with any separator and optional salutation or title: "Maria
    Mainzer", "Mainzer, Maria", "Frau Dr. Maria Mainzer", "mainzer-maria", "Maria_Mainzer"; each
    given name of several counts as well ("Anna Maria Schmidt": also "Maria Schmidt")."""
    tokens = [t for t in _tokens(first_name) if len(_fold(t) or t) >= 2]
    given = [first_name.strip()] if len(tokens) > 1 else []
    surname = spelling_pattern(last_name)
    forms = []
    for name in [*given, *tokens]:
        first = spelling_pattern(name)
        forms += [
            rf"{_SALUTATION}*{first}{_NAME_GAP}{surname}{_GENITIVE}",
            rf"{_SALUTATION}*{surname}{_NAME_GAP}{first}{_GENITIVE}",
        ]
    return forms


def surname_spellings(last_name: str) -> set[str]:
    """Spellings of the longest word of the surname: every form that names the surname has it."""
    return spellings(max(_split_name(last_name), key=len))


def _split_name(name: str) -> list[str]:
    return [p for p in re.split(r"[\s_.\-]+", name) if p] or [name]


def _initial(name: str) -> str:
    letter = name.strip()[0]
    options = {letter.lower(), _fold(letter).lower()} - {""}
    return "(?:" + "|".join(re.escape(o) for o in sorted(options)) + ")"


def _compile(alternatives: list[str]) -> re.Pattern[str] | None:
    if not alternatives:
        return None
    # Alternatives in order: at one position "Maria Mainzer" wins over "Maria M." and "Mainzer".
    return re.compile(rf"{_BEFORE}(?:{'|'.join(alternatives)}){_AFTER}", re.IGNORECASE)


def _needles(spelled: set[str]) -> list[str]:
    """Literal strings for `icontains`. PostgreSQL compares case-insensitively in Unicode and casts
    JSON to text with the letters themselves; SQLite's LIKE folds ASCII letters only and keeps JSON
    with \\u escapes, so there the needles come in more casings and escaped as well."""
    result = {needle for needle in spelled if needle}
    if connection.vendor == "postgresql":
        return sorted(result)
    for needle in list(result):
        if not needle.isascii():
            result |= {needle.capitalize(), needle.upper(), needle.title()}
    for needle in list(result):
        escaped = json.dumps(needle)[1:-1]
        if escaped != needle:
            result.add(escaped)
    return sorted(result)


def _replacement(match: re.Match[str]) -> str:
    text, string = match.group(0), match.string
    before = string[match.start() - 1] if match.start() else ""
    after = string[match.end()] if match.end() < len(string) else ""
    if "@" in text or any(c.isdigit() for c in text) or any(c.isspace() for c in text):
        return REPLACEMENT
    # A file name or slug ("…_Maria_Mainzer.pdf", "…-mainzer-maria-…"): keep it one word.
    if "_" in text or "_" in before + after:
        return "geloeschte_person"
    if before == "-" or after == "-" or ("-" in text and text == text.lower()):
        return "geloeschte-person"
    return REPLACEMENT


# --- the people of the portal -----------------------------------------------------------------------


def _name_taken(surname: str, *, person: Any, contact_pks: Iterable[int]) -> bool:
    """Whether another person of the portal or a contact entry that is not the person's bears the
    surname as one of its words, or a place of the registry does (an authority's name, seat, city or
    street) or its adjective: "Mainzer" is also the "Mainzer Dom" of Stadt Mainz."""
    from authorities.models import Authority, ContactPerson

    whole = re.compile(rf"(?:{spelling_pattern(surname)})", re.IGNORECASE)

    def taken(values: Iterable[str], *, adjectives: bool = False) -> bool:
        # Words with and without their hyphens: "Müller-Lüdenscheidt" bears "Müller" too.
        words = {w for value in values for w in re.split(r"[\s,/().;:]+", value or "") if w}
        words |= {part for w in words for part in w.split("-") if part}
        if adjectives:
            words |= {f"{w}er" for w in words}
        return any(whole.fullmatch(word) for word in words)

    def containing(words: set[str], *columns: str) -> Q:
        condition = Q(pk__in=[])
        for column in columns:
            for needle in _needles(words):
                condition |= Q(**{f"{column}__icontains": needle})
        return condition

    spelled = surname_spellings(surname)
    users = get_user_model().objects.exclude(pk=getattr(person, "pk", None)).filter(erased_at__isnull=True)
    named = users.filter(containing(spelled, "first_name", "last_name")).values_list(
        "first_name", "last_name"
    )
    if any(taken(row) for row in named):
        return True
    contacts = ContactPerson.objects.exclude(pk__in=list(contact_pks)).filter(containing(spelled, "name"))
    if taken(contacts.values_list("name", flat=True)):
        return True
    # "Mainzer" is found in the registry as "Mainz": search for the word without its ending too.
    stems = {s[:-2] for s in spelled if s.endswith("er") and len(s) >= 5}
    columns = ("name", "seat", "city", "street")
    places = Authority.objects.filter(containing(spelled | stems, *columns)).values_list(*columns)
    return any(taken(row, adjectives=True) for row in places)


def contacts_of(person: Any) -> list[Any]:
    """The contact entries of the person: under their address, and under another address where
    their authority lists them by name ("Maria Mainzer", "Frau Mainzer, Maria")."""
    from authorities.models import ContactPerson

    found = {c.pk: c for c in ContactPerson.objects.filter(email__iexact=person.email)}
    first, last = person.first_name.strip(), person.last_name.strip()
    full = _compile(full_name_forms(first, last)) if first and last else None
    if person.authority_id and full is not None:
        named = Q(pk__in=[])
        for needle in _needles(surname_spellings(last)):
            named |= Q(name__icontains=needle)
        for contact in ContactPerson.objects.filter(named, authority_id=person.authority_id):
            if full.fullmatch(contact.name.strip()):
                found[contact.pk] = contact
    return sorted(found.values(), key=lambda c: c.pk)


def matcher_for(person: Any, *, contacts: list[Any] | None = None) -> NameMatcher:
    """The matcher of an account: its name and address, and the addresses and phone numbers of its
    contact entries (found by `contacts_of` unless given)."""
    contacts = contacts_of(person) if contacts is None else contacts
    last = person.last_name.strip()
    identity = Identity(
        first_name=person.first_name.strip(),
        last_name=last,
        emails=[person.email, *(c.email for c in contacts if c.email)],
        phones=[c.phone for c in contacts if c.phone],
        surname_alone=bool(last)
        and not _name_taken(last, person=person, contact_pks=[c.pk for c in contacts]),
    )
    return NameMatcher(identity)


_TITLES = re.compile(r"^(?:(?:Frau|Herrn?|Dr\.?|Prof\.?)\s+)+", re.IGNORECASE)


def matcher_for_contact(contact: Any, *, erased_with: Iterable[int] = ()) -> NameMatcher:
    """The matcher of a contact entry: "Aylin Demir", "Demir, Aylin", "Dr. Aylin Demir"."""
    name = _TITLES.sub("", contact.name.strip())
    if "," in name:
        last, _, first = (part.strip() for part in name.partition(","))
    else:
        words = name.split()
        first, last = " ".join(words[:-1]), (words[-1] if words else "")
    if not first:  # a single word such as "Bürgerbüro" names no person
        last = ""
    pks = {contact.pk, *erased_with}
    identity = Identity(
        first_name=first,
        last_name=last,
        emails=[contact.email] if contact.email else [],
        phones=[contact.phone] if contact.phone else [],
        surname_alone=bool(last) and not _name_taken(last, person=None, contact_pks=pks),
    )
    return NameMatcher(identity)


# --- every text in every table ----------------------------------------------------------------------


def text_columns(model: type[models.Model]) -> list[models.Field]:
    """The columns of a table that can hold a name: text, JSON and stored file names."""
    columns: list[models.Field] = []
    for column in model._meta.concrete_fields:
        if column.primary_key or column.choices or column.attname in SECRET_COLUMNS:
            continue
        if isinstance(column, (models.CharField, models.TextField, models.JSONField, models.FileField)):
            columns.append(column)
    return columns


def searchable_models(*, exclude: Iterable[type[models.Model]] = ()) -> Iterator[type[models.Model]]:
    excluded = {*exclude, Session}
    for model in apps.get_models(include_auto_created=True):
        if model in excluded or model._meta.proxy or not model._meta.managed:
            continue
        if text_columns(model):
            yield model


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside a column's value (JSON: keys and values, nested)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)


@dataclass
class Row:
    """One row that may name the person: its table, key and the values of its text columns."""

    model: type[models.Model]
    pk: Any
    values: dict[models.Field, Any]


def rows_naming(
    matcher: NameMatcher, *, exclude: Iterable[type[models.Model]] = (), ambiguous: bool = True
) -> Iterator[Row]:
    """Every row of every table whose text names the person in one of the matcher's forms (the
    ambiguous ones too unless `ambiguous=False`): one query per table with text columns (more for a
    name with many spellings: SQLite refuses an expression deeper than 1000 terms)."""
    needles = matcher.needles
    if not needles:
        return
    for model in searchable_models(exclude=exclude):
        columns = text_columns(model)
        queryset, terms = model._default_manager.all(), []
        for column in columns:
            lookup = column.attname
            if isinstance(column, models.JSONField):
                lookup = f"_names_{column.attname}"
                queryset = queryset.alias(**{lookup: Cast(column.attname, TextField())})
            terms += [Q(**{f"{lookup}__icontains": needle}) for needle in needles]
        pk_name, seen = model._meta.pk.attname, set()
        for start in range(0, len(terms), _TERMS_PER_QUERY):
            condition = Q(pk__in=[])
            for term in terms[start : start + _TERMS_PER_QUERY]:
                condition |= term
            rows = queryset.filter(condition).order_by(pk_name).values(pk_name, *[c.attname for c in columns])
            for values in rows:
                if values[pk_name] in seen:
                    continue
                seen.add(values[pk_name])
                found = {}
                for column in columns:
                    texts = list(strings_in(values[column.attname]))
                    if any(
                        matcher.found_in(t) or (ambiguous and matcher.ambiguous_matches(t)) for t in texts
                    ):
                        found[column] = values[column.attname]
                if found:
                    yield Row(model=model, pk=values[pk_name], values=found)


_TERMS_PER_QUERY = 400


def row_key(model: type[models.Model], pk: Any, column: models.Field) -> str:
    """How a place is named in the confirmation form: "network.post:12:body"."""
    return f"{model._meta.label_lower}:{pk}:{column.attname}"


def transform(value: Any, function: Any) -> Any:
    """The value with `function` applied to every string inside it (JSON keys and values too)."""
    if isinstance(value, str):
        return function(value)
    if isinstance(value, list):
        return [transform(item, function) for item in value]
    if isinstance(value, dict):
        return {transform(key, function): transform(item, function) for key, item in value.items()}
    return value


def excerpt(text: str, start: int, end: int, *, width: int = 60) -> tuple[str, str, str]:
    """The words around a match: (before, match, after), cut at a word and marked "…" where
    shortened, line breaks and runs of spaces as one space."""
    before, after = text[max(0, start - width) : start], text[end : end + width]
    if start > width:
        before = "…" + (before.split(" ", 1)[-1] if " " in before.strip() else before)
    if end + width < len(text):
        after = (after.rsplit(" ", 1)[0] if " " in after.strip() else after) + "…"
    return re.sub(r"\s+", " ", before), text[start:end], re.sub(r"\s+", " ", after)
