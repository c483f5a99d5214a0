"""Benchmarks of the public pages and the national dashboard at national scale.

In process (Django test client): median latency and query count of the public index, province
pages and the dashboard, as ratios to the trivial /health/ page. Then against a real server
(gunicorn on a free 127.0.0.1 port, production settings, static files served by WhiteNoise): the
throughput under a bounded threaded load, as a ratio to /health/, and the weight of a province
page with everything it references (gzip where WhiteNoise serves it so), plus a check that the
page references no other host.
"""

from __future__ import annotations

import gzip
import http.client
import os
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.urls import reverse

from events.models import Attendance, Event
from impact.models import Story
from libraries.data_version import NATIONAL, data_version, province_data_changed
from libraries.models import Activity, Library, Province, Regency, User
from tpbis_portal.dev.bench import bench_user
from tpbis_portal.dev.national_data import NATIONAL_LIBRARIES, generate_national_data
from tpbis_portal.exports.models import ExportJob
from tpbis_portal.overview.addresses import library_url, province_url, regency_url, story_url
from tpbis_portal.overview.tasks import rebuild_aggregates

HOST = "127.0.0.1"  # The load never leaves the loopback interface.
LOAD_THREADS = 4
LOAD_REQUESTS = 400
LOAD_SECONDS = 15.0
WEIGHT_BUDGET = 200 * 1024


def run(bench) -> None:
    # Generated story photos go to a throwaway folder, like the database.
    with (
        tempfile.TemporaryDirectory(prefix="tpbis-bench-media-") as media,
        override_settings(MEDIA_ROOT=media),
    ):
        _run(bench, media)


def _run(bench, media: str) -> None:
    # A database kept with --keepdb holds the national data already: a second generation
    # would double it.
    if Library.objects.count() < NATIONAL_LIBRARIES:
        lines: list[str] = []
        bench.once(
            "generate national data (regions, 5,000 libraries, app hooks)",
            lambda: generate_national_data(write=lines.append),
        )
        for line in lines:
            bench.write(f"    {line}")
    if connection.vendor == "postgresql":
        # After a bulk load autovacuum gathers the planner's statistics within a minute or
        # so; without them a page after a data change can take the wrong plan (the kab/kota
        # stories: 830 ms instead of 20 ms). Measure the database as it runs.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    kepri = Province.objects.get(code="21")
    largest_code = (
        Library.objects.active()
        .values("province")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("province", flat=True)
        .first()
    )
    largest = Province.objects.get(code=largest_code)
    anonymous = Client()
    staff = bench_user("bench-perpusnas", role=User.Role.PERPUSNAS)
    staff_client = Client()
    staff_client.force_login(staff)
    urls = {
        "public index of the provinces": "/provinsi/",
        f"province page, {kepri.name}": province_url(kepri),
        f"province page, {largest.name} (most libraries)": province_url(largest),
        f"province page, {largest.name}, search and page 2": (
            province_url(largest) + "?q=perpustakaan&page=2"
        ),
    }
    story = Story.objects.public().filter(photos__isnull=False).order_by("pk").first()
    library = Library.objects.active().filter(stories__in=Story.objects.public()).first()
    urls.update(
        {
            f"library page, {library.name[:30]}": library_url(library),
            "public story page (with a photo)": story_url(story),
            f"open data CSV, {largest.name}": reverse(
                "public:province-csv", kwargs={"code": largest.code}
            ),
            "sitemap index": "/sitemap.xml",
            "sitemap of the stories": "/sitemap-stories.xml",
        }
    )
    for label, url in urls.items():
        bench.page(label, anonymous, url)
    _regency_pages(bench, anonymous)
    bench.write(
        f"    data: {Activity.objects.count()} activities, {Story.objects.count()} stories "
        f"({Story.objects.public().count()} public), {Event.objects.count()} events, "
        f"{Attendance.objects.count()} attendance marks"
    )

    def after_a_change(province):
        # Outside a transaction the renewal runs at once, as after a service's commit.
        province_data_changed(province.code)
        return anonymous.get(province_url(province))

    bench.timed(
        f"province page, {largest.name}, first view after a data change",
        lambda: after_a_change(largest),
        repeat=10,
        queries=True,
    )
    bench.page(
        "staff activity list (national, page 1)",
        staff_client,
        reverse("reporting:activity-list"),
        target=5,
    )
    bench.page(
        "staff activity list (national, page 40)",
        staff_client,
        reverse("reporting:activity-list") + "?page=40",
    )
    bench.page("staff event list (national)", staff_client, reverse("events:list"), target=5)
    bench.page("national dashboard (Perpusnas)", staff_client, "/dasbor-nasional/", target=5)
    bench.page(
        f"national dashboard, {largest.name}", staff_client, f"/dasbor-nasional/{largest.code}/"
    )
    regency = library.regency_id
    bench.page(
        "national dashboard, a kab/kota",
        staff_client,
        reverse("dashboard:regency", args=[library.province_id, regency]),
    )
    bench.page(
        "national dashboard, a library",
        staff_client,
        reverse("dashboard:library", args=[library.province_id, library.pk]),
    )

    def cold(url, client):
        def action():
            province_data_changed(*Province.objects.values_list("code", flat=True))
            return client.get(url)

        return action

    bench.timed(
        "public index, first view after a data change",
        cold("/provinsi/", anonymous),
        repeat=5,
        queries=True,
    )
    bench.timed(
        "national dashboard, first view after a data change, no worker",
        cold("/dasbor-nasional/", staff_client),
        repeat=5,
        queries=True,
        signed_in=staff_client,
    )
    _cold_dashboard(bench, staff_client)
    with _Server(bench.write, media) as server:
        _throughput(
            bench,
            server,
            {
                "public index of the provinces": "/provinsi/",
                f"province page, {kepri.name}": province_url(kepri),
                f"province page, {largest.name}": province_url(largest),
            },
        )
        _weight(bench, server, province_url(kepri), kepri.name)
        _weight(bench, server, province_url(largest), largest.name)
        _exports(bench, server, staff, province_url(largest))


