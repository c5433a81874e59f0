"""The privacy rules for templates: `{% if user|may_erase:person %}`."""

from django import template

from portal.privacy import rules

register = template.Library()


@register.filter
def may_erase(by, person) -> bool:
    return rules.may_erase(by, person)
