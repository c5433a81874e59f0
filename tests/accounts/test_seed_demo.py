"""seed_demo: the four demo accounts and about 20 participating authorities; a second run changes nothing."""

import hashlib
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from authorities.models import Authority, ContactPerson, HistoryEntry
from portal.accounts.models import Role, User
from portal.notifications.models import Notification, NotificationStatus
from training.models import Course


def _checksum() -> str:
    rows = [
        list(Authority.objects.order_by("pk").values_list()),
        list(ContactPerson.objects.order_by("pk").values_list()),
        list(
            HistoryEntry.objects.order_by("pk").values_list(
                "pk", "authority", "actor", "action", "subject", "at"
            )
        ),
        list(User.objects.order_by("pk").values_list()),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_demo_accounts_and_participating_authorities(db, settings):
    out = _seed()

    # The four demo accounts are the only ones anybody can log in with; the other demo staff
    # (participants of the demo courses) have no password.
    accounts = {u.email: u for u in User.objects.select_related("authority") if u.has_usable_password()}
    assert set(accounts) == {
        "projekt@example.org",
        "mainz@example.org",
        "hannover@example.org",
        "foerderung@example.org",
    }
    assert accounts["projekt@example.org"].role == Role.PROJECT_STAFF
    mainz = accounts["mainz@example.org"]
    assert (mainz.role, mainz.authority.name, mainz.is_coordinator) == (
        Role.AUTHORITY_STAFF,
        "Stadt Mainz",
        True,
    )
    hannover = accounts["hannover@example.org"]
    assert (hannover.authority.name, hannover.is_coordinator) == ("Region Hannover", False)
    assert (accounts["foerderung@example.org"].role, accounts["foerderung@example.org"].authority) == (
        Role.FUNDER,
        None,
    )
    for email in accounts:
        user = authenticate(
            RequestFactory().post("/"), username=email, password=settings.PORTAL_DEMO_PASSWORD
        )
        assert user is not None, email

    assert Authority.objects.count() == 90
    participating = Authority.objects.filter(participation_status="participating")
    assert 18 <= participating.count() <= 22
    assert {a.state for a in participating} == {"RP", "NI"}
    assert not participating.filter(contacts__isnull=True).exists()
    assert not participating.filter(joined_on__isnull=True).exists()
    assert "4 neue Demokonten" in out


def test_seed_demo_run_twice_changes_nothing(db):
    _seed()
    counts = (
        User.objects.count(),
        Authority.objects.count(),
        ContactPerson.objects.count(),
        HistoryEntry.objects.count(),
    )
    checksum = _checksum()

    out = _seed()

    assert (
        User.objects.count(),
        Authority.objects.count(),
        ContactPerson.objects.count(),
        HistoryEntry.objects.count(),
    ) == counts
    assert _checksum() == checksum
    assert "0 neue Demokonten" in out


def test_seed_demo_leaves_a_changed_demo_account_alone(db):
    _seed()
    user = User.objects.get(email="mainz@example.org")
    user.set_password("Selbst-gewaehlt-2026")
    user.save()
    Authority.objects.filter(ags="07315000").update(participation_status="paused")

    _seed()

    user.refresh_from_db()
    assert user.check_password("Selbst-gewaehlt-2026")
    assert Authority.objects.get(ags="07315000").participation_status == "paused"


def test_seed_demo_sends_no_mail_and_a_newcomers_first_mail_goes_out_at_once(
    db, django_capture_on_commit_callbacks, mailoutbox, client_for
):
    with django_capture_on_commit_callbacks(execute=True) as handed_over:
        _seed()

    # The callbacks left renew the indicators' three tokens (portal/facts.py: the demo starts processes
    # in the past and writes the project's periods), once each per transaction; no mail.
    assert mailoutbox == [] and sorted(c.__qualname__ for c in handed_over) == [
        "_new_frame",
        "_new_generation",
        "_new_past",
    ]
    demo_mails = Notification.objects.all()
    assert demo_mails.count() > 50  # the demo's confirmations are kept as claims ...
    assert not demo_mails.exclude(status=NotificationStatus.SENT).exists()  # ... but none waits

    newcomer = User.objects.get(email="hannover@example.org")
    course = next(c for c in Course.objects.all() if c.registration_problem() is None)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(newcomer).post(reverse("training:enroll", args=[course.pk]))
    assert [mail.to for mail in mailoutbox] == [[newcomer.email]]
