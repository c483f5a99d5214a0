"""Two app hosts on one machine, as in the reference deployment (README, "Deployment").

Two gunicorn servers run the production settings (DEBUG off, the shipped gunicorn.conf.py) on
ports the OS picks. They share PostgreSQL (a database of their own, migrated once before they
start), a private Redis and moto's S3, and the tests drive both over HTTP with the same public
host name, as the TLS proxy would. Everything started here is stopped again, also when a test
fails.

Run by ``.ci/run`` in a step of its own; locally, with PostgreSQL and redis-server installed:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tpbis_dev \\
        .venv/bin/python -m pytest -m multihost

A task worker (``manage.py db_worker``, Django tasks' database backend) runs with the same
environment: an export started on one host is produced by it and downloaded from the other.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import pytest
from django.core.management import get_commands
from django.urls import reverse
from PIL import Image

from tests.factories import PASSWORD
from tests.servers import RedisServer, S3Endpoint

pytestmark = pytest.mark.multihost

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_HOST = "tpbis.example"  # what the TLS proxy passes on to every app host
KEPRI = "/provinsi/21-kepulauan-riau/"
BARAT = "Perpustakaan Kelurahan Tanjung Pinang Barat"
LOCKOUT_LIMIT = 3
STARTUP_SECONDS = 60

SEED = """
import json
from pathlib import Path
from libraries.regions_loader import load_regions
from tests import factories

load_regions(path=Path("tests/data/regions_small.csv"))
registry = factories.kepri_registry()
librarian = factories.librarian("pustakawan.tpbarat", registry["barat"])
consultant = factories.consultant("konsultan.kepri", "21")
consultant.first_name, consultant.last_name = "Rahmat", "Hidayat"
consultant.save()
factories.UserFactory(username="pustakawan.terkunci")
story = factories.StoryFactory(library=registry["barat"], author=librarian)
# An event in Kepulauan Riau with two people marked present, for the export.
import uuid
from events.services import attendance_mark
bimtek = factories.event(actor=consultant, province_code="21", kind="bimtek", title="Bimtek Kepri")
for name in ("Siti Aminah", "Budi Santoso"):
    person = factories.participant(name, registry["barat"], event=bimtek)
    attendance_mark(
        actor=consultant, session=bimtek.sessions.first(), participant=person,
        client_id=uuid.uuid4(),
    )
