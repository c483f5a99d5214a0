"""The report card ("rapor"): arithmetic on hand-computed fixtures, roll-ups, pages and scope.

The fixture (Kelurahan Rawa Makmur, cohort 2022, year 2024), per library per month, village
level: engagement activities 1, participants 10, publications 0.5, agreements 0.25; no target
for visitors, advocacy activities, regulations or budgets. Over 2024 the targets are 12
engagement activities, 120 participants, 6 publications and 3 agreements.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from libraries.models import (
    Activity,
    Agreement,
    Library,
    Partner,
    Publication,
    ReportCardSettings,
    Strategy,
    Target,
)
from libraries.reporting.indicators import Area, Period
from libraries.reporting.reportcard import (
    ADVOCACY,
    ENGAGEMENT,
    PUBLICATION,
    Colour,
    Rules,
    library_report_card,
    library_scores,
    rank_by_engagement,
    rank_by_score,
)
from libraries.reporting.services import report_card_settings_save
from tests import factories

YEAR = Period.for_year(2024)
TARGETS = {"engagement": 1, "participants": 10, "publications": "0.5", "agreements": "0.25"}


def _targets(**overrides):
    for indicator, per_month in {**TARGETS, **overrides}.items():
        if per_month is not None:
            Target.objects.create(
                indicator=indicator, level="village", year=2024, per_month=Decimal(per_month)
            )


def _activities(library, count, participants=10, strategy=Strategy.ENGAGEMENT, month=3):
    Activity.objects.bulk_create(
        Activity(
            library=library,
            strategy=strategy,
            title=f"Pelatihan {number}",
            date=datetime.date(2024, month, 1 + number % 28),
            participants_male=participants // 2,
            participants_female=participants - participants // 2,
            idempotency_key=uuid.uuid4(),
        )
        for number in range(count)
    )


def _publications(library, count, month=4):
    Publication.objects.bulk_create(
        Publication(
            library=library,
            url=f"https://desa.example.id/berita/{library.pk}/{uuid.uuid4().hex}",
            published_on=datetime.date(2024, month, 1 + number % 28),
        )
        for number in range(count)
    )


def _agreements(library, count):
    partner = Partner.objects.create(library=library, name=f"Bank {library.pk}", kind="bank")
    for number in range(count):
        Agreement.objects.create(
            library=library, partner=partner, title=f"MoU {number}", signed_on="2024-05-02"
        )


def _card(library, period=YEAR):
    return library_report_card(Area.for_library(library), period)


@pytest.fixture
def scored(village_library):
    """9 of 12 engagement activities (75%), 90 of 120 participants (75%): engagement 75;
    3 of 6 publications: publication 50; 3 of 3 agreements: advocacy 100."""
    _targets()
    _activities(village_library, 9)
    _publications(village_library, 3)
    _agreements(village_library, 3)
    return village_library


# Arithmetic


def test_weighted_score_on_exactly_75_is_yellow(scored):
    card = _card(scored)

    assert card.sub_scores == {
        ENGAGEMENT: Decimal("75.00"),
        PUBLICATION: Decimal("50.00"),
        ADVOCACY: Decimal("100.00"),
    }
    # 0.50 x 75 + 0.25 x 50 + 0.25 x 100
    assert card.score == Decimal("75.00")
    assert card.colour == Colour.YELLOW
    assert card.missing == []


def test_one_more_publication_lifts_the_score_above_75_to_green(scored):
    _publications(scored, 1, month=6)

    card = _card(scored)

    # publication 4 of 6 = 66.67; 37.5 + 16.6675 + 25
    assert card.sub_scores[PUBLICATION] == Decimal("66.67")
    assert card.score == Decimal("79.17")
    assert card.colour == Colour.GREEN


def test_inputs_above_target_are_capped_at_100(scored):
    _publications(scored, 20, month=7)

    card = _card(scored)

    assert card.sub_scores[PUBLICATION] == Decimal("100.00")
    assert card.score == Decimal("87.50")


def test_inputs_without_target_are_left_out_of_the_strand(scored):
    card = _card(scored)
    engagement = card.strands[0]

    assert [value.indicator for value in engagement.without_target] == ["visitors"]
    advocacy = card.strands[2]
    assert [value.indicator for value in advocacy.without_target] == [
        "advocacy",
        "regulations",
        "budget",
    ]
    assert advocacy.sub_score == Decimal("100.00")


def test_missing_strand_shares_its_weight_instead_of_counting_zero(village_library):
    _targets(agreements=None)
    _activities(village_library, 9)
    _publications(village_library, 3)

    card = _card(village_library)

    assert [strand.key for strand in card.missing] == [ADVOCACY]
    # (75 x 50 + 50 x 25) / 75
    assert card.score == Decimal("66.67")
    weights = {strand.key: strand.effective_weight for strand in card.strands}
    assert weights == {
        ENGAGEMENT: Decimal("66.67"),
        PUBLICATION: Decimal("33.33"),
        ADVOCACY: None,
    }


def test_nothing_recorded_against_targets_scores_zero_and_red(village_library):
    _targets()

    card = _card(village_library)

    assert card.score == Decimal("0.00")
    assert card.colour == Colour.RED


def test_period_without_targets_has_no_score(scored):
    card = _card(scored, Period.for_year(2023))

    assert card.score is None
    assert card.colour == Colour.NONE
    assert len(card.missing) == 3


def test_library_that_joins_later_has_no_score_before_its_cohort(scored):
    Library.objects.filter(pk=scored.pk).update(cohort_year=2025)

    assert _card(scored).score is None


def test_quarter_targets_are_whole_and_count_only_the_quarter(village_library):
    _targets()
    # Q2: 3 engagement activities of target 3; publications 1.5 a quarter, whole 2.
    _activities(village_library, 3, participants=10, month=4)
    _activities(village_library, 5, participants=10, month=9)  # another quarter
    _publications(village_library, 2, month=5)

    card = _card(village_library, Period.for_quarter(2024, 2))

    engagement, publication, advocacy = card.strands
    assert [(value.actual, value.target) for value in engagement.inputs[:2]] == [
        (3, Decimal(3)),
        (30, Decimal(30)),
    ]
    assert publication.inputs[0].target == Decimal(2)
    assert publication.sub_score == Decimal("100.00")
    # agreements: 1 a quarter (0.75 rounded up), none signed: 0
    assert advocacy.sub_score == Decimal("0.00")
    assert card.score == Decimal("75.00")


def test_zero_target_asks_nothing_and_scores_full(village_library):
    _targets(publications=0)

    card = _card(village_library)

    assert card.sub_scores[PUBLICATION] == Decimal("100.00")


@pytest.mark.parametrize(
    ("score", "colour"),
    [
        ("75.01", Colour.GREEN),
        ("75.00", Colour.YELLOW),
        ("50.00", Colour.YELLOW),
        ("49.99", Colour.RED),
        ("0.00", Colour.RED),
        ("100.00", Colour.GREEN),
    ],
)
def test_default_cut_offs(score, colour):
    rules = Rules({"engagement": 50, "publication": 25, "advocacy": 25}, 75, 50)

    assert rules.colour(Decimal(score)) == colour


def test_staff_weights_and_cut_offs_change_the_score(scored, perpusnas):
    report_card_settings_save(
        actor=perpusnas,
        weight_engagement=20,
        weight_publication=20,
        weight_advocacy=60,
        green_above=80,
        yellow_from=60,
    )

    card = _card(scored)

    # 0.2 x 75 + 0.2 x 50 + 0.6 x 100
    assert card.score == Decimal("85.00")
    assert card.colour == Colour.GREEN
    report_card_settings_save(actor=perpusnas, green_above=85)
    assert _card(scored).colour == Colour.YELLOW


def test_weights_that_do_not_add_up_are_refused(perpusnas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        report_card_settings_save(
            actor=perpusnas, weight_engagement=50, weight_publication=50, weight_advocacy=50
        )
    assert not ReportCardSettings.objects.exists()


def test_only_perpusnas_changes_the_settings(consultant):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        report_card_settings_save(actor=consultant, green_above=80)


# Roll-ups


@pytest.fixture
def kaltim(scored, berau_village_library, samarinda_library):
    """Rawa Makmur 75.00; Merabu (Berau) nothing recorded: 0.00; the Samarinda and Berau
    kab/kota libraries have no target for their level: no score."""
    return scored, berau_village_library, samarinda_library


def test_roll_up_is_the_mean_of_the_scored_libraries(kaltim, client_for, perpusnas):
    response = client_for(perpusnas).get(
        reverse("reporting:report-card-province", args=["64"]), {"tahun": 2024}
    )

    total = response.context["total"]
    assert total.libraries == 4
    assert total.scored == 2
    assert total.unscored == 2
    assert total.score == Decimal("37.50")
    assert total.colour == Colour.RED
    rows = {row.name: row for row in response.context["rows"]}
    assert rows["Kota Samarinda"].score == Decimal("75.00")
    assert rows["Kota Samarinda"].unscored == 1
    assert rows["Kabupaten Berau"].score == Decimal("0.00")
    assert "37,50" in response.content.decode()


def test_nation_rolls_up_every_library(kaltim, kepri_library, client_for, perpusnas):
    response = client_for(perpusnas).get(reverse("reporting:report-card-nation"), {"tahun": 2024})

    total = response.context["total"]
    # Kepri's village library has the same targets and nothing recorded: 0.
    assert total.scored == 3
    assert total.score == Decimal("25.00")
    assert {row.key for row in response.context["rows"]} == {"64", "21"}


def test_roll_up_is_cached_until_the_province_changes(kaltim, village_librarian):
    from libraries.reporting.services import publication_record

    first = {library.pk: library.score for library in library_scores(YEAR, ["64"])}
    publication_record(
        actor=village_librarian,
        library=kaltim[0],
        idempotency_key=uuid.uuid4(),
        channel="news",
        url="https://kaltim.example.id/berita/perpustakaan",
        published_on=datetime.date(2024, 8, 1),
    )
    second = {library.pk: library.score for library in library_scores(YEAR, ["64"])}

    assert first[kaltim[0].pk] == Decimal("75.00")
    assert second[kaltim[0].pk] == Decimal("79.17")


def test_rankings_by_score_share_ranks_on_ties(kaltim, regions):
    twin = factories.village_library("64.72.01.1002", name="Perpustakaan Kelurahan Kembar")
    _activities(twin, 9)
    _publications(twin, 3)
    _agreements(twin, 3)

    ranked = rank_by_score(library_scores(YEAR, ["64"]))

    assert [(rank, tied, library.name) for rank, tied, library in ranked] == [
        (1, True, "Perpustakaan Kelurahan Kembar"),
        (1, True, "Perpustakaan Kelurahan Rawa Makmur"),
        (3, False, "Perpustakaan Desa Merabu"),
    ]
    suggestion = rank_by_engagement(library_scores(YEAR, ["64"]), limit=1)
    assert [library.name for library in suggestion] == ["Perpustakaan Kelurahan Kembar"]


# Query counts


def _grow(count):
    """``count`` more village libraries in Kota Samarinda, each with records."""
    from libraries.models import Village

    codes = Village.objects.filter(code__startswith="64.72").exclude(libraries__isnull=False)
    for village in codes[:count]:
        library = factories.LibraryFactory(village=village)
        _activities(library, 4)
        _publications(library, 2)


@pytest.mark.parametrize(
    "url",
    [
        reverse("reporting:report-card-nation"),
        reverse("reporting:report-card-province", args=["64"]),
        reverse("reporting:report-card-regency", args=["64.72"]),
    ],
)
def test_roll_up_pages_keep_their_query_count_as_data_grows(
    url, scored, client_for, perpusnas, django_assert_num_queries
):
    from django.core.cache import cache

    client = client_for(perpusnas)
    client.get(url, {"tahun": 2024})  # the session and the user, once
    cache.clear()
    with django_assert_num_queries(QUERIES[url]) as small:
        assert client.get(url, {"tahun": 2024}).status_code == 200
    _grow(3)
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url, {"tahun": 2024}).status_code == 200
    # Cached: the scores come from the cache, only the names and the settings are read.
    with django_assert_num_queries(QUERIES[url] - 9):
        client.get(url, {"tahun": 2024})


QUERIES = {
    # session, user, settings, names (and the area) + 9 for the scores of the libraries:
    # the libraries, six grouped sums over their ids, the targets, the settings
    reverse("reporting:report-card-nation"): 13,
    reverse("reporting:report-card-province", args=["64"]): 14,
    reverse("reporting:report-card-regency", args=["64.72"]): 13,
}


def test_library_card_keeps_its_query_count(
    scored, client_for, perpusnas, django_assert_num_queries
):
    url = reverse("reporting:report-card-library", args=[scored.pk])
    client = client_for(perpusnas)
    with django_assert_num_queries(14) as first:
        client.get(url, {"tahun": 2024})
    _publications(scored, 5, month=9)
    _activities(scored, 5, month=10)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url, {"tahun": 2024})
    assert response.context["card"].score == Decimal("100.00")


# Rankings and pages


def test_ranking_page_sorts_by_report_card(kaltim, client_for, consultant, regions):
    url = reverse("reporting:ranking", args=["64"])
    response = client_for(consultant).get(url, {"tahun": 2024, "ukuran": "rapor"})

    assert response.status_code == 200
    names = [library.name for _rank, _tied, library in response.context["ranked"]]
    assert names == ["Perpustakaan Kelurahan Rawa Makmur", "Perpustakaan Desa Merabu"]
    assert response.context["unscored"] == 0  # kab/kota libraries are another level

    export = client_for(consultant).get(
        reverse("reporting:ranking-export", args=["64", "csv"]),
        {"tahun": 2024, "ukuran": "rapor"},
    )
    text = b"".join(export.streaming_content).decode()
    assert "Perpustakaan Kelurahan Rawa Makmur" in text
    assert "75" in text


def test_library_card_explains_a_missing_strand(village_library, client_for, village_librarian):
    _targets(agreements=None)
    _activities(village_library, 9)
    _publications(village_library, 3)

    response = client_for(village_librarian).get(
        reverse("reporting:report-card-library", args=[village_library.pk]), {"tahun": 2024}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "66,67" in page
    assert "report-card-score" in page
    assert response.context["card"].missing[0].key == ADVOCACY


def test_scope_of_the_report_card_pages(
    kaltim, client_for, outsider, consultant, village_librarian, district_librarian
):
    library = reverse("reporting:report-card-library", args=[kaltim[0].pk])
    province = reverse("reporting:report-card-province", args=["64"])
    regency = reverse("reporting:report-card-regency", args=["64.72"])
    nation = reverse("reporting:report-card-nation")
    settings_page = reverse("reporting:report-card-settings")

    for url in (library, province, regency, nation):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(consultant).get(nation).status_code == 404
    for url in (library, province, regency):
        assert client_for(consultant).get(url).status_code == 200
    assert client_for(village_librarian).get(library).status_code == 200
    assert client_for(village_librarian).get(regency).status_code == 404
    assert client_for(district_librarian).get(regency).status_code == 200
    assert client_for(district_librarian).get(province).status_code == 404
    for user in (consultant, village_librarian):
        assert client_for(user).get(settings_page).status_code == 403
        assert client_for(user).post(settings_page, {"green_above": 10}).status_code == 403
    assert not ReportCardSettings.objects.exists()


def test_report_card_home_sends_each_user_to_their_area(
    client_for, perpusnas, consultant, village_librarian
):
    home = reverse("reporting:report-card")
    assert client_for(perpusnas).get(home)["Location"] == reverse("reporting:report-card-nation")
    assert client_for(consultant).get(home)["Location"] == reverse(
        "reporting:report-card-province", args=["64"]
    )
    assert client_for(village_librarian).get(home)["Location"] == reverse(
        "reporting:report-card-library", args=[village_librarian.library_id]
    )
    # The period asked for travels along.
    assert client_for(village_librarian).get(home, {"tahun": 2024})["Location"] == (
        reverse("reporting:report-card-library", args=[village_librarian.library_id])
        + "?tahun=2024"
    )


def test_staff_change_the_settings_through_the_form(client_for, perpusnas):
    page = reverse("reporting:report-card-settings")
    client = client_for(perpusnas)
    bad = {
        "weight_engagement": 60,
        "weight_publication": 30,
        "weight_advocacy": 30,
        "green_above": 75,
        "yellow_from": 50,
    }

    refused = client.post(page, bad)
    saved = client.post(page, {**bad, "weight_advocacy": 10, "yellow_from": 60})

    assert refused.status_code == 400
    assert "100" in refused.content.decode()
    assert saved.status_code == 302
    settings = ReportCardSettings.objects.get()
    assert (settings.weights, settings.yellow_from, settings.updated_by) == (
        {"engagement": 60, "publication": 30, "advocacy": 10},
        60,
        perpusnas,
    )


def test_a_bad_period_is_a_clear_400(client_for, perpusnas, regions):
    response = client_for(perpusnas).get(
        reverse("reporting:report-card-nation"), {"tahun": "dua ribu"}
    )

    assert response.status_code == 400


def test_library_and_dashboard_pages_show_the_report_card(scored, client_for, perpusnas):
    client = client_for(perpusnas)

    detail = client.get(reverse("libraries:detail", args=[scored.pk])).content.decode()
    dashboard = client.get(
        reverse("dashboard:regency", args=["64", "64.72"]), {"tahun": 2024}
    ).content.decode()
    library_dashboard = client.get(
        reverse("dashboard:library", args=["64", scored.pk]), {"tahun": 2024}
    ).content.decode()

    assert reverse("reporting:report-card-library", args=[scored.pk]) in detail
    assert "75,00" in dashboard
    assert "75,00" in library_dashboard


def test_admin_shows_the_one_settings_row_to_staff_only(client_for, perpusnas, consultant):
    changelist = reverse("admin:libraries_reportcardsettings_changelist")

    assert client_for(consultant).get(changelist).status_code == 200  # reads, never makes it
    assert not ReportCardSettings.objects.exists()
    assert client_for(perpusnas).get(changelist).status_code == 200
    settings = ReportCardSettings.objects.get()
    consultant_change = reverse("admin:libraries_reportcardsettings_change", args=[settings.pk])
    assert client_for(consultant).post(consultant_change, {"green_above": 10}).status_code == 403
    assert (settings.green_above, settings.yellow_from) == (75, 50)
    change = reverse("admin:libraries_reportcardsettings_change", args=[settings.pk])
    response = client_for(perpusnas).post(
        change,
        {
            "weight_engagement": 40,
            "weight_publication": 40,
            "weight_advocacy": 40,
            "green_above": 75,
            "yellow_from": 50,
        },
    )
    assert response.status_code == 200  # refused: the weights add up to 120
    assert ReportCardSettings.objects.get().weight_engagement == 50


def test_roll_up_table_shows_a_new_record_at_once(kaltim, client_for, perpusnas, village_librarian):
    from libraries.reporting.services import publication_record

    client = client_for(perpusnas)
    url = reverse("reporting:report-card-province", args=["64"])
    before = client.get(url, {"tahun": 2024}).content.decode()
    publication_record(
        actor=village_librarian,
        library=kaltim[0],
        idempotency_key=uuid.uuid4(),
        channel="news",
        url="https://kaltim.example.id/berita/rapor",
        published_on=datetime.date(2024, 8, 1),
    )
    after = client.get(url, {"tahun": 2024}).content.decode()

    # Kota Samarinda's row: Rawa Makmur alone, 75.00 then 79.17 (the table is cached by what
    # it shows, so the new figure replaces the old one).
    assert "75,00 · Kuning" in before and "79,17 · Hijau" not in before
    assert "79,17 · Hijau" in after
