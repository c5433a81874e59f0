"""Amounts and shares in templates, through the one formatter of portal/formats.py:
`{{ amount|euro }}` → "1.234,56 €", `{{ share|percent }}` → "12,5 %"."""

from django import template

from portal import formats

register = template.Library()


@register.filter
def euro(value):
    return "" if value is None or value == "" else formats.euro(value)


@register.filter
def percent(value):
    return formats.percent(value)


@register.filter
def of_year(mapping, year):
    """The amount of a year in a {year: amount} mapping (None when there is none)."""
    return mapping.get(year)


@register.filter
def of_index(values, index):
    return values[index]
