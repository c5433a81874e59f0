from django import template

from authorities.selectors.assessment import assessment_results as _assessment_results

register = template.Library()


@register.simple_tag(takes_context=True)
def assessment_results(context, process):
    """`{% assessment_results process as results %}`: rounds, table rows and chart of the self-check."""
    return _assessment_results(process, user=context.get("user"))
