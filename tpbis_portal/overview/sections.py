"""The province page, the library page and the dashboards are composed of sections.

A section provider is a function that takes the page being built and returns a
:class:`Section` (a heading, a template to include and its context) or None when it has nothing
to show. Each page lists its providers in order; a new kind of data joins a page as one provider
and one template under ``templates/sections/``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from impact.models import Testimony
from libraries.models import Indicator, Library, Province, Regency
from libraries.reporting.indicators import Area
from libraries.reporting.reportcard import Rules
from tpbis_portal.overview.aggregates import (
    KEY_INDICATORS,
    NO_PARTICIPANTS,
    ProvinceSummary,
    RegionCounts,
    Stamped,
    cached_aggregate,
    library_indicators,
    participants_by_gender,
    province_events,
    province_gender,
    province_indicators,
    province_products,
    province_stories,
    province_summary,
    regency_indicators,
    trend_of,
)
from tpbis_portal.overview.charts import bar_chart, stacked_columns, target_gauge
from tpbis_portal.overview.filters import LibraryDirectoryFilter
from tpbis_portal.overview.report_cards import (
    library_card,
    province_card,
    public_inputs,
    regency_card,
)

DIRECTORY_PAGE_SIZE = 25


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    #: When the figures of this section were computed (for the page's "data as of" stamp).
    as_of: datetime.datetime | None = None


def compose(providers: Sequence[Callable], page) -> list[Section]:
    return [section for provider in providers if (section := provider(page)) is not None]


def oldest_stamp(sections: Sequence[Section], *more: datetime.datetime | None):
    stamps = [s.as_of for s in sections if s.as_of] + [stamp for stamp in more if stamp]
    return min(stamps) if stamps else None


def cohort_chart(counts: RegionCounts, *, chart_id: str, area: str):
    return bar_chart(
        chart_id=chart_id,
        title=_("Participating libraries by cohort year, %(area)s") % {"area": area},
        description=_(
            "Number of libraries that joined the programme in each year, from %(first)s to "
            "%(last)s."
        )
        % {"first": counts.cohort_years[0], "last": counts.cohort_years[-1]}
        if counts.cohort_years
        else "",
        label_header=_("Cohort year"),
        value_header=_("Libraries"),
        rows=[(str(year), counts.cohorts[year]) for year in counts.cohort_years],
    )


def indicator_context(report, *, chart_prefix: str, gender: dict | None = None) -> dict:
    """What ``sections/indicators.html`` shows of an ``AreaIndicators``: gauges and numbers.

    ``gender``: the participants by gender to show; the public pages pass their cell of the
    province's table (``aggregates.province_gender``), where small counts are hidden with
    whatever would give them back. By default the area is judged alone (staff dashboards).
    """
    return {
        "period": report.period,
        "rows": [
            {
                "value": report[indicator],
                "gauge": target_gauge(report[indicator], chart_id=f"{chart_prefix}-{indicator}"),
            }
            for indicator in KEY_INDICATORS
        ],
        "gender": gender if gender is not None else participants_by_gender(report.breakdown),
        "participants": report[Indicator.PARTICIPANTS].actual,
        "libraries": report.libraries,
    }


def indicators_section(
    figures: Stamped, *, chart_prefix: str = "gauge", gender: Stamped | None = None, key=None
) -> Section:
    """``gender`` and ``key``: a published table of participants by gender and this area's
    cell in it."""
    as_of = figures.computed_at
    shown = None
    if gender is not None:
        shown = gender.value.get(key, NO_PARTICIPANTS)
        as_of = min(as_of, gender.computed_at)
    return Section(
        slug="indikator",
        title=_("Key indicators"),
        template="sections/indicators.html",
        context=indicator_context(figures.value, chart_prefix=chart_prefix, gender=shown),
        as_of=as_of,
    )


def area_card_section(card, *, level: str, province: Province) -> Section | None:
    if card is None:
        return None
    return Section(
        slug="rapor",
        title=_("Report card"),
        template="sections/report_card.html",
        context={"card": card, "level": level, "province": province, "as_of": card.computed_at},
        as_of=card.computed_at,
    )


def trend_section(figures: Stamped, area_name: str) -> Section | None:
    """Activities and participants per year, stacked by the cohort of the libraries."""
    points = figures.value
    years = sorted({point.year for point in points})
    cohorts = sorted({point.cohort_year for point in points})
    if not years:
        return None
    by_key = {(point.year, point.cohort_year): point for point in points}

    def series(attribute):
        return [
            (
                _("Cohort %(year)s") % {"year": cohort},
                [getattr(by_key.get((year, cohort)), attribute, 0) for year in years],
            )
            for cohort in cohorts
        ]

    charts = [
        stacked_columns(
            chart_id="chart-trend-activities",
            title=_("Activities per year by cohort, %(area)s") % {"area": area_name},
            description=_(
                "Activities recorded in each year from %(first)s to %(last)s, each column "
                "divided by the cohort year of the libraries that held them."
            )
            % {"first": years[0], "last": years[-1]},
            label_header=_("Year"),
            categories=[str(year) for year in years],
            series=series("activities"),
        ),
        stacked_columns(
            chart_id="chart-trend-participants",
            title=_("Participants per year by cohort, %(area)s") % {"area": area_name},
            description=_(
                "Participants of the activities of each year from %(first)s to %(last)s, by "
                "the cohort year of the libraries."
            )
            % {"first": years[0], "last": years[-1]},
            label_header=_("Year"),
            categories=[str(year) for year in years],
            series=series("participants"),
        ),
    ]
    return Section(
        slug="tren",
        title=_("Trends by year and cohort"),
        template="sections/trend.html",
        context={"charts": [chart for chart in charts if chart is not None]},
        as_of=figures.computed_at,
    )


# --- The public province page -----------------------------------------------------------------


@dataclass
class ProvincePage:
    request: HttpRequest
    province: Province

    @cached_property
    def summary(self) -> ProvinceSummary:
        return province_summary(self.province)


def province_cohorts(page: ProvincePage) -> Section | None:
    totals = page.summary.totals
    chart = cohort_chart(totals, chart_id="chart-cohorts", area=page.province.name)
    if chart is None:
        return None
    return Section(
        slug="angkatan",
        title=_("Libraries by cohort"),
        template="sections/cohorts.html",
        context={"chart": chart, "rows": totals.cohort_rows(), "tiers": totals.tier_rows()},
        as_of=page.summary.computed_at,
    )


def province_key_indicators(page: ProvincePage) -> Section | None:
    figures = province_indicators(page.province)
    # A province without participating libraries or records has nothing to measure yet.
    if not figures.value.libraries and not any(value.actual for value in figures.value):
        return None
    return indicators_section(
        figures, gender=province_gender(page.province), key=("province", page.province.code)
    )


def province_report_card(page: ProvincePage) -> Section | None:
    card = province_card(page.province, Rules.from_settings())
    return area_card_section(card, level=Area.PROVINCE, province=page.province)


def province_stories_section(page: ProvincePage) -> Section | None:
    cards = province_stories(page.province)
    if not cards.total:
        return None
    return Section(
        slug="cerita",
        title=_("Stories of change"),
        template="sections/stories.html",
        context={"stories": cards.stories, "total": cards.total, "province": page.province},
    )


def province_products_section(page: ProvincePage) -> Section | None:
    cards = province_products(page.province)
    if not cards.figures.products:
        return None
    return Section(
        slug="produk",
        title=_("Community products"),
        template="sections/products.html",
        context={
            "products": cards.products,
            "total": cards.total,
            "figures": cards.figures,
            "province": page.province,
        },
    )


def province_events_section(page: ProvincePage) -> Section | None:
    figures = province_events(page.province)
    if not figures.value.total:
        return None
    return Section(
        slug="acara",
        title=_("Bimtek, PLM and SHM"),
        template="sections/events.html",
        context={
            "events": figures.value.events,
            "total": figures.value.total,
            "province": page.province,
        },
        as_of=figures.computed_at,
    )


def province_trend(page: ProvincePage) -> Section | None:
    return trend_section(
        trend_of(Area.for_province(page.province), page.province.code), page.province.name
    )


def province_regencies(page: ProvincePage) -> Section | None:
    if not page.summary.regencies:
        return None
    return Section(
        slug="kabupaten-kota",
        title=_("Libraries by kabupaten/kota"),
        template="sections/regencies.html",
        context={"regencies": page.summary.regencies, "province": page.province},
        as_of=page.summary.computed_at,
    )


def province_directory(page: ProvincePage) -> Section:
    directory = LibraryDirectoryFilter(
        page.request.GET or None,
        queryset=Library.objects.active()
        .filter(province=page.province)
        .select_related("regency", "village__district")
        .order_by("regency_id", "level", "name"),
        summary=page.summary,
    )
    result = Paginator(directory.qs, DIRECTORY_PAGE_SIZE).get_page(page.request.GET.get("page"))
    return Section(
        slug="perpustakaan",
        title=_("Participating libraries"),
        template="sections/directory.html",
        context={"form": directory.form, "page": result, "searching": directory.searching},
    )


PROVINCE_SECTIONS: list[Callable[[ProvincePage], Section | None]] = [
    province_key_indicators,
    province_report_card,
    province_trend,
    province_events_section,
    province_stories_section,
    province_products_section,
    province_cohorts,
    province_regencies,
    province_directory,
]


# --- The public kab/kota page ------------------------------------------------------------------


@dataclass
class RegencyPage:
    request: HttpRequest
    province: Province
    regency: Regency

    @cached_property
    def summary(self) -> ProvinceSummary:
        return province_summary(self.province)

    @cached_property
    def counts(self) -> RegionCounts:
        return next(
            (r for r in self.summary.regencies if r.code == self.regency.code),
            RegionCounts(code=self.regency.code, name=self.regency.name),
        )


def regency_key_indicators(page: RegencyPage) -> Section | None:
    figures = regency_indicators(page.regency)
    if not figures.value.libraries and not any(value.actual for value in figures.value):
        return None
    return indicators_section(
        figures,
        chart_prefix="gauge",
        gender=province_gender(page.province),
        key=("regency", page.regency.code),
    )


def regency_report_card(page: RegencyPage) -> Section | None:
    card = regency_card(page.regency, Rules.from_settings())
    return area_card_section(card, level=Area.REGENCY, province=page.province)


def regency_trend(page: RegencyPage) -> Section | None:
    return trend_section(
        trend_of(Area.for_regency(page.regency), page.province.code), page.regency.name
    )


def regency_events(page: RegencyPage) -> Section | None:
    figures = province_events(page.province, page.regency)
    if not figures.value.total:
        return None
    return Section(
        slug="acara",
        title=_("Bimtek, PLM and SHM"),
        template="sections/events.html",
        context={
            "events": figures.value.events,
            "total": figures.value.total,
            "province": page.province,
            "regency": page.regency,
        },
        as_of=figures.computed_at,
    )


def regency_stories(page: RegencyPage) -> Section | None:
    cards = province_stories(page.province, regency=page.regency)
    if not cards.total:
        return None
    return Section(
        slug="cerita",
        title=_("Stories of change"),
        template="sections/stories.html",
        context={
            "stories": cards.stories,
            "total": cards.total,
            "province": page.province,
            "regency": page.regency,
        },
    )


def regency_cohorts(page: RegencyPage) -> Section | None:
    chart = cohort_chart(page.counts, chart_id="chart-cohorts", area=page.regency.name)
    if chart is None:
        return None
    return Section(
        slug="angkatan",
        title=_("Libraries by cohort"),
        template="sections/cohorts.html",
        context={
            "chart": chart,
            "rows": page.counts.cohort_rows(),
            "tiers": page.counts.tier_rows(),
        },
        as_of=page.summary.computed_at,
    )


def regency_libraries(page: RegencyPage) -> Section:
    libraries = (
        Library.objects.active()
        .filter(regency=page.regency)
        .select_related("village__district")
        .order_by("level", "name", "pk")
    )
    result = Paginator(libraries, DIRECTORY_PAGE_SIZE).get_page(page.request.GET.get("page"))
    return Section(
        slug="perpustakaan",
        title=_("Participating libraries"),
        template="sections/regency_libraries.html",
        context={"page": result, "province": page.province},
    )


REGENCY_SECTIONS: list[Callable[[RegencyPage], Section | None]] = [
    regency_key_indicators,
    regency_report_card,
    regency_trend,
    regency_events,
    regency_stories,
    regency_cohorts,
    regency_libraries,
]


@dataclass(frozen=True)
class RenderedContent:
    html: str
    #: The oldest "data as of" time of the figures in ``html``.
    as_of: datetime.datetime | None


def regency_content(page: RegencyPage) -> RenderedContent:
    """The kab/kota page's main part: its headline numbers and sections, rendered.

    Rendering them (the report card has a row per library) costs more than reading their
    figures, so the first page of the list is rendered once per language and data version of
    the province, like the figures it shows: a change shows at once, and after one the task
    worker renders it anew (``tasks.rebuild_aggregates``) before the first visitor comes.
    Other pages of the list are rendered on the request (the page cache keeps them).
    """

    def render() -> RenderedContent:
        sections = compose(REGENCY_SECTIONS, page)
        as_of = oldest_stamp(sections, page.summary.computed_at)
        html = render_to_string(
            "public/regency_content.html",
            {
                "province": page.province,
                "regency": page.regency,
                "totals": page.counts,
                "sections": sections,
                "as_of": as_of,
            },
            page.request,
        )
        return RenderedContent(str(html), as_of)

    if page.request.GET:
        # Another page of the list, or a signed-in reader's address with parameters the page
        # cache would have dropped: its links carry them, so it is not shared.
        return render()
    return cached_aggregate(
        f"regency-page-{page.regency.code}-{get_language()}", page.province.code, render
    )


def rendered(content: RenderedContent) -> SafeString:
    return mark_safe(content.html)  # noqa: S308 (rendered by the template engine, escaped then)


# --- The public library page ------------------------------------------------------------------


@dataclass
class LibraryPage:
    request: HttpRequest
    library: Library


def library_aid(page: LibraryPage) -> Section | None:
    items = list(page.library.aid_items.all())
    if not items:
        return None
    return Section(
        slug="bantuan",
        title=_("Aid package received"),
        template="sections/aid.html",
        context={"items": items},
    )


def library_key_indicators(page: LibraryPage) -> Section | None:
    figures = library_indicators(page.library)
    report = figures.value
    # A library that has recorded nothing and has no target has nothing to compare.
    if not any(value.actual or value.target is not None for value in report):
        return None
    return indicators_section(
        figures,
        gender=province_gender(page.library.province),
        key=("library", str(page.library.pk)),
    )


def library_report_card(page: LibraryPage) -> Section | None:
    """The library's score explained input by input, from the indicators its page shows."""
    figures = library_indicators(page.library)
    card = library_card(figures.value, Rules.from_settings())
    if card is None:
        return None
    return Section(
        slug="rapor",
        title=_("Report card"),
        template="sections/library_report_card.html",
        context={
            "card": card,
            "strands": public_inputs(card),
            "province": page.library.province,
            "as_of": figures.computed_at,
        },
        as_of=figures.computed_at,
    )


def library_stories(page: LibraryPage) -> Section | None:
    cards = province_stories(page.library.province, library=page.library)
    if not cards.total:
        return None
    return Section(
        slug="cerita",
        title=_("Stories of change"),
        template="sections/stories.html",
        context={
            "stories": cards.stories,
            "total": cards.total,
            "province": page.library.province,
            "library": page.library,
        },
    )


#: Testimonies shown on a library's public page, newest first.
PUBLIC_TESTIMONIES = 6


def library_testimonies(page: LibraryPage) -> Section | None:
    """Published testimonies whose use consent stands; a speaker is named only with the
    consent to be named (one query)."""
    testimonies = list(
        Testimony.objects.public()
        .named_in_public()
        .filter(library=page.library)
        .order_by("-given_on", "-pk")[:PUBLIC_TESTIMONIES]
    )
    if not testimonies:
        return None
    return Section(
        slug="testimoni",
        title=_("Testimonies"),
        template="sections/testimonies.html",
        context={"testimonies": testimonies},
    )


LIBRARY_SECTIONS: list[Callable[[LibraryPage], Section | None]] = [
    library_key_indicators,
    library_report_card,
    library_stories,
    library_testimonies,
    library_aid,
]
