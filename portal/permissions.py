from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied


def role_required(*checks: str):
    """Allow a view only to users for whom one of the named User properties is true, else 403.

    `@role_required("is_project_staff", "is_coordinator")`
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(getattr(request.user, check, False) for check in checks):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def rule_required(rule: Callable[..., bool]):
    """Allow a view only to users for whom the rule (from a `rules.py`) holds, else 403: the same
    function the navigation, the templates and the services ask.

    `@rule_required(rules.may_manage_accounts)`
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
