"""The indicator table of the AMIF progress reports: per indicator the value in a period, the
cumulative value since the start of the funding period, the target and the share of the target,
overall and per state.

Small-number protection: for indicators that count people, the values 1 and 2 are shown as "< 3"
(0 stays 0), so that a cell never points to a single person or two.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from functools import cached_property, lru_cache

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from authorities.models import State
from portal import facts
from portal.bilingual import localized
from portal.reports.computations import Cell, compute_many
from portal.reports.models import FundingProject, Indicator, IndicatorMapping

# Used when an indicator's funding period names no year ("2021–2027" → 2021-01-01).
FUNDING_START = date(2021, 1, 1)

# Computations that count people; their small values are protected. Participant days are no
# people, shares are per cent.
PEOPLE_COMPUTATIONS = frozenset(
    {
        "participants_people",
        "participants_useful",
        "participants_apply_learning",
        "meeting_participants",
        "participants_with_feedback",
    }
)

SMALL = "< 3"
# Shares of people: the count they are based on decides whether the share may be shown.
# A share whose base is 0 has no value: it reads "–", not 0 (no survey wave reached its threshold).
SHARE_BASES = {
    "participants_useful_share": "participants_with_feedback",
    "survey_good_baseline": "survey_answers_baseline",
    "survey_good_follow_up": "survey_answers_follow_up",
}
FOOTNOTE = gettext_lazy(
    "Bei Indikatoren, die Personen zählen, werden die Werte 1 und 2 als „< 3“ angezeigt, damit "
    "keine einzelnen Personen erkennbar sind. Der kumulierte Wert zählt ab Beginn der "
    "Förderperiode bis zum Ende des Zeitraums; der Anteil am Zielwert bezieht sich auf ihn."
)

CROSS_STATE_FOOTNOTE = gettext_lazy(
    "Ein Ereignis, das beide Länder betrifft (eine für beide Länder offene Qualifizierung, ein Treffen "
    "eines Netzwerks mit Behörden aus beiden Ländern, die Bibliothek des Projekts), zählt in jedem Land "
    "und in „Gesamt“ einmal: Gesamt = Rheinland-Pfalz + Niedersachsen − in beiden Ländern gezählt."
)

STATES = (State.RP, State.NI)


def interim_as_of(date_to: date) -> date | None:
    """Today, if a period ending on `date_to` has not ended yet: its figures count until today and are
    interim ("Stand: <day>"). None for a period that has ended."""
    today = timezone.localdate()
    return today if date_to >= today else None


def funding_start(indicator: Indicator, starts: dict[str, date]) -> date:
    """Cumulation starts with the project of the indicator's programme (`programme_starts()`)."""
    return starts.get(indicator.programme, FUNDING_START)


def protected(value, people: bool) -> bool:
    return people and value in (1, 2)


# The active language's decimal and thousand separators, read once per language: a table formats
# hundreds of numbers, and number_format looks every format up anew each time.
_SEPARATORS: dict[str, tuple[str, str, object]] = {}


def _separators() -> tuple[str, str, object]:
    language = translation.get_language() or ""
    if language not in _SEPARATORS:
        _SEPARATORS[language] = (
            str(get_format("DECIMAL_SEPARATOR")),
            str(get_format("THOUSAND_SEPARATOR")),
            get_format("NUMBER_GROUPING"),
        )
    return _SEPARATORS[language]


def _number(value, *, grouping: bool) -> str:
    """What number_format gives (one decimal, cut off, where the value has one; grouped by three),
    without its look-ups per number (tests/reports/test_indicator_table.py compares them). Each
    distinct value is written once per language: a page repeats the same few hundred numbers."""
    return _written(translation.get_language() or "", value, grouping)


@lru_cache(maxsize=4096, typed=True)
def _written(language: str, value, grouping: bool) -> str:
    # `typed`: 1, 1.0 and Decimal("1") are equal keys otherwise; the language decides the separators.
    decimal_separator, thousand_separator, group = _separators()
    fraction = isinstance(value, float | Decimal) and value != int(value)
    if group != 3:
        return number_format(value if fraction else int(value), 1 if fraction else 0, force_grouping=grouping)
    if fraction:
        text = (
            f"{Decimal(str(value)).quantize(Decimal('0.1'), rounding=ROUND_DOWN):{',' if grouping else ''}f}"
        )
    else:
        text = f"{int(value):{',' if grouping else ''}d}"
    return text.translate({ord(","): thousand_separator, ord("."): decimal_separator})


def display(value, *, people: bool = False, grouping: bool = True) -> str:
    """A value as German text: "1.234", "12,5", "< 3" for protected people counts, "–" for none."""
    if value is None:
        return "–"
    if protected(value, people):
        return SMALL
    return _number(value, grouping=grouping)


