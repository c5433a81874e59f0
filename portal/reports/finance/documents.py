"""The financial annex of the progress report: plan against spending per category for the period and
cumulative since the start of the project, the sources with their planned and reached shares, the cost
per unit, and a chart with the same numbers as its table. Amounts are the project's, never people's
data; they are formatted once, by `portal.formats.euro`."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from portal.formats import euro, percent
from portal.reports import charts
from portal.reports.finance.selectors import ZERO, current_project, finance_overview, share


def finance_annex(*, period: Any, date_from: date, date_to: date) -> dict | None:
    """The annex's context, or None when there is no project or it has no plan."""
    project = getattr(period, "project", None) or current_project()
    if project is None:
        return None
    cumulative = finance_overview(project=project, as_of=date_to)
    if not cumulative.categories and not cumulative.sources:
        return None
    in_period = finance_overview(project=project, since=date_from, as_of=date_to, with_units=False)
    spent_in_period = {row.category.pk: row.spent_total for row in in_period.categories}
    years = range(date_from.year, date_to.year + 1)
    rows: list[dict[str, Any]] = []
    for row in cumulative.categories:
        planned = sum((row.planned.get(year, ZERO) for year in years), ZERO)
        rows.append(
            {
                "label": row.category.long_name,
                "values": (
                    planned,
                    spent_in_period.get(row.category.pk, ZERO),
                    row.planned_total,
                    row.spent_total,
                ),
                "cells": [
                    euro(planned),
                    euro(spent_in_period.get(row.category.pk, ZERO)),
                    euro(row.planned_total),
                    euro(row.spent_total),
                    euro(row.remaining),
                    percent(row.used),
                ],
                "over": row.over_tolerance,
            }
        )
    totals = [sum((r["values"][i] for r in rows), ZERO) for i in range(4)]
    title = _("Verbrauch des Plans je Kostenkategorie (kumuliert, in Prozent)")
    bars = [
        # The bar's length is a drawing in points; the printed text is the exact percentage.
        charts.Bar(row.category.name, float(row.used) if row.used is not None else None, percent(row.used))
        for row in cumulative.categories
    ]
    return {
        "project": project,
        "since": project.starts_on,
        "header": [
            _("Kostenkategorie"),
            _("Plan der Jahre des Zeitraums"),
            _("Ist im Zeitraum"),
            _("Plan gesamt"),
            _("Ist kumuliert"),
            _("Restmittel"),
            _("verbraucht"),
        ],
        "rows": rows,
        "total_cells": [
            euro(totals[0]),
            euro(totals[1]),
            euro(totals[2]),
            euro(totals[3]),
            euro(totals[2] - totals[3]),
            percent(share(totals[3], totals[2])),
        ],
        "totals": totals,
        "sources": [
            {
                "name": row.source.name,
                "cells": [
                    euro(row.source.planned_amount),
                    percent(row.planned_share),
                    euro(row.received),
                    percent(row.received_share),
                ],
            }
            for row in cumulative.sources
        ],
        "sources_total": [
            euro(cumulative.sources_total),
            percent(share(cumulative.sources_total, totals[2])),
            euro(cumulative.received_total),
            "",
        ],
        "units": [
            {
                "label": unit.label,
                "count": "< 3" if unit.cost is None and unit.count > 0 else str(unit.count),
                "cost": "–" if unit.cost is None else euro(unit.cost),
            }
            for unit in cumulative.units
        ],
        "chart": {
            "id": "grafik-finanzen",
            "title": title,
            "drawing": charts.bar_chart(title=title, bars=bars, mark=100.0) if bars else None,
            "rows": [{"label": bar.label, "cells": [bar.text]} for bar in bars],
        },
    }
