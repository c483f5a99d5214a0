from django.core.management.base import BaseCommand

from tpbis_portal.exports.services import export_jobs_delete_expired


class Command(BaseCommand):
    help = "Delete the export files (and their jobs) whose time in storage is over; run daily."

    def handle(self, *args, **options):
        deleted = export_jobs_delete_expired()
        self.stdout.write(f"{deleted} expired exports deleted.")
