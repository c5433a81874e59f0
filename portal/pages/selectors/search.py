"""The global search of project staff (`/suche/`): authorities, people (accounts and the authorities'
contact persons), courses, meetings, discussions and library documents, grouped by kind.

On PostgreSQL it is a full-text search with the `german` configuration (stemming: "Schulungen" finds
"Schulung"), every word also as a prefix ("Main" finds "Mainz"), ranked with SearchRank, titles weighing
more than descriptions (`portal.fulltext`). Each searched table has a GIN index on its search document,
built by the app's migration from the same fields and weights as the `*_DOCUMENT` mappings below: the
search reads the index instead of computing the document of every row, and works out the document only
for the rows found (for their rank). A change of a mapping needs a new index (a migration with
`portal.fulltext.search_index`); `tests/pages/test_search.py` checks that every kind's query reads its
index. SQLite has no full-text search of this kind: there every word must occur in one of the fields
(icontains), and the results come in their natural order. One query per kind."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import and_, or_
from typing import Any

from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from authorities.models import Authority, ContactPerson
from network.models import Document, Meeting, Thread
from portal.accounts.models import User
from portal.formats import date_time
from portal.fulltext import SearchDocument, prefix_query
from training.models import Course

LIMIT = 20  # results per kind
MAX_WORDS = 8

# The search documents (field: weight, "A" for titles and names). Each is the expression of its table's
# GIN index `<model>_search` (e.g. `course_search`), made by the migrations of the model's app.
AUTHORITY_DOCUMENT = {"name": "A", "seat": "B", "ags": "A", "city": "C"}
USER_DOCUMENT = {"first_name": "A", "last_name": "A", "email": "B"}
CONTACT_DOCUMENT = {"name": "A", "email": "B"}
COURSE_DOCUMENT = {"title": "A", "description": "B", "contents": "C", "target_group": "C", "trainers": "C"}
MEETING_DOCUMENT = {"title": "A", "agenda": "B", "location": "C"}
THREAD_DOCUMENT = {"title": "A"}
LIBRARY_DOCUMENT = {"title": "A", "tags": "B", "description": "B"}


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    meta: str = ""


@dataclass(frozen=True)
class HitGroup:
    key: str
    label: str
    hits: list[Hit]


def words_of(text: str) -> list[str]:
    # Letters and digits only: what reaches to_tsquery can never be a syntax error.
    return re.findall(r"\w+", text)[:MAX_WORDS]


def _matching(queryset: QuerySet[Any], words: list[str], weighted: dict[str, str]) -> QuerySet[Any]:
    """`weighted` maps fields of the table itself (an index spans one table) to weights "A" .. "D"."""
    if connection.vendor == "postgresql":
        vector: Any = SearchDocument(weighted)
        query = prefix_query(words)
        # `alias`, not `annotate`: the filter is the index's expression, and no row's document is sent.
        ranked: QuerySet[Any] = (
            queryset.alias(search=vector).filter(search=query).annotate(rank=SearchRank(vector, query))
        )
        return ranked
    per_word = (reduce(or_, (Q(**{f"{field}__icontains": word}) for field in weighted)) for word in words)
    return queryset.filter(reduce(and_, per_word))


# Each kind reads only what its hits show (`only`): no long texts, no seats counted.


def _authorities(words: list[str]) -> list[Hit]:
    found = _matching(Authority.objects.only("name", "state", "ags"), words, AUTHORITY_DOCUMENT)
    return [
        Hit(
            authority.name, authority.get_absolute_url(), f"{authority.get_state_display()} · {authority.ags}"
        )
        for authority in found.order_by(*_order(found, "name"))[:LIMIT]
    ]


def _people(words: list[str]) -> list[Hit]:
    people = User.objects.select_related("authority").only(
        "first_name", "last_name", "email", "role", "erased_at", "authority__name"
    )
    found = _matching(people, words, USER_DOCUMENT)
    account_list = reverse("accounts:user_list")
    return [
        Hit(
            person.get_full_name() or person.email,
            f"{account_list}?{urlencode({'q': person.email})}",
            " · ".join(
                str(part) for part in (person.email, person.get_role_display(), person.authority) if part
            ),
        )
        for person in found.order_by(*_order(found, "last_name", "first_name"))[:LIMIT]
    ]


def _contacts(words: list[str]) -> list[Hit]:
    contacts = ContactPerson.objects.select_related("authority").only("name", "function", "authority__name")
    found = _matching(contacts, words, CONTACT_DOCUMENT)
    return [
        Hit(
            contact.name,
            contact.authority.get_absolute_url(),
            " · ".join(part for part in (contact.get_function_display(), contact.authority.name) if part),
        )
        for contact in found.order_by(*_order(found, "name"))[:LIMIT]
    ]


def _courses(words: list[str]) -> list[Hit]:
    found = _matching(Course.objects.with_first_start().only("title", "status"), words, COURSE_DOCUMENT)
    return [
        Hit(
            course.title,
            course.get_absolute_url(),
            " · ".join(
                part
                for part in (
                    course.get_status_display(),
                    date_time(course.first_start) if course.first_start else "",
                )
                if part
            ),
        )
        for course in found.order_by(*_order(found, "-first_start"))[:LIMIT]
    ]


def _meetings(words: list[str]) -> list[Hit]:
    meetings = Meeting.objects.select_related("network").only("title", "starts_at", "network__name")
    found = _matching(meetings, words, MEETING_DOCUMENT)
    return [
        Hit(
            meeting.title,
            meeting.get_absolute_url(),
            f"{date_time(meeting.starts_at)} · {meeting.network.name}",
        )
        for meeting in found.order_by(*_order(found, "-starts_at"))[:LIMIT]
    ]


def _threads(words: list[str]) -> list[Hit]:
    threads = Thread.objects.select_related("network").only("title", "network__name")
    found = _matching(threads, words, THREAD_DOCUMENT)
    return [
        Hit(thread.title, thread.get_absolute_url(), thread.network.name)
        for thread in found.order_by(*_order(found, F("last_post_at").desc(nulls_last=True)))[:LIMIT]
    ]


def _documents(words: list[str]) -> list[Hit]:
    found = _matching(Document.objects.only("title", "category", "uploaded_at"), words, LIBRARY_DOCUMENT)
    return [
        Hit(
            document.title,
            document.get_absolute_url(),
            f"{document.get_category_display()} · {_day(document.uploaded_at)}",
        )
        for document in found.order_by(*_order(found, "title"))[:LIMIT]
    ]


def _day(instant: datetime) -> str:
    return date_format(timezone.localtime(instant), "SHORT_DATE_FORMAT")


def _order(queryset: QuerySet[Any], *fallback: Any) -> list[Any]:
    # PostgreSQL: by rank (set in _matching); SQLite: the kind's natural order.
    if connection.vendor == "postgresql":
        return ["-rank", "pk"]
    return [*fallback, "pk"]


KINDS: list[tuple[str, Any, Callable[[list[str]], list[Hit]]]] = [
    ("behoerden", gettext_lazy("Ausländerbehörden"), _authorities),
    ("personen", gettext_lazy("Personen mit Konto"), _people),
    ("ansprechpersonen", gettext_lazy("Ansprechpersonen der Behörden"), _contacts),
    ("schulungen", gettext_lazy("Schulungen"), _courses),
    ("treffen", gettext_lazy("Treffen und Fachtage"), _meetings),
    ("diskussionen", gettext_lazy("Diskussionen"), _threads),
    ("bibliothek", gettext_lazy("Dokumente der Bibliothek"), _documents),
]


def search_everything(text: str) -> list[HitGroup]:
    """The groups with at least one hit, in the order of KINDS; nothing for a text without words."""
    words = words_of(text)
    if not words:
        return []
    groups = [HitGroup(key, str(label), search(words)) for key, label, search in KINDS]
    return [group for group in groups if group.hits]
