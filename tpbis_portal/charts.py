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
