"""The login backend: Django's ModelBackend, but a logged-in page reads the person and the second-factor
device its session names (django_otp's persistent id) in one query instead of two.

Every logged-in request reads both: AuthenticationMiddleware the person by id, django_otp's
OTPMiddleware the verified device by id. `portal.accounts.middleware.OTPMiddleware` names the session's
device while the person is read (`session_device`); `ModelBackend.get_user` then reads that device
together with its person (a join) and keeps it for the middleware. Nothing is kept beyond the request:
a removed device or a deactivated person takes effect on the next page, as before.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import backends
from django_otp.models import Device

# The dotted path sessions store (BACKEND_SESSION_KEY); logins that pick a backend themselves use it.
PATH = "portal.accounts.backends.ModelBackend"


@dataclass
class _SessionDevice:
    persistent_id: str
    read: bool = False  # get_user looked for it (found or not)
    device: Device | None = None


_session_device: ContextVar[_SessionDevice | None] = ContextVar("portal_session_device", default=None)


@contextmanager
def session_device(persistent_id: str | None):
    """While the person is read: the device the session names, read along with the person."""
    token = _session_device.set(_SessionDevice(persistent_id) if persistent_id else None)
    try:
        yield
    finally:
        _session_device.reset(token)


def device_read_with_user(persistent_id: str) -> tuple[bool, Device | None]:
    """(True, the device or None) when get_user looked for this device; (False, None) when it did not
    (then the caller reads it itself)."""
    wanted = _session_device.get()
    if wanted is None or not wanted.read or wanted.persistent_id != persistent_id:
        return False, None
    return True, wanted.device


def _device_model(persistent_id: str) -> tuple[type[Device], int] | None:
    """As Device.from_persistent_id reads "app_label.model_name/id"."""
    try:
        model_label, device_id = persistent_id.rsplit("/", 1)
        app_label, model_name = model_label.split(".")
        model = apps.get_model(app_label, model_name)
        return (model, int(device_id)) if issubclass(model, Device) else None
    except (ValueError, LookupError):
        return None


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        wanted = _session_device.get()
        found = _device_model(wanted.persistent_id) if wanted is not None else None
        if found is None:
            return super().get_user(user_id)
        model, device_id = found
        device = next(iter(model.objects.select_related("user").filter(pk=device_id, user_id=user_id)), None)
        wanted.read = True
        if device is None:  # removed, or not this person's: django_otp drops it from the session
            return super().get_user(user_id)
        wanted.device = device
        user = device.user
        return user if self.user_can_authenticate(user) else None
