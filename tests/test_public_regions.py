"""The public kab/kota page, trends, the map of the provinces and the "data as of" stamps."""

import csv
import datetime
import io
import re
import uuid

import pytest
from django.core.cache import cache
from django.utils import timezone

from events.services import attendance_mark
from impact.models import Story
from libraries.data_version import data_version, province_data_changed
from libraries.models import District, Indicator, Library, Regency, Village
from tests import factories
from tests.factories import StoryFactory, published_story, story_consent
from tpbis_portal.overview import tasks

KEPRI = "/provinsi/21-kepulauan-riau/"
TANJUNG_PINANG = KEPRI + "kab/21.72-kota-tanjung-pinang/"
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def kepri(regions):
    return factories.kepri_registry()


@pytest.fixture
def barat(kepri):
    return kepri["barat"]


def _text(response) -> str:
    return response.content.decode()


def _activity(library, *, male=10, female=12, when=None):
    return factories.ActivityFactory(
        library=library,
        date=when or timezone.localdate().replace(day=1),
        participants_male=male,
        participants_female=female,
        strategy="engagement",
    )


def _section(response, slug):
    return next((s for s in response.context["sections"] if s.slug == slug), None)


# The kab/kota page


def test_kab_kota_page_shows_its_libraries_events_stories_and_indicators(
    client, kepri, barat, perpusnas
):
    _activity(barat, male=10, female=12)
    _activity(kepri["provincial"], male=30, female=40)  # the province's, not the kab/kota's
    published_story(library=barat, title="Kopi robusta dari Tanjung Pinang")
    StoryFactory(library=barat, status=Story.Status.SUBMITTED, title="Belum terbit")
    factories.event(
        actor=perpusnas,
        province_code="21",
        kind="shm_regency",
        title="SHM Kota Tanjung Pinang",
        venue="Aula Dinas Perpustakaan",
        regency=Regency.objects.get(code="21.72"),
    )
    factories.event(actor=perpusnas, province_code="21", title="PLM Provinsi Kepri")

    response = client.get(TANJUNG_PINANG)

    assert response.status_code == 200
    text = _text(response)
    assert "TPBIS di Kota Tanjung Pinang" in text
    # Its participating libraries, not the withdrawn one nor the provincial library.
    assert "Perpustakaan Kelurahan Tanjung Pinang Barat" in text
    assert kepri["district"].name in text
    assert "Perpustakaan Kelurahan Kampung Baru" not in text
    assert kepri["provincial"].name not in text
    # Its events only, its published stories only.
    assert "SHM Kota Tanjung Pinang" in text and "PLM Provinsi Kepri" not in text
    assert "Kopi robusta dari Tanjung Pinang" in text and "Belum terbit" not in text
    # Indicators of the kab/kota alone: 22 participants, not the province's 92.
    indicators = _section(response, "indikator")
    assert indicators.context["participants"] == 22
    assert "Peserta: 22 seluruhnya" in text
    assert "Laki-laki: 10" in text and "Perempuan: 12" in text
    # The trend by year, drawn and as a table.
    assert _section(response, "tren") is not None
    assert 'id="chart-trend-activities-title"' in text


def test_kab_kota_page_shows_no_personal_data(client, kepri, barat, kepri_bimtek, perpusnas):
    person = factories.participant("Siti Rahmawati", barat, event=kepri_bimtek)
    attendance_mark(
        actor=perpusnas,
        session=kepri_bimtek.sessions.first(),
        participant=person,
        client_id=uuid.uuid4(),
    )
    factories.LibraryManagerFactory(library=barat, name="Pak Manajer", phone="0811-000-111")
    # A storyteller who agreed to the story's use but not to being named.
    story = StoryFactory(library=barat, status=Story.Status.PUBLISHED, published_at=timezone.now())
    story_consent(story)
    _activity(barat, male=5, female=6)

    text = _text(client.get(TANJUNG_PINANG))

    for private in [
        "Siti Aminah",  # the library's manager (kepri_registry)
        "0813-1111-2222",
        "siti@example.org",
        "0812-3456-7890",  # the village library's own phone
        "perpus.tpbarat@example.org",
        "Raja Ali Haji",
        "Pak Manajer",
        "0811-000-111",
        "Siti Rahmawati",  # a participant
        "Ibu Sumiati",  # an anonymous storyteller
        "pustakawan",  # no account name of a librarian
    ]:
        assert private not in text, private


