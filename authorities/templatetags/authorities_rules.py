"""The rules of authorities/rules.py for templates that stand alone (includes rendered on several
pages): `{% load authorities_rules %}{% if user|may_fill_in_self_check:process %}`. A page's own
template gets its answers as flags from the view instead."""

from django import template

from authorities import rules
from authorities.models.process import ChangeProcess
from authorities.models.registry import Authority
from portal.accounts.models import User

register = template.Library()


@register.filter
def may_browse_registry(user: User) -> bool:
    return rules.may_browse_registry(user)


@register.filter
def may_fill_in_self_check(user: User | None, process: ChangeProcess) -> bool:
    return user is not None and user.is_authenticated and rules.may_fill_in_self_check(user, process)


@register.filter
def may_manage_survey(user: User | None, authority: Authority) -> bool:
    return user is not None and user.is_authenticated and rules.may_manage_survey(user, authority)
