from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tpbis_portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write every row of the database and every uploaded file (public and private storage) "
        "to one zip file, to be brought back with backup_restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, required=True, help="The backup file to write (must not exist)."
        )

    def handle(self, *args, output: Path, **options):
        try:
            manifest = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(path)s: %(rows)d rows of %(models)d tables and %(files)d files.")
            % {
                "path": output,
                "rows": sum(manifest.rows.values()),
                "models": len(manifest.rows),
                "files": sum(manifest.files.values()),
            }
        )
