"""The database and its backups alone give away no second factor: the app's secret is sealed with
TWO_FACTOR_KEY and recovery codes are stored as keyed hashes (portal/accounts/sealing.py), rows from
before are converted by the migration."""

import importlib
import secrets

import pytest
from django.apps import apps
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts import sealing, two_factor
from portal.accounts.models import AuthenticatorApp
from tests.accounts.authenticator import LOGIN_CODE, code_for, enable, password_step

seal_migration = importlib.import_module("portal.accounts.migrations.0005_two_factor_secrets_sealed")


def test_the_stored_secret_is_not_the_apps_secret(member):
    device, _codes = enable(member)
    stored = TOTPDevice.objects.values_list("key", flat=True).get(pk=device.pk)

    assert device.bin_key.hex() not in stored
    assert stored != device.bin_key.hex()
    # Read as django-otp reads the column, the database yields codes that are not the app's.
    plain = TOTPDevice.objects.get(pk=device.pk)
    assert not plain.verify_token(code_for(device.bin_key))


def test_another_key_opens_nothing(member, settings):
    device, _codes = enable(member)
    old_secret = device.bin_key
    code = code_for(old_secret)
    settings.TWO_FACTOR_KEY = "ein-anderer-schluessel"

    with pytest.raises(sealing.UnsealError):
        AuthenticatorApp.objects.get(pk=device.pk).bin_key
    with pytest.raises(two_factor.CodeRejected):
        two_factor.verify(member, code)
    # A set-up begun under the old key starts again with a new secret instead of failing.
    AuthenticatorApp.objects.filter(pk=device.pk).update(confirmed=False)
    assert two_factor.setup_start(member).bin_key != old_secret


def test_recovery_codes_are_stored_as_hashes_and_log_in_once(client, member):
    _device, codes = enable(member)
    stored = set(StaticToken.objects.filter(device__user=member).values_list("token", flat=True))

    assert len(stored) == 10
    assert not stored & set(codes)
    assert all(code not in token for token in stored for code in codes)

    password_step(client, member)
    response = client.post(LOGIN_CODE, {"code": two_factor.format_code(codes[3])})
    assert response.status_code == 302
    assert StaticToken.objects.filter(device__user=member).count() == 9
    with pytest.raises(two_factor.CodeRejected, match="schon verwendet"):
        two_factor.verify(member, codes[3])


def test_the_migration_seals_and_hashes_rows_written_before(member):
    key = secrets.token_hex(20)
    device = TOTPDevice.objects.create(user=member, name="alt", key=key, confirmed=True)
    static = StaticDevice.objects.create(user=member, name="alt", confirmed=True)
    static.token_set.create(token="abcd2345")

    seal_migration.seal_existing(apps, None)
    seal_migration.seal_existing(apps, None)  # a second run changes nothing

    app = AuthenticatorApp.objects.get(pk=device.pk)
    assert app.key != key and app.bin_key == bytes.fromhex(key)
    assert static.token_set.get().token == sealing.recovery_hash("abcd2345")
    assert two_factor.verify(member, "ABCD-2345").pk == static.pk
