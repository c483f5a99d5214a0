"""The national dashboard: nation -> province -> kab/kota -> library, within the user's scope.

For Perpusnas staff (the whole country) and consultants (their provinces). Librarians have
their own dashboard and get 403 here; a province or kab/kota outside the scope is a 404.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from libraries.data_version import NATIONAL, data_version
from libraries.models import Indicator, Library, Province, Regency
from libraries.models.registry import FIRST_COHORT_YEAR
from libraries.reporting.indicators import Area, Period
from libraries.reporting.reportcard import (
    STRAND_LABELS,
    STRANDS,
    Rules,
    library_scores,
    national_roll_up,
    regency_scores,
    roll_up,
)
from libraries.scope import Scope, get_in_scope_or_404
from tpbis_portal.overview.aggregates import (
    AGGREGATE_TTL,
    NATIONAL_ZONE,
    NationalSummary,
    ProvinceSummary,
    RegionCounts,
    aggregates_ready,
    area_product_figures,
    breakdown_of,
    library_indicators,
    national_summary,
    province_summary,
    trend_of,
    year_to_date,
)
from tpbis_portal.overview.charts import bar_chart
from tpbis_portal.overview.sections import (
    LibraryPage,
    Section,
    cohort_chart,
    compose,
    indicator_context,
    indicators_section,
    library_stories,
    oldest_stamp,
    trend_section,
)

DASHBOARD_PAGE_SIZE = 50


# Sections


class DashboardYearForm(forms.Form):
    """The year whose indicators the dashboard shows; the current year runs to date."""

    tahun = forms.TypedChoiceField(
        label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, data, *, current_year: int):
        super().__init__(data)
        self.fields["tahun"].choices = [("", _("This year to date"))] + [
            (year, year) for year in range(current_year - 1, FIRST_COHORT_YEAR - 1, -1)
        ]


@dataclass
class DashboardArea:
    """One level of the drill-down, already checked against the user's scope."""

    request: HttpRequest
    scope: Scope
    province: Province | None = None
    regency: Regency | None = None
    library: Library | None = None
    #: The provinces of the user's scope, at the national level.
    provinces: list[Province] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.library is not None:
            return self.library.name
        if self.regency is not None:
            return self.regency.name
        if self.province is not None:
            return self.province.name
        return _("Indonesia") if self.scope.national else _("your provinces")

    @property
    def time_zone(self) -> str:
        return self.province.time_zone if self.province is not None else NATIONAL_ZONE

    @cached_property
    def year_form(self) -> DashboardYearForm:
        today = year_to_date(self.time_zone).end
        form = DashboardYearForm(self.request.GET or None, current_year=today.year)
        if form.is_bound:
            form.is_valid()
        return form

    @cached_property
    def period(self) -> Period:
        data = self.year_form.cleaned_data if self.year_form.is_bound else {}
        return year_to_date(self.time_zone, data.get("tahun"))

    @property
    def indicator_area(self) -> Area:
        if self.library is not None:
            return Area.for_library(self.library)
        if self.regency is not None:
            return Area.for_regency(self.regency)
        if self.province is not None:
            return Area.for_province(self.province)
        return Area.nation()

    @property
    def cache_code(self) -> str:
        """Whose data version the area's cached figures follow."""
        return self.province.code if self.province is not None else NATIONAL

    @property
    def scope_provinces(self) -> tuple[str, ...] | None:
        """At the national level, the provinces of a user without the whole country."""
        if self.province is not None or self.scope.national:
            return None
        return tuple(province.code for province in self.provinces)

    @cached_property
    def national(self) -> NationalSummary:
        return national_summary()

    @cached_property
    def province_summary(self) -> ProvinceSummary:
        return province_summary(self.province)

    @cached_property
    def counts(self) -> RegionCounts:
        if self.regency is not None:
            return next(
                (r for r in self.province_summary.regencies if r.code == self.regency.code),
                RegionCounts(code=self.regency.code, name=self.regency.name),
            )
        if self.province is not None:
            return self.province_summary.totals
        return self.national.totals([province.code for province in self.provinces])

    @property
    def as_of(self):
        if self.province is not None:
            return self.province_summary.computed_at
        return self.national.computed_at


