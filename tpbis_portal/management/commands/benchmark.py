import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment

from tpbis_portal.dev.bench import Bench

SECTIONS = ["libraries", "events", "impact", "tpbis_portal"]


class Command(BaseCommand):
    help = (
        "Measure the portal's hot paths against a trivial template page, in a throwaway "
        "database, and print median latencies, query counts and ratios."
    )

    def add_arguments(self, parser):
        parser.add_argument("sections", nargs="*", help=f"Any of: {', '.join(SECTIONS)}")
        parser.add_argument("--repeat", type=int, default=30, help="Timed runs per figure.")
        parser.add_argument(
            "--keepdb", action="store_true", help="Reuse the benchmark database if it exists."
        )

    def handle(self, *args, sections, repeat, keepdb, **options):
        unknown = set(sections) - set(SECTIONS)
        if unknown:
            raise CommandError(f"Unknown sections: {', '.join(sorted(unknown))}")
        modules = []
        for name in sections or SECTIONS:
            try:
                modules.append((name, importlib.import_module(f"{name}.dev.benchmarks")))
            except ModuleNotFoundError as exc:
                if exc.name not in (f"{name}.dev.benchmarks", f"{name}.dev"):
                    raise
        # A throwaway database like the test runner's: never the developer's own data.
        setup_test_environment()
        settings.DEBUG = False
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keepdb)
        try:
            bench = Bench(repeat=repeat, write=self.stdout.write)
            self.stdout.write(f"Database: {connection.vendor}, {repeat} timed runs per figure")
            bench.baseline()
            for name, module in modules:
                self.stdout.write(f"\n[{name}]")
                module.run(bench)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=keepdb)
            teardown_test_environment()
