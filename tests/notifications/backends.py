"""A mail backend for the delivery tests: refuses the next `FlakyBackend.refusals` messages with an
SMTP error, like a server that is down, then delivers into django.core.mail.outbox."""

from smtplib import SMTPServerDisconnected

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend


class FlakyBackend(BaseEmailBackend):
    refusals = 0
    tries = 0

    def send_messages(self, messages):
        FlakyBackend.tries += 1
        if FlakyBackend.refusals:
            FlakyBackend.refusals -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)
