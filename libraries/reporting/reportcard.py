"""The report card ("rapor"): one score from 0 to 100 per library and period, and its roll-ups.

How a library's score is made (every number is shown on its report card page):

1. **Inputs** are the programme's indicators (``indicators.py``) over the period, each against
   the library's target for that period. An input scores ``min(100, 100 * actual / target)``;
   a target of zero asks for nothing and scores 100. An input whose indicator has *no target*
   for the library (none set for its level, cohort and year, or the library is not active) is
   left out and named as such: it cannot be judged. An input with a target and nothing
   recorded scores 0: a library that stops reporting is what the report card must show.
2. **Strands**: community engagement (engagement activities, participants, visitors),
   publication (publications) and advocacy (advocacy activities, MoUs and agreements,
   regulations, budget allocations). A strand's sub-score is the mean of its inputs that
   have a target. A strand none of whose inputs has a target is **missing**.
3. **Score**: the weighted mean of the sub-scores with the weights staff set
   (:class:`~libraries.models.ReportCardSettings`). A missing strand is not counted as 0: its
   weight is shared among the strands present (the weights are rescaled to add up to 100),
   and the card says which strand is missing. With every strand missing there is no score.
   The score is rounded to two decimals (half up), and the colour is read from that
   rounded score: green *above* the green cut-off (75: 75.00 is yellow, 75.01 green),
   yellow from the yellow cut-off (50.00 is yellow), red below.

Roll-ups (kab/kota, province, nation) are the plain mean of the scores of the libraries in
the area that have one: each library counts once, whatever its size; libraries without a
score are counted and shown beside it, never as 0. The strands of an area are the means of
its libraries' sub-scores in the same way.

Which libraries a mean covers: a kab/kota's mean covers its kab/kota library, its village
libraries and its TBM. The provincial library is in no kab/kota's mean: it stands in a
kab/kota town, but it is the province's library, run by the province's Dinas and serving
every kab/kota of it (the registry records no kab/kota for it), so counting it in the mean of
the kab/kota that hosts it would lift or sink that one kab/kota with a library of another
scale. It counts in its province's mean and in the nation's, like every library. Every page
that shows a mean says which libraries it covers (:attr:`RollUp.covers`).

The scores of a province's libraries are computed together in a fixed number of queries and
cached under the province's data-version token (``libraries.data_version``), which every
write to the province's reports, every target and every settings change renews.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from libraries.data_version import data_versions
from libraries.models import Indicator, Library, ReportCardSettings
from libraries.reporting.indicators import (
    Area,
    AreaIndicators,
    Period,
    area_indicators,
    library_figures,
)

ENGAGEMENT = "engagement"
PUBLICATION = "publication"
ADVOCACY = "advocacy"

#: The strands and the indicators each is made of, in display order.
STRANDS: dict[str, tuple[str, ...]] = {
    ENGAGEMENT: (Indicator.ENGAGEMENT, Indicator.PARTICIPANTS, Indicator.VISITORS),
    PUBLICATION: (Indicator.PUBLICATIONS,),
    ADVOCACY: (
        Indicator.ADVOCACY,
        Indicator.AGREEMENTS,
        Indicator.REGULATIONS,
        Indicator.BUDGET,
    ),
}
STRAND_LABELS = {
    ENGAGEMENT: _("Community engagement"),
    PUBLICATION: _("Publication"),
    ADVOCACY: _("Advocacy and partnerships"),
}

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
CACHE_TTL = 15 * 60


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class Colour:
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"

    LABELS = {
        GREEN: _("Green"),
        YELLOW: _("Yellow"),
        RED: _("Red"),
        NONE: _("No score"),
    }


@dataclass(frozen=True)
class Rules:
    """Weights (percent, adding up to 100) and cut-offs, read once per computation."""

    weights: dict[str, int]
    green_above: int
    yellow_from: int

    @classmethod
    def from_settings(cls, settings: ReportCardSettings | None = None) -> Rules:
        settings = settings or ReportCardSettings.current()
        return cls(settings.weights, settings.green_above, settings.yellow_from)

    def colour(self, score: Decimal | None) -> str:
        if score is None:
            return Colour.NONE
        if score > self.green_above:
            return Colour.GREEN
        if score >= self.yellow_from:
            return Colour.YELLOW
        return Colour.RED

    def weighted(self, sub_scores: dict[str, Decimal | None]) -> Decimal | None:
        """The weighted mean of the sub-scores present, rounded; None if none is."""
        present = {
            strand: value
            for strand, value in sub_scores.items()
            if value is not None and self.weights[strand] > 0
        }
        weight = sum(self.weights[strand] for strand in present)
        if not weight:
            return None
        total = sum((value * self.weights[strand] for strand, value in present.items()), Decimal(0))
        return _round(total / weight)


@dataclass(frozen=True)
class Input:
    """One indicator of a strand: what was recorded, the target, and the capped percentage."""

    indicator: str
    actual: int
    target: Decimal | None

    @property
    def label(self) -> str:
        return str(Indicator(self.indicator).label)

    @property
    def has_target(self) -> bool:
        return self.target is not None

    @cached_property
    def percent(self) -> Decimal | None:
        if self.target is None:
            return None
        if self.target == 0:
            return HUNDRED
        return _round(min(HUNDRED, Decimal(self.actual) * HUNDRED / self.target))


@dataclass(frozen=True)
class Strand:
    key: str
    inputs: tuple[Input, ...]
    weight: int
    #: The weight after the missing strands' share is spread (None when missing or no score).
    effective_weight: Decimal | None = None

    @property
    def label(self) -> str:
        return str(STRAND_LABELS[self.key])

    @property
    def missing(self) -> bool:
        return self.sub_score is None

    @cached_property
    def sub_score(self) -> Decimal | None:
        percents = [value.percent for value in self.inputs if value.percent is not None]
        if not percents:
            return None
        return _round(sum(percents, Decimal(0)) / len(percents))

    @property
    def without_target(self) -> list[Input]:
        return [value for value in self.inputs if not value.has_target]

    @property
    def points(self) -> Decimal | None:
        """What the strand adds to the score (sub-score times its effective weight)."""
        if self.sub_score is None or self.effective_weight is None:
            return None
        return _round(self.sub_score * self.effective_weight / HUNDRED)


@dataclass(frozen=True)
class ReportCard:
    """One library's report card over a period, with every number behind it."""

    period: Period
    strands: tuple[Strand, ...]
    score: Decimal | None
    colour: str
    rules: Rules

    @property
    def colour_label(self) -> str:
        return str(Colour.LABELS[self.colour])

    @property
    def missing(self) -> list[Strand]:
        return [strand for strand in self.strands if strand.missing]

    @property
    def sub_scores(self) -> dict[str, Decimal | None]:
        return {strand.key: strand.sub_score for strand in self.strands}


