"""Public pages: the index of provinces, a province, a library, open data and the sitemap.

Anyone may read them; they show participating (active) libraries and aggregates only. No
contact person, no phone number or e-mail address, nothing about a person.
"""

from __future__ import annotations

import datetime
import hashlib
from functools import wraps
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sitemaps import views as sitemaps_views
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from libraries.data_version import NATIONAL, data_version
from libraries.exports import stream_csv
from libraries.indicators import Area
from libraries.models import AidItem, Indicator, Library, Province
from tpbis_portal.aggregates import (
    AGGREGATE_TTL,
    KEY_INDICATORS,
    NO_PARTICIPANTS,
    SMALL_CELL_MAX,
    RegionCounts,
    breakdown_of,
    national_summary,
    province_gender,
    province_summary,
    story_counts_by_regency,
    year_to_date,
)
from tpbis_portal.sections import (
    LIBRARY_SECTIONS,
    PROVINCE_SECTIONS,
    LibraryPage,
    ProvincePage,
    compose,
    oldest_stamp,
)

# Stands for the visitor's CSRF token (of the language switch form) in a cached page.
_CSRF_PLACEHOLDER = "csrf-placeholder-c2c6a1f0"


def _cacheable(request) -> bool:
    """An anonymous visitor with nothing personal to show (no session, no flash message)."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


# Public pages are compressed for phones on weak links (``gzip_page``): Django's compression
# adds random padding and the CSRF token is masked per visitor, which defeats BREACH-style
# guessing of the token.


def cached_public_page(view):
    """Serve anonymous visitors a copy of the page rendered for the current data version.

    The copy is keyed on host, language and full path, and on the data version token of the
    province in the URL (or of the country), so that a change through the services shows at
    once. Each visitor still gets their own CSRF token in place of the placeholder.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        address = f"{request.get_host()}|{request.LANGUAGE_CODE}|{request.get_full_path()}"
        version = data_version(kwargs.get("code") or NATIONAL)
        key = f"tpbis:page:{hashlib.sha256(address.encode()).hexdigest()}:{version}"
        cached = cache.get(key)
        if cached is None:
            request.csrf_placeholder = _CSRF_PLACEHOLDER
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if hasattr(response, "render"):
                response.render()  # a TemplateResponse, e.g. of the sitemaps
            cached = (response.content, response["Content-Type"])
            cache.set(key, cached, AGGREGATE_TTL)
        content, content_type = cached
        token = get_token(request).encode()
        return HttpResponse(
            content.replace(_CSRF_PLACEHOLDER.encode(), token), content_type=content_type
        )

    return wrapper


def _render(request, template: str, context: dict):
    placeholder = getattr(request, "csrf_placeholder", None)
    if placeholder:
        context["csrf_token"] = placeholder
    return render(request, template, context)


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


@gzip_page
@require_GET
@cached_public_page
def province_index(request):
    summary = national_summary()
    provinces = [
        (province, summary.provinces.get(province.code) or RegionCounts(code=province.code))
        for province in Province.objects.order_by("name")
    ]
    return _render(
        request,
        "public/province_index.html",
        {
            "provinces": provinces,
            "totals": summary.totals(),
            "as_of": summary.computed_at,
        },
    )


