from django.core.management.base import BaseCommand

from portal.privacy import retention


class Command(BaseCommand):
    help = (
        "Apply the storage periods once (what the daily Celery task does): prune the security log, the "
        "failed-login records, the content of old sent mails and old survey comments; after the "
        "current project's end + RETENTION_MONTHS "
        "anonymise every account of authority staff and delete the contact persons."
    )

    def handle(self, *args, **options):
        pruned = retention.security_log_prune()
        mails = retention.sent_mail_content_prune()
        comments = retention.survey_comments_prune()
        erased = retention.participants_anonymise_due()
        self.stdout.write(
            f"security log entries removed: {pruned}; sent mails emptied: {mails}; "
            f"survey comments deleted: {comments}; "
            f"accounts anonymised: {erased} "
            f"(participants are kept until {retention.participants_erase_after():%Y-%m-%d})"
        )
