"""The public index of provinces, a province page, a library page, open data and the sitemap."""

import csv
import io

import pytest
from django.urls import reverse

from libraries.models import Library
from libraries.services import library_update
from tests import factories

INDEX = reverse("public:provinces")
KEPRI = "/provinsi/21-kepulauan-riau/"

PRIVATE = [
    "Siti Aminah",  # a library manager
    "Raja Ali Haji",
    "0813-1111-2222",  # a manager's phone
    "siti@example.org",
    "0812-3456-7890",  # a village library's phone, often a librarian's own
    "perpus.tpbarat@example.org",
    "0771-111222",
    "Pustakawan Kepri",  # a librarian's account name
]


@pytest.fixture
def kepri(regions):
    registry = factories.kepri_registry()
    factories.UserFactory(
        username="pustakawan.tpbarat",
        first_name="Pustakawan",
        last_name="Kepri",
        role="village_librarian",
        library=registry["barat"],
    )
    return registry


def _text(response) -> str:
    return response.content.decode()


def _assert_nothing_private(response):
    text = _text(response)
    for value in PRIVATE:
        assert value not in text


def test_index_lists_every_province_with_its_headline_numbers(client, kepri, samarinda_library):
    response = client.get(INDEX)

    assert response.status_code == 200
    text = _text(response)
    assert "Kepulauan Riau" in text and "Kalimantan Timur" in text and "Papua" in text
    kepri_counts = {p.code: c for p, c in response.context["provinces"]}["21"]
    assert (kepri_counts.provincial, kepri_counts.regency, kepri_counts.village) == (1, 1, 1)
    assert kepri_counts.regencies_reached == 1
    assert kepri_counts.cohort_range == "2018–2023"
    assert response.context["totals"].total == 4
    assert 'href="/provinsi/21-kepulauan-riau/"' in text
    assert "Belum ada perpustakaan peserta." in text  # Papua has none
    _assert_nothing_private(response)


def test_index_has_a_title_description_and_open_graph_tags(client, kepri):
    text = _text(client.get(INDEX))

    assert "<title>TPBIS di 3 provinsi" in text
    assert '<meta name="description" content="3 perpustakaan' in text
    assert '<meta property="og:title" content="TPBIS di 3 provinsi">' in text
    assert '<meta property="og:url" content="http://testserver/provinsi/">' in text


def test_province_page_shows_its_libraries_by_level_and_cohort(client, kepri):
    response = client.get(KEPRI)

    assert response.status_code == 200
    text = _text(response)
    assert '<h1 class="h3">TPBIS di Kepulauan Riau</h1>' in text
    assert "Perpustakaan Kelurahan Tanjung Pinang Barat" in text
    assert "Dinas Perpustakaan Kota Tanjung Pinang" in text
    assert "Kec. Tanjungpinang Barat" in text
    # The withdrawn library no longer takes part.
    assert "Kampung Baru" not in text
    assert [section.slug for section in response.context["sections"]] == [
        "indikator",
        "angkatan",
        "kabupaten-kota",
        "perpustakaan",
    ]
    assert '<svg class="chart-svg"' in text and '<title id="chart-cohorts-title">' in text
    assert '<meta property="og:title" content="TPBIS di Kepulauan Riau">' in text
    _assert_nothing_private(response)


def test_province_page_stamps_the_data_in_the_province_own_time_zone(client, regions):
    factories.district_library("64.72")  # Kalimantan Timur: WITA

    text = _text(client.get("/provinsi/64-kalimantan-timur/"))

    assert "Data per" in text and " WITA</time>" in text


def test_province_page_searches_libraries_by_village_or_kab_kota_name(client, kepri):
    by_village = client.get(KEPRI, {"q": "pinang barat"})
    by_regency = client.get(KEPRI, {"q": "kota tanjung"})
    by_level = client.get(KEPRI, {"level": "province"})
    nothing = client.get(KEPRI, {"q": "merabu"})

    def names(response):
        section = next(s for s in response.context["sections"] if s.slug == "perpustakaan")
        return {library.name for library in section.context["page"].object_list}

    assert names(by_village) == {"Perpustakaan Kelurahan Tanjung Pinang Barat"}
    assert names(by_regency) == {
        "Perpustakaan Kelurahan Tanjung Pinang Barat",
        "Dinas Perpustakaan Kota Tanjung Pinang",
    }
    assert names(by_level) == {"Dinas Perpustakaan Provinsi Kepulauan Riau"}
    assert "Tidak ada perpustakaan yang cocok dengan pencarian ini." in _text(nothing)


def test_province_search_with_a_bad_value_explains_it_and_still_lists(client, kepri):
    response = client.get(KEPRI, {"cohort": "dua ribu", "level": "planet"})

    assert response.status_code == 200
    text = _text(response)
    assert "Beberapa isian pencarian tidak dipahami" in text
    assert "Perpustakaan Kelurahan Tanjung Pinang Barat" in text


