from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tpbis_portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Bring back a backup made by backup_create into an empty database and empty file "
        "storage, migrated to the same version as the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="The backup file.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete every row and file the database and storage hold before restoring.",
        )

    def handle(self, *args, source: Path, replace: bool, **options):
        try:
            manifest = backup_restore(source=source, replace=replace)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored %(rows)d rows and %(files)d files from the backup of %(date)s.")
            % {
                "rows": sum(manifest.rows.values()),
                "files": sum(manifest.files.values()),
                "date": manifest.created_at,
            }
        )