def test_kab_kota_page_hides_a_small_count_by_gender_and_what_gives_it_back(client, kepri, barat):
    # Two women at the only library of the kab/kota that recorded anything: the kab/kota's
    # own split would show them.
    _activity(barat, male=11, female=2)
    _activity(kepri["provincial"], male=30, female=40)

    response = client.get(TANJUNG_PINANG)

    text = _text(response)
    assert _section(response, "indikator").context["participants"] == 13
    gender = _section(response, "indikator").context["gender"]
    assert gender == {"male": None, "female": None}
    assert "menurut jenis kelamin: disembunyikan" in text
    assert "Perempuan: 2" not in text and "Laki-laki: 11" not in text
    # The same cell as the province's open data publishes for this kab/kota.
    body = b"".join(client.get(KEPRI + "data.csv").streaming_content).decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["Kode wilayah"] == "21.72")
    assert row["Peserta laki-laki"] == row["Peserta perempuan"] == "disembunyikan"


@pytest.mark.parametrize(
    "url",
    [
        KEPRI + "kab/21.99-tidak-ada/",  # no such kab/kota
        KEPRI + "kab/64.72-kota-samarinda/",  # a kab/kota of Kalimantan Timur under Kepri
        "/provinsi/64-kalimantan-timur/kab/21.72-kota-tanjung-pinang/",
        "/provinsi/99-tidak-ada/kab/21.72-kota-tanjung-pinang/",
        KEPRI + "kab/2172-kota-tanjung-pinang/",
        KEPRI + "kab/21.7-kota-tanjung-pinang/",
    ],
)
def test_unknown_or_mismatched_kab_kota_codes_are_not_found(client, kepri, url):
    assert client.get(url).status_code == 404


def test_kab_kota_page_with_an_old_name_redirects_to_its_address(client, kepri):
    for url in [KEPRI + "kab/21.72/", KEPRI + "kab/21.72-tanjung/", "/provinsi/21/kab/21.72/"]:
        response = client.get(url + "?page=2")
        assert response.status_code == 301
        assert response["Location"] == TANJUNG_PINANG + "?page=2"


def test_kab_kota_without_participating_libraries_says_so(client, regions):
    response = client.get("/provinsi/64-kalimantan-timur/kab/64.03-kabupaten-berau/")

    assert response.status_code == 200
    assert "Belum ada perpustakaan peserta." in _text(response)


def test_kab_kota_page_refuses_post(client, kepri):
    assert client.post(TANJUNG_PINANG).status_code == 405


def test_province_and_library_pages_link_to_the_kab_kota_page(client, kepri, barat):
    from tpbis_portal.overview.addresses import library_url

    assert f'href="{TANJUNG_PINANG}"' in _text(client.get(KEPRI))
    assert f'href="{TANJUNG_PINANG}"' in _text(client.get(library_url(barat)))


def test_sitemap_lists_the_kab_kota_with_participating_libraries(client, kepri):
    text = _text(client.get("/sitemap-regencies.xml"))

    assert TANJUNG_PINANG in text
    assert "64.03" not in text


def _add_village_libraries(count: int, *, start: int) -> None:
    district = District.objects.get(code="21.72.01")
    for number in range(start, start + count):
        village = Village.objects.create(
            code=f"21.72.01.{1100 + number}",
            name=f"Kampung {number}",
            kind="kelurahan",
            district=district,
        )
        library = factories.village_library(village.code, cohort_year=2019 + number % 5)
        _activity(library, male=3 + number, female=4 + number)
        _activity(library, when=datetime.date(THIS_YEAR - 1, 3, 1))
        published_story(library=library, title=f"Cerita {number}")


