"""gunicorn's access log without the secrets of one-time links (password reset, invitation).

`gunicorn portal.wsgi --access-logfile - --logger-class portal.accounts.access_log.AccessLogger`: every
atom of the log line that holds the request's path, query or referrer is written through
`portal.accounts.secret_urls`, the same masking as the security log and runserver's log.
"""

from gunicorn.glogging import Logger

from portal.accounts.secret_urls import mask_path, mask_query, mask_request_line

# Atoms that carry a URL: request line, path, query string, referrer, and the same read from the
# environ and the request headers ({...}e, {...}i) in a custom --access-logformat.
_LINES = ("r", "{request_line}e")
_TARGETS = ("U", "{raw_uri}e", "{path_info}e", "{request_uri}e", "f", "{referer}i", "{http_referer}e")


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in _LINES:
            if isinstance(atoms.get(name), str):
                atoms[name] = mask_request_line(atoms[name])
        for name in _TARGETS:
            if isinstance(atoms.get(name), str) and atoms[name] != "-":
                atoms[name] = mask_path(atoms[name])
        for name in ("q", "{query_string}e"):
            if isinstance(atoms.get(name), str):
                atoms[name] = mask_query(atoms[name])
        return atoms