def test_province_page_without_a_name_redirects_to_its_address(client, kepri):
    response = client.get("/provinsi/21/", {"q": "barat"})

    assert response.status_code == 301
    assert response["Location"] == KEPRI + "?q=barat"


def test_unknown_province_is_not_found(client, regions):
    assert client.get("/provinsi/99-atlantis/").status_code == 404


def test_public_pages_refuse_post(client, kepri):
    library = kepri["barat"]
    library_page = reverse(
        "public:library",
        kwargs={"code": "21", "slug": "kepulauan-riau", "pk": library.pk, "library_slug": "x"},
    )
    for url in [INDEX, KEPRI, KEPRI + "data.csv", library_page]:
        assert client.post(url).status_code == 405


def test_library_page_shows_public_information_only(client, kepri):
    library = kepri["barat"]
    url = f"{KEPRI}perpustakaan/{library.pk}-perpustakaan-kelurahan-tanjung-pinang-barat/"

    response = client.get(url)

    assert response.status_code == 200
    text = _text(response)
    assert "<title>Perpustakaan Kelurahan Tanjung Pinang Barat" in text
    assert "Kelurahan Tanjung Pinang Barat" in text
    assert "Tanjungpinang Barat" in text  # the kecamatan
    assert "2023" in text
    assert "Komputer" in text  # the aid package
    assert '<meta property="og:type" content="place">' in text
    _assert_nothing_private(response)


def test_library_page_redirects_an_outdated_name_and_hides_withdrawn(client, kepri):
    barat, withdrawn = kepri["barat"], kepri["withdrawn"]

    moved = client.get(f"/provinsi/64-kalimantan-timur/perpustakaan/{barat.pk}-lama/")
    gone = client.get(f"/provinsi/21-kepulauan-riau/perpustakaan/{withdrawn.pk}-x/")

    assert moved.status_code == 301
    assert moved["Location"] == (
        f"{KEPRI}perpustakaan/{barat.pk}-perpustakaan-kelurahan-tanjung-pinang-barat/"
    )
    assert gone.status_code == 404


def test_province_csv_holds_the_public_aggregates(client, kepri):
    response = client.get(KEPRI + "data.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="tpbis-21-kepulauan-riau-' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:9] == [
        "Kode wilayah",
        "Wilayah",
        "Tingkat wilayah",
        "Perpustakaan provinsi",
        "Perpustakaan kabupaten/kota",
        "Perpustakaan desa/kelurahan",
        "Taman Bacaan Masyarakat (TBM)",
        "Kabupaten/kota terjangkau",
        "Desa/kelurahan terjangkau",
    ]
    assert rows[1][:10] == [
        "21", "Kepulauan Riau", "Provinsi", "1", "1", "1", "0", "1", "1", "2018 2022 2023"
    ]  # fmt: skip
    assert rows[2][:10] == [
        "21.72", "Kota Tanjung Pinang", "Kabupaten/kota", "0", "1", "1", "0", "", "1", "2022 2023"
    ]  # fmt: skip
    assert len(rows) == 3
    for value in PRIVATE:
        assert value not in body


def test_sitemap_lists_provinces_and_participating_libraries(client, kepri):
    index = client.get("/sitemap.xml")

    assert index.status_code == 200
    sections = ["pages", "provinces", "libraries", "stories"]
    for section in sections:
        assert f"<loc>http://testserver/sitemap-{section}.xml</loc>" in _text(index)
    text = "".join(_text(client.get(f"/sitemap-{section}.xml")) for section in sections)
    assert "http://testserver/provinsi/21-kepulauan-riau/</loc>" in text
    assert f"/provinsi/21-kepulauan-riau/perpustakaan/{kepri['barat'].pk}-" in text
    assert f"/{kepri['withdrawn'].pk}-" not in text
    assert "/provinsi/</loc>" in text


def test_robots_txt_points_to_the_sitemap(client, db):
    text = _text(client.get("/robots.txt"))

    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_province_page_refreshes_when_a_library_changes_through_the_service(
    client, kepri, perpusnas, django_capture_on_commit_callbacks
):
    barat = Library.objects.get(pk=kepri["barat"].pk)
    name = "Perpustakaan Kelurahan Tanjung Pinang Barat"
    assert name in _text(client.get(KEPRI))

    # A change made behind the services' back is not seen while the cache holds...
    Library.objects.filter(pk=barat.pk).update(name="Nama Baru")
    cached = _text(client.get(KEPRI))
    # ...one made through a service is, once its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        library_update(
            actor=perpusnas, library=barat, version=barat.version, status=Library.Status.INACTIVE
        )
    after = _text(client.get(KEPRI))

    assert name in cached
    assert name not in after and "Nama Baru" not in after
    assert client.get(KEPRI + "data.csv").status_code == 200
    csv_rows = b"".join(client.get(KEPRI + "data.csv").streaming_content).decode("utf-8-sig")
    assert csv_rows.splitlines()[1].startswith("21,Kepulauan Riau,Provinsi,1,1,0,")


