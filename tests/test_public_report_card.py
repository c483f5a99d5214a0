"""The report card on the public province, kab/kota and library pages; which libraries a mean
covers; what it publishes (and what it keeps back); the background recomputation after a
target or settings change.

The fixture, Kepulauan Riau over the year to date (M months, WIB), per library per month:
- village libraries: 4 engagement activities, 40 participants, 2 publications, 1 agreement.
  Tanjung Pinang Barat records 3M activities of 10 participants (75 %, 75 %), M publications
  (50 %) and M agreements (100 %): 0.50 x 75 + 0.25 x 50 + 0.25 x 100 = 75.00 (yellow: 75.00
  is not above 75).
- kab/kota libraries: 2 engagement activities. The Tanjung Pinang library records M (50 %):
  only engagement has a target, so its weight is the whole score: 50.00 (yellow from 50).
- provincial libraries: 1 engagement activity. The provincial library records M: 100.00.
- the withdrawn Kampung Baru library records activities too, but has no target (not active):
  no score, and no place on the public pages.

Kota Tanjung Pinang's mean: (75.00 + 50.00) / 2 = 62.50, yellow. The provincial library stands
in no kab/kota's mean. Kepulauan Riau's mean: (75.00 + 50.00 + 100.00) / 3 = 75.00, yellow.
"""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from libraries.models import (
    Activity,
    Agreement,
    Library,
    Partner,
    Province,
    Publication,
    ReportCardSettings,
    Strategy,
    Target,
)
from libraries.reporting.indicators import Period
from libraries.reporting.reportcard import Colour, province_scores, regency_scores
from libraries.reporting.services import report_card_settings_save, target_save
from tests import factories
from tpbis_portal.overview.addresses import library_url

KEPRI = "/provinsi/21-kepulauan-riau/"
TANJUNG_PINANG = KEPRI + "kab/21.72-kota-tanjung-pinang/"
WIB = "Asia/Jakarta"


def _period() -> Period:
    return Period.year_to_date(WIB)


def _months() -> int:
    return len(_period().months)


def _last_month() -> datetime.date:
    return _period().months[-1]


def _activities(library, count, *, participants=10, male=None, strategy=Strategy.ENGAGEMENT):
    day = _last_month()
    male = participants // 2 if male is None else male
    Activity.objects.bulk_create(
        Activity(
            library=library,
            strategy=strategy,
            title=f"Kegiatan {number}",
            date=day,
            participants_male=male,
            participants_female=participants - male,
            idempotency_key=uuid.uuid4(),
        )
        for number in range(count)
    )


def _publications(library, count):
    Publication.objects.bulk_create(
        Publication(
            library=library,
            url=f"https://desa.example.id/berita/{uuid.uuid4().hex}",
            published_on=_last_month(),
        )
        for _number in range(count)
    )


def _agreements(library, count):
    partner = Partner.objects.create(library=library, name=f"Bank {library.pk}", kind="bank")
    for number in range(count):
        Agreement.objects.create(
            library=library, partner=partner, title=f"MoU {number}", signed_on=_last_month()
        )


def _targets(year: int) -> None:
    for level, indicator, per_month in [
        ("village", "engagement", 4),
        ("village", "participants", 40),
        ("village", "publications", 2),
        ("village", "agreements", 1),
        ("regency", "engagement", 2),
        ("province", "engagement", 1),
    ]:
        Target.objects.create(indicator=indicator, level=level, year=year, per_month=per_month)


def scored_kepri() -> dict[str, Library]:
    """Kepulauan Riau's libraries with the records and targets of the module's docstring."""
    libraries = factories.kepri_registry()
    months = _months()
    _targets(_period().start.year)
    _activities(libraries["barat"], 3 * months)
    _publications(libraries["barat"], months)
    _agreements(libraries["barat"], months)
    _activities(libraries["district"], months)
    _activities(libraries["provincial"], months)
    _activities(libraries["withdrawn"], 2)
    return libraries


@pytest.fixture
def kepri(regions):
    return scored_kepri()


def _section(response, slug="rapor"):
    return next((s for s in response.context["sections"] if s.slug == slug), None)


def _section_html(response, slug="rapor") -> str:
    text = response.content.decode()
    start = text.index(f'<section id="{slug}"')
    return text[start : text.index("</section>", start)]


# What the pages show


