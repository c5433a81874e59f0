"""Response headers the portal adds on top of Django's security middleware (tests/test_security_headers.py
checks them on every page)."""

from django.db import DatabaseError
from django.middleware.csp import get_nonce
from django.utils.cache import patch_cache_control


class PageHeadersMiddleware:
    """Sits right after (inside) ContentSecurityPolicyMiddleware.

    - Every HTML page's policy names a nonce: Django only puts `'nonce-…'` into the header when a template
      asked for it, so the policy would differ from page to page; asking here makes `{{ csp_nonce }}`
      work for an inline script on any page and keeps the header the same everywhere.
    - A page seen while logged in shows personal data (names, enrollments, the person's authority): no
      browser or proxy cache keeps it (`no-store`), so neither the back button after logging out nor a
      shared computer shows it again. A response that sets Cache-Control itself keeps it (downloads
      through portal.downloads.as_download, the admin's never_cache).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        nonce = get_nonce(request)
        if nonce is not None and response.get("Content-Type", "").startswith("text/html"):
            str(nonce)  # generates it; ContentSecurityPolicyMiddleware then writes it into the header
        if not response.has_header("Cache-Control") and _maybe_personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _maybe_personal(request) -> bool:
    user = getattr(request, "user", None)
    if user is None:
        return False
    try:
        return user.is_authenticated
    except DatabaseError:
        # The database is away (the 503 page): who asked is unknown, so nothing is kept, and the
        # error page still gets every header of the middleware around this one.
        return True
