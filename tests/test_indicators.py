"""The indicator module on fixtures small enough to compute by hand.

First quarter of 2024. Target: 2 activities per month per village library (all cohorts),
so 6 per village library over the quarter. The kab/kota libraries have no target.

- Rawa Makmur (village, Samarinda): 4 activities, 33 participants (17 men, 16 women).
- Dinas Perpustakaan Kota Samarinda (kab/kota library): 2 activities, no target.
- Merabu (village, Berau): 5 activities.
- Tanjung Pinang Barat (village, Kepri): nothing.
"""

import datetime
from decimal import Decimal

import pytest

from libraries.models import Activity, Indicator, Library, Province, Regency, Strategy
from libraries.reporting.indicators import (
    Area,
    Period,
    Status,
    ThresholdRule,
    area_indicators,
    indicator_breakdown,
)
from libraries.reporting.rankings import library_ranking
from tests import factories

Q1 = Period.for_quarter(2024, 1)


def _activity(library, day, strategy=Strategy.ENGAGEMENT, male=0, female=0, **extra):
    return factories.ActivityFactory(
        library=library,
        date=day,
        strategy=strategy,
        participants_male=male,
        participants_female=female,
        **extra,
    )


@pytest.fixture
def programme(village_library, samarinda_library, berau_village_library, kepri_library):
    factories.TargetFactory(indicator=Indicator.ACTIVITIES, level="village", per_month=2)
    jan, feb = datetime.date(2024, 1, 10), datetime.date(2024, 2, 10)
    ages = {"age_children": 4, "age_youth": 2, "age_adults": 8, "age_elderly": 1}
    _activity(village_library, jan, male=10, female=5, **ages)
    _activity(village_library, jan, male=3, female=7)
    _activity(village_library, feb, Strategy.ADVOCACY, male=4, female=4)
    _activity(village_library, datetime.date(2024, 3, 31), Strategy.INFORMATION)
    # Outside the quarter on both sides: never counted.
    _activity(village_library, datetime.date(2023, 12, 31), male=50)
    _activity(village_library, datetime.date(2024, 4, 1), male=50)
    _activity(samarinda_library, jan, male=1, female=1)
    _activity(samarinda_library, feb, Strategy.ADVOCACY)
    for day in range(1, 6):
        _activity(berau_village_library, datetime.date(2024, 2, day))
    return {
        "rawa_makmur": village_library,
        "samarinda": samarinda_library,
        "merabu": berau_village_library,
        "kepri": kepri_library,
    }


def test_library_indicators_add_up_by_hand(programme):
    report = area_indicators(Area.for_library(programme["rawa_makmur"]), Q1)

    activities = report[Indicator.ACTIVITIES]
    assert activities.actual == 4
    assert activities.target == Decimal(6)
    assert activities.percent == Decimal("66.7")
    assert activities.status == Status.RED
    assert report[Indicator.ENGAGEMENT].actual == 2
    assert report[Indicator.ADVOCACY].actual == 1
    assert report.breakdown["information"] == 1


def test_participants_by_gender_sum_to_the_total(programme):
    report = area_indicators(Area.for_library(programme["rawa_makmur"]), Q1)

    assert report.breakdown["participants_male"] == 17
    assert report.breakdown["participants_female"] == 16
    assert report[Indicator.PARTICIPANTS].actual == 33


def test_age_groups_count_only_activities_that_recorded_them(programme):
    report = area_indicators(Area.for_library(programme["rawa_makmur"]), Q1)

    assert [report.breakdown[key] for key in ("age_children", "age_youth")] == [4, 2]
    assert [report.breakdown[key] for key in ("age_adults", "age_elderly")] == [8, 1]
    assert report.breakdown["participants_age_known"] == 15
    assert report.participants_age_unknown == 18


def test_library_without_target_is_reported_as_such(programme):
    report = area_indicators(Area.for_library(programme["samarinda"]), Q1)

    activities = report[Indicator.ACTIVITIES]
    assert activities.actual == 2
    assert activities.target is None
    assert activities.status == Status.NO_TARGET
    assert activities.libraries_without_target == 1
    assert activities.percent is None


