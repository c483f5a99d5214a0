"""Measuring tools for ``manage.py benchmark``.

Every figure is reported next to the same measure of a trivial template page (``/health/``)
taken in the same run, so the ratios hold on any machine. Each app contributes a module
``<app>/benchmarks.py`` with ``def run(bench: Bench) -> None`` that prepares its data and calls
``bench.page`` / ``bench.timed``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Measure:
    label: str
    median_ms: float
    queries: int | None = None
    baseline_ms: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline_ms:
            return self.median_ms / self.baseline_ms
        return None


@dataclass
class Bench:
    repeat: int = 30
    write: Callable[[str], None] = print
    results: list[Measure] = field(default_factory=list)
    baseline_ms: float | None = None

    def _median(self, action: Callable[[], object], repeat: int | None = None) -> float:
        action()  # warm-up: templates, caches, connections
        timings = []
        for _ in range(repeat or self.repeat):
            started = time.perf_counter()
            action()
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings)

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
        return self.baseline_ms

    def page(
        self,
        label: str,
        client: Client,
        url: str,
        *,
        repeat: int | None = None,
        headers: dict | None = None,
        note: str = "",
    ) -> Measure:
        """Median latency and query count of GET ``url``, as a ratio to the trivial page."""
        queries = self._count_queries(lambda: _get(client, url, headers))
        median = self._median(lambda: _get(client, url, headers), repeat)
        return self.report(Measure(label, median, queries, self.baseline_ms, note))

    def timed(
        self,
        label: str,
        action: Callable[[], object],
        *,
        repeat: int = 1,
        queries: bool = False,
        note: str = "",
    ) -> Measure:
        """Median wall time of ``action`` (run ``repeat`` times after one warm-up)."""
        count = self._count_queries(action) if queries else None
        median = self._median(action, repeat)
        return self.report(Measure(label, median, count, self.baseline_ms, note))

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
        if measure.queries is not None:
            parts.append(f"{measure.queries:3d} queries")
        if measure.note:
            parts.append(measure.note)
        self.write("  ".join(parts))
        return measure


def _get(client: Client, url: str, headers: dict | None = None):
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response
