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
