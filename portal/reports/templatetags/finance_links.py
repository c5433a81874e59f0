"""`{% finance_url "plan" project %}`: the address of a finance page of the project shown
(portal/reports/finance/links.py decides it)."""

from django import template

from portal.reports.finance import links

register = template.Library()


@register.simple_tag
def finance_url(name, project, pk=None):
    return links.finance_url(name, project, **({"pk": pk} if pk is not None else {}))