def test_kab_kota_compares_only_libraries_that_have_a_target(programme):
    report = area_indicators(Area.for_regency(Regency.objects.get(code="64.72")), Q1)

    activities = report[Indicator.ACTIVITIES]
    assert activities.actual == 6
    assert activities.measured == 4
    assert activities.target == Decimal(6)
    assert (activities.libraries_with_target, activities.libraries_without_target) == (1, 1)
    assert report.libraries == 2


def test_province_at_exactly_the_yellow_edge_is_yellow(programme):
    report = area_indicators(Area.for_province(Province.objects.get(code="64")), Q1)

    activities = report[Indicator.ACTIVITIES]
    # Rawa Makmur 4 + Merabu 5 against 6 + 6: exactly 75%.
    assert (activities.actual, activities.measured, activities.target) == (11, 9, Decimal(12))
    assert activities.percent == Decimal("75.0")
    assert activities.status == Status.YELLOW
    assert activities.yellow_at == Decimal(9)
    assert activities.green_at == Decimal(12)


def test_nation_sums_every_province(programme):
    report = area_indicators(Area.nation(), Q1)

    activities = report[Indicator.ACTIVITIES]
    assert (activities.actual, activities.measured, activities.target) == (11, 9, Decimal(18))
    assert activities.status == Status.RED
    assert report[Indicator.PARTICIPANTS].actual == 35


def test_period_without_records_or_targets_is_all_zero_and_no_target(programme):
    report = area_indicators(Area.nation(), Period.for_year(2019))

    assert all(value.actual == 0 for value in report)
    assert all(value.status == Status.NO_TARGET for value in report)
    assert report.breakdown["participants_male"] == 0


def test_month_with_a_target_but_no_activity_is_red(programme):
    report = area_indicators(Area.for_library(programme["kepri"]), Period.for_month(2024, 1))

    activities = report[Indicator.ACTIVITIES]
    assert (activities.actual, activities.target, activities.status) == (0, 2, Status.RED)


def test_cohort_gets_no_target_before_it_joins(regions):
    library = factories.village_library("64.72.01.1002", cohort_year=2025)
    factories.TargetFactory(year=2024, per_month=2)
    factories.TargetFactory(year=2025, per_month=3)

    report = area_indicators(
        Area.for_library(library),
        Period.between(datetime.date(2024, 11, 1), datetime.date(2025, 2, 1)),
    )

    # November and December 2024 are before the cohort joined; January and February count.
    assert report[Indicator.ACTIVITIES].target == Decimal(6)


def test_cohort_target_overrides_the_all_cohorts_target(village_library):
    factories.TargetFactory(per_month=2)
    factories.TargetFactory(per_month=5, cohort_year=village_library.cohort_year)

    report = area_indicators(Area.for_library(village_library), Period.for_month(2024, 5))

    assert report[Indicator.ACTIVITIES].target == Decimal(5)


def test_targets_of_counts_are_whole_numbers_rounded_up(village_library, berau_village_library):
    # 0.35 MoUs per library per month: 4.2 per library over 2024, 8.4 for the two libraries.
    factories.TargetFactory(
        indicator=Indicator.AGREEMENTS, level="village", per_month=Decimal("0.35")
    )
    partner = factories.PartnerFactory(library=village_library)
    for day in range(1, 9):
        village_library.agreements.create(
            partner=partner, title=f"MoU {day}", signed_on=datetime.date(2024, 3, day)
        )

    library = area_indicators(Area.for_library(village_library), Period.for_year(2024))
    # Kota Samarinda has one village library: Rawa Makmur.
    samarinda = area_indicators(Area.for_regency(village_library.regency), Period.for_year(2024))
    province = area_indicators(Area.for_province(village_library.province), Period.for_year(2024))

    assert library[Indicator.AGREEMENTS].target == 5
    assert samarinda[Indicator.AGREEMENTS].target == 5
    agreements = province[Indicator.AGREEMENTS]
    # Two village libraries with a whole target of 5 each: the kab/kota rows add up.
    assert (agreements.measured, agreements.target) == (8, 10)
    assert agreements.status == Status.YELLOW
    # The thresholds are whole counts too: green from 10, yellow from 8 (75% of 10 is 7.5).
    assert (agreements.green_at, agreements.yellow_at) == (10, 8)