@gzip_page
@require_GET
@cached_public_page
def province_detail(request, code: str, slug: str = ""):
    province = get_object_or_404(Province, code=code)
    if response := _canonical(request, province_url(province)):
        return response
    page = ProvincePage(request=request, province=province)
    sections = compose(PROVINCE_SECTIONS, page)
    return _render(
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
    """The province's public aggregates as open data: one row per kab/kota and a total.

    Libraries by level, cohort and tier; the year-to-date indicators against target; and
    the published stories. Participants by gender are hidden where a count is small, and
    wherever they would give such a count back together with the other rows, the library
    pages or the row's own total (``aggregates.province_gender``); a note on the row says so.
    """
    province = get_object_or_404(Province, code=code)
    summary = province_summary(province)
    period = year_to_date(province.time_zone)
    figures = breakdown_of(Area.for_province(province), province.code, period)
    indicator_total, indicator_rows = figures.value
    by_regency = {row.area.key: row for row in indicator_rows if row.area.level == Area.REGENCY}
    stories = story_counts_by_regency(province)
    genders = province_gender(province, period)
    tiers = [value for value, _label in Library.SupportTier.choices]
    hidden = _("hidden")
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
        _("Indicator period"),
    ]
    for indicator in KEY_INDICATORS:
        label = str(Indicator(indicator).label)
        # The colour compares what the libraries with a target achieved with their target:
        # that figure and the number of libraries it covers sit beside everything recorded.
        header += [
            label,
            _("%(indicator)s: from libraries with a target") % {"indicator": label},
            _("%(indicator)s: libraries with a target") % {"indicator": label},
            _("%(indicator)s: target") % {"indicator": label},
            _("%(indicator)s: status") % {"indicator": label},
        ]
    header += [
        _("Male participants"),
        _("Female participants"),
        _("Published stories"),
        _("Notes"),
        _("Data as of (UTC)"),
    ]
    stamp = min(summary.computed_at, figures.computed_at, genders.computed_at)
    stamp = stamp.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M")
    period_text = f"{period.start:%Y-%m}/{period.end:%Y-%m}"

    def indicator_cells(report) -> list:
        cells = []
        for indicator in KEY_INDICATORS:
            value = report[indicator] if report is not None else None
            if value is None or value.target is None:
                cells += [value.actual if value else 0, "", 0, "", ""]
                continue
            cells += [
                value.actual,
                value.measured,
                value.libraries_with_target,
                int(value.target),
                value.status_label,
            ]
        return cells

    def note(gender: dict, report) -> str:
        if gender["male"] is not None and gender["female"] is not None:
            return ""
        breakdown = report.breakdown if report is not None else {}
        counts = [breakdown.get(f"participants_{gender}", 0) for gender in ("male", "female")]
        if any(0 < count <= SMALL_CELL_MAX for count in counts):
            return _(
                "Participants by gender hidden: a count of 1 or 2 people could point at a person."
            )
        return _(
            "Participants by gender hidden: with the other rows, the library pages or the "
            "total they would give back a count of 1 or 2 people elsewhere."
        )

    def row(counts: RegionCounts, key: tuple, reached: int | str, report, story_count: int):
        gender = genders.value.get(key, NO_PARTICIPANTS)
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
            period_text,
            *indicator_cells(report),
            hidden if gender["male"] is None else gender["male"],
            hidden if gender["female"] is None else gender["female"],
            story_count,
            note(gender, report),
            stamp,
        ]

    rows = [
        row(
            summary.totals,
            ("province", province.code),
            summary.totals.regencies_reached,
            indicator_total,
            sum(stories.values()),
        )
    ]
    rows += [
        row(
            regency,
            ("regency", regency.code),
            "",
            by_regency.get(regency.code),
            stories.get(regency.code, 0),
        )
        for regency in summary.regencies
    ]
    filename = (
        f"tpbis-{province.code}-{slugify(province.name)}-"
        f"{timezone.localdate(summary.computed_at, timezone=_zone(province)):%Y%m%d}.csv"
    )
    return stream_csv(filename, header, rows)


def _zone(province: Province) -> ZoneInfo:
    return ZoneInfo(province.time_zone)


@gzip_page
@require_GET
@cached_public_page
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
    return _render(
        request,
        "public/library_detail.html",
        {"library": library, "province": library.province, "sections": sections},
    )


# The sitemaps list every participating library and public story: thousands of addresses that
# take seconds to render. They are cached like the pages (renewed with the country's data
# version, so a withdrawn story leaves with the next change) and split into an index of
# sections.
sitemap_index = gzip_page(require_GET(cached_public_page(sitemaps_views.index)))
sitemap_section = gzip_page(require_GET(cached_public_page(sitemaps_views.sitemap)))


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /akun/"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
