"""Public pages: the index of provinces, a province, a library, open data and the sitemap.

Anyone may read them; they show participating (active) libraries and aggregates only. No
contact person, no phone number or e-mail address, nothing about a person.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from libraries.exports import stream_csv
from libraries.models import AidItem, Library, Province
from tpbis_portal.aggregates import RegionCounts, national_summary
from tpbis_portal.sections import (
    LIBRARY_SECTIONS,
    PROVINCE_SECTIONS,
    LibraryPage,
    ProvincePage,
    compose,
    oldest_stamp,
)


def province_url(province: Province) -> str:
    return reverse(
        "public:province", kwargs={"code": province.code, "slug": slugify(province.name)}
    )


def library_url(library: Library, province: Province | None = None) -> str:
    province = province or library.province
    return reverse(
        "public:library",
        kwargs={
            "code": province.code,
            "slug": slugify(province.name),
            "pk": library.pk,
            "library_slug": slugify(library.name),
        },
    )


def _canonical(request, url: str):
    """Send an old or mistyped slug to the page's one address, keeping the query."""
    if request.path == url:
        return None
    query = request.META.get("QUERY_STRING")
    return redirect(f"{url}?{query}" if query else url, permanent=True)


@require_GET
def province_index(request):
    summary = national_summary()
    provinces = [
        (province, summary.provinces.get(province.code) or RegionCounts(code=province.code))
        for province in Province.objects.order_by("name")
    ]
    return render(
        request,
        "public/province_index.html",
        {
            "provinces": provinces,
            "totals": summary.totals(),
            "as_of": summary.computed_at,
        },
    )


@require_GET
def province_detail(request, code: str, slug: str = ""):
    province = get_object_or_404(Province, code=code)
    if response := _canonical(request, province_url(province)):
        return response
    page = ProvincePage(request=request, province=province)
    sections = compose(PROVINCE_SECTIONS, page)
    return render(
        request,
        "public/province_detail.html",
        {
            "province": province,
            "totals": page.summary.totals,
            "sections": sections,
            "as_of": oldest_stamp(sections, page.summary.computed_at),
        },
    )


@require_GET
def province_csv(request, code: str, slug: str = ""):
    """The province's public aggregates as open data: one row per kab/kota and a total."""
    province = get_object_or_404(Province, code=code)
    page = ProvincePage(request=request, province=province)
    summary = page.summary
    tiers = [value for value, _label in Library.SupportTier.choices]
    header = [
        _("Region code"),
        _("Region"),
        _("Provincial libraries"),
        _("Kabupaten/kota libraries"),
        _("Desa/kelurahan libraries"),
        _("Kabupaten/kota reached"),
        _("Desa/kelurahan reached"),
        _("Cohort years"),
        *[str(label) for _value, label in Library.SupportTier.choices],
        _("Data as of (UTC)"),
    ]
    stamp = summary.computed_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M")

    def row(counts: RegionCounts, reached: int | str) -> list:
        return [
            counts.code,
            counts.name,
            counts.provincial,
            counts.regency,
            counts.village,
            reached,
            counts.villages_reached,
            " ".join(str(year) for year in counts.cohort_years),
            *[counts.tiers.get(tier, 0) for tier in tiers],
            stamp,
        ]

    rows = [row(summary.totals, summary.totals.regencies_reached)]
    rows += [row(regency, "") for regency in summary.regencies]
    filename = (
        f"tpbis-{province.code}-{slugify(province.name)}-"
        f"{timezone.localdate(summary.computed_at, timezone=_zone(province)):%Y%m%d}.csv"
    )
    return stream_csv(filename, header, rows)


def _zone(province: Province) -> ZoneInfo:
    return ZoneInfo(province.time_zone)


@require_GET
def library_detail(request, code: str, slug: str, pk: int, library_slug: str):
    library = get_object_or_404(
        Library.objects.active()
        .select_related("province", "regency", "village__district")
        .prefetch_related(Prefetch("aid_items", queryset=AidItem.objects.order_by("kind"))),
        pk=pk,
    )
    if response := _canonical(request, library_url(library)):
        return response
    sections = compose(LIBRARY_SECTIONS, LibraryPage(request=request, library=library))
    return render(
        request,
        "public/library_detail.html",
        {"library": library, "province": library.province, "sections": sections},
    )


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /akun/"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
