"""Measuring tools for ``manage.py benchmark``.

Every figure is reported next to the same measure of a trivial template page (``/health/``)
taken in the same run, so the ratios hold on any machine. A signed-in page also pays for the
session, the user and the portal's base layout, which ``/health/`` does not have, so signed-in
pages are reported against a second baseline too: the trivial signed-in page (the "password
changed" page: session, user, base layout and one sentence), timed after each run of the page
itself so that both share the machine's load of the moment. Their targets are stated against
that one. Each app contributes a module ``<app>/benchmarks.py``
with ``def run(bench: Bench) -> None`` that prepares its data and calls ``bench.page`` /
``bench.timed``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, reset_queries
from django.template import Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# Read when this module is imported, before the command sets up the test environment, which
# replaces it with a render that sends a signal and lets the test client copy the context of
# every template rendered (for ``response.context``): a cost no server pays, and one that grows
# with the number of templates a page includes, so it is left out of the timed runs.
_SERVED_RENDER = Template._render


@contextmanager
def _as_served() -> Iterator[None]:
    instrumented = Template._render
    Template._render = _SERVED_RENDER
    try:
        yield
    finally:
        Template._render = instrumented


@dataclass
class Measure:
    label: str
    median_ms: float
    queries: int | None = None
    baseline_ms: float | None = None
    note: str = ""
    #: The trivial signed-in page, for a page seen signed in.
    signed_in_ms: float | None = None
    #: The most this page may take, as a multiple of the trivial signed-in page.
    target: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline_ms:
            return self.median_ms / self.baseline_ms
        return None

    @property
    def signed_in_ratio(self) -> float | None:
        if self.signed_in_ms:
            return self.median_ms / self.signed_in_ms
        return None


@dataclass
class Bench:
    repeat: int = 30
    write: Callable[[str], None] = print
    results: list[Measure] = field(default_factory=list)
    baseline_ms: float | None = None
    signed_in_ms: float | None = None
    _signed_in_probe: Callable[[], object] | None = None

    def _median(
        self,
        action: Callable[[], object],
        repeat: int | None = None,
        prepare: Callable[[], object] | None = None,
    ) -> float:
        return self._medians(action, repeat, prepare)[0]

    def _medians(
        self,
        action: Callable[[], object],
        repeat: int | None = None,
        prepare: Callable[[], object] | None = None,
        alongside: Callable[[], object] | None = None,
    ) -> tuple[float, float | None]:
        """Median of ``action`` and, when given, of ``alongside`` timed after each run of it:
        both under the same load, however the machine's load changes during the run."""
        timings: list[float] = []
        beside: list[float] = []

        def timed(run: Callable[[], object], into: list[float]) -> None:
            started = time.perf_counter()
            run()
            into.append((time.perf_counter() - started) * 1000)

        with _as_served():
            if prepare is not None:
                prepare()
            action()  # warm-up: templates, caches, connections
            for _ in range(repeat or self.repeat):
                if prepare is not None:
                    prepare()  # not timed
                timed(action, timings)
                if alongside is not None:
                    timed(alongside, beside)
        return statistics.median(timings), statistics.median(beside) if beside else None

    @staticmethod
    def _count_queries(action: Callable[[], object]) -> int:
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    def baseline(self, client: Client | None = None) -> float:
        client = client or Client()
        self.baseline_ms = self._median(lambda: _get(client, "/health/"))
        self.report(
            Measure("trivial template page /health/", self.baseline_ms, 0, self.baseline_ms)
        )
        self.signed_in_baseline()
        return self.baseline_ms

    def signed_in_baseline(self) -> float:
        """The trivial signed-in page, as Perpusnas staff (every link of the menu) see it."""
        from libraries.models import User  # the harness itself needs no app until now

        staff = bench_user("bench-baseline", role=User.Role.PERPUSNAS)
        client = Client()
        client.force_login(staff)
        url = reverse("password_change_done")
        self._signed_in_probe = lambda: _get(client, url)
        queries = self._count_queries(self._signed_in_probe)
        self.signed_in_ms = self._median(self._signed_in_probe)
        self.report(
            Measure(
                "trivial signed-in page (session, user, base layout)",
                self.signed_in_ms,
                queries,
                self.baseline_ms,
                signed_in_ms=self.signed_in_ms,
            )
        )
        return self.signed_in_ms

    def _probe(self, client: Client | None) -> Callable[[], object] | None:
        """For a signed-in ``client``: the trivial signed-in page, timed alongside its page."""
        if client is not None and settings.SESSION_COOKIE_NAME in client.cookies:
            return self._signed_in_probe
        return None

    def page(
        self,
        label: str,
        client: Client,
        url: str,
        *,
        repeat: int | None = None,
        headers: dict | None = None,
        note: str = "",
        target: float | None = None,
    ) -> Measure:
        """Median latency and query count of GET ``url``, as a ratio to the trivial page (and
        to the trivial signed-in page when ``client`` is signed in)."""
        queries = self._count_queries(lambda: _get(client, url, headers))
        median, signed_in = self._medians(
            lambda: _get(client, url, headers), repeat, alongside=self._probe(client)
        )
        return self.report(
            Measure(
                label,
                median,
                queries,
                self.baseline_ms,
                note,
                signed_in_ms=signed_in,
                target=target,
            )
        )

    def timed(
        self,
        label: str,
        action: Callable[[], object],
        *,
        repeat: int = 1,
        queries: bool = False,
        note: str = "",
        signed_in: Client | None = None,
        target: float | None = None,
        prepare: Callable[[], object] | None = None,
    ) -> Measure:
        """Median wall time of ``action`` (run ``repeat`` times after one warm-up), each run
        after an untimed ``prepare()``; pass the client ``action`` uses as ``signed_in`` to
        compare it with the trivial signed-in page."""
        if queries:
            if prepare is not None:
                prepare()
            count = self._count_queries(action)
        else:
            count = None
        median, signed_in_ms = self._medians(
            action, repeat, prepare, alongside=self._probe(signed_in)
        )
        return self.report(
            Measure(
                label,
                median,
                count,
                self.baseline_ms,
                note,
                signed_in_ms=signed_in_ms,
                target=target,
            )
        )

    def once(self, label: str, action: Callable[[], object], note: str = "") -> Measure:
        """Wall time of one run of ``action`` (for imports and bulk jobs)."""
        started = time.perf_counter()
        action()
        elapsed = (time.perf_counter() - started) * 1000
        return self.report(Measure(label, elapsed, None, None, note))

    def report(self, measure: Measure) -> Measure:
        self.results.append(measure)
        parts = [f"{measure.label:<58}", f"{measure.median_ms:9.1f} ms"]
        if measure.ratio is not None:
            parts.append(f"x{measure.ratio:6.2f} of trivial")
        if measure.signed_in_ratio is not None:
            parts.append(
                f"x{measure.signed_in_ratio:5.2f} of signed-in trivial "
                f"({measure.signed_in_ms:.1f} ms alongside)"
            )
        if measure.queries is not None:
            parts.append(f"{measure.queries:3d} queries")
        if measure.note:
            parts.append(measure.note)
        if measure.target is not None and measure.signed_in_ratio is not None:
            verdict = "met" if measure.signed_in_ratio <= measure.target else "NOT MET"
            parts.append(f"target <= x{measure.target:g} of signed-in trivial: {verdict}")
        self.write("  ".join(parts))
        return measure


def bench_user(username: str, **fields):
    """The benchmark's user ``username``, made once (a database kept with --keepdb has it)."""
    from libraries.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, **fields)
    return user


def _get(client: Client, url: str, headers: dict | None = None):
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response
