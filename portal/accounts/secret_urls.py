"""Secrets that stand in URLs (password-reset and invitation links, calendar feeds) and the one way
to keep them out of logs: the security log, runserver's `django.server` log and gunicorn's access log
(portal/accounts/access_log.py) all write the path through `mask_path`."""

import logging
import re
from urllib.parse import unquote, unquote_plus, urlsplit

from django.urls import Resolver404, resolve

# The names of URL parameters (in the path or the query string) that carry a secret.
SECRET_URL_PARTS = ("uidb64", "token")

# A request line as servers log it: "GET /konto/passwort-neu/MQ/abc-123/ HTTP/1.1".
_REQUEST_LINE = re.compile(r"^(?P<method>[A-Z]+) (?P<target>\S+)(?P<rest> HTTP/\S+)?$")


def mask_query(query: str) -> str:
    """A query string with the values of secret parameters replaced by their names."""
    pairs = []
    for pair in query.split("&") if query else []:
        name = unquote_plus(pair.partition("=")[0])
        pairs.append(f"{name}=<{name}>" if name in SECRET_URL_PARTS else pair)
    return "&".join(pairs)


def _resolve(path: str):
    # Without its final slash the path is answered with a redirect to the one with it (APPEND_SLASH),
    # and logged all the same.
    for candidate in (path, f"{path}/") if not path.endswith("/") else (path,):
        try:
            return resolve(candidate)
        except Resolver404:
            continue
    return None


def mask_path(target: str, match=None) -> str:
    """`target` (a path, optionally with its query string, or an absolute URL) with every secret part
    replaced by its name: /konto/passwort-neu/<uidb64>/<token>/. `match` is the request's
    ResolverMatch when the caller has it; otherwise the path is resolved here."""
    try:
        parts = urlsplit(target)
        path = unquote(parts.path)
        if match is None:
            match = _resolve(path)
        if match is not None:
            segments = path.split("/")
            for name in SECRET_URL_PARTS:
                value = str(match.kwargs.get(name) or "")
                # The parameters close their routes: the last segment that holds the value is theirs.
                for index in range(len(segments) - 1, -1, -1):
                    if value and segments[index] == value:
                        segments[index] = f"<{name}>"
                        break
            path = "/".join(segments)
        query = mask_query(parts.query)
    except Exception:
        # Fail closed: a path that cannot be read is not written at all.
        return "<path>"
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return f"{origin}{path}?{query}" if query else f"{origin}{path}"


def mask_request_line(line: str) -> str:
    """The same for a whole request line ("GET /path?query HTTP/1.1"); other text is kept."""
    found = _REQUEST_LINE.match(line)
    if not found:
        return line
    return f"{found['method']} {mask_path(found['target'])}{found['rest'] or ''}"


class SecretPathFilter(logging.Filter):
    """For runserver's `django.server` log (message '"%s" %s %s' with the request line first) and
    `django.request` (e.g. 'Not Found: %s' with the path): the secrets of one-time links are masked."""

    def filter(self, record):
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(self._masked(arg) for arg in record.args)
        return True

    @staticmethod
    def _masked(arg):
        if not isinstance(arg, str):
            return arg
        if arg.startswith("/"):
            return mask_path(arg)
        return mask_request_line(arg)