def test_index_is_cached_until_data_changes_through_a_service(
    client, kepri, perpusnas, django_capture_on_commit_callbacks
):
    client.get(INDEX)
    samarinda = factories.district_library("64.72")  # not through a service: not seen yet
    stale = client.get(INDEX)

    with django_capture_on_commit_callbacks(execute=True):
        library_update(
            actor=perpusnas,
            library=samarinda,
            version=samarinda.version,
            name="Perpustakaan Samarinda",
        )
    fresh = client.get(INDEX)

    assert stale.context is None  # served from the cache
    assert fresh.context["totals"].total == 4


def test_each_visitor_of_a_cached_page_gets_a_working_language_switch(kepri):
    from django.test import Client

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(KEPRI)

    page = second.get(KEPRI).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = second.post(
        reverse("set_language"), {"language": "en", "next": KEPRI, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert '<h1 class="h3">TPBIS in Kepulauan Riau</h1>' in second.get(KEPRI).content.decode()


# One address scheme: the addresses of the earlier schemes answer 301 -----------------------


def test_public_story_pages_live_under_their_province(client, kepri):
    story = factories.published_story(library=kepri["barat"], title="Keripik gonggong")

    index = client.get("/provinsi/cerita/")
    stories = client.get(f"{KEPRI}cerita/")
    page = client.get(f"{KEPRI}cerita/{story.pk}/")

    assert f'href="{KEPRI}cerita/"' in _text(index)
    assert f'href="{KEPRI}cerita/{story.pk}/"' in _text(stories)
    assert page.status_code == 200 and "Keripik gonggong" in _text(page)


def test_a_story_under_the_wrong_province_or_name_redirects_to_its_address(client, kepri):
    story = factories.published_story(library=kepri["barat"])

    for old in [
        f"/provinsi/64-kalimantan-timur/cerita/{story.pk}/",
        f"/provinsi/21/cerita/{story.pk}/",
    ]:
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == f"{KEPRI}cerita/{story.pk}/"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/cerita/publik/", "/provinsi/cerita/"),
        ("/cerita/provinsi/21/", f"{KEPRI}cerita/"),
        ("/cerita/provinsi/21/?page=2", f"{KEPRI}cerita/?page=2"),
    ],
)
def test_old_story_list_addresses_redirect_permanently(client, kepri, old, new):
    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new


def test_old_story_address_redirects_only_while_the_story_is_public(client, kepri):
    public = factories.published_story(library=kepri["barat"])
    draft = factories.StoryFactory(library=kepri["barat"])

    moved = client.get(f"/cerita/baca/{public.pk}/")
    hidden = client.get(f"/cerita/baca/{draft.pk}/")

    assert moved.status_code == 301
    assert moved["Location"] == f"{KEPRI}cerita/{public.pk}/"
    # Nothing, not even the province, is told about a story that is not public.
    assert hidden.status_code == 404 and "Location" not in hidden


def test_old_library_address_redirects_permanently(client, kepri):
    barat, withdrawn = kepri["barat"], kepri["withdrawn"]

    moved = client.get(f"{KEPRI}{barat.pk}-perpustakaan-kelurahan-tanjung-pinang-barat/")
    gone = client.get(f"{KEPRI}{withdrawn.pk}-x/")

    assert moved.status_code == 301
    assert moved["Location"] == (
        f"{KEPRI}perpustakaan/{barat.pk}-perpustakaan-kelurahan-tanjung-pinang-barat/"
    )
    assert gone.status_code == 404


def test_sitemap_lists_only_the_current_addresses(client, kepri):
    story = factories.published_story(library=kepri["barat"])

    text = "".join(
        _text(client.get(f"/sitemap-{section}.xml"))
        for section in ["pages", "provinces", "libraries", "stories"]
    )

    assert "http://testserver/provinsi/cerita/</loc>" in text
    assert f"http://testserver{KEPRI}cerita/{story.pk}/</loc>" in text
    assert "/cerita/baca/" not in text and "/cerita/publik/" not in text
    assert f"{KEPRI}{kepri['barat'].pk}-" not in text


def test_public_story_page_is_cached_for_anonymous_visitors(
    client, kepri, django_assert_num_queries
):
    story = factories.published_story(library=kepri["barat"])
    url = f"{KEPRI}cerita/{story.pk}/"
    client.get(url)

    with django_assert_num_queries(0):
        response = client.get(url)

    assert response.status_code == 200
