from django.core.management.base import BaseCommand

from portal.privacy import retention
from portal.privacy.journal import journal_sync


class Command(BaseCommand):
    help = (
        "Apply the storage periods once (what the daily Celery tasks do, portal/privacy/retention.py): "
        "prune the security log, the failed-login records, the content of old sent and failed mails, old "
        "survey comments and expired sessions; erase project-staff and funder accounts whose work ended; "
        "after the current project's end + RETENTION_MONTHS deactivate authority staff and delete the "
        "contact persons; after the AMIF keeping period pseudonymise every account of authority staff."
    )

    def handle(self, *args, **options):
        journal_sync()
        pruned = retention.security_log_prune()
        mails = retention.sent_mail_content_prune()
        failed = retention.failed_mail_content_prune()
        comments = retention.survey_comments_prune()
        retention.sessions_clear_expired()
        staff = retention.staff_accounts_erase_due()
        restricted = retention.participants_restrict_due()
        erased = retention.participants_anonymise_due()
        self.stdout.write(
            f"security log entries removed: {pruned}; sent mails emptied: {mails}; failed mails emptied: "
            f"{failed}; survey comments deleted: {comments}; staff and funder accounts erased: {staff}; "
            f"accounts deactivated: {restricted}; "
            f"accounts anonymised: {erased} "
            f"(participants' accounts are used until {retention.participants_restrict_after():%Y-%m-%d} "
            f"and kept until {retention.participants_erase_after():%Y-%m-%d})"
        )
