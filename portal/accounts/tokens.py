"""One-time links: password reset (Django's generator) and invitations (their own).

An invitation token is signed with its own salt, so a password-reset token is worthless on the
invitation page and the other way round. Its hash holds the time of the invitation, so a re-sent
invitation voids the link of the one before, and the password, last login and active flag, so the
link dies once the invitation is accepted or the account deactivated.
"""

from datetime import UTC

from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "portal.accounts.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        invited_at = user.invited_at.astimezone(UTC).isoformat() if user.invited_at else ""
        return f"{super()._make_hash_value(user, timestamp)}{invited_at}{user.is_active}"


invitation_token_generator = InvitationTokenGenerator()


def password_setup_url(
    user, name: str, token_generator: PasswordResetTokenGenerator = default_token_generator
) -> str:
    """The path of a one-time link to the page `name` (password reset or invitation) for `user`."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(name, kwargs={"uidb64": uid, "token": token_generator.make_token(user)})
