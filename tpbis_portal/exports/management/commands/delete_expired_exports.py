from django.core.management.base import BaseCommand

from tpbis_portal.exports.services import export_jobs_delete_expired, export_jobs_fail_stalled


class Command(BaseCommand):
    help = (
        "Delete the export files (and their jobs) whose time in storage is over, and mark the "
        "exports whose worker stopped as failed. Each new export queues the same clean-up."
    )

    def handle(self, *args, **options):
        export_jobs_fail_stalled()
        deleted = export_jobs_delete_expired()
        self.stdout.write(f"{deleted} expired exports deleted.")
