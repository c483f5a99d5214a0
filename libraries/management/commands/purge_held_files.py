from django.core.management.base import BaseCommand

from libraries.held_files import HOLD_HOURS, sweep


class Command(BaseCommand):
    help = (
        "Delete the files refused forms kept for their next submit once their time is up "
        f"({HOLD_HOURS} hours), including those of users who never came back; run daily."
    )

    def handle(self, *args, **options):
        deleted = sweep()
        self.stdout.write(f"{deleted} held file(s) deleted.")
