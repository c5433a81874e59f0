from django.core.management.base import BaseCommand

from portal.notifications.scans import run_all_scans


class Command(BaseCommand):
    help = "Führt alle Erinnerungs-Scans einmal aus und gibt aus, wie viele E-Mails jeder verschickt hat."

    def handle(self, *args, **options):
        for name, sent in run_all_scans().items():
            self.stdout.write(f"{name}: {sent} verschickt")