def _cold_dashboard(bench, client: Client) -> None:
    """The national dashboard after a change in every province, as deployed: a task worker
    (``TASKS_BACKEND=database``) rebuilds the aggregates after each change. Its first reader
    gets the figures on hand at once; the reader after the rebuild renders the new ones from
    the rebuilt aggregates. Without a worker, the reader computes them (the figure before)."""
    url = "/dasbor-nasional/"
    codes = list(Province.objects.values_list("code", flat=True))

    def changed():
        province_data_changed(*codes)

    def rebuilt():
        changed()
        rebuild_aggregates.call(province_codes=codes, national_version=data_version(NATIONAL))

    with override_settings(TASKS_BACKEND="database"):
        bench.timed(
            "national dashboard, first view after a data change, worker rebuilding (cold)",
            lambda: client.get(url),
            repeat=10,
            queries=True,
            signed_in=client,
            target=5,
            prepare=changed,
        )
        bench.timed(
            "national dashboard, first view after the worker's rebuild",
            lambda: client.get(url),
            repeat=3,
            queries=True,
            signed_in=client,
            prepare=rebuilt,
        )
    bench.timed(
        "the worker's rebuild of the aggregates after a change in every province",
        rebuilt,
        repeat=3,
    )


def _regency_pages(bench, anonymous: Client) -> None:
    """The kab/kota with the most participating libraries, and the national open data.

    Target (issue 13): a kab/kota page within 5x the trivial page, warm and after a change.
    """
    code = (
        Library.objects.active()
        .exclude(regency=None)
        .values("regency")
        .annotate(n=Count("pk"))
        .order_by("-n", "regency")
        .values_list("regency", flat=True)
        .first()
    )
    regency = Regency.objects.select_related("province").get(code=code)
    url = regency_url(regency)
    libraries = Library.objects.active().filter(regency=regency).count()
    label = f"kab/kota page, {regency.name} ({libraries} libraries)"
    warm = bench.page(label, anonymous, url, note="target <= x5")
    bench.page(f"{label}, page 2", anonymous, url + "?page=2")

    def changed():
        # Outside a transaction the renewal runs at once, as after a service's commit.
        province_data_changed(regency.province_id)

    def rebuilt():
        # What the task worker does after the commit (TASKS_BACKEND=database), run here.
        changed()
        rebuild_aggregates.call(
            province_codes=[regency.province_id], national_version=data_version(NATIONAL)
        )

    cold = bench.timed(
        f"kab/kota page, {regency.name}, first view after a data change, computed on the request",
        lambda: anonymous.get(url),
        repeat=10,
        queries=True,
        note="target <= x5",
        prepare=changed,
    )
    after_rebuild = bench.timed(
        f"kab/kota page, {regency.name}, first view after a data change and the worker's rebuild",
        lambda: anonymous.get(url),
        repeat=10,
        queries=True,
        note="target <= x5",
        prepare=rebuilt,
    )
    bench.timed(
        f"the worker's rebuild after a change in {regency.province.name} "
        "(its kab/kota pages included)",
        rebuilt,
        repeat=3,
    )
    bench.write(
        f"    kab/kota page against the trivial page (target <= x5): x{warm.ratio:.2f} warm, "
        f"x{cold.ratio:.2f} first view after a data change computed on the request, "
        f"x{after_rebuild.ratio:.2f} first view after a data change once the worker has rebuilt"
    )
    bench.page("open data page", anonymous, reverse("public:open-data"))
    for fmt in ("csv", "xlsx"):
        bench.page(
            f"national open data, {fmt.upper()}",
            anonymous,
            f"/provinsi/data-terbuka/tpbis-indonesia.{fmt}",
        )

    def national_file_after_a_change():
        province_data_changed(regency.province_id)
        return anonymous.get(reverse("public:open-data-csv"))

    bench.timed(
        "national open data CSV, first download after a data change",
        national_file_after_a_change,
        repeat=3,
        queries=True,
    )


