"""TOTP secrets sealed and recovery codes hashed (portal/accounts/sealing.py): the rows written before
are converted once; rows already in the new form are left alone, so running it twice changes nothing."""

from binascii import unhexlify

from django.db import migrations

from portal.accounts.sealing import RECOVERY_HASH_LENGTH, is_sealed, recovery_hash, seal, unseal


def seal_existing(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for device in TOTPDevice.objects.all().only("pk", "key"):
        if not is_sealed(device.key):
            TOTPDevice.objects.filter(pk=device.pk).update(key=seal(unhexlify(device.key)))
    for token in StaticToken.objects.all().only("pk", "token"):
        if len(token.token) != RECOVERY_HASH_LENGTH:
            StaticToken.objects.filter(pk=token.pk).update(token=recovery_hash(token.token.lower()))


def unseal_existing(apps, schema_editor):
    # Hashed recovery codes cannot be turned back: going back leaves people to renew them.
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for device in TOTPDevice.objects.all().only("pk", "key"):
        if is_sealed(device.key):
            TOTPDevice.objects.filter(pk=device.pk).update(key=unseal(device.key).hex())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_remove_user_phone"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuthenticatorApp",
            fields=[],
            options={
                "verbose_name": "Authenticator-App",
                "verbose_name_plural": "Authenticator-Apps",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("otp_totp.totpdevice",),
        ),
        migrations.RunPython(seal_existing, unseal_existing),
    ]
