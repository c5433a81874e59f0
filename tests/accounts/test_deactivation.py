"""Deactivating a person ends their sessions at once: every browser is logged out."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.urls import reverse

from portal.accounts import services

PROFILE = reverse("accounts:profile")


def _admin(client_for, project_staff):
    project_staff.is_staff = project_staff.is_superuser = True
    project_staff.save()
    return client_for(project_staff)


def test_sessions_end_deletes_only_that_persons_sessions(client_for, member, coordinator):
    phone, laptop, colleague = client_for(member), client_for(member), client_for(coordinator)
    keys = [phone.session.session_key, laptop.session.session_key]

    ended = services.sessions_end(member, keep=laptop.session.session_key)

    assert ended == 1
    assert not Session.objects.filter(session_key=keys[0]).exists()
    assert Session.objects.filter(session_key=keys[1]).exists()
    assert colleague.get(PROFILE).status_code == 200


def test_deactivated_member_is_logged_out_on_the_next_request(client_for, member):
    client = client_for(member)
    key = client.session.session_key
    assert client.get(PROFILE).status_code == 200

    services.user_deactivate(user=member)

    assert not Session.objects.filter(session_key=key).exists()
    response = client.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert SESSION_KEY not in client.session


def test_deactivating_in_the_admin_form_ends_the_sessions(client_for, project_staff, member):
    member_client = client_for(member)
    key = member_client.session.session_key
    admin = _admin(client_for, project_staff)

    response = admin.post(
        reverse("admin:accounts_user_change", args=[member.pk]),
        {
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "language": "de",
            "role": member.role,
            "authority": member.authority_id,
            # is_active left out: the box is unticked
        },
    )

    assert response.status_code == 302, response.text[:2000]
    member.refresh_from_db()
    assert not member.is_active
    assert not Session.objects.filter(session_key=key).exists()
    assert member_client.get(PROFILE).status_code == 302


def test_admin_action_deactivates_and_logs_out(client_for, project_staff, member, coordinator):
    member_client, coordinator_client = client_for(member), client_for(coordinator)
    admin = _admin(client_for, project_staff)

    admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [member.pk]},
    )

    member.refresh_from_db()
    assert not member.is_active
    assert member_client.get(PROFILE).status_code == 302
    assert coordinator_client.get(PROFILE).status_code == 200


def test_sessions_end_also_forgets_cached_sessions(settings, client_for, member):
    # With the cached_db engine a deleted row alone would leave the session alive in the cache.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = client_for(member)
    assert client.get(PROFILE).status_code == 200

    assert services.sessions_end(member) == 1

    assert client.get(PROFILE).status_code == 302