# 10 of them for the report card: the settings and the scores of the kab/kota's libraries;
# the trend reads the kab/kota's libraries, then their activities by id.
@pytest.mark.parametrize(("url", "cold"), [(TANJUNG_PINANG, 28), (TANJUNG_PINANG + "?page=2", 28)])
def test_kab_kota_page_query_count_does_not_grow_with_data(
    client, kepri, perpusnas, django_assert_num_queries, url, cold
):
    for more, start in [(0, 0), (30, 100)]:
        _add_village_libraries(more, start=start)
        for number in range(more // 10):
            factories.event(
                actor=perpusnas,
                province_code="21",
                title=f"SHM {start + number}",
                kind="shm_regency",
                regency=Regency.objects.get(code="21.72"),
            )
        cache.clear()
        with django_assert_num_queries(cold):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_kab_kota_page_after_the_workers_rebuild_reads_one_row_however_much_data(
    client, kepri, perpusnas, django_assert_num_queries
):
    """After a change the task worker renders the province's kab/kota pages; their first
    visitor only looks the kab/kota up, with a handful of libraries or fifty."""
    for more, start in [(0, 0), (50, 100)]:
        _add_village_libraries(more, start=start)
        province_data_changed("21")
        tasks.rebuild_aggregates.call(province_codes=["21"], national_version=data_version())
        with django_assert_num_queries(1):
            assert client.get(TANJUNG_PINANG).status_code == 200


def test_kab_kota_page_shares_no_link_of_a_signed_in_readers_address(
    client, client_for, kepri, perpusnas
):
    _add_village_libraries(30, start=100)  # two pages of libraries: a link to the next
    client_for(perpusnas).get(TANJUNG_PINANG + "?utm_source=newsletter")

    page = client.get(TANJUNG_PINANG).content.decode()

    assert "page=2" in page
    assert "utm_source" not in page


# Trends


def test_province_page_shows_trends_by_year_as_a_chart_and_a_table(client, kepri, barat):
    _activity(barat, when=datetime.date(THIS_YEAR - 2, 5, 1))
    _activity(barat, when=datetime.date(THIS_YEAR - 1, 5, 1))
    _activity(kepri["district"], when=datetime.date(THIS_YEAR - 1, 6, 1))

    response = client.get(KEPRI)

    trend = _section(response, "tren")
    activities = trend.context["charts"][0]
    assert [label for label, _values, total in activities.rows()] == [
        str(THIS_YEAR - 2),
        str(THIS_YEAR - 1),
    ]
    assert [total for _label, _values, total in activities.rows()] == [1, 2]
    text = _text(response)
    assert "Tren menurut tahun dan angkatan" in text
    assert "Tampilkan data sebagai tabel" in text


# The map of the provinces


def test_index_map_has_a_labelled_linked_tile_per_province_coloured_by_an_indicator(
    client, kepri, barat
):
    factories.TargetFactory(
        indicator=Indicator.ACTIVITIES, level=Library.Level.VILLAGE, year=THIS_YEAR, per_month=1
    )
    _activity(barat)
    months = timezone.localdate().month

    response = client.get("/provinsi/")

    text = _text(response)
    tile_map = response.context["map"]
    # In reading order: Kepri and Papua on the first row of the map, Kalimantan Timur below.
    assert [tile.code for tile in tile_map.tiles] == ["21", "91", "64"]
    kepri_tile = tile_map.tiles[0]
    assert kepri_tile.url == KEPRI and kepri_tile.label == "KEPRI"
    # The tile writes the figure its colour stands for, in the page's language.
    percent = f"{100 / months:.1f}".replace(".", ",").replace(",0", "")
    assert kepri_tile.figure == f"{percent}%"
    assert kepri_tile.css_class in {"zone-red", "zone-yellow", "zone-green"}
    assert tile_map.tiles[2].css_class == "zone-none" and tile_map.tiles[2].figure == "–"
    # Each tile is a link a keyboard reaches, named in words for a screen reader.
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)" class="tile">', text)
    assert [href for href, _label in links] == [
        KEPRI,
        "/provinsi/91-papua/",
        "/provinsi/64-kalimantan-timur/",
    ]
    assert links[0][1].startswith(f"Kepulauan Riau: Kegiatan 1 dari target {months}")
    assert links[2][1] == "Kalimantan Timur: Kegiatan 0, tanpa target"
    assert 'role="group" aria-labelledby="peta-title" aria-describedby="peta-desc"' in text
    # The legend names every colour with the number of provinces in it.
    assert "Tanpa target (2 provinsi)" in text
    assert "maps.googleapis" not in text and "leaflet" not in text.lower()


def test_every_province_of_the_register_has_its_place_on_the_map():
    import csv
    from pathlib import Path

    from tpbis_portal.overview.tiles import LAYOUT

    register = Path(__file__).parents[1] / "libraries/data/wilayah_kepmendagri_2025.csv"
    with register.open(encoding="utf-8") as handle:
        codes = {row[0] for row in csv.reader(handle) if len(row[0]) == 2 and row[0].isdigit()}
    assert codes == set(LAYOUT) and len(codes) == 38
    places = [(column, row) for column, row, _label in LAYOUT.values()]
    assert len(set(places)) == 38  # no two tiles on one square


# "Data as of"


def test_library_and_story_pages_stamp_their_data_in_the_province_zone(client, regions):
    library = factories.village_library("64.72.01.1001", name="Perpustakaan Rawa Makmur")
    story = published_story(library=library)
    from tpbis_portal.overview.addresses import library_url, story_url

    story_list = "/provinsi/64-kalimantan-timur/cerita/"
    for url in [library_url(library), story_url(story), story_list]:
        text = _text(client.get(url))
        assert re.search(r"Data per <time datetime=\"[^\"]+\">[^<]+ WITA</time>", text), url


def test_kab_kota_and_index_pages_stamp_their_data(client, kepri):
    assert re.search(r"Data per <time[^>]*>[^<]+ WIB</time>", _text(client.get(TANJUNG_PINANG)))
    for url in ["/provinsi/", "/provinsi/cerita/"]:
        assert re.search(r"Data per <time[^>]*>[^<]+ WIB</time>", _text(client.get(url))), url
    papua = _text(client.get("/provinsi/91-papua/kab/91.03-kabupaten-jayapura/"))
    assert re.search(r"Data per <time[^>]*>[^<]+ WIT</time>", papua)
