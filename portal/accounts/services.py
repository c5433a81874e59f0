from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from authorities.models.registry import Authority
from portal.accounts.models import Role, User
from portal.accounts.rules import may_invite
from portal.accounts.tokens import invitation_token_generator, password_setup_url
from portal.notifications.mail import send_email
from portal.services import model_update


@transaction.atomic
def user_invite(
    *,
    by: User,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    authority: Authority | None = None,
    is_coordinator: bool = False,
) -> User:
    if not may_invite(by, role=role, authority=authority):
        raise PermissionDenied
    user = User(
        email=email.lower(),
        first_name=first_name,
        last_name=last_name,
        role=role,
        authority=authority if role == Role.AUTHORITY_STAFF else None,
        is_coordinator=bool(is_coordinator) and role == Role.AUTHORITY_STAFF,
        invited_by=by,
        invited_at=timezone.now(),
    )
    # No password yet: the person sets one through the one-time link.
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _send_invitation(user, by)
    return user


@transaction.atomic
def invitation_resend(*, user: User, by: User) -> User:
    if not may_invite(by, role=user.role, authority=user.authority) or not user.has_pending_invitation:
        raise PermissionDenied
    user.invited_by, user.invited_at = by, timezone.now()
    user.save(update_fields=["invited_by", "invited_at"])
    _send_invitation(user, by)
    return user


def _send_invitation(user: User, by: User) -> None:
    url = password_setup_url(user, "accounts:invitation_accept", invitation_token_generator)
    send_email(
        to=[user.email],
        template="invitation",
        context={"user": user, "inviter": by, "url": url},
        language=user.language,
    )


PROFILE_FIELDS = ["first_name", "last_name", "language"]


@transaction.atomic
def profile_update(*, user: User, **values: str) -> User:
    """The person's own data; role, authority and address are not theirs to change."""
    model_update(instance=user, fields=PROFILE_FIELDS, data=values)
    return user


def sessions_end(user: User, *, keep: str | None = None) -> int:
    """Log `user` out everywhere: delete each of their sessions (except the one keyed `keep`).

    Sessions are stored in the database (SESSION_ENGINE db or cached_db); each row is decoded to
    find its user. Returns how many sessions were ended. With a cache-only engine nothing can be
    listed, but an inactive person is still refused on the next request by the auth backend."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    user_id = str(user.pk)
    rows = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
    ended = 0
    for key, data in rows.values_list("session_key", "session_data").iterator():
        if key != keep and store_class().decode(data).get(SESSION_KEY) == user_id:
            # Through the store, so that a cached_db engine forgets its cache copy as well.
            store_class(session_key=key).delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """The person can no longer log in, and every open session of theirs ends now."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions_end(user)
    return user
