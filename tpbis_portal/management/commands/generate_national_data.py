import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tpbis_portal.dev.national_data import (
    NATIONAL_LIBRARIES,
    app_generators,
    generate_national_data,
)


class Command(BaseCommand):
    help = (
        "Fill the database with national-scale demo data (the full region register, 5,000 "
        "libraries, and the volume each app's generators.py adds). Local development only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--libraries",
            type=int,
            default=NATIONAL_LIBRARIES,
            help="Libraries to add (default: %(default)s).",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Volume of the apps' data; 1.0 is national scale (default: %(default)s).",
        )
        parser.add_argument("--seed", type=int, default=2024, help="Random seed.")
        parser.add_argument(
            "--skip-regions",
            action="store_true",
            help="Do not (re)load the region register first.",
        )

    def handle(self, *args, libraries, scale, seed, skip_regions, **options):
        if not settings.DEBUG:
            raise CommandError(_("Demo data is only for local development (DEBUG=1)."))
        if libraries < 0 or scale < 0:
            raise CommandError(_("The volumes cannot be negative."))
        hooks = ", ".join(label for label, _hook in app_generators()) or "-"
        self.stdout.write(f"Apps adding their own volume: {hooks}")
        started = time.perf_counter()
        generate_national_data(
            libraries=libraries,
            scale=scale,
            seed=seed,
            regions=not skip_regions,
            write=self.stdout.write,
        )
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")