@dataclass
class Column:
    """One group of four cells (overall or one state). `value_hidden`/`cumulative_hidden` mark cells
    that could point to one or two people; the share of the target is hidden with the cumulative
    value, because target and share would give it away."""

    state: str | None
    value: int | float | None  # None: a share of nothing ("–")
    cumulative: int | float | None
    target: Decimal | None
    percent: float | None
    people: bool
    value_hidden: bool = False
    cumulative_hidden: bool = False

    def __post_init__(self):
        self.value_hidden = self.value_hidden or protected(self.value, self.people)
        self.cumulative_hidden = self.cumulative_hidden or protected(self.cumulative, self.people)

    @cached_property
    def cells(self) -> list[str]:
        # Read only once the row is complete (indicator_rows hides a share's cells after creating it).
        return [
            SMALL if self.value_hidden else display(self.value),
            SMALL if self.cumulative_hidden else display(self.cumulative),
            display(self.target),
            SMALL if self.cumulative_hidden and self.percent is not None else _percent(self.percent),
        ]

    @property
    def export_cells(self) -> list:
        """Numbers for a spreadsheet, with the same protection ("< 3") as on the page."""
        return [
            SMALL if self.value_hidden else self.value,
            SMALL if self.cumulative_hidden else self.cumulative,
            float(self.target) if self.target is not None else None,
            SMALL if self.cumulative_hidden and self.percent is not None else self.percent,
        ]


def _percent(value) -> str:
    return display(value) if value is None else f"{display(value)} %"


@dataclass
class Row:
    indicator: Indicator
    name: str  # name and unit in the reader's language
    unit: str
    people: bool
    columns: list[Column] = field(default_factory=list)

    @property
    def cells(self) -> list[str]:
        """The cells of every column group, as on the page."""
        return [cell for column in self.columns for cell in column.cells]

    @cached_property
    def cross_state(self) -> bool:
        """Overall and both states, and the states add up to more than overall: an event counted in
        both (CROSS_STATE_FOOTNOTE). Shares do not add up and are never marked."""
        if len(self.columns) != 3 or self.indicator.computation in SHARE_BASES:
            return False
        overall, *states = self.columns
        return any(
            getattr(overall, name) != sum(getattr(column, name) for column in states)
            for name in ("value", "cumulative")
        )


def column_states(state: str | None) -> list[str | None]:
    """Overall and both states without a state, otherwise that state alone."""
    return [state] if state else [None, *STATES]


def column_label(state: str | None) -> str:
    return str(State(state).label) if state else _("Gesamt")


def _target(indicator: Indicator, state: str | None) -> Decimal | None:
    return {None: indicator.target_total, "RP": indicator.target_rp, "NI": indicator.target_ni}[state]


def indicator_rows(
    *, date_from: date, date_to: date, state: str | None = None, mappings: bool = False
) -> list[Row]:
    """One row per indicator (by position). Every figure is read in one go (`compute_many`): the
    value and the cumulative value per indicator and column, and for a share its base count.
    `mappings`: with the programme indicators each counts towards (`Indicator.mapping_label`)."""
    indicators, cells = table_cells(date_from=date_from, date_to=date_to, state=state, mappings=mappings)
    return rows_from(indicators, state, iter(compute_many(cells)))


def table_cells(
    *, date_from: date, date_to: date, state: str | None, mappings: bool = False
) -> tuple[list[Indicator], list[Cell]]:
    """The indicators (by position) and the cells their rows need, in the order `rows_from` reads
    them: a page that shows more figures reads them all in one `compute_many`. Only the report
    prints the mappings (`mappings=True`): the page and the exports do not read them, and take the
    projects' starts and the indicators from the cache (`facts.kept_in_frame`)."""
    starts = facts.kept_in_frame("programme_starts", FundingProject.objects.programme_starts)
    if mappings:
        indicators = list(
            Indicator.objects.in_report_order().prefetch_related(
                Prefetch("mappings", IndicatorMapping.objects.select_related("programme_indicator"))
            )
        )
    else:
        indicators = facts.kept_in_frame("indicators", lambda: list(Indicator.objects.in_report_order()))
    columns = column_states(state)
    cells: list[Cell] = []
    for indicator in indicators:
        start = funding_start(indicator, starts)
        for key in (indicator.computation, SHARE_BASES.get(indicator.computation)):
            if key:
                for column_state in columns:
                    cells += [(key, date_from, date_to, column_state), (key, start, date_to, column_state)]
    return indicators, cells


def rows_from(indicators: list[Indicator], state: str | None, values: Iterator[int | float]) -> list[Row]:
    """The rows of `indicators` from the values of their `table_cells`, taken from `values` in order."""
    columns = column_states(state)
    rows = []
    for indicator in indicators:
        people = indicator.computation in PEOPLE_COMPUTATIONS
        row = Row(
            indicator=indicator,
            name=localized(indicator, "name"),
            unit=localized(indicator, "unit"),
            people=people,
        )
        for column_state in columns:
            value, cumulative = next(values), next(values)
            target = _target(indicator, column_state)
            percent = round(100 * float(cumulative) / float(target), 1) if target else None
            row.columns.append(Column(column_state, value, cumulative, target, percent, people))
        if indicator.computation in SHARE_BASES:
            for column in row.columns:
                base, cumulative_base = next(values), next(values)
                # A share of one or two people's answers tells their answers.
                column.value_hidden = protected(base, True)
                column.cumulative_hidden = protected(cumulative_base, True)
                if not base:
                    column.value = None
                if not cumulative_base:
                    column.cumulative, column.percent = None, None
        rows.append(row)
    return rows


def header(state: str | None) -> list[str]:
    titles = [_("Kennung"), _("Indikator"), _("Einheit")]
    for column_state in column_states(state):
        label = column_label(column_state)
        titles += [
            _("Wert im Zeitraum (%(column)s)") % {"column": label},
            _("Kumuliert (%(column)s)") % {"column": label},
            _("Zielwert (%(column)s)") % {"column": label},
            _("Anteil am Zielwert in %% (%(column)s)") % {"column": label},
        ]
    return titles