print(json.dumps({"barat": registry["barat"].pk, "story": story.pk}))
"""


# --- The deployment -----------------------------------------------------------------------------


@dataclass
class Host:
    name: str
    port: int
    process: subprocess.Popen


@dataclass
class Deployment:
    environment: dict[str, str]
    database_url: str
    redis: RedisServer
    s3: S3Endpoint
    bucket: str
    log_dir: Path
    hosts: dict[str, Host] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)
    seeded: dict = field(default_factory=dict)

    def manage(self, *args: str) -> subprocess.Popen:
        command = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.processes.append(command)
        return command

    @staticmethod
    def finish(command: subprocess.Popen) -> str:
        output, _ = command.communicate(timeout=STARTUP_SECONDS * 3)
        if command.returncode:
            raise RuntimeError(f"{' '.join(command.args[1:3])} failed:\n{output}")
        return output

    def start(self, stack: contextlib.ExitStack) -> None:
        stack.callback(_stop, self.processes)
        # Migrations run once, before any host starts (README, "Rolling out a new version").
        statics = self.manage("collectstatic", "--noinput", "-v0")
        self.finish(self.manage("migrate", "--noinput", "-v0"))
        seed = self.manage("shell", "--no-imports", "-c", SEED)
        self.finish(statics)
        for name in ("A", "B"):
            self.hosts[name] = self._start_host(name)
        # The task worker, once the portal has one (Django tasks' database backend).
        if "db_worker" in get_commands():
            self._start_process("worker", [sys.executable, "manage.py", "db_worker"])
        self.seeded = json.loads(self.finish(seed).strip().splitlines()[-1])
        for host in self.hosts.values():
            self._wait_until_ready(host)

    def _start_process(self, name: str, command: list[str], **env: str) -> subprocess.Popen:
        with (self.log_dir / f"{name}.log").open("w") as log:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**self.environment, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        return process

    def _start_host(self, name: str) -> Host:
        # The shipped gunicorn.conf.py, on a port the OS picks (read back from its log).
        process = self._start_process(
            f"host-{name}",
            [sys.executable, "-m", "gunicorn", "tpbis_portal.wsgi", "--bind", "127.0.0.1:0"],
            # Hosts share no disk: a file written to the local disk would not reach the other.
            MEDIA_ROOT=str(self.log_dir / f"media-{name}"),
        )
        log = self.log_dir / f"host-{name}.log"
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if found := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text()):
                return Host(name, int(found.group(1)), process)
            if process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"host {name} did not start:\n{log.read_text()}")

    def _wait_until_ready(self, host: Host) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if Browser().get(host, reverse("ready")).status == 200:
                    return
            time.sleep(0.1)
        log = (self.log_dir / f"host-{host.name}.log").read_text()
        raise RuntimeError(f"host {host.name} never became ready:\n{log}")

    def sql(self, statement: str, *params):
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else None


def _stop(processes: list[subprocess.Popen]) -> None:
    running = [process for process in processes if process.poll() is None]
    for process in running:
        process.terminate()  # gunicorn finishes the requests in flight, then stops
    for process in running:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _database_urls(base: str) -> tuple[str, str]:
    """(the deployment's own database, the server's maintenance database) from DATABASE_URL."""
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/') or 'tpbis'}_multihost"
    return parts._replace(path=f"/{name}").geturl(), parts._replace(path="/postgres").geturl()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, s3_endpoint):
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        _cannot_run("the multi-host check needs PostgreSQL: set DATABASE_URL=postgres://...")
    if not RedisServer.available():
        _cannot_run("the multi-host check needs redis-server (Debian package redis-server)")
    database_url, maintenance_url = _database_urls(base)
    name = urlsplit(database_url).path.lstrip("/")
    with contextlib.ExitStack() as stack:
        with psycopg.connect(maintenance_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        stack.callback(_drop_database, maintenance_url, name)
        redis = RedisServer()
        stack.callback(redis.close)
        redis.start()
        bucket = s3_endpoint.new_bucket()
        environment = {
            key: value
            for key, value in os.environ.items()
            if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
        }
        environment.update(
            {
                "TPBIS_IGNORE_DOTENV": "1",
                "DJANGO_SETTINGS_MODULE": "tpbis_portal.settings",
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": PUBLIC_HOST,
                "SITE_URL": f"https://{PUBLIC_HOST}",
                # The harness plays the TLS proxy and speaks plain HTTP to the hosts.
                "SECURE_SSL_REDIRECT": "0",
                "DATABASE_URL": database_url,
                "REDIS_URL": redis.url,
                **s3_endpoint.environment(bucket),
                "AXES_FAILURE_LIMIT": str(LOCKOUT_LIMIT),
                "LOG_LEVEL": "WARNING",
                # Background tasks wait in PostgreSQL for the worker, as in production.
                "TASKS_BACKEND": "database",
                "GUNICORN_WORKERS": "2",
                "GUNICORN_THREADS": "2",
                "GUNICORN_ACCESS_LOG": "/dev/null",
            }
        )
        deployment = Deployment(
            environment=environment,
            database_url=database_url,
            redis=redis,
            s3=s3_endpoint,
            bucket=bucket,
            log_dir=tmp_path_factory.mktemp("multihost"),
        )
        deployment.start(stack)
        yield deployment


def _cannot_run(reason: str) -> None:
    # Skipped on a developer's machine without the services; a failure in CI, which has them.
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _drop_database(maintenance_url: str, name: str) -> None:
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- A browser that talks to one host or the other ----------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Browser:
    """Cookies and CSRF like a browser behind the proxy: the same site, whichever host answers.

    The proxy speaks HTTPS to the browser, so the Secure cookies are sent; here the browser
    stands in for both and speaks HTTP to the hosts.
    """

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, host: Host, method: str, path: str, body=b"", headers=None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", host.port, timeout=30)
        sent = {"Host": PUBLIC_HOST, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower() or not value.strip('"'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def get(self, host: Host, path: str) -> Response:
        return self.request(host, "GET", path)

    def post(self, host: Host, path: str, fields: dict, files: dict | None = None) -> Response:
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if not files:
            body = urlencode(fields, doseq=True).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            body, kind = _multipart(fields, files)
        return self.request(host, "POST", path, body, {"Content-Type": kind})

    def sign_in(self, host: Host, username: str, password: str = PASSWORD) -> Response:
        self.get(host, reverse("login"))  # the CSRF cookie, as from the sign-in form
        return self.post(host, reverse("login"), {"username": username, "password": password})

    def form(self, host: Host, path: str, marker: str) -> dict:
        """The fields of the form on ``path`` that has a field named ``marker``."""
        parser = _Forms()
        parser.feed(self.get(host, path).text)
        return next(form for form in parser.forms if marker in form)


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        )
        body.write(f"{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


class _Forms(HTMLParser):
    """The current values of every form's fields, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif not self.forms:
            return
        elif tag == "option" and self._select and "selected" in attrs:
            self.forms[-1][self._select] = attrs.get("value") or ""
        elif not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") not in {"submit", "checkbox", "radio"}:
            self.forms[-1][attrs["name"]] = attrs.get("value") or ""
        elif tag == "input" and "checked" in attrs:
            self.forms[-1][attrs["name"]] = attrs.get("value") or "on"
        elif tag == "select":
            self._select = attrs["name"]
            self.forms[-1].setdefault(self._select, "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.forms[-1][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


# --- What the deployment must do -----------------------------------------------------------------


def test_a_photo_uploaded_through_host_a_is_served_through_host_b(deployment):
    hosts, librarian = deployment.hosts, Browser()
    librarian.sign_in(hosts["A"], "pustakawan.tpbarat")
    story = deployment.seeded["story"]
    photo = _jpeg()

    upload = librarian.post(
        hosts["A"],
        reverse("impact:photo-add", args=[story]),
        {"alt_text": "Ibu-ibu menganyam tas pandan"},
        files={"image": ("tas.jpg", photo, "image/jpeg")},
    )

    assert upload.status == 302
    [(pk, name)] = deployment.sql("SELECT id, image FROM impact_photo WHERE story_id = %s", story)
    assert f"private/{name}" in deployment.s3.keys(deployment.bucket)
    served = librarian.get(hosts["B"], reverse("impact:photo-file", args=[pk, "full"]))
    assert served.status == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(served.body)).size == (640, 480)
    # The story is not published: nobody else gets the photo, from either host.
    for host in hosts.values():
        assert Browser().get(host, reverse("impact:photo-file", args=[pk, "full"])).status == 404


