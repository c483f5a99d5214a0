"""The report card ("rapor") on the public pages: a province's, a kab/kota's and a library's.

The scores come from ``libraries.reporting.reportcard`` over the year to date in the
province's zone (the period of the page's indicators), cached per province under its data
version. The public pages show participating (active) libraries only, so their means cover
those alone; the page says which libraries each mean covers.

What is published, and why it gives nothing hidden back: a library's score, colour and
sub-scores, and the inputs behind them that its page already shows (the key indicators: the
activities, participants and visitors it recorded, and its targets). The report card shows
no count of people by gender, and its only count of people, a library's participants, is the
total its indicator section shows. The amounts the public pages keep to staff (budgets, and
the publications' count) stay out: the card gives their percentage of the target only. An
area's card gives means of scores and counts of libraries by colour and level, never a sum
of inputs, so no total of an area's libraries can be set against another published total to
single out one library's figures (a withdrawn library, which has no page, included).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from libraries.models import Library, Province, Regency
from libraries.reporting.indicators import AreaIndicators, Period
from libraries.reporting.reportcard import (
    STRAND_LABELS,
    STRANDS,
    LibraryScore,
    ReportCard,
    RollUp,
    Rules,
    province_scores,
    regency_scores,
    report_card,
    roll_up,
)
from tpbis_portal.overview.aggregates import KEY_INDICATORS, year_to_date


@dataclass(frozen=True)
class AreaCard:
    """An area's mean report card and one row per part (kab/kota or library)."""

    period: Period
    total: RollUp
    rows: list[RollUp]
    #: The provincial library's own card, on its province's page.
    provincial: LibraryScore | None
    libraries: list[LibraryScore]
    computed_at: datetime.datetime
    rules: Rules

    @property
    def strand_labels(self):
        return [(key, STRAND_LABELS[key], self.rules.weights[key]) for key in STRANDS]


def _participating(
    province: Province, period: Period
) -> tuple[list[LibraryScore], datetime.datetime]:
    scores = province_scores(period, [province.code])[province.code]
    return [library for library in scores.libraries if library.active], scores.computed_at


def province_card(province: Province, rules: Rules) -> AreaCard | None:
    """The province's mean (every participating library, the provincial library included),
    one row per kab/kota and the provincial library's own; None while no participating library
    has a score."""
    period = year_to_date(province.time_zone)
    libraries, computed_at = _participating(province, period)
    if not libraries:
        return None
    names = dict(Regency.objects.filter(province=province).values_list("code", "name"))
    in_regencies = [library for library in libraries if library.regency]
    total, _rows = roll_up(libraries, lambda library: library.pk, rules=rules)
    if not total.scored:
        # No target yet for any of them: nothing to show beside the list of libraries.
        return None
    _ignored, rows = roll_up(
        in_regencies,
        lambda library: library.regency,
        lambda key, _library: names.get(key, key),
        rules=rules,
        level="regency",
    )
    provincial = next(
        (library for library in libraries if library.level == Library.Level.PROVINCE), None
    )
    return AreaCard(period, total, rows, provincial, [], computed_at, rules)


def regency_card(regency: Regency, rules: Rules) -> AreaCard | None:
    """The kab/kota's mean (its kab/kota library, village libraries and TBM) and each of its
    libraries' own card; None while none of them has a score."""
    province = regency.province
    period = year_to_date(province.time_zone)
    scores = regency_scores(period, regency.code, province.code)
    computed_at = scores.computed_at
    libraries = [library for library in scores.libraries if library.active]
    if not libraries:
        return None
    total, _rows = roll_up(libraries, lambda library: library.pk, rules=rules)
    if not total.scored:
        return None
    libraries.sort(key=lambda library: (library.name, library.pk))
    return AreaCard(period, total, [], None, libraries, computed_at, rules)


@dataclass(frozen=True)
class PublicInput:
    label: str
    #: What was recorded and the target, when the public page shows that indicator.
    actual: int | None
    target: object
    percent: object
    has_target: bool


def library_card(indicators: AreaIndicators, rules: Rules) -> ReportCard | None:
    """One library's explained card from the indicators its page already shows (no query);
    None when no strand can be judged and nothing was recorded."""
    card = report_card(indicators, rules)
    if card.score is None and not any(
        value.actual for strand in card.strands for value in strand.inputs
    ):
        return None
    return card


def public_inputs(card: ReportCard) -> list[tuple[object, list[PublicInput]]]:
    """The card's strands with their inputs as the public may read them: the amounts of the
    indicators the public pages show; of the others (budgets, publications), the percentage
    of the target only."""
    strands = []
    for strand in card.strands:
        inputs = []
        for value in strand.inputs:
            shown = value.indicator in KEY_INDICATORS
            inputs.append(
                PublicInput(
                    label=value.label,
                    actual=value.actual if shown else None,
                    target=value.target if shown else None,
                    percent=value.percent,
                    has_target=value.has_target,
                )
            )
        strands.append((strand, inputs))
    return strands