# --- A real server on the loopback interface --------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class _Server:
    """gunicorn with production settings and the shipped gunicorn.conf.py, reading the
    benchmark's database."""

    def __init__(self, write, media: str):
        self.write = write
        self.media = media
        self.port = _free_port()
        self.process: subprocess.Popen | None = None
        self.tempdir = tempfile.TemporaryDirectory(prefix="tpbis-bench-")

    def _database_url(self) -> str:
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            # The benchmark database may live in memory: copy it to a file the server can open.
            path = Path(self.tempdir.name) / "bench.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()
            return f"sqlite:///{path}"
        if connection.vendor == "postgresql":
            auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
            return f"postgres://{auth}@{db['HOST'] or HOST}:{db['PORT'] or 5432}/{db['NAME']}"
        raise RuntimeError(f"No server benchmark for {connection.vendor}")

    def __enter__(self):
        self.env = env = {
            **os.environ,
            "TPBIS_IGNORE_DOTENV": "1",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": self._database_url(),
            "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": self.media,
            "GUNICORN_ACCESS_LOG": "/dev/null",
        }
        base = Path(settings.BASE_DIR)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=base,
            env=env,
            check=True,
        )
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tpbis_portal.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=base,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.get("/health/")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("The benchmark server did not start")

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.tempdir.cleanup()

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=20)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()