def report_card(indicators: AreaIndicators, rules: Rules) -> ReportCard:
    """The report card of one library from its indicators (no query)."""
    # A library's own figures: what it recorded (also where the input has no target and is
    # left out) and its target.
    return _card(
        indicators.period,
        {name: value.actual for name, value in indicators.values.items()},
        {name: value.target for name, value in indicators.values.items()},
        rules,
    )


def _card(
    period: Period,
    recorded: dict[str, int],
    targets: dict[str, Decimal | None],
    rules: Rules,
) -> ReportCard:
    raw = []
    for key, members in STRANDS.items():
        inputs = tuple(Input(name, recorded.get(name, 0), targets.get(name)) for name in members)
        raw.append(Strand(key, inputs, rules.weights[key]))
    sub_scores = {strand.key: strand.sub_score for strand in raw}
    score = rules.weighted(sub_scores)
    present_weight = sum(
        rules.weights[key] for key, value in sub_scores.items() if value is not None
    )
    strands = tuple(
        Strand(
            strand.key,
            strand.inputs,
            strand.weight,
            (
                _round(Decimal(strand.weight) * HUNDRED / present_weight)
                if score is not None and strand.sub_score is not None
                else None
            ),
        )
        for strand in raw
    )
    return ReportCard(period, strands, score, rules.colour(score), rules)


