"""Small bar charts drawn as inline SVG on the server (no JavaScript, no chart library).

A chart is plain data with integer geometry; ``templates/includes/chart_bars.html`` draws it
with a title and a description for screen readers and a data table as the text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 360
LABEL_WIDTH = 150
VALUE_WIDTH = 44
BAR_HEIGHT = 18
GAP = 6
MAX_LABEL = 24


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: int
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 5

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 4


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    label_header: str
    value_header: str
    bars: tuple[Bar, ...]

    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * (BAR_HEIGHT + GAP) + GAP

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 6


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    label_header: str,
    value_header: str,
    rows: list[tuple[str, int]],
) -> BarChart | None:
    """Horizontal bars, one per row, scaled to the largest value; None without data."""
    if not rows or not any(value for _label, value in rows):
        return None
    largest = max(value for _label, value in rows)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        label = str(label)
        short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        width = round(span * value / largest) if value else 0
        bars.append(
            Bar(
                label=label,
                short_label=short,
                value=value,
                y=GAP + index * (BAR_HEIGHT + GAP),
                # A non-zero value stays visible however small it is next to the largest.
                width=max(width, 2) if value else 0,
            )
        )
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        label_header=label_header,
        value_header=value_header,
        bars=tuple(bars),
    )


# --- Actual against target ------------------------------------------------------------------

GAUGE_HEIGHT = 22
GAUGE_BAR = 10


@dataclass(frozen=True)
class Band:
    x: int
    width: int
    css_class: str


@dataclass(frozen=True)
class TargetGauge:
    """One indicator as a bullet chart: red, yellow and green zones, the bar, the target.

    The zones start where the thresholds put them (e.g. yellow from 75% of the target, green
    from 90%), so the colour under the end of the bar is the indicator's status; the page
    prints the same numbers in words next to it.
    """

    chart_id: str
    bar_width: int
    target_x: int | None
    bands: tuple[Band, ...]
    status: str

    width: int = WIDTH
    height: int = GAUGE_HEIGHT
    bar_height: int = GAUGE_BAR

    @property
    def bar_y(self) -> int:
        return (GAUGE_HEIGHT - GAUGE_BAR) // 2


def target_gauge(value, *, chart_id: str) -> TargetGauge:
    """The gauge of an ``libraries.reporting.indicators.IndicatorValue``."""
    target = float(value.target) if value.target is not None else None
    measured = value.measured if target is not None else value.actual
    largest = max(measured, target or 0, 1) * 1.1

    def x(number) -> int:
        return min(WIDTH, round(WIDTH * float(number) / largest))

    bands: list[Band] = []
    target_x = None
    if target is not None:
        yellow, green = x(value.yellow_at), x(value.green_at)
        bands = [
            Band(0, yellow, "zone-red"),
            Band(yellow, green - yellow, "zone-yellow"),
            Band(green, WIDTH - green, "zone-green"),
        ]
        target_x = min(x(target), WIDTH - 2)
    bar = x(measured)
    return TargetGauge(
        chart_id=chart_id,
        bar_width=max(bar, 2) if measured else 0,
        target_x=target_x,
        bands=tuple(band for band in bands if band.width > 0),
        status=value.status,
    )


# --- Trends: stacked columns ----------------------------------------------------------------

TREND_HEIGHT = 200
TREND_TOP = 16  # room for the totals above the columns
TREND_BOTTOM = 20  # room for the year labels
SERIES_CLASSES = 8


@dataclass(frozen=True)
class Segment:
    label: str
    value: int
    y: int
    height: int
    css_class: str


@dataclass(frozen=True)
class Column:
    label: str
    total: int
    x: int
    center: int
    top: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class StackedChart:
    chart_id: str
    title: str
    description: str
    label_header: str
    columns: tuple[Column, ...]
    #: (series label, css class), in stacking order from the bottom.
    legend: tuple[tuple[str, str], ...]
    column_width: int

    width: int = WIDTH
    height: int = TREND_HEIGHT

    @property
    def axis_y(self) -> int:
        return TREND_HEIGHT - TREND_BOTTOM

    @property
    def label_y(self) -> int:
        return TREND_HEIGHT - 5

    def rows(self) -> list[tuple[str, list[int], int]]:
        """The data table: one row per column, one value per series, and the total."""
        order = [label for label, _css in self.legend]
        return [
            (
                column.label,
                [
                    next((s.value for s in column.segments if s.label == label), 0)
                    for label in order
                ],
                column.total,
            )
            for column in self.columns
        ]


def stacked_columns(
    *,
    chart_id: str,
    title: str,
    description: str,
    label_header: str,
    categories: list[str],
    series: list[tuple[str, list[int]]],
) -> StackedChart | None:
    """One column per category (e.g. a year), stacked by series (e.g. a cohort)."""
    if not categories or not any(any(values) for _label, values in series):
        return None
    totals = [sum(values[index] for _label, values in series) for index in range(len(categories))]
    largest = max(totals) or 1
    plot = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    slot = WIDTH // len(categories)
    column_width = min(max(slot - max(slot // 4, 2), 2), 48)
    legend = tuple(
        (label, f"series-{index % SERIES_CLASSES}") for index, (label, _values) in enumerate(series)
    )
    columns = []
    for index, category in enumerate(categories):
        bottom = TREND_HEIGHT - TREND_BOTTOM
        segments = []
        for (label, values), (_label, css) in zip(series, legend, strict=True):
            value = values[index]
            if not value:
                continue
            height = max(round(plot * value / largest), 1)
            bottom -= height
            segments.append(Segment(label, value, bottom, height, css))
        columns.append(
            Column(
                label=str(category),
                total=totals[index],
                x=index * slot + (slot - column_width) // 2,
                center=index * slot + slot // 2,
                top=bottom,
                segments=tuple(segments),
            )
        )
    return StackedChart(
        chart_id=chart_id,
        title=title,
        description=description,
        label_header=label_header,
        columns=tuple(columns),
        legend=legend,
        column_width=column_width,
    )