def test_kab_kota_page_shows_the_mean_of_its_own_libraries_without_the_provincial_library(
    client, kepri
):
    response = client.get(TANJUNG_PINANG)

    card = _section(response).context["card"]
    assert card.total.score == Decimal("62.50")
    assert card.total.colour == Colour.YELLOW
    assert card.total.scored == 2 and card.total.unscored == 0
    assert [(row.name, row.score) for row in card.libraries] == [
        (kepri["district"].name, Decimal("50.00")),
        ("Perpustakaan Kelurahan Tanjung Pinang Barat", Decimal("75.00")),
    ]
    html = _section_html(response)
    assert "62,50 · Kuning" in html
    # Which libraries the mean covers, in plain words.
    assert "1 perpustakaan kabupaten/kota, 1 perpustakaan desa/kelurahan" in html
    assert "perpustakaan provinsi tidak termasuk" in html.lower()
    # The withdrawn library is neither counted nor named; the provincial library not listed.
    assert "Kampung Baru" not in html and kepri["provincial"].name not in html
    assert "tidak memiliki skor" not in html
    assert library_url(kepri["barat"]) in html


def test_province_page_shows_its_mean_by_kab_kota_and_the_provincial_library_apart(client, kepri):
    response = client.get(KEPRI)

    card = _section(response).context["card"]
    # (75 + 50 + 100) / 3: exactly 75.00 is yellow.
    assert card.total.score == Decimal("75.00")
    assert card.total.colour == Colour.YELLOW
    assert [(row.name, row.score, row.scored) for row in card.rows] == [
        ("Kota Tanjung Pinang", Decimal("62.50"), 2)
    ]
    assert card.provincial.score == Decimal("100.00")
    html = _section_html(response)
    assert "75,00 · Kuning" in html and "100,00 · Hijau" in html
    assert "perpustakaan provinsi termasuk" in html.lower()
    assert "1 perpustakaan provinsi, 1 perpustakaan kabupaten/kota" in html
    assert 'href="/provinsi/21-kepulauan-riau/kab/21.72-kota-tanjung-pinang/"' in html


def test_library_page_explains_its_score_input_by_input(client, kepri):
    response = client.get(library_url(kepri["barat"]))

    section = _section(response)
    assert section.context["card"].score == Decimal("75.00")
    html = _section_html(response)
    assert "75,00 · Kuning" in html
    # Plain words: what each strand scored, what it counts and adds.
    assert "Pelibatan masyarakat memperoleh 75,00 dan berbobot 50,00%, menambah 37,50 poin" in html
    assert "Publikasi memperoleh 50,00 dan berbobot 25,00%, menambah 12,50 poin" in html
    # The stamp in the province's zone.
    assert re.search(r"Data per <time[^>]*>[^<]+ WIB</time>", html)


def test_library_with_a_missing_strand_says_its_weight_is_shared(client, kepri):
    html = _section_html(client.get(library_url(kepri["district"])))

    assert "50,00 · Kuning" in html
    assert "Pelibatan masyarakat memperoleh 50,00 dan berbobot 100,00%" in html
    assert "Tidak dihitung:" in html


def test_withdrawn_library_has_no_public_card(client, kepri):
    assert client.get(library_url(kepri["withdrawn"])).status_code == 404


def test_library_without_targets_or_records_has_no_card_section(client, regions):
    library = factories.village_library("64.72.01.1001")

    assert _section(client.get(library_url(library))) is None


# Which libraries a mean covers: the staff pages say the same


def test_staff_pages_say_which_libraries_each_mean_covers(client_for, perpusnas, kepri):
    client = client_for(perpusnas)
    query = {"tahun": _period().start.year}

    regency = client.get(reverse("reporting:report-card-regency", args=["21.72"]), query)
    province = client.get(reverse("reporting:report-card-province", args=["21"]), query)

    # Staff see every library of the area; the withdrawn one has no score.
    assert regency.context["total"].libraries == 3
    assert regency.context["total"].levels["province"] == 0
    assert "1 perpustakaan kabupaten/kota, 2 perpustakaan desa/kelurahan" in (
        regency.content.decode()
    )
    assert province.context["total"].levels["province"] == 1
    assert "perpustakaan provinsi termasuk" in province.content.decode().lower()


# What the report card publishes, and what it keeps back