def test_a_change_made_on_host_a_refreshes_the_province_page_cached_on_host_b(deployment):
    hosts, visitor = deployment.hosts, Browser()
    assert BARAT in visitor.get(hosts["B"], KEPRI).text
    barat = deployment.seeded["barat"]
    # A change behind the services' back is not seen: B serves its cached copy...
    deployment.sql("UPDATE libraries_library SET name = %s WHERE id = %s", "Diam-diam", barat)
    assert BARAT in visitor.get(hosts["B"], KEPRI).text

    # ...and one made through the portal on A is, at once.
    consultant = Browser()
    consultant.sign_in(hosts["A"], "konsultan.kepri")
    edit = reverse("libraries:edit", args=[barat])
    fields = consultant.form(hosts["A"], edit, marker="version")
    fields["name"] = "Perpustakaan Kelurahan Tanjung Pinang Barat Cerdas"
    assert consultant.post(hosts["A"], edit, fields).status == 302

    page = visitor.get(hosts["B"], KEPRI).text
    assert "Perpustakaan Kelurahan Tanjung Pinang Barat Cerdas" in page


def test_a_session_signed_in_on_host_a_works_on_host_b(deployment):
    hosts, browser = deployment.hosts, Browser()

    signed_in = browser.sign_in(hosts["A"], "konsultan.kepri")

    assert signed_in.status == 302
    dashboard = browser.get(hosts["B"], reverse("dashboard"))
    assert dashboard.status == 200 and "Rahmat" in dashboard.text
    # Signing out on B signs out on A too.
    assert browser.post(hosts["B"], reverse("logout"), {}).status == 302
    assert browser.get(hosts["A"], reverse("dashboard")).status == 302