def library_report_card(area: Area, period: Period) -> ReportCard:
    """The report card of one library (``Area.for_library``): ten queries."""
    return report_card(area_indicators(area, period), Rules.from_settings())


# Roll-ups


@dataclass(frozen=True)
class LibraryScore:
    """What a roll-up keeps of one library's card (small enough to cache by the thousand)."""

    pk: int
    name: str
    province: str
    regency: str | None
    level: str
    score: Decimal | None
    sub_scores: dict[str, Decimal | None]
    colour: str
    #: A participating library (the public pages show these only).
    active: bool = True

    @property
    def strands(self) -> list[tuple[str, Decimal | None]]:
        """(label, sub-score) in display order."""
        return [(str(STRAND_LABELS[key]), self.sub_scores.get(key)) for key in STRANDS]


@dataclass(frozen=True)
class ProvinceScores:
    """The report cards of one province's libraries, and when they were computed (the "data
    as of" stamp of the pages that show them)."""

    libraries: list[LibraryScore]
    computed_at: datetime.datetime


def _level_count(level: str, count: int) -> str:
    # One message per level, so that each language can say "3 village libraries" its own way.
    if level == Library.Level.PROVINCE:
        text = ngettext("%(n)s provincial library", "%(n)s provincial libraries", count)
    elif level == Library.Level.REGENCY:
        text = ngettext("%(n)s kabupaten/kota library", "%(n)s kabupaten/kota libraries", count)
    elif level == Library.Level.VILLAGE:
        text = ngettext("%(n)s desa/kelurahan library", "%(n)s desa/kelurahan libraries", count)
    else:
        text = ngettext("%(n)s TBM", "%(n)s TBM", count)
    return text % {"n": f"{count:,}".replace(",", ".")}


@dataclass
class RollUp:
    """The mean report card of an area's libraries.

    Kept as sums and counts, so that the roll-ups of provinces add up to the nation's without
    going back to the libraries (the mean of all libraries, not the mean of the means).
    """

    key: str
    name: str
    score_sum: Decimal = Decimal(0)
    scored: int = 0
    strand_sums: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(STRANDS, Decimal(0))
    )
    strand_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STRANDS, 0))
    colours: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Colour.LABELS, 0))
    #: How many libraries of each level the roll-up covers (scored or not).
    levels: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Library.Level.values, 0))
    level: str = ""
    url: str | None = None
    rules: Rules | None = None

    @property
    def colour(self) -> str:
        return self.rules.colour(self.score) if self.rules else Colour.NONE

    def add(self, library: LibraryScore) -> None:
        self.colours[library.colour] += 1
        self.levels[library.level] += 1
        if library.score is not None:
            self.score_sum += library.score
            self.scored += 1
        for strand, value in library.sub_scores.items():
            if value is not None:
                self.strand_sums[strand] += value
                self.strand_counts[strand] += 1

    def merge(self, other: RollUp) -> None:
        self.score_sum += other.score_sum
        self.scored += other.scored
        for strand in STRANDS:
            self.strand_sums[strand] += other.strand_sums[strand]
            self.strand_counts[strand] += other.strand_counts[strand]
        for colour, count in other.colours.items():
            self.colours[colour] += count
        for level, count in other.levels.items():
            self.levels[level] += count

    @property
    def libraries(self) -> int:
        return sum(self.colours.values())

    @property
    def unscored(self) -> int:
        return self.colours[Colour.NONE]

    @property
    def covers(self) -> str:
        """The libraries the roll-up covers, by level, in words ("1 kabupaten/kota library,
        12 desa/kelurahan libraries, 3 TBM")."""
        return ", ".join(
            _level_count(level, count)
            for level in Library.Level.values
            if (count := self.levels.get(level, 0))
        )

    @property
    def score(self) -> Decimal | None:
        return _mean(self.score_sum, self.scored)

    def strand(self, key: str) -> Decimal | None:
        return _mean(self.strand_sums[key], self.strand_counts[key])

    @property
    def strands(self) -> list[tuple[str, Decimal | None, int]]:
        """(label, mean sub-score, libraries with that strand) in display order."""
        return [
            (str(STRAND_LABELS[key]), self.strand(key), self.strand_counts[key]) for key in STRANDS
        ]


