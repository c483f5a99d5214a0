from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from libraries.regions_loader import DEFAULT_REGISTER, RegionFileError, load_regions


class Command(BaseCommand):
    help = (
        "Load or refresh the Kemendagri region register (provinces, kabupaten/kota, kecamatan, "
        "desa/kelurahan) from a CSV file; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=DEFAULT_REGISTER,
            help="CSV with the header kode,nama (default: the register shipped with the portal).",
        )

    def handle(self, *args, path: Path, **options):
        try:
            report = load_regions(path=path)
        except RegionFileError as exc:
            raise CommandError(
                _("%(path)s was not loaded, nothing changed. %(error)s")
                % {"path": path, "error": exc}
            ) from exc
        labels = {
            "provinces": _("provinces"),
            "regencies": _("kabupaten/kota"),
            "districts": _("kecamatan"),
            "villages": _("desa/kelurahan"),
        }
        for key, level in report.levels.items():
            self.stdout.write(
                _("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {
                    "label": labels[key],
                    "created": level.created,
                    "updated": level.updated,
                    "unchanged": level.unchanged,
                }
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Region register loaded in %(seconds).1f s.") % {"seconds": report.seconds}
            )
        )