def _load(server: _Server, path: str) -> tuple[float, float, int]:
    """(requests per second, median latency in ms, errors) of a bounded threaded load."""
    for _ in range(10):  # warm every worker's caches
        server.get(path, {"Accept-Encoding": "gzip"})
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = [LOAD_REQUESTS]
    deadline = time.monotonic() + LOAD_SECONDS

    def worker():
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            # Like a browser, the load accepts compressed answers.
            status, _headers, _body = server.get(path, {"Accept-Encoding": "gzip"})
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors += status != 200

    threads = [threading.Thread(target=worker) for _ in range(LOAD_THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return len(latencies) / seconds, statistics.median(latencies), errors


def _throughput(bench, server: _Server, urls: dict[str, str]) -> None:
    bench.write(
        f"\n  Real server: gunicorn (gunicorn.conf.py), 2 workers, {HOST}:{server.port}; "
        f"load: {LOAD_THREADS} "
        f"threads, at most {LOAD_REQUESTS} requests or {LOAD_SECONDS:.0f} s per page"
    )
    trivial_rps, trivial_ms, _errors = _load(server, "/health/")
    bench.write(f"  {'trivial page /health/':<58}  {trivial_rps:7.1f} req/s  {trivial_ms:7.1f} ms")
    for label, url in urls.items():
        rps, median, errors = _load(server, url)
        bench.write(
            f"  {label:<58}  {rps:7.1f} req/s  {median:7.1f} ms  "
            f"throughput x{rps / trivial_rps:4.2f} of trivial (target >= 0.33), "
            f"latency x{median / trivial_ms:4.2f}" + (f", {errors} errors" if errors else "")
        )


class _References(HTMLParser):
    """What a browser fetches on load: stylesheets, icons, scripts, eager images and frames."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href") and attrs.get("rel") != "canonical":
            self.urls.append(attrs["href"])
            return
        # Lazily loaded images are fetched only when scrolled to; they are not counted.
        eager = tag != "img" or attrs.get("loading") != "lazy"
        if attrs.get("src") and eager and tag in {"img", "script", "iframe", "source", "video"}:
            self.urls.append(attrs["src"])


def _weight(bench, server: _Server, path: str, name: str) -> None:
    status, headers, html = server.get(path, {"Accept-Encoding": "gzip"})
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    compressed = headers.get("Content-Encoding") == "gzip"
    parser = _References()
    parser.feed((gzip.decompress(html) if compressed else html).decode())
    foreign = sorted({urlsplit(url).netloc for url in parser.urls if urlsplit(url).netloc})
    foreign = [host for host in foreign if host != f"{HOST}:{server.port}"]
    total = len(html)
    parts = [f"HTML {len(html) / 1024:.1f} KB {'gzip' if compressed else 'identity'}"]
    for url in parser.urls:
        _status, asset_headers, body = server.get(urlsplit(url).path, {"Accept-Encoding": "gzip"})
        total += len(body)
        encoding = asset_headers.get("Content-Encoding", "identity")
        parts.append(f"{Path(urlsplit(url).path).name} {len(body) / 1024:.1f} KB {encoding}")
    bench.write(
        f"  {'page weight, province page ' + name:<58}  {total / 1024:7.1f} KB "
        f"(target <= {WEIGHT_BUDGET // 1024} KB): {'; '.join(parts)}"
    )
    bench.write(
        f"  {'other hosts referenced by that page':<58}  "
        + (", ".join(foreign) if foreign else "none")
    )


# --- Export jobs, as the task worker runs them ---------------------------------------------------

# The peak resident memory of the export itself: Linux keeps the parent's peak across fork and
# exec (the benchmark holds the national data), so the peak is reset first (clear_refs 5) and
# read from /proc afterwards (VmHWM, in KB).
_EXPORT_SCRIPT = """
import re, sys, time
import django
django.setup()
from tpbis_portal.exports.services import export_job_produce
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")
started = time.perf_counter()
export_job_produce(job_id=int(sys.argv[1]))
elapsed = time.perf_counter() - started
with open("/proc/self/status") as status:
    peak = re.search(r"VmHWM:\\s+(\\d+)", status.read()).group(1)
print(elapsed, peak)
"""


def _export_worker(server: _Server, job: ExportJob) -> subprocess.Popen:
    """One task worker process producing ``job``, as ``db_worker`` would (same code path)."""
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", _EXPORT_SCRIPT, str(job.pk)],
        cwd=Path(settings.BASE_DIR),
        env={**server.env, "DJANGO_SETTINGS_MODULE": "tpbis_portal.settings"},
        stdout=subprocess.PIPE,
        text=True,
    )


def _export_job(staff, fmt: str = "csv", **filters) -> ExportJob:
    return ExportJob.objects.create(
        owner=staff,
        kind="attendance",
        format=fmt,
        filters=filters,
        fingerprint=secrets.token_hex(16),
    )


def _finish(process: subprocess.Popen, job: ExportJob) -> tuple[float, int, int]:
    """(seconds, peak resident memory in KB, rows) of a finished export worker."""
    output, _ = process.communicate(timeout=600)
    job.refresh_from_db()
    if process.returncode or job.status != ExportJob.Status.DONE:
        raise RuntimeError(f"export {job.pk} ended {job.status}: {job.error or output}")
    seconds, peak_kb = output.split()[-2:]
    return float(seconds), int(peak_kb), job.rows_total or 0


def _exports(bench, server: _Server, staff, province_path: str) -> None:
    marks = Attendance.objects.active()
    # The events of one type in one province holding about 1,000 marks: the small export that
    # the national one's memory is compared with.
    province, kind, _n = min(
        marks.values("session__event__province", "session__event__kind")
        .annotate(n=Count("pk"))
        .values_list("session__event__province", "session__event__kind", "n"),
        key=lambda found: abs(found[2] - 1000),
    )
    bench.write(f"\n  Export jobs in a worker process (the task's code path), {HOST} PostgreSQL")
    figures = {}
    for label, job in [
        ("small", _export_job(staff, province=province, type=kind)),
        ("national", _export_job(staff)),
        ("national xlsx", _export_job(staff, "xlsx")),
    ]:
        figures[label] = _finish(_export_worker(server, job), job)
        seconds, peak, rows = figures[label]
        bench.write(
            f"  {'export of ' + format(rows, ',') + ' attendance marks, ' + label:<58}"
            f"  {seconds * 1000:9.1f} ms  peak {peak / 1024:6.1f} MB"
        )
    ratio = figures["national"][1] / figures["small"][1]
    bench.write(
        f"  {'peak memory, national CSV / small CSV':<58}  x{ratio:5.2f} (target <= 1.3); "
        f"national CSV {figures['national'][0]:.1f} s (target <= 10 s)"
    )
    # The province page while two national exports run on the task worker.
    _rps, idle, _errors = _load(server, province_path)
    jobs = [_export_job(staff), _export_job(staff, "xlsx")]
    workers = [_export_worker(server, job) for job in jobs]
    time.sleep(1)  # both are reading and writing by now
    _rps, busy, errors = _load(server, province_path)
    running = sum(worker.poll() is None for worker in workers)
    for worker, job in zip(workers, jobs, strict=True):
        _finish(worker, job)
    bench.write(
        f"  {'province page median, idle / during two national exports':<58}  "
        f"{idle:7.1f} ms / {busy:7.1f} ms  x{busy / idle:4.2f} (target <= 2; "
        f"{running} exports still running at the end of the load)"
        + (f", {errors} errors" if errors else "")
    )
