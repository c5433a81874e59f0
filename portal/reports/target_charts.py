"""Pictures of the progress towards each target (overall, RP, NI) from indicator rows already computed
(no queries): for the funders' indicator page and the report PDF. Small-number protection as in the
table: a protected cumulative value hides its share too."""

from django.utils.translation import gettext as _

from portal.reports import charts
from portal.reports.indicator_table import SMALL, column_label, column_states, display


def target_chart(rows, state: str | None, index: int = 0) -> dict:
    """Share of the target reached (cumulative) in column `index` for the indicators that have a target."""
    column_state = column_states(state)[index]
    bars, table = [], []
    for row in rows:
        column = row.columns[index]
        if column.target is None:
            continue
        hidden = column.cumulative_hidden
        text = SMALL if hidden else "–" if column.percent is None else f"{display(column.percent)} %"
        bars.append(charts.Bar(f"{row.indicator.code} {row.name}", None if hidden else column.percent, text))
        table.append({"label": f"{row.indicator.code} {row.name}", "cells": [*column.cells[1:3], text]})
    title = _("Erreichter Anteil am Zielwert (kumuliert, %(column)s)") % {
        "column": column_label(column_state)
    }
    suffix = "" if index == 0 else f"-{(column_state or 'gesamt').lower()}"
    return {
        "id": f"grafik-zielwerte{suffix}",
        "title": title,
        "drawing": charts.bar_chart(title=title, bars=bars, maximum=100, mark=100) if bars else None,
        "header": [_("Indikator"), _("Kumuliert"), _("Zielwert"), _("Anteil am Zielwert")],
        "rows": table,
    }


def target_charts(rows, state: str | None) -> list[dict]:
    """One chart per column group: overall, Rhineland-Palatinate, Lower Saxony (or one state)."""
    return [target_chart(rows, state, index) for index in range(len(column_states(state)))]
