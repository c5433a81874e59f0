"""Small typed readers of the environment for `portal/settings.py`: a value that is set but
malformed stops the start with a message naming the variable, instead of a default that hides the
typo. A module of their own so that settings stay one screen shorter and the helpers can be tested
without importing the settings."""

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if required:
        raise ImproperlyConfigured(f"Environment variable {name} must be set when DJANGO_ENV=production.")
    return default if default is not None else ""


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be a whole number, not {value!r}."
        ) from None


def env_list(name: str, default: list[str], *, required: bool = False) -> list[str]:
    raw = env_str(name, ",".join(default), required=required)
    return [item.strip() for item in raw.split(",") if item.strip()]


def started_base_url(argv: list[str]) -> str:
    """The default of PORTAL_BASE_URL: the address that `manage.py runserver [addr:]port` serves
    (`make run` and `make serve` export PORTAL_BASE_URL themselves, also to the worker that sends the
    mails), else http://127.0.0.1:8000, runserver's own default."""
    host, port = "127.0.0.1", "8000"
    if len(argv) > 1 and argv[1] == "runserver":
        address = next((arg for arg in argv[2:] if not arg.startswith("-")), "")
        if address:
            given_host, _, given_port = address.rpartition(":")
            port = given_port or port
            # runserver listening on every interface is still reached on the loopback address.
            if given_host and given_host not in {"0.0.0.0", "[::]", "::"}:  # noqa: S104
                host = given_host
    return f"http://{host}:{port}"