def test_headline_is_the_figure_the_colour_is_based_on(programme):
    report = area_indicators(Area.for_regency(programme["rawa_makmur"].regency), Q1)

    activities = report[Indicator.ACTIVITIES]

    # Samarinda: Rawa Makmur (target) did 4, the kab/kota library (no target) 2.
    assert (activities.actual, activities.measured, activities.headline) == (6, 4, 4)
    assert activities.libraries_with_target == 1
    no_target = report[Indicator.VISITORS]
    assert (no_target.target, no_target.headline) == (None, no_target.actual)


def test_withdrawn_library_counts_in_actual_but_carries_no_target(village_library):
    factories.TargetFactory(per_month=2)
    _activity(village_library, datetime.date(2024, 1, 5))
    Library.objects.filter(pk=village_library.pk).update(status=Library.Status.WITHDRAWN)

    report = area_indicators(Area.for_library(village_library), Period.for_month(2024, 1))

    activities = report[Indicator.ACTIVITIES]
    assert (activities.actual, activities.target, activities.status) == (1, None, "none")
    assert activities.libraries_without_target == 0


def test_visitors_agreements_regulations_and_budget_are_summed(village_library):
    factories.VisitorCountFactory(library=village_library, month=datetime.date(2024, 1, 1))
    factories.VisitorCountFactory(
        library=village_library, month=datetime.date(2024, 2, 1), visitors=40
    )
    factories.VisitorCountFactory(
        library=village_library, month=datetime.date(2024, 4, 1), visitors=999
    )
    partner = factories.PartnerFactory(library=village_library)
    village_library.agreements.create(
        partner=partner, title="Literasi keuangan", signed_on=datetime.date(2024, 3, 1)
    )
    village_library.regulations.create(
        kind="perdes", title="Perdes perpustakaan", issued_on=datetime.date(2024, 2, 2)
    )
    village_library.budget_allocations.create(
        source="dana_desa", amount=25_000_000, purpose="Buku", decided_on=datetime.date(2024, 1, 9)
    )
    village_library.budget_allocations.create(
        source="apbd_regency", amount=5_000_000, purpose="Rak", decided_on=datetime.date(2024, 3, 9)
    )

    report = area_indicators(Area.for_library(village_library), Q1)

    assert report[Indicator.VISITORS].actual == 140
    assert report[Indicator.AGREEMENTS].actual == 1
    assert report[Indicator.REGULATIONS].actual == 1
    assert report[Indicator.BUDGET].actual == 30_000_000


def test_breakdown_of_a_province_lists_each_kab_kota_with_its_colour(programme):
    province = Area.for_province(Province.objects.get(code="64"))

    total, rows = indicator_breakdown(province, Q1)

    by_name = {row.area.name: row[Indicator.ACTIVITIES] for row in rows}
    assert set(by_name) == {"Kabupaten Berau", "Kota Samarinda"}
    assert (by_name["Kota Samarinda"].measured, by_name["Kota Samarinda"].status) == (4, "red")
    assert (by_name["Kabupaten Berau"].measured, by_name["Kabupaten Berau"].status) == (
        5,
        "yellow",
    )
    assert total[Indicator.ACTIVITIES].actual == 11


def test_breakdown_queries_do_not_grow_with_data(programme, django_assert_num_queries):
    nation = Area.nation()
    with django_assert_num_queries(10):
        indicator_breakdown(nation, Q1)
    for code in ["64.72.01.1002", "64.72.02.1001", "21.72.01.1002"]:
        library = factories.village_library(code)
        for day in range(1, 4):
            _activity(library, datetime.date(2024, 1, day), male=2)
        factories.VisitorCountFactory(library=library)

    with django_assert_num_queries(10):
        _total, rows = indicator_breakdown(nation, Q1)
    assert {row.area.name for row in rows} == {"Kalimantan Timur", "Kepulauan Riau"}


def test_area_indicators_take_nine_queries(programme, django_assert_num_queries):
    with django_assert_num_queries(9):
        area_indicators(Area.nation(), Q1)


# Colours at their edges


