"""National open data: files for the nation, each province and each kab/kota, the data
dictionary, the licence and the suppression rule."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from libraries.models import District, Village
from tests import factories
from tests.factories import published_story
from tests.test_suppression import published, recoverable
from tpbis_portal.overview.addresses import library_url
from tpbis_portal.overview.models import OpenDataLicence
from tpbis_portal.overview.suppression import Place

PAGE = "/provinsi/data-terbuka/"
NATIONAL_CSV = PAGE + "tpbis-indonesia.csv"
NATIONAL_XLSX = PAGE + "tpbis-indonesia.xlsx"
DICTIONARY = PAGE + "kamus-data.csv"
KEPRI = "/provinsi/21-kepulauan-riau/"
FILES = [NATIONAL_CSV, NATIONAL_XLSX, KEPRI + "data.csv", KEPRI + "data.xlsx"]
GENDER_COLUMNS = {"male": "Peserta laki-laki", "female": "Peserta perempuan"}


@pytest.fixture
def kepri(regions):
    return factories.kepri_registry()


def _activity(library, *, male, female):
    return factories.ActivityFactory(
        library=library,
        date=timezone.localdate().replace(day=1),
        participants_male=male,
        participants_female=female,
    )


def _table(response) -> list[list[str]]:
    """The rows of a CSV or XLSX answer, every cell as text (empty for nothing)."""
    if response["Content-Type"].startswith("text/csv"):
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(body)))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [
        ["" if cell is None else str(cell) for cell in row]
        for row in workbook.worksheets[0].iter_rows(values_only=True)
    ]


def _records(client, url) -> list[dict]:
    header, *rows = _table(client.get(url))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_dictionary_describes_every_column_of_every_file_exactly(client, kepri, language):
    client.cookies["tpbis_language"] = language
    headers: dict = {}
    dictionary = _table(client.get(DICTIONARY, headers=headers))
    assert dictionary[0] == (
        ["Kolom", "Arti", "Satuan"] if language == "id" else ["Column", "Meaning", "Unit"]
    )
    names = [name for name, _meaning, _unit in dictionary[1:]]
    assert all(meaning and unit for _name, meaning, unit in dictionary[1:])
    assert len(set(names)) == len(names)
    for url in FILES:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        table = _table(response)
        assert table[0] == names, url
        assert all(len(row) == len(names) for row in table), url
    # The page shows the same dictionary.
    page = client.get(PAGE, headers=headers)
    assert [column.name for column in page.context["columns"]] == names


def test_the_region_code_column_uses_kemendagri_codes(client, kepri):
    dictionary = _table(client.get(DICTIONARY))
    code = next(row for row in dictionary if row[0] == "Kode wilayah")
    assert "Kemendagri" in code[1] and "300.2.2-2138" in code[1]
    rows = _records(client, NATIONAL_CSV)
    assert [(row["Kode wilayah"], row["Tingkat wilayah"]) for row in rows] == [
        ("", "Indonesia"),
        ("21", "Provinsi"),
        ("21.72", "Kabupaten/kota"),
        ("64", "Provinsi"),
        ("91", "Provinsi"),
    ]


def test_national_file_holds_the_nation_every_province_and_every_kab_kota(client, kepri):
    barat = kepri["barat"]
    samarinda = factories.district_library("64.72")
    _activity(barat, male=10, female=12)
    _activity(samarinda, male=20, female=25)
    published_story(library=barat)

    csv_rows = _records(client, NATIONAL_CSV)
    xlsx_rows = _records(client, NATIONAL_XLSX)

    nation, kepri_row, tanjung_pinang, kaltim, samarinda_row, papua = csv_rows
    assert nation["Wilayah"] == "Indonesia"
    assert nation["Perpustakaan provinsi"] == "1"
    assert nation["Perpustakaan kabupaten/kota"] == "2"
    assert nation["Kabupaten/kota terjangkau"] == "2"
    assert (nation["Peserta"], nation["Peserta laki-laki"], nation["Peserta perempuan"]) == (
        "67",
        "30",
        "37",
    )
    assert nation["Cerita yang diterbitkan"] == "1"
    assert (kepri_row["Wilayah"], kepri_row["Peserta"]) == ("Kepulauan Riau", "22")
    assert (tanjung_pinang["Kode wilayah"], tanjung_pinang["Peserta"]) == ("21.72", "22")
    assert (kaltim["Kode wilayah"], samarinda_row["Kode wilayah"]) == ("64", "64.72")
    assert samarinda_row["Peserta laki-laki"] == "20"
    assert papua["Perpustakaan desa/kelurahan"] == "0"
    # The workbook holds the same figures (numbers as numbers).
    assert [row["Kode wilayah"] for row in xlsx_rows] == [row["Kode wilayah"] for row in csv_rows]
    assert xlsx_rows[0]["Peserta"] == "67"
    body = "".join(",".join(row.values()) for row in csv_rows)
    for private in ["Siti Aminah", "Ibu Sumiati", "0812-3456-7890", "siti@example.org"]:
        assert private not in body


def test_national_file_names_itself_by_date_and_refuses_post(client, kepri):
    response = client.get(NATIONAL_XLSX)
    assert 'filename="tpbis-indonesia-' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert client.post(NATIONAL_CSV).status_code == 405
    assert client.post(KEPRI + "data.xlsx").status_code == 405
    assert client.get("/provinsi/99-tidak-ada/data.xlsx").status_code == 404


def _published_cells(client, libraries) -> dict:
    """Every participants-by-gender cell a reader gets: the national file, the province
    files and the library and kab/kota pages."""
    shown: dict = {}

    def record(key, gender, value):
        # Every file and page publishes the same cell for a place.
        if (key, gender) in shown:
            assert shown[(key, gender)] == value, (key, gender)
        shown[(key, gender)] = value

    for url in [NATIONAL_CSV, KEPRI + "data.csv", "/provinsi/64-kalimantan-timur/data.csv"]:
        for row in _records(client, url):
            code = row["Kode wilayah"]
            level = "province" if len(code) == 2 else "regency"
            key = (level, code) if code else ("nation", "")
            for gender, column in GENDER_COLUMNS.items():
                record(key, gender, None if row[column] == "disembunyikan" else int(row[column]))
    for library in libraries:
        response = client.get(library_url(library))
        section = next(s for s in response.context["sections"] if s.slug == "indikator")
        for gender in GENDER_COLUMNS:
            record(("library", str(library.pk)), gender, section.context["gender"][gender])
    return shown


def test_no_hidden_count_can_be_derived_from_the_national_file_and_the_pages(client, kepri):
    # Kepulauan Riau: 1 man at Tanjung Pinang Barat. Kalimantan Timur: 1 man in all, at Kota
    # Samarinda's library, so the province's own split is hidden; Indonesia's split minus
    # Kepulauan Riau's would give him back, so it is hidden too.
    barat, district, provincial = kepri["barat"], kepri["district"], kepri["provincial"]
    samarinda = factories.district_library("64.72")
    _activity(barat, male=1, female=3)
    _activity(district, male=4, female=5)
    _activity(provincial, male=6, female=7)
    _activity(samarinda, male=1, female=5)
    libraries = [barat, district, provincial, samarinda]

    shown = _published_cells(client, libraries)

    nation = ("nation", "")
    assert shown[(nation, "male")] is None and shown[(nation, "female")] is None
    truth = [
        Place(nation, None, 12, 20),
        Place(("province", "21"), nation, 11, 15),
        Place(("regency", "21.72"), ("province", "21"), 5, 8),
        Place(("library", str(barat.pk)), ("regency", "21.72"), 1, 3),
        Place(("library", str(district.pk)), ("regency", "21.72"), 4, 5),
        Place(("library", str(provincial.pk)), ("province", "21"), 6, 7),
        Place(("province", "64"), nation, 1, 5),
        Place(("regency", "64.72"), ("province", "64"), 1, 5),
        Place(("library", str(samarinda.pk)), ("regency", "64.72"), 1, 5),
        Place(("province", "91"), nation, 0, 0),
    ]
    values, relations = published(truth)
    hidden = {cell for cell, value in shown.items() if value is None}
    assert all(shown[cell] == values[cell] for cell in shown if cell not in hidden)
    sensitive = {cell for cell, value in values.items() if 0 < value <= 2}
    assert sensitive <= hidden
    assert not recoverable(values, relations, hidden) & sensitive
    # The rule is explained on the row.
    kaltim = next(r for r in _records(client, NATIONAL_CSV) if r["Kode wilayah"] == "64")
    assert "dapat menunjuk seseorang" in kaltim["Catatan"]


def test_national_split_is_published_when_no_province_hides_one(client, kepri):
    _activity(kepri["barat"], male=10, female=12)

    nation = _records(client, NATIONAL_CSV)[0]

    assert (nation["Peserta laki-laki"], nation["Peserta perempuan"]) == ("10", "12")
    assert nation["Catatan"] == ""


def _more_libraries(count: int, *, start: int) -> None:
    district = District.objects.get(code="21.72.01")
    for number in range(start, start + count):
        village = Village.objects.create(
            code=f"21.72.01.{1100 + number}",
            name=f"Kampung {number}",
            kind="kelurahan",
            district=district,
        )
        library = factories.village_library(village.code)
        _activity(library, male=3 + number, female=5 + number)
        published_story(library=library, title=f"Cerita {number}")


@pytest.mark.parametrize(("url", "cold", "warm"), [(NATIONAL_CSV, 26, 0), (PAGE, 3, 0)])
def test_open_data_query_counts_do_not_grow_with_data(
    client, kepri, django_assert_num_queries, url, cold, warm
):
    for more, start in [(0, 0), (25, 100)]:
        _more_libraries(more, start=start)
        cache.clear()
        with django_assert_num_queries(cold):
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        with django_assert_num_queries(warm):
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)


# The page, the licence and the rule


def test_open_data_page_links_the_files_and_explains_licence_rule_and_codes(client, kepri):
    response = client.get(PAGE)

    text = response.content.decode()
    for url in [NATIONAL_CSV, NATIONAL_XLSX, DICTIONARY, KEPRI + "data.csv", KEPRI + "data.xlsx"]:
        assert f'href="{url}"' in text
    assert "Creative Commons Atribusi 4.0 Internasional (CC BY 4.0)" in text
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license noopener"' in text
    assert "penyembunyian pelengkap" in text  # the suppression rule
    assert "Keputusan Menteri Dalam Negeri No. 300.2.2-2138 Tahun 2025" in text
    assert re.search(r"Data per <time[^>]*>[^<]+ WIB</time>", text)
    # The pages that offer figures link to it.
    for url in ["/provinsi/", KEPRI, KEPRI + "kab/21.72-kota-tanjung-pinang/"]:
        assert f'href="{PAGE}"' in client.get(url).content.decode()


def test_staff_choose_another_licence_and_the_page_shows_it_at_once(
    client, client_for, perpusnas, consultant, kepri
):
    assert "CC BY 4.0" in client.get(PAGE).content.decode()  # now cached
    data = {"licence": "CC0-1.0", "attribution": "Perpusnas RI"}
    add = reverse("admin:overview_opendatalicence_add")

    # A consultant may not change it.
    assert client_for(consultant).post(add, data).status_code == 403
    response = client_for(perpusnas).post(add, data)

    assert response.status_code == 302
    assert str(OpenDataLicence.current()) == str(OpenDataLicence.Licence.CC0.label)
    text = client.get(PAGE).content.decode()
    assert "CC0 1.0" in text and "Perpusnas RI" in text
    assert "creativecommons.org/publicdomain/zero/1.0/" in text
    # One setting only: adding again replaces the choice.
    client_for(perpusnas).post(add, {"licence": "ODbL-1.0", "attribution": "Perpusnas RI"})
    assert OpenDataLicence.objects.count() == 1
    assert "ODbL" in client.get(PAGE).content.decode()


def test_national_files_follow_a_change_made_through_the_services(
    client, kepri, django_capture_on_commit_callbacks
):
    import uuid

    from libraries.reporting.services import activity_record

    barat = kepri["barat"]
    librarian = factories.librarian("pustakawan.barat", barat)
    before = {url: _records(client, url)[0]["Kegiatan"] for url in [NATIONAL_CSV, NATIONAL_XLSX]}
    with django_capture_on_commit_callbacks(execute=True):
        activity_record(
            actor=librarian,
            library=barat,
            idempotency_key=uuid.uuid4(),
            title="Pelatihan jualan daring",
            date=timezone.localdate(),
            strategy="engagement",
            kind="training",
            participants_male=5,
            participants_female=7,
        )

    for url in [NATIONAL_CSV, NATIONAL_XLSX]:
        assert before[url] == "0"
        assert _records(client, url)[0]["Kegiatan"] == "1", url
