"""Benchmark of the report card at national scale (``manage.py benchmark reportcard``).

The national roll-up reads the report cards of every library of the country (5,000 with
``generate_national_data``). Each province's scores are computed in one pass of grouped
queries and cached under its data-version token, so the figures are: the page as staff see it
most of the time (scores cached), the first view after a change in one province (that
province recomputed), and the first view after a change that touches every province (a target
or the report card settings: every score recomputed). The goal is the first within 5x of the
trivial signed-in page; both ratios are printed.
"""

from __future__ import annotations

import statistics
import time

from django.db.models import Count
from django.test import Client
from django.urls import reverse

from libraries.data_version import province_data_changed
from libraries.models import Library, Province, Regency, ReportCardSettings, User
from libraries.reporting.forms import ReportCardSettingsForm
from libraries.reporting.services import report_card_settings_save
from tpbis_portal.dev.bench import Measure
from tpbis_portal.dev.national_data import NATIONAL_LIBRARIES, generate_national_data

GOAL = 5.0
SETTINGS_FIELDS = ReportCardSettingsForm.Meta.fields


def run(bench) -> None:
    if Library.objects.count() < NATIONAL_LIBRARIES:
        lines: list[str] = []
        bench.once(
            "generate national data (regions, 5,000 libraries, app hooks)",
            lambda: generate_national_data(write=lines.append),
        )
        for line in lines:
            bench.write(f"    {line}")
    staff = User.objects.filter(username="bench-rapor").first() or User.objects.create_user(
        "bench-rapor", role=User.Role.PERPUSNAS
    )
    client = Client()
    client.force_login(staff)
    nation = reverse("reporting:report-card-nation")
    bench.page(
        f"national report card roll-up ({Library.objects.count():,} libraries)",
        client,
        nation,
        target=GOAL,
    )
    largest = (
        Province.objects.annotate(n=Count("libraries"))
        .order_by("-n")
        .values_list("code", flat=True)
        .first()
    ) or "33"

    def after_one_province_changed():
        province_data_changed(largest)
        return client.get(nation)

    bench.timed(
        "national report card, first view after a change in one province",
        after_one_province_changed,
        repeat=5,
        queries=True,
    )
    codes = list(Province.objects.values_list("code", flat=True))

    def after_every_province_changed():
        province_data_changed(*codes)
        return client.get(nation)

    bench.timed(
        "national report card, first view after a target or settings change",
        after_every_province_changed,
        repeat=3,
        queries=True,
    )

    def after_a_settings_change_through_the_service():
        # As staff change them: the service queues the recomputation after the commit (run
        # at once by the immediate backend, by the task worker in production); only the
        # first view that follows is timed.
        current = ReportCardSettings.current()
        fields = {name: getattr(current, name) for name in SETTINGS_FIELDS}
        report_card_settings_save(actor=staff, **fields)
        started = time.perf_counter()
        response = client.get(nation)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"GET {nation} answered {response.status_code}")
        return elapsed

    timings = [after_a_settings_change_through_the_service() for _ in range(3)]
    bench.report(
        Measure(
            "national report card, first view after a settings change (cards recomputed "
            "by the background task)",
            statistics.median(timings),
            None,
            bench.baseline_ms,
            signed_in_ms=bench.signed_in_ms,
            target=GOAL,
        )
    )
    bench.page(
        "province report card roll-up",
        client,
        reverse("reporting:report-card-province", args=[largest]),
    )
    regency = (
        Library.objects.active()
        .filter(province=largest)
        .exclude(regency=None)
        .values("regency")
        .annotate(n=Count("pk"))
        .order_by("-n", "regency")
        .values_list("regency", flat=True)
        .first()
    )
    if regency is not None:
        regency_url = reverse("reporting:report-card-regency", args=[regency])
        name = Regency.objects.get(code=regency).name
        bench.page(f"kab/kota report card roll-up, {name}", client, regency_url)

        def regency_after_a_change():
            province_data_changed(largest)
            return client.get(regency_url)

        bench.timed(
            f"kab/kota report card, {name}, first view after a change in its province",
            regency_after_a_change,
            repeat=5,
            queries=True,
        )
    library = Library.objects.active().filter(province=largest, level="village").first()
    if library is not None:
        bench.page(
            "one library's report card, explained",
            client,
            reverse("reporting:report-card-library", args=[library.pk]),
        )