def child_url(area: Area, parent: DashboardArea) -> str | None:
    """The dashboard address of one row of an indicator breakdown."""
    if area.level == Area.PROVINCE:
        return reverse("dashboard:province", args=[area.key])
    if area.level == Area.REGENCY:
        return reverse("dashboard:regency", args=[parent.province.code, area.key])
    if area.level == Area.LIBRARY and area.key:
        return reverse("dashboard:library", args=[parent.province.code, area.key])
    return None


def dashboard_indicators(area: DashboardArea) -> Section:
    """The area's indicators against target, and the same for each region one level down."""
    if area.library is not None:
        figures = library_indicators(area.library, area.period)
        section = indicators_section(figures)
        return replace(
            section, context={**section.context, "year_form": area.year_form, "rows_by": []}
        )
    figures = breakdown_of(area.indicator_area, area.cache_code, area.period)
    total, rows = figures.value
    provinces = area.scope_provinces
    if provinces is not None:
        # A consultant sees their provinces; the national total is not theirs to read.
        rows = [row for row in rows if row.area.key in provinces]
        context = {"period": area.period, "rows": [], "libraries": None}
    else:
        context = indicator_context(total, chart_prefix="gauge")
    headline = (Indicator.ACTIVITIES, Indicator.PARTICIPANTS, Indicator.ENGAGEMENT)
    return Section(
        slug="indikator",
        title=_("Indicators"),
        template="sections/dashboard_indicators.html",
        context={
            **context,
            "year_form": area.year_form,
            "headline": headline,
            "rows_by": [
                {"row": row, "url": child_url(row.area, area), "values": [row[i] for i in headline]}
                for row in rows
            ],
            "child_level": area.indicator_area.child_level,
        },
        as_of=figures.computed_at,
    )


def dashboard_report_card(area: DashboardArea) -> Section | None:
    """The report card of the area: the mean score of its libraries, and one row per region
    one level down (or per library of a kab/kota), each linked to its explained breakdown."""
    rules = Rules.from_settings()
    period = area.period
    query = f"?tahun={period.start.year}"
    if area.regency is not None and area.library is None:
        scores = regency_scores(period, area.regency.code, area.province.code).libraries
    elif area.province is not None:
        scores = library_scores(period, [area.province.code])
    else:
        scores = []
    if area.library is not None:
        scores = [library for library in scores if library.pk == area.library.pk]
        total, rows = roll_up(scores, lambda library: library.pk, rules=rules)
        rows = []
        card_url = reverse("reporting:report-card-library", args=[area.library.pk])
    elif area.regency is not None:
        total, rows = roll_up(
            scores, lambda library: library.pk, lambda _key, library: library.name, rules=rules
        )
        for row in rows:
            row.url = reverse("reporting:report-card-library", args=[row.key])
        card_url = reverse("reporting:report-card-regency", args=[area.regency.code])
    elif area.province is not None:
        names = dict(Regency.objects.filter(province=area.province).values_list("code", "name"))
        total, rows = roll_up(
            scores,
            lambda library: library.regency or "",
            lambda key, library: names.get(key, key) if key else library.name,
            rules=rules,
        )
        for row in rows:
            row.url = reverse("reporting:report-card-regency", args=[row.key]) if row.key else None
        card_url = reverse("reporting:report-card-province", args=[area.province.code])
    else:
        # The user's provinces: every province for national staff, a consultant's own.
        total, rows = national_roll_up(period, area.provinces, rules)
        card_url = reverse("reporting:report-card-nation") if area.scope.national else None
    return Section(
        slug="rapor",
        title=_("Report card"),
        template="sections/dashboard_report_card.html",
        context={
            # A consultant's national view has no national total to read.
            "total": total if area.province is not None or area.scope.national else None,
            "rows": rows,
            "rules": rules,
            "strand_labels": [(key, STRAND_LABELS[key], rules.weights[key]) for key in STRANDS],
            "card_url": card_url,
            "query": query,
            "period": period,
            # Which libraries the mean covers (``reporting/_coverage.html``).
            "level": (
                Area.LIBRARY
                if area.library is not None
                else Area.REGENCY
                if area.regency is not None
                else Area.PROVINCE
                if area.province is not None
                else Area.NATION
            ),
        },
    )


