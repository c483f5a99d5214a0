"""The map of the provinces: one square tile per province, laid out roughly as on a map.

Drawn as SVG on the server (``templates/includes/tile_map.html``): no map service, no script.
Each tile is a link to the province's page with its name and figure for screen readers, and
the tile writes the figure that its colour stands for, so the colour is never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from libraries.formatting import format_number
from libraries.models import Indicator
from libraries.reporting.indicators import Status

TILE = 44
GAP = 4
STEP = TILE + GAP

#: (column, row, short label) of each province by Kemendagri code: Sumatra in the west, Papua
#: in the east, Java and Nusa Tenggara in the south.
LAYOUT: dict[str, tuple[int, int, str]] = {
    "11": (0, 0, "ACEH"),
    "12": (1, 1, "SUMUT"),
    "14": (2, 1, "RIAU"),
    "21": (3, 1, "KEPRI"),
    "13": (1, 2, "SUMBAR"),
    "15": (2, 2, "JAMBI"),
    "19": (3, 2, "BABEL"),
    "17": (1, 3, "BKL"),
    "16": (2, 3, "SUMSEL"),
    "18": (3, 3, "LPG"),
    "36": (3, 4, "BTN"),
    "31": (4, 4, "DKI"),
    "32": (5, 4, "JABAR"),
    "33": (6, 4, "JATENG"),
    "34": (6, 5, "DIY"),
    "35": (7, 4, "JATIM"),
    "51": (8, 4, "BALI"),
    "52": (9, 4, "NTB"),
    "53": (10, 4, "NTT"),
    "61": (5, 2, "KALBAR"),
    "62": (6, 2, "KALTENG"),
    "63": (6, 3, "KALSEL"),
    "64": (7, 2, "KALTIM"),
    "65": (7, 1, "KALTARA"),
    "76": (8, 2, "SULBAR"),
    "73": (8, 3, "SULSEL"),
    "72": (9, 2, "SULTENG"),
    "74": (9, 3, "SULTRA"),
    "75": (10, 1, "GTLO"),
    "71": (11, 1, "SULUT"),
    "82": (12, 1, "MALUT"),
    "81": (12, 2, "MALUKU"),
    "96": (13, 1, "PBD"),
    "92": (14, 1, "PABAR"),
    "91": (15, 1, "PAPUA"),
    "94": (14, 2, "PAPTENG"),
    "95": (15, 2, "PAPEG"),
    "93": (15, 3, "PAPSEL"),
}
COLUMNS = 1 + max(column for column, _row, _label in LAYOUT.values())
ROWS = 1 + max(row for _column, row, _label in LAYOUT.values())

#: The indicator the map is coloured by, and the legend's order.
MAP_INDICATOR = Indicator.ACTIVITIES
STATUS_ORDER = (Status.GREEN, Status.YELLOW, Status.RED, Status.NO_TARGET)
STATUS_CLASSES = {
    Status.GREEN: "zone-green",
    Status.YELLOW: "zone-yellow",
    Status.RED: "zone-red",
    Status.NO_TARGET: "zone-none",
}


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    label: str
    url: str
    x: int
    y: int
    css_class: str
    figure: str
    #: What a screen reader says for the link: the name, the figure and its colour in words.
    description: str

    @property
    def center(self) -> int:
        return self.x + TILE // 2


@dataclass(frozen=True)
class TileMap:
    title: str
    description: str
    tiles: tuple[Tile, ...]
    legend: tuple[tuple[str, str, int], ...]  # (label, css class, provinces)
    width: int = COLUMNS * STEP - GAP
    height: int = ROWS * STEP - GAP
    tile: int = TILE


def province_tile_map(provinces, reports: dict, urls: dict[str, str], period_label: str):
    """``provinces``: Province rows; ``reports``: the ``AreaIndicators`` of each by code (a
    province without libraries or records has none); ``urls``: each province's page."""
    indicator_label = str(Indicator(MAP_INDICATOR).label)
    tiles = []
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for province in provinces:
        column, row, label = LAYOUT.get(province.code, (COLUMNS - 1, ROWS - 1, province.code))
        report = reports.get(province.code)
        value = report[MAP_INDICATOR] if report is not None else None
        status = value.status if value is not None else Status.NO_TARGET
        counts[status] += 1
        if value is not None and value.target is not None:
            figure = f"{format_number(value.percent)}%"
            spoken = _(
                "%(name)s: %(indicator)s %(measured)s of a target of %(target)s (%(percent)s%%), "
                "%(status)s"
            ) % {
                "name": province.name,
                "indicator": indicator_label,
                "measured": format_number(value.measured),
                "target": format_number(int(value.target)),
                "percent": format_number(value.percent),
                "status": value.status_label,
            }
        else:
            figure = "–"
            spoken = _("%(name)s: %(indicator)s %(actual)s, no target") % {
                "name": province.name,
                "indicator": indicator_label,
                "actual": format_number(value.actual if value is not None else 0),
            }
        tiles.append(
            Tile(
                code=province.code,
                name=province.name,
                label=label,
                url=urls[province.code],
                x=column * STEP,
                y=row * STEP,
                css_class=STATUS_CLASSES[status],
                figure=figure,
                description=spoken,
            )
        )
    legend = tuple(
        (str(Status.LABELS[status]), STATUS_CLASSES[status], counts[status])
        for status in STATUS_ORDER
    )
    return TileMap(
        title=_("Map of the provinces: %(indicator)s against target, %(period)s")
        % {"indicator": indicator_label, "period": period_label},
        description=_(
            "Each square is a province, placed roughly where it lies, and links to its page. "
            "Its colour and the percentage in it show the %(indicator)s recorded in "
            "%(period)s against the target of the libraries that have one."
        )
        % {"indicator": indicator_label.lower(), "period": period_label},
        tiles=tuple(sorted(tiles, key=lambda tile: (tile.y, tile.x))),
        legend=legend,
    )
