"""Response headers the portal adds on top of Django's security middleware (tests/test_security_headers.py
checks them on every page)."""

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import DatabaseError
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.cache import patch_cache_control

# When the session was last written (seconds since the epoch), kept in the session itself.
SESSION_REFRESHED_KEY = "_portal_refreshed"


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


class IdleSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, but a session nobody changed is written only when its expiry would
    move by at least SESSION_REFRESH_SECONDS (production: 60).

    Production ends a session SESSION_COOKIE_AGE seconds after its last write (the idle timeout). Saving
    it on every request (SESSION_SAVE_EVERY_REQUEST) cost each logged-in page an UPDATE and a commit;
    now a page opened within a minute of the last write reads only, and the session still ends between
    SESSION_COOKIE_AGE minus a minute and SESSION_COOKIE_AGE after the last request — never later.
    Without the setting (development, tests) it behaves exactly like Django's.
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        every = getattr(settings, "SESSION_REFRESH_SECONDS", 0)
        if session is not None and every and response.status_code < 500:
            now = int(timezone.now().timestamp())
            if session.modified:
                if not session.is_empty():
                    session[SESSION_REFRESHED_KEY] = now
            elif session.session_key is not None:
                last = session.get(SESSION_REFRESHED_KEY)  # loads it, as the save on every request did
                if not session.is_empty() and (last is None or now - last >= every):
                    session[SESSION_REFRESHED_KEY] = now  # marks it modified: saved with a new expiry
        return super().process_response(request, response)