@pytest.mark.parametrize(
    ("actual", "target", "status"),
    [
        (100, Decimal(100), Status.GREEN),
        (101, Decimal(100), Status.GREEN),
        (99, Decimal(100), Status.YELLOW),
        (75, Decimal(100), Status.YELLOW),
        (74, Decimal(100), Status.RED),
        (0, Decimal(100), Status.RED),
        (0, Decimal(0), Status.GREEN),
        (3, Decimal("4.00"), Status.YELLOW),
        (5, None, Status.NO_TARGET),
    ],
)
def test_default_colour_thresholds_at_their_edges(actual, target, status):
    assert ThresholdRule().status(actual, target) == status


def test_colour_thresholds_set_by_perpusnas_apply(village_library):
    from libraries.models import Threshold

    Threshold.objects.create(indicator=Indicator.ACTIVITIES, yellow_from=50, green_from=80)
    factories.TargetFactory(per_month=10)
    for day in range(1, 9):
        _activity(village_library, datetime.date(2024, 1, day))

    report = area_indicators(Area.for_library(village_library), Period.for_month(2024, 1))

    activities = report[Indicator.ACTIVITIES]
    assert activities.status == Status.GREEN
    assert not activities.rule.is_default
    assert report[Indicator.PARTICIPANTS].rule.is_default


# Ranking


@pytest.fixture
def ranked_province(regions):
    libraries = {
        code: factories.village_library(code, name=name)
        for code, name in [
            ("64.72.01.1001", "Perpustakaan Rawa Makmur"),
            ("64.72.01.1002", "Perpustakaan Handil Bakti"),
            ("64.72.02.1001", "Perpustakaan Sungai Keledang"),
            ("64.03.01.2001", "Perpustakaan Merabu"),
        ]
    }
    counts = {"64.72.01.1001": 3, "64.72.01.1002": 3, "64.72.02.1001": 1, "64.03.01.2001": 0}
    for code, count in counts.items():
        for day in range(1, count + 1):
            _activity(libraries[code], datetime.date(2024, 5, day), male=day)
    return Province.objects.get(code="64")


def test_ranking_shares_a_rank_between_equal_libraries(ranked_province):
    ranking = library_ranking(province=ranked_province, period=Period.for_year(2024))

    rows = [(row.rank, row.tied, row.library.name, row.value) for row in ranking]
    assert rows == [
        (1, True, "Perpustakaan Handil Bakti", 3),
        (1, True, "Perpustakaan Rawa Makmur", 3),
        (3, False, "Perpustakaan Sungai Keledang", 1),
        (4, False, "Perpustakaan Merabu", 0),
    ]
    assert ranking[0].numbers[Indicator.PARTICIPANTS] == 6


def test_ranking_limit_still_shows_a_tie_it_cuts(ranked_province):
    ranking = library_ranking(province=ranked_province, period=Period.for_year(2024), limit=1)

    assert [(row.rank, row.tied) for row in ranking] == [(1, True)]


def test_ranking_by_participants_ranks_by_participant_sums(ranked_province):
    ranking = library_ranking(
        province=ranked_province,
        period=Period.for_year(2024),
        indicator=Indicator.PARTICIPANTS,
    )

    assert [(row.rank, row.value) for row in ranking][:2] == [(1, 6), (1, 6)]
    assert ranking[2].value == 1


def test_ranking_of_an_empty_period_is_one_big_tie(ranked_province):
    ranking = library_ranking(province=ranked_province, period=Period.for_year(2020))

    assert {(row.rank, row.tied) for row in ranking} == {(1, True)}


def test_ranking_refuses_an_indicator_it_cannot_rank_by(ranked_province):
    with pytest.raises(ValueError):
        library_ranking(
            province=ranked_province, period=Period.for_year(2024), indicator=Indicator.BUDGET
        )


def test_period_refuses_part_months():
    with pytest.raises(ValueError):
        Period(datetime.date(2024, 1, 2), datetime.date(2024, 1, 31))
    assert Period.for_quarter(2024, 2).months[0] == datetime.date(2024, 4, 1)
    assert len(Period.for_year(2024).months) == 12


def test_activity_total_is_derived_by_the_database(village_library):
    activity = _activity(village_library, datetime.date(2024, 1, 1), male=3, female=4)

    assert Activity.objects.get(pk=activity.pk).participants_total == 7