def test_library_card_publishes_only_the_participants_its_page_already_shows(client, kepri):
    for library in [kepri["barat"], kepri["district"], kepri["provincial"]]:
        response = client.get(library_url(library))
        indicators = _section(response, "indikator").context
        strands = {strand.key: inputs for strand, inputs in _section(response).context["strands"]}
        shown = {value.label: value for value in strands["engagement"]}
        assert shown["Peserta"].actual == indicators["participants"], library
        # Budgets and publications stay amounts of the staff pages: a share of the target only.
        for value in [*strands["publication"], strands["advocacy"][-1]]:
            assert value.actual is None and value.target is None
        html = _section_html(response).lower()
        assert "laki-laki" not in html and "perempuan" not in html


def test_report_cards_give_no_hidden_count_back_by_subtraction(client, kepri):
    from tests.test_suppression import published, recoverable
    from tpbis_portal.overview.suppression import Place

    # One man among the withdrawn library's 6 participants, hidden on every page. The others
    # split evenly: Barat 15M men and 15M women, the kab/kota and provincial libraries 5M each.
    withdrawn, barat, district, provincial = (
        kepri["withdrawn"],
        kepri["barat"],
        kepri["district"],
        kepri["provincial"],
    )
    Activity.objects.filter(library=withdrawn).delete()
    _activities(withdrawn, 1, participants=6, male=1)
    m = _months()
    truth = [
        Place(("province", "21"), None, 25 * m + 1, 25 * m + 5),
        Place(("regency", "21.72"), ("province", "21"), 20 * m + 1, 20 * m + 5),
        Place(("library", str(barat.pk)), ("regency", "21.72"), 15 * m, 15 * m),
        Place(("library", str(district.pk)), ("regency", "21.72"), 5 * m, 5 * m),
        Place(("library", str(withdrawn.pk)), ("regency", "21.72"), 1, 5, published=False),
        Place(("library", str(provincial.pk)), ("province", "21"), 5 * m, 5 * m),
    ]
    values, relations = published(truth)

    # Every count of people the report cards publish, by place.
    card_people: dict[tuple, int] = {}
    shown: dict[tuple, int | None] = {}
    pages = [
        (library_url(library), ("library", str(library.pk)))
        for library in (barat, district, provincial)
    ]
    for url, key in [*pages, (TANJUNG_PINANG, ("regency", "21.72")), (KEPRI, ("province", "21"))]:
        response = client.get(url)
        for _strand, inputs in _section(response).context.get("strands", []):
            for value in inputs:
                if value.label == "Peserta" and value.actual is not None:
                    card_people[key] = value.actual
        gender = _section(response, "indikator").context["gender"]
        for sex in ("male", "female"):
            shown[(key, sex)] = gender[sex]
        if key[0] != "library":
            # An area's card gives no sum of people at all: the withdrawn library's 6, or the
            # kab/kota's people without it, would otherwise be one subtraction away.
            text = re.sub(r"<[^>]+>", " ", re.sub(r"<time.*?</time>", "", _section_html(response)))
            for total in {6, 40 * m, 40 * m + 6, 50 * m, 50 * m + 6}:
                assert not re.search(rf"(?<![\d.,]){total}(?![\d.,])", text), (url, total)

    # A library's card gives its own participants, which its page publishes already: no new
    # sum to set against another.
    assert card_people == {
        key: values[(key, "male")] + values[(key, "female")] for _url, key in pages
    }
    hidden = {cell for cell, value in shown.items() if value is None} | {
        (("library", str(withdrawn.pk)), sex) for sex in ("male", "female")
    }
    assert all(shown[cell] == values[cell] for cell in shown if cell not in hidden)
    assert (("library", str(withdrawn.pk)), "male") not in recoverable(values, relations, hidden)


# The cache and the background recomputation


def test_new_weights_show_on_the_public_pages_at_once(
    client, kepri, perpusnas, django_capture_on_commit_callbacks
):
    assert _section(client.get(library_url(kepri["barat"]))).context["card"].score == Decimal(
        "75.00"
    )

    with django_capture_on_commit_callbacks(execute=True):
        report_card_settings_save(
            actor=perpusnas,
            weight_engagement=20,
            weight_publication=40,
            weight_advocacy=40,
            green_above=75,
            yellow_from=50,
        )

    # 0.20 x 75 + 0.40 x 50 + 0.40 x 100
    card = _section(client.get(library_url(kepri["barat"]))).context["card"]
    assert card.score == Decimal("75.00")
    response = client.get(TANJUNG_PINANG)
    assert _section(response).context["card"].total.score == Decimal("62.50")
    assert "Pelibatan masyarakat 20%" in _section_html(response)


