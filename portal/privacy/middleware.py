from urllib.parse import unquote

from portal.privacy.models import EventKind
from portal.privacy.security import record

# Calendar feeds are fetched every hour by calendar programs; they are not exports.
_NOT_EXPORTS = ("text/calendar",)


class SecurityLogMiddleware:
    """Logs every 403 answer and every file handed out as an attachment (exports, downloads)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            record(EventKind.PERMISSION_DENIED, request=request, details={"method": request.method})
        elif response.status_code == 200 and response.get("Content-Disposition", "").startswith("attachment"):
            content_type = response.get("Content-Type", "").split(";")[0].strip()
            if content_type not in _NOT_EXPORTS:
                record(
                    EventKind.EXPORT,
                    request=request,
                    details={"file": _filename(response["Content-Disposition"]), "type": content_type},
                )
        return response


def _filename(disposition: str) -> str:
    names = {}
    for part in disposition.split(";"):
        name, _, value = part.strip().partition("=")
        names[name.lower()] = value
    if "filename*" in names:  # RFC 5987: utf-8''percent-encoded
        return unquote(names["filename*"].partition("''")[2])[:200]
    return names.get("filename", "").strip('"')[:200]
