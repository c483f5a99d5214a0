"""Public pages: the index of provinces, a province and a library.

Anyone may read them; they show participating (active) libraries and aggregates only. No
contact person, no phone number or e-mail address, nothing about a person.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from libraries.data_version import NATIONAL
from libraries.models import AidItem, Library, Province, Regency
from libraries.reporting.indicators import Area
from tpbis_portal.overview.addresses import canonical, library_url, province_url, regency_url
from tpbis_portal.overview.aggregates import (
    NATIONAL_ZONE,
    RegionCounts,
    breakdown_of,
    national_summary,
    year_to_date,
)
from tpbis_portal.overview.cache import cached_public_page, render_public
from tpbis_portal.overview.filters import PARAMETERS as DIRECTORY_PARAMETERS
from tpbis_portal.overview.sections import (
    LIBRARY_SECTIONS,
    PROVINCE_SECTIONS,
    LibraryPage,
    ProvincePage,
    RegencyPage,
    compose,
    oldest_stamp,
    regency_content,
    rendered,
)
from tpbis_portal.overview.tiles import province_tile_map


@require_GET
@cached_public_page()
def province_index(request):
    summary = national_summary()
    all_provinces = list(Province.objects.order_by("name"))
    provinces = [
        (province, summary.provinces.get(province.code) or RegionCounts(code=province.code))
        for province in all_provinces
    ]
    period = year_to_date(NATIONAL_ZONE)
    figures = breakdown_of(Area.nation(), NATIONAL, period)
    _total, rows = figures.value
    tile_map = province_tile_map(
        all_provinces,
        {row.area.key: row for row in rows},
        {province.code: province_url(province) for province in all_provinces},
        period.label,
    )
    return render_public(
        request,
        "public/province_index.html",
        {
            "provinces": provinces,
            "totals": summary.totals(),
            "map": tile_map,
            "as_of": min(summary.computed_at, figures.computed_at),
        },
    )


@require_GET
@cached_public_page(reads=DIRECTORY_PARAMETERS)
def province_detail(request, code: str, slug: str = ""):
    province = get_object_or_404(Province, code=code)
    if response := canonical(request, province_url(province)):
        return response
    page = ProvincePage(request=request, province=province)
    sections = compose(PROVINCE_SECTIONS, page)
    return render_public(
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
@cached_public_page(reads=["page"])
def regency_detail(request, code: str, regency_code: str, slug: str = "", regency_slug: str = ""):
    """A kab/kota: its libraries, events, stories and indicators (aggregates only)."""
    regency = get_object_or_404(Regency.objects.select_related("province"), code=regency_code)
    if regency.province_id != code:
        # The province part of the code names another province: no such page.
        raise Http404
    province = regency.province
    if response := canonical(request, regency_url(regency, province)):
        return response
    page = RegencyPage(request=request, province=province, regency=regency)
    content = regency_content(page)
    return render_public(
        request,
        "public/regency_detail.html",
        {
            "province": province,
            "regency": regency,
            "totals": page.counts,
            "content": rendered(content),
            "as_of": content.as_of,
        },
    )


@require_GET
@cached_public_page()
def library_detail(request, code: str, pk: int, slug: str = "", library_slug: str = ""):
    library = get_object_or_404(
        Library.objects.active()
        .select_related("province", "regency", "village__district")
        .prefetch_related(Prefetch("aid_items", queryset=AidItem.objects.order_by("kind"))),
        pk=pk,
    )
    if response := canonical(request, library_url(library)):
        return response
    sections = compose(LIBRARY_SECTIONS, LibraryPage(request=request, library=library))
    return render_public(
        request,
        "public/library_detail.html",
        {
            "library": library,
            "province": library.province,
            "sections": sections,
            # The page's figures, or when it has none, the registry as read now.
            "as_of": oldest_stamp(sections, timezone.now()),
        },
    )