def test_a_target_change_recomputes_every_province_s_cards_in_the_background(
    kepri, perpusnas, django_capture_on_commit_callbacks, django_assert_num_queries
):
    period = _period()
    codes = list(Province.objects.values_list("code", flat=True))
    province_scores(period, codes)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        target_save(
            actor=perpusnas,
            target=Target.objects.get(indicator="publications", level="village"),
            per_month=Decimal(1),
        )

    assert callbacks, "the recomputation is queued after the commit"
    # The task ran at once (the immediate backend): reading every province's cards is the
    # cache alone, and they carry the new target (M of M publications: 100 %).
    with django_assert_num_queries(0):
        scores = province_scores(period, codes)
    barat = next(s for s in scores["21"].libraries if s.pk == kepri["barat"].pk)
    # 0.50 x 75 + 0.25 x 100 + 0.25 x 100
    assert barat.score == Decimal("87.50")


def test_nothing_is_recomputed_when_the_change_rolls_back(
    kepri, perpusnas, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        report_card_settings_save(
            actor=perpusnas,
            weight_engagement=20,
            weight_publication=20,
            weight_advocacy=20,
            green_above=75,
            yellow_from=50,
        )

    assert callbacks == []
    assert not ReportCardSettings.objects.exists()


# Query counts


def _grow(count: int, start: int) -> None:
    from libraries.models import District, Village

    district = District.objects.get(code="21.72.01")
    for number in range(start, start + count):
        village = Village.objects.create(
            code=f"21.72.01.{1100 + number}",
            name=f"Kampung {number}",
            kind="kelurahan",
            district=district,
        )
        library = factories.village_library(village.code)
        _activities(library, 2)
        _publications(library, 1)


@pytest.mark.parametrize(
    ("url", "cold"),
    [(KEPRI, 30), (TANJUNG_PINANG, 28), ("library", 15)],
)
def test_public_pages_with_the_report_card_keep_their_query_count_as_data_grows(
    client, kepri, django_assert_num_queries, url, cold
):
    if url == "library":
        url = library_url(kepri["barat"])
    for more, start in [(0, 0), (12, 100)]:
        _grow(more, start)
        cache.clear()
        with django_assert_num_queries(cold):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200
    assert Library.objects.filter(province="21").count() == 16


def test_roll_up_scores_match_each_library_s_explained_card(kepri):
    from libraries.reporting.indicators import Area
    from libraries.reporting.reportcard import library_report_card, library_scores

    period = _period()
    rolled = {library.pk: library for library in library_scores(period, ["21"])}
    cache.clear()
    alone = {library.pk: library for library in regency_scores(period, "21.72", "21").libraries}

    for library in Library.objects.filter(province="21"):
        card = library_report_card(Area.for_library(library), period)
        assert rolled[library.pk].score == card.score, library
        assert rolled[library.pk].sub_scores == card.sub_scores, library
        if library.regency_id:
            assert alone[library.pk].score == card.score, library
    # The kab/kota's own computation leaves the provincial library out, as the mean does.
    assert kepri["provincial"].pk not in alone
    assert set(alone) == {kepri["district"].pk, kepri["barat"].pk, kepri["withdrawn"].pk}


def test_many_libraries_are_read_through_a_join_with_the_same_scores(kepri, monkeypatch):
    from libraries.reporting import indicators

    period = _period()
    listed = {s.pk: s.score for s in province_scores(period, ["21"])["21"].libraries}
    cache.clear()
    monkeypatch.setattr(indicators, "MAX_LISTED_LIBRARIES", 1)
    joined = {s.pk: s.score for s in province_scores(period, ["21"])["21"].libraries}

    assert joined == listed
    assert listed[kepri["barat"].pk] == Decimal("75.00")


def test_areas_without_any_score_show_no_report_card(client, regions):
    factories.kepri_registry()  # participating libraries, but no target set

    assert _section(client.get(KEPRI)) is None
    assert _section(client.get(TANJUNG_PINANG)) is None