def dashboard_trend(area: DashboardArea) -> Section | None:
    return trend_section(
        trend_of(area.indicator_area, area.cache_code, area.scope_provinces), area.name
    )


def dashboard_breakdown(area: DashboardArea) -> Section | None:
    """The regions one level down (or the libraries of a kab/kota), with their counts."""
    if area.library is not None:
        return None
    if area.regency is not None:
        libraries = (
            Library.objects.active()
            .filter(regency=area.regency)
            .select_related("village__district")
            .order_by("level", "name")
        )
        result = Paginator(libraries, DASHBOARD_PAGE_SIZE).get_page(area.request.GET.get("page"))
        return Section(
            slug="perpustakaan",
            title=_("Libraries of %(area)s") % {"area": area.regency.name},
            template="sections/dashboard_libraries.html",
            context={"page": result, "regency": area.regency},
        )
    if area.province is not None:
        rows = area.province_summary.regencies
        child_title = _("Kabupaten/kota of %(area)s") % {"area": area.province.name}
    else:
        rows = []
        for province in area.provinces:
            counts = area.national.provinces.get(province.code) or RegionCounts(province.code)
            rows.append(replace(counts, name=province.name))
        child_title = _("Provinces")
    chart = bar_chart(
        chart_id="chart-breakdown",
        title=_("Participating libraries: %(title)s") % {"title": child_title},
        description=_("Number of participating libraries in each region of %(area)s.")
        % {"area": area.name},
        label_header=_("Region"),
        value_header=_("Libraries"),
        rows=[(row.name, row.total) for row in rows],
    )
    return Section(
        slug="wilayah",
        title=child_title,
        template="sections/dashboard_regions.html",
        context={"rows": rows, "chart": chart, "province": area.province},
        as_of=area.as_of,
    )


def dashboard_cohorts(area: DashboardArea) -> Section | None:
    if area.library is not None:
        return None
    chart = cohort_chart(area.counts, chart_id="chart-cohorts", area=area.name)
    if chart is None:
        return None
    return Section(
        slug="angkatan",
        title=_("Libraries by cohort"),
        template="sections/cohorts.html",
        context={
            "chart": chart,
            "rows": area.counts.cohort_rows(),
            "tiers": area.counts.tier_rows(),
        },
        as_of=area.as_of,
    )


def dashboard_products(area: DashboardArea) -> Section | None:
    """Community products of the area: recorded, exhibited, with a stakeholder offer."""
    if area.province is not None:
        codes: tuple[str, ...] | None = (area.province.code,)
    else:
        codes = area.scope_provinces
    figures = area_product_figures(
        area.cache_code,
        province_codes=codes,
        regency_code=area.regency.code if area.regency is not None else None,
        library_id=area.library.pk if area.library is not None else None,
    )
    if not figures.products:
        return None
    return Section(
        slug="produk",
        title=_("Community products"),
        template="sections/dashboard_products.html",
        context={"figures": figures, "link": reverse("products:list")},
    )


def dashboard_library_stories(area: DashboardArea) -> Section | None:
    if area.library is None:
        return None
    return library_stories(LibraryPage(request=area.request, library=area.library))


DASHBOARD_SECTIONS: list[Callable[[DashboardArea], Section | None]] = [
    dashboard_indicators,
    dashboard_report_card,
    dashboard_trend,
    dashboard_cohorts,
    dashboard_breakdown,
    dashboard_products,
    dashboard_library_stories,
]


