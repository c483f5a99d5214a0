"""Public pages: the index of provinces, a province and a library.

Anyone may read them; they show participating (active) libraries and aggregates only. No
contact person, no phone number or e-mail address, nothing about a person.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from libraries.models import AidItem, Library, Province
from tpbis_portal.overview.addresses import canonical, library_url, province_url
from tpbis_portal.overview.aggregates import RegionCounts, national_summary
from tpbis_portal.overview.cache import cached_public_page, render_public
from tpbis_portal.overview.sections import (
    LIBRARY_SECTIONS,
    PROVINCE_SECTIONS,
    LibraryPage,
    LibrarySearchForm,
    ProvincePage,
    compose,
    oldest_stamp,
)


@require_GET
@cached_public_page()
def province_index(request):
    summary = national_summary()
    provinces = [
        (province, summary.provinces.get(province.code) or RegionCounts(code=province.code))
        for province in Province.objects.order_by("name")
    ]
    return render_public(
        request,
        "public/province_index.html",
        {
            "provinces": provinces,
            "totals": summary.totals(),
            "as_of": summary.computed_at,
        },
    )


@require_GET
@cached_public_page(reads=(*LibrarySearchForm.base_fields, "page"))
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
        {"library": library, "province": library.province, "sections": sections},
    )
