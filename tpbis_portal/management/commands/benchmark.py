from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment

from events.dev import benchmarks as events_benchmarks
from impact.dev import benchmarks as impact_benchmarks
from libraries.dev import benchmarks as libraries_benchmarks
from tpbis_portal.dev import benchmarks as portal_benchmarks
from tpbis_portal.dev import reportcard_benchmarks
from tpbis_portal.dev.bench import Bench

# The sections a run may name, each a module with ``run(bench)``, in the order they run.
# Listed by hand: a new app adds its ``<app>/dev/benchmarks.py`` here.
SECTIONS = {
    "libraries": libraries_benchmarks,
    "events": events_benchmarks,
    "impact": impact_benchmarks,
    "tpbis_portal": portal_benchmarks,
    "reportcard": reportcard_benchmarks,
}


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
        modules = [(name, SECTIONS[name]) for name in sections or SECTIONS]
        # A throwaway database like the test runner's: never the developer's own data.
        setup_test_environment()
        settings.DEBUG = False
        # serialize=False: the test runner's copy of the rows (for TransactionTestCase) is of
        # no use here, and with --keepdb it would read every row of a national data set.
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, keepdb=keepdb, serialize=False
        )
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