# Pages


def _dashboard_scope(request) -> Scope:
    scope = Scope.for_user(request.user)
    if not scope.sees_provinces:
        raise PermissionDenied
    return scope


@dataclass(frozen=True)
class _Rendered:
    """A dashboard's figures as rendered, and for which data version."""

    version: str
    html: str
    rendered_at: float


def _content_key(area: DashboardArea) -> str:
    """Everything the figures depend on: the page, its period and page number, the language,
    the reader's role and scope (a consultant sees the rows of their provinces only)."""
    request = area.request
    scope = area.scope
    address = "|".join(
        [
            request.path,
            f"{area.period.start}:{area.period.end}",
            request.GET.get("page") or "1",
            get_language(),
            f"{request.user.role}:{request.user.is_superuser}:{scope.can_manage}",
            scope.reach,
        ]
    )
    return f"tpbis:dashboard:{hashlib.sha256(address.encode()).hexdigest()}"


def _content(area: DashboardArea) -> str:
    sections = compose(DASHBOARD_SECTIONS, area)
    return render_to_string(
        "dashboard/national_content.html",
        {
            "area": area,
            "counts": area.counts,
            "sections": sections,
            "as_of": oldest_stamp(sections),
        },
        request=area.request,
    )


def dashboard_content(area: DashboardArea) -> str:
    """The dashboard's figures, rendered once per data version and reader kind.

    After a change, with a task worker (``TASKS_BACKEND=database``), the figures rendered
    before it are shown, with their "data as of" time, until the worker has rebuilt the
    aggregates (``rebuild_aggregates`` marks the version ready): the first reader after a
    change never waits for a scan of the tables. Without a worker, or when the figures on hand
    are older than ``AGGREGATE_TTL``, the reader computes them, as before.
    """
    key = _content_key(area)
    version = data_version(area.cache_code)
    kept: _Rendered | None = cache.get(key)
    if kept is not None and kept.version == version:
        return mark_safe(kept.html)  # noqa: S308 (rendered here, escaped then)
    if (
        kept is not None
        and settings.TASKS_BACKEND == "database"
        and time.time() - kept.rendered_at < AGGREGATE_TTL
        and not aggregates_ready(data_version(NATIONAL))
    ):
        return mark_safe(kept.html)  # noqa: S308 (rendered here, escaped then)
    html = _content(area)
    cache.set(key, _Rendered(version, html, time.time()), AGGREGATE_TTL)
    return html


def _render(request, area: DashboardArea):
    return render(
        request, "dashboard/national.html", {"area": area, "content": dashboard_content(area)}
    )


@login_required
@require_GET
def national(request):
    scope = _dashboard_scope(request)
    provinces = list(Province.objects.visible_to(request.user).order_by("name"))
    return _render(request, DashboardArea(request=request, scope=scope, provinces=provinces))


@login_required
@require_GET
def province(request, code: str):
    scope = _dashboard_scope(request)
    chosen = get_in_scope_or_404(request.user, Province, code=code)
    return _render(request, DashboardArea(request=request, scope=scope, province=chosen))


@login_required
@require_GET
def regency(request, code: str, regency_code: str):
    scope = _dashboard_scope(request)
    chosen = get_in_scope_or_404(
        request.user, Regency.objects.select_related("province"), code=regency_code
    )
    if chosen.province_id != code:
        raise Http404
    return _render(
        request,
        DashboardArea(request=request, scope=scope, province=chosen.province, regency=chosen),
    )


@login_required
@require_GET
def library(request, code: str, pk: int):
    scope = _dashboard_scope(request)
    chosen = get_in_scope_or_404(
        request.user, Library.objects.select_related("province", "regency"), pk=pk
    )
    if chosen.province_id != code:
        raise Http404
    return _render(
        request,
        DashboardArea(
            request=request,
            scope=scope,
            province=chosen.province,
            regency=chosen.regency,
            library=chosen,
        ),
    )