def test_sign_in_lockout_counts_failures_on_both_hosts(deployment):
    hosts = deployment.hosts
    failures = [hosts["A"], hosts["B"], hosts["A"]][:LOCKOUT_LIMIT]
    for host in failures:
        answer = Browser().sign_in(host, "pustakawan.terkunci", "salah-kata-sandi")
        assert answer.status in {200, 429}

    # The right password no longer helps, on either host.
    for host in hosts.values():
        answer = Browser().sign_in(host, "pustakawan.terkunci")
        assert answer.status == 429
        assert "diblokir" in answer.text.lower()


def test_an_export_started_on_host_a_is_produced_by_the_worker_and_downloaded_from_host_b(
    deployment,
):
    hosts, consultant = deployment.hosts, Browser()
    consultant.sign_in(hosts["A"], "konsultan.kepri")
    exports = reverse("exports:list")
    consultant.get(hosts["A"], exports)

    started = consultant.post(hosts["A"], exports, {"kind": "attendance", "format": "csv"})
    # A double submit through the other host starts nothing new.
    again = consultant.post(hosts["B"], exports, {"kind": "attendance", "format": "csv"})

    assert started.status == 302 and again.location == started.location
    job_page = urlsplit(started.location).path
    deadline = time.monotonic() + STARTUP_SECONDS
    while "Siap diunduh" not in (page := consultant.get(hosts["B"], job_page).text):
        assert "Gagal" not in page, page
        assert time.monotonic() < deadline, "the worker never produced the export"
        time.sleep(0.2)
    [(job_id, name)] = deployment.sql("SELECT id, file FROM exports_exportjob")
    assert f"private/{name}" in deployment.s3.keys(deployment.bucket)
    # Produced by the worker, not by the host that took the request.
    [(status, workers)] = deployment.sql(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
        "tpbis_portal.exports.tasks.produce_export",
    )
    assert status == "SUCCESSFUL" and workers
    # The change made through host A earlier had the worker rebuild the cached figures too.
    rebuilt = deployment.sql(
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
        "tpbis_portal.overview.tasks.rebuild_aggregates",
    )
    assert "SUCCESSFUL" in {status for (status,) in rebuilt}

    download = consultant.get(hosts["B"], reverse("exports:download", args=[job_id]))
    assert download.status == 200
    lines = download.body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Acara,Jenis,Provinsi")
    assert sorted(line.split(",")[6] for line in lines[1:]) == ["Budi Santoso", "Siti Aminah"]
    # Nobody else gets it, from either host.
    stranger = Browser()
    stranger.sign_in(hosts["A"], "pustakawan.tpbarat")
    for host in hosts.values():
        assert stranger.get(host, reverse("exports:download", args=[job_id])).status == 404


# Last: it stops the deployment's Redis.
def test_with_redis_stopped_both_hosts_serve_uncached_pages_without_errors(deployment):
    hosts, visitor, consultant = deployment.hosts, Browser(), Browser()
    consultant.sign_in(hosts["A"], "konsultan.kepri")
    visitor.get(hosts["A"], KEPRI)

    deployment.redis.stop()
    answers = []
    for host in hosts.values():
        answers += [
            visitor.get(host, KEPRI),
            visitor.get(host, "/provinsi/"),
            visitor.get(host, KEPRI + "?q=barat"),
            consultant.get(host, reverse("dashboard")),
            Browser().sign_in(host, "pustakawan.tpbarat"),
        ]
    readiness = [Browser().get(host, reverse("ready")) for host in hosts.values()]

    assert [answer.status for answer in answers] == [200, 200, 200, 200, 302] * 2
    assert "Rahmat" in answers[3].text  # still signed in: sessions are in PostgreSQL
    for answer in readiness:
        assert answer.status == 503
        assert json.loads(answer.body)["checks"]["cache"] == "failed"