def _mean(total: Decimal, count: int) -> Decimal | None:
    if not count:
        return None
    return _round(total / count)


def _period_key(period: Period) -> str:
    return f"{period.start:%Y%m}-{period.end:%Y%m}"


def _compute(period: Period, where: Q, rules: Rules) -> list[LibraryScore]:
    """The scores of the libraries matching ``where`` (eight queries)."""
    scores = []
    active = Library.Status.ACTIVE
    for figures in library_figures(period, where):
        row = figures.row
        card = _card(period, figures.recorded, figures.targets, rules)
        scores.append(
            LibraryScore(
                pk=row["pk"],
                name=row["name"],
                province=row["province"],
                regency=row["regency"],
                level=row["level"],
                score=card.score,
                sub_scores=card.sub_scores,
                colour=card.colour,
                active=row["status"] == active,
            )
        )
    return scores


def _keys(period: Period, codes: list[str], kind: str, versions=None) -> dict[str, str]:
    versions = versions or data_versions(codes)
    # v2: the cached values carry the libraries' status, levels and the time computed.
    return {
        code: f"tpbis:reportcard:v2:{kind}:{_period_key(period)}:{code}:{versions[code]}"
        for code in codes
    }


def _fill(period: Period, codes: list[str]) -> dict[str, ProvinceScores]:
    """Compute the provinces ``codes`` in one pass and cache both their libraries' scores and
    their totals."""
    # The tokens are read before the data: a change committed while the scores are computed
    # renews them, so that these scores, perhaps from before it, are never read as after it.
    versions = data_versions(codes)
    lists = _keys(period, codes, "libraries", versions)
    totals = _keys(period, codes, "totals", versions)
    computed_at = timezone.now()
    computed: dict[str, list[LibraryScore]] = {code: [] for code in codes}
    for library in _compute(period, Q(province__in=codes), Rules.from_settings()):
        computed[library.province].append(library)
    entries: dict[str, object] = {}
    found: dict[str, ProvinceScores] = {}
    for code in codes:
        found[code] = entries[lists[code]] = ProvinceScores(computed[code], computed_at)
        total = RollUp(code, "")
        for library in computed[code]:
            total.add(library)
        entries[totals[code]] = total
    cache.set_many(entries, CACHE_TTL)
    return found


def province_scores(period: Period, province_codes: Iterable[str]) -> dict[str, ProvinceScores]:
    """The report cards of every library of these provinces, by province, with when they were
    computed.

    Cached per province under its data-version token; the provinces not in the cache are
    computed together in one pass (a fixed number of queries, whatever their number).
    """
    codes = sorted(set(province_codes))
    if not codes:
        return {}
    keys = _keys(period, codes, "libraries")
    cached = cache.get_many(list(keys.values()))
    found = {code: cached[key] for code, key in keys.items() if key in cached}
    missing = [code for code in codes if code not in found]
    if missing:
        found.update(_fill(period, missing))
    return found


def regency_scores(period: Period, regency_code: str, province_code: str) -> ProvinceScores:
    """The report cards of the libraries of one kab/kota (the provincial library, which is in
    none, aside), from its province's when those are cached, else computed for the kab/kota
    alone: a kab/kota page's first view after a change reads its own libraries' records, not
    the whole province's. Cached under the province's data-version token."""
    versions = data_versions([province_code])
    own = _keys(period, [province_code], f"regency-{regency_code}", versions)[province_code]
    whole = _keys(period, [province_code], "libraries", versions)[province_code]
    cached = cache.get_many([own, whole])
    if own in cached:
        return cached[own]
    if whole in cached:
        province: ProvinceScores = cached[whole]
        return ProvinceScores(
            [library for library in province.libraries if library.regency == regency_code],
            province.computed_at,
        )
    computed_at = timezone.now()
    scores = ProvinceScores(
        _compute(
            period,
            Q(province=province_code, regency=regency_code) & ~Q(level=Library.Level.PROVINCE),
            Rules.from_settings(),
        ),
        computed_at,
    )
    cache.set(own, scores, CACHE_TTL)
    return scores


