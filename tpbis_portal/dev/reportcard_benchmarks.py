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

from django.db.models import Count
from django.test import Client
from django.urls import reverse

from libraries.data_version import province_data_changed
from libraries.models import Library, Province, User
from tpbis_portal.dev.national_data import NATIONAL_LIBRARIES, generate_national_data

GOAL = 5.0


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
    bench.page(
        "province report card roll-up",
        client,
        reverse("reporting:report-card-province", args=[largest]),
    )
    library = Library.objects.active().filter(province=largest, level="village").first()
    if library is not None:
        bench.page(
            "one library's report card, explained",
            client,
            reverse("reporting:report-card-library", args=[library.pk]),
        )
