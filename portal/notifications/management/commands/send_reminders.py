from django.core.management.base import BaseCommand

from portal.notifications.mail import enqueue_waiting
from portal.notifications.scans import run_all_scans


class Command(BaseCommand):
    help = (
        "Führt alle Erinnerungs-Scans einmal aus und gibt aus, wie viele E-Mails jeder verschickt hat; "
        "übergibt dann E-Mails, die der Broker beim Speichern nicht annehmen konnte, erneut."
    )

    def handle(self, *args, **options):
        for name, sent in run_all_scans().items():
            self.stdout.write(f"{name}: {sent} verschickt")
        self.stdout.write(f"Postausgang: {enqueue_waiting()} E-Mails erneut an die Warteschlange übergeben")