def library_scores(period: Period, province_codes: Iterable[str]) -> list[LibraryScore]:
    """The report cards of every library of these provinces (``province_scores``)."""
    found = province_scores(period, province_codes)
    return [library for code in sorted(found) for library in found[code].libraries]


def province_totals(period: Period, province_codes: Iterable[str]) -> dict[str, RollUp]:
    """The roll-up of each province (sums and counts, without names), for the national page:
    38 small cache entries instead of the scores of every library of the country."""
    codes = sorted(set(province_codes))
    if not codes:
        return {}
    keys = _keys(period, codes, "totals")
    cached = cache.get_many(list(keys.values()))
    found: dict[str, RollUp] = {code: cached[key] for code, key in keys.items() if key in cached}
    missing = [code for code in codes if code not in found]
    if missing:
        for code, scores in _fill(period, missing).items():
            total = RollUp(code, "")
            for library in scores.libraries:
                total.add(library)
            found[code] = total
    return found


def cards_warm(*, periods: Iterable[Period], province_codes: Iterable[str]) -> int:
    """Compute and cache the report cards of these provinces over each period where the
    cache lacks them (the background task after a target or settings change); how many
    provinces were computed."""
    codes = sorted(set(province_codes))
    computed = 0
    for period in dict.fromkeys(periods):
        keys = _keys(period, codes, "libraries")
        cached = cache.get_many(list(keys.values()))
        missing = [code for code in codes if keys[code] not in cached]
        if missing:
            _fill(period, missing)
            computed += len(missing)
    return computed


def roll_up(
    libraries: Iterable[LibraryScore],
    key_of,
    name_of=None,
    *,
    rules: Rules,
    level: str = "",
) -> tuple[RollUp, list[RollUp]]:
    """The area total and one row per child (``key_of(library)``), sorted by name."""
    total = RollUp("", "", rules=rules)
    rows: dict[object, RollUp] = {}
    for library in libraries:
        total.add(library)
        key = key_of(library)
        if key not in rows:
            name = name_of(key, library) if name_of else str(key)
            rows[key] = RollUp(str(key) if key is not None else "", name, level=level, rules=rules)
        rows[key].add(library)
    return total, sorted(rows.values(), key=lambda row: (row.name, row.key))


def national_roll_up(period: Period, provinces, rules: Rules) -> tuple[RollUp, list[RollUp]]:
    """The nation (the mean of every library's score) and one row per province."""
    names = {province.code: province.name for province in provinces}
    totals = province_totals(period, names)
    total = RollUp("", "", rules=rules)
    rows = []
    for code, row in totals.items():
        total.merge(row)
        if row.libraries:
            row.name, row.rules, row.level = names[code], rules, "province"
            row.url = reverse("reporting:report-card-province", args=[code])
            rows.append(row)
    rows.sort(key=lambda row: (row.name, row.key))
    return total, rows


def rank_by_engagement(libraries: Iterable[LibraryScore], limit: int = 5) -> list[LibraryScore]:
    """Libraries with a community-engagement sub-score, best first (then by whole score, name):
    the report card's suggestion for the community-engagement award."""
    scored = [library for library in libraries if library.sub_scores.get(ENGAGEMENT) is not None]
    scored.sort(
        key=lambda library: (
            -(library.sub_scores[ENGAGEMENT] or 0),
            -(library.score or 0),
            library.name,
            library.pk,
        )
    )
    return scored[:limit]


def rank_by_score(libraries: Iterable[LibraryScore]) -> list[tuple[int, bool, LibraryScore]]:
    """Libraries with a score, best first; equal scores share a rank (1, 2, 2, 4), marked as
    tied; libraries without a score are left out (the page counts them)."""
    scored = sorted(
        (library for library in libraries if library.score is not None),
        key=lambda library: (-(library.score or 0), library.name, library.pk),
    )
    counts: dict[Decimal | None, int] = defaultdict(int)
    for library in scored:
        counts[library.score] += 1
    ranked = []
    rank = 0
    previous: Decimal | None = None
    for position, library in enumerate(scored, start=1):
        if library.score != previous:
            rank, previous = position, library.score
        ranked.append((rank, counts[library.score] > 1, library))
    return ranked
