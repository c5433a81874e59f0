"""The sections of the start pages, contributed by the apps: "what's next for me" for authority staff,
"what needs me this week" for project staff.

A section is a function `(user, now, shared) -> StartSection | None` in an app's `start_sections.py`,
decorated with `@start_section(ROLE, order=…)`; `None` (or a section without items and without an empty
text) shows nothing. `shared` is the request's `Shared` memo: what a section shows and the page shows
elsewhere too (a count on one of the page's cards) is read once, by whichever asks first. The start page
(portal/pages) asks every installed app once and shows the sections by their order. It is the one
extension point of the start pages: the apps of the top layer cannot import each other, and a domain app
(e.g. a customer survey with a running wave in `authorities`) adds its section here without the start
page knowing about it.

Each function runs a constant number of queries (one at most, or none when it shares a read), whatever
the amount of data: the pages pin their query count in `tests/pages/test_start_pages.py`.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.module_loading import autodiscover_modules

from portal.accounts.models import Role, User


@dataclass(frozen=True)
class StartLink:
    label: str
    url: str


@dataclass(frozen=True)
class StartItem:
    """One thing to do or to look at, linked to the page where it is done."""

    title: str
    url: str
    meta: str = ""  # a date, a place, a status: one short line under the title
    badge: str = ""
    links: tuple[StartLink, ...] = ()  # further actions, e.g. the calendar file


@dataclass(frozen=True)
class StartSection:
    key: str  # the section's id on the page (an anchor)
    title: str
    items: list[StartItem] = field(default_factory=list)
    empty: str = ""  # shown when there are no items; without it an empty section is left out
    more: StartLink | None = None  # where the whole list is
    total: int | None = None  # when the items are only the first of more

    @property
    def shown(self) -> bool:
        return bool(self.items or self.empty)


class Shared:
    """The reads of one start page that more than one of its parts shows, each done once: `shared(read,
    *args)` calls `read(*args)` the first time and returns that value again after. The view makes one
    per request and hands it to the sections and to its own figures; it holds per-person content and
    never outlives the request (no shared cache)."""

    def __init__(self) -> None:
        self._values: dict[tuple[Hashable, ...], Any] = {}

    def __call__[T](self, read: Callable[..., T], *args: Hashable) -> T:
        key = (read, *args)
        if key not in self._values:
            self._values[key] = read(*args)
        value: T = self._values[key]
        return value


Provider = Callable[[User, datetime, Shared], StartSection | None]

SECTIONS: dict[str, list[tuple[int, str, Provider]]] = {Role.PROJECT_STAFF: [], Role.AUTHORITY_STAFF: []}


def start_section(role: str, *, order: int) -> Callable[[Provider], Provider]:
    def register(function: Provider) -> Provider:
        name = f"{function.__module__}.{function.__qualname__}"
        entries = SECTIONS[role]
        if all(existing != name for _order, existing, _function in entries):
            entries.append((order, name, function))
            entries.sort(key=lambda entry: (entry[0], entry[1]))
        return function

    return register


_discovered = False


def load_start_sections(role: str) -> list[Provider]:
    global _discovered
    # Once per process: asking every app again on each request costs a failed import (a search of the
    # file system) for each app without the module.
    if not _discovered:
        autodiscover_modules("start_sections")
        _discovered = True
    return [function for _order, _name, function in SECTIONS.get(role, [])]


def start_sections_for(user: User, now: datetime, shared: Shared) -> list[StartSection]:
    sections = (provider(user, now, shared) for provider in load_start_sections(user.role))
    return [section for section in sections if section is not None and section.shown]
