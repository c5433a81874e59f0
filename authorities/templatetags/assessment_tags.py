from django import template

from authorities.selectors.assessment import assessment_results as _assessment_results

register = template.Library()


@register.simple_tag
def assessment_results(process):
    """`{% assessment_results process as results %}`: rounds, table rows and chart of the self-check."""
    return _assessment_results(process)
