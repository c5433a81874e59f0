"""Login names typed at failed logins that are no account's address were stored as typed (a password
typed into the e-mail field among them): keep them only as the keyed hash the portal now stores
(portal/accounts/login_names.py), and drop the typed name from axes' copy of the login form."""

import hashlib
import hmac
import re

from django.conf import settings
from django.db import migrations

HASHED = re.compile(r"unbekannt:[0-9a-f]{16}")


def _hashed(typed):
    digest = hmac.new(settings.SECRET_KEY.encode(), typed.strip().lower().encode(), hashlib.sha256)
    return f"unbekannt:{digest.hexdigest()[:16]}"


def hash_unknown_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    known = {email.lower() for email in User.objects.values_list("email", flat=True)}

    def stored(name):
        name = (name or "").strip().lower()
        return name if not name or name in known or HASHED.fullmatch(name) else _hashed(name)

    SecurityEvent = apps.get_model("privacy", "SecurityEvent")
    for event in SecurityEvent.objects.filter(kind__in=["login_failed", "lockout"]).exclude(email=""):
        if stored(event.email) != event.email:
            SecurityEvent.objects.filter(pk=event.pk).update(email=stored(event.email))
    if not apps.is_installed("axes"):
        return
    for name in ("AccessAttempt", "AccessFailureLog"):
        model = apps.get_model("axes", name)
        for row in model.objects.exclude(username=None):
            if stored(row.username) != row.username:
                model.objects.filter(pk=row.pk).update(username=stored(row.username))
    AccessAttempt = apps.get_model("axes", "AccessAttempt")
    for row in AccessAttempt.objects.filter(post_data__contains="username="):
        masked = re.sub(r"(?m)^username=.*$", "username=********************", row.post_data)
        AccessAttempt.objects.filter(pk=row.pk).update(post_data=masked)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("accounts", "0004_remove_user_phone"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(hash_unknown_names, migrations.RunPython.noop)]
