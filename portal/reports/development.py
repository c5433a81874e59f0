"""The development of each indicator over the reporting periods of the current funding project, for
the funders' indicator page: a small server-made SVG per indicator with the same numbers in a table.
Small-number protection as in the indicator table: people counts of 1 or 2 read "< 3" and draw no
bar; a share based on one or two people's answers is hidden too. All figures in one go."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import facts
from portal.reports import charts
from portal.reports.computations import Cell, compute_many
from portal.reports.indicator_table import SHARE_BASES, SMALL, Row, display, interim_as_of, protected
from portal.reports.models import ReportingPeriod


@dataclass
class Development:
    periods: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)


def periods_begun() -> list[ReportingPeriod]:
    """The reporting periods of the current project that have begun, in order (those of the project
    kept in the cache under the frame generation, `facts.kept_in_frame`)."""
    today = timezone.localdate()
    periods = facts.kept_in_frame(
        "current_periods", lambda: list(ReportingPeriod.objects.of_current_project())
    )
    return [period for period in periods if period.starts_on <= today]


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _period_label(period: ReportingPeriod) -> str:
    """The period's days; a running one says until when it counts."""
    label = f"{_day(period.starts_on)}–{_day(period.ends_on)}"
    if as_of := interim_as_of(period.ends_on):
        label += " " + _("(Stand: %(day)s)") % {"day": _day(as_of)}
    return label


def development(rows: list[Row], state: str | None) -> Development:
    """Per indicator of `rows` its value in each period begun (overall, or in `state`)."""
    periods = periods_begun()
    cells = development_cells([row.indicator.computation for row in rows], periods, state)
    return development_from(rows, periods, iter(compute_many(cells)))


def development_cells(
    computations: list[str], periods: list[ReportingPeriod], state: str | None
) -> list[Cell]:
    """The cells `development_from` reads, in its order, for the indicators' computations."""
    cells: list[Cell] = []
    for computation in computations:
        for key in (computation, SHARE_BASES.get(computation)):
            if key:
                cells += [(key, period.starts_on, period.ends_on, state) for period in periods]
    return cells


def development_from(
    rows: list[Row], periods: list[ReportingPeriod], values: Iterator[int | float]
) -> Development:
    """The development of `rows` from the values of their `development_cells`, taken from `values`."""
    result = Development(periods=[_period_label(period) for period in periods])
    if not periods:
        return result
    for row in rows:
        figures = [next(values) for _period in periods]
        hidden = [protected(value, row.people) for value in figures]
        if row.indicator.computation in SHARE_BASES:
            hidden = [protected(next(values), True) for _period in periods]
        texts = [SMALL if secret else display(value) for value, secret in zip(figures, hidden, strict=True)]
        title = f"{row.indicator.code} {row.name}"
        bars = [
            charts.Bar(label, None if secret else float(value), text)
            for label, value, secret, text in zip(result.periods, figures, hidden, texts, strict=True)
        ]
        result.rows.append(
            {
                "id": f"entwicklung-{row.indicator.pk}",
                "title": title,
                "unit": row.indicator.unit,
                "drawing": charts.bar_chart(title=_("Entwicklung: %(title)s") % {"title": title}, bars=bars),
                "cells": texts,
            }
        )
    return result
