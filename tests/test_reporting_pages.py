"""Indicator pages, ranking, targets and the spreadsheet import."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from libraries.models import Activity, Indicator, Target, Threshold
from tests import factories

NATION = reverse("reporting:indicators-nation")
PROVINCE = reverse("reporting:indicators-province", args=["64"])
YEAR = {"tahun": 2024}


@pytest.fixture
def reported(village_library, berau_village_library, kepri_library):
    factories.TargetFactory(per_month=1)
    for day in (1, 2, 3):
        factories.ActivityFactory(
            library=village_library,
            date=datetime.date(2024, 2, day),
            participants_male=2,
            participants_female=3,
        )
    factories.ActivityFactory(library=berau_village_library, date=datetime.date(2024, 2, 9))
    return village_library


# Indicator pages


@pytest.mark.django_db
def test_anonymous_visitor_cannot_see_indicators(client):
    assert client.get(NATION).status_code == 302


def test_perpusnas_sees_the_nation_with_the_numbers_behind_the_colour(
    client_for, perpusnas, reported
):
    response = client_for(perpusnas).get(NATION, {"tahun": 2024, "triwulan": 1})

    total = response.context["total"]
    assert total[Indicator.ACTIVITIES].actual == 4
    assert total[Indicator.ACTIVITIES].target == 9
    assert "hijau mulai 9" in response.text
    assert {row.area.name for row in response.context["rows"]} == {
        "Kalimantan Timur",
        "Kepulauan Riau",
    }


def test_consultant_cannot_open_the_nation_page(client_for, consultant, regions):
    assert client_for(consultant).get(NATION).status_code == 404


def test_indicators_home_opens_the_users_own_area(
    client_for, consultant, district_librarian, village_librarian
):
    home = reverse("reporting:indicators")

    assert client_for(consultant).get(home)["Location"] == PROVINCE
    assert client_for(district_librarian).get(home)["Location"].endswith("/kab-kota/64.72/")
    assert (
        client_for(village_librarian)
        .get(home)["Location"]
        .endswith(f"/perpustakaan/{village_librarian.library_id}/")
    )


def test_another_province_indicators_are_404(client_for, outsider, reported):
    assert client_for(outsider).get(PROVINCE).status_code == 404


def test_district_librarian_sees_their_kab_kota_not_another(
    client_for, district_librarian, reported
):
    client = client_for(district_librarian)

    own = client.get(reverse("reporting:indicators-regency", args=["64.72"]), YEAR)
    other = client.get(reverse("reporting:indicators-regency", args=["64.03"]), YEAR)

    assert own.status_code == 200
    assert own.context["total"][Indicator.PARTICIPANTS].actual == 15
    assert other.status_code == 404


def test_library_without_target_shows_no_target(client_for, district_librarian, reported):
    url = reverse("reporting:indicators-library", args=[district_librarian.library_id])

    response = client_for(district_librarian).get(url, YEAR)

    assert response.context["total"][Indicator.ACTIVITIES].status == "none"
    assert "Tanpa target" in response.text


def test_bad_period_is_explained(client_for, perpusnas, regions):
    response = client_for(perpusnas).get(NATION, {"tahun": "kemarin", "bulan": 13})

    assert response.status_code == 400
    assert response.context["form"].errors


def test_quarter_and_month_together_are_refused(client_for, perpusnas, regions):
    response = client_for(perpusnas).get(NATION, {"tahun": 2024, "bulan": 1, "triwulan": 1})

    assert response.status_code == 400
    assert "jangan keduanya" in response.text


def test_indicator_page_refuses_post(client_for, perpusnas, regions):
    assert client_for(perpusnas).post(NATION).status_code == 405


def test_province_page_keeps_a_fixed_number_of_queries(
    client_for, consultant, reported, django_assert_num_queries
):
    client = client_for(consultant)
    client.get(PROVINCE, YEAR)

    # session, user, consultant's provinces, the province, ten for the indicators, two for
    # the skills taught
    with django_assert_num_queries(16):
        client.get(PROVINCE, YEAR)
    for code in ["64.72.01.1002", "64.72.02.1001"]:
        library = factories.village_library(code)
        for day in range(1, 6):
            factories.ActivityFactory(library=library, date=datetime.date(2024, 3, day))
        factories.VisitorCountFactory(library=library)
    with django_assert_num_queries(16):
        client.get(PROVINCE, YEAR)


def test_indicators_export_as_csv_and_xlsx(client_for, consultant, reported):
    client = client_for(consultant)
    base = reverse("reporting:indicators-province-export", args=["64", "csv"])

    csv_text = b"".join(client.get(base, YEAR).streaming_content).decode()
    xlsx = client.get(reverse("reporting:indicators-province-export", args=["64", "xlsx"]), YEAR)

    assert "Kota Samarinda" in csv_text and "Kalimantan Timur" in csv_text
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 4  # header, Berau, Samarinda, the province as a whole


# Ranking


def test_ranking_explains_its_numbers_and_exports(client_for, consultant, reported):
    client = client_for(consultant)

    response = client.get(reverse("reporting:ranking", args=["64"]), YEAR)
    export = client.get(reverse("reporting:ranking-export", args=["64", "xlsx"]), YEAR)

    ranked = response.context["ranked"]
    assert (ranked[0].rank, ranked[0].library.name) == (1, "Perpustakaan Kelurahan Rawa Makmur")
    assert ranked[0].numbers[Indicator.PARTICIPANTS] == 15
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [cell.value for cell in sheet[2]][:3] == [1, None, "Perpustakaan Kelurahan Rawa Makmur"]


def test_ranking_shows_ties(client_for, perpusnas, village_library, berau_village_library):
    for library in (village_library, berau_village_library):
        factories.ActivityFactory(library=library, date=datetime.date(2024, 4, 1))

    response = client_for(perpusnas).get(reverse("reporting:ranking", args=["64"]), YEAR)

    assert [(row.rank, row.tied) for row in response.context["ranked"]] == [(1, True), (1, True)]
    assert response.text.count(">seri<") == 2


def test_ranking_of_another_province_is_404(client_for, outsider, district_librarian, reported):
    url = reverse("reporting:ranking", args=["64"])

    assert client_for(outsider).get(url).status_code == 404
    assert client_for(district_librarian).get(url).status_code == 404


def test_ranking_by_an_unknown_measure_is_refused(client_for, perpusnas, reported):
    response = client_for(perpusnas).get(
        reverse("reporting:ranking", args=["64"]), {"tahun": 2024, "ukuran": "budget"}
    )

    assert response.status_code == 400


# Targets and thresholds


def test_consultant_reads_targets_but_cannot_set_them(client_for, consultant, regions):
    client = client_for(consultant)

    assert client.get(reverse("reporting:targets")).status_code == 200
    assert client.get(reverse("reporting:target-create")).status_code == 403
    response = client.post(
        reverse("reporting:target-create"),
        {"indicator": "activities", "level": "village", "year": 2024, "per_month": 2},
    )
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_perpusnas_sets_a_target(client_for, perpusnas, regions):
    response = client_for(perpusnas).post(
        reverse("reporting:target-create"),
        {"indicator": "activities", "level": "village", "year": 2024, "per_month": "2.5"},
    )

    target = Target.objects.get()
    assert response.status_code == 302
    assert (str(target.per_month), target.set_by) == ("2.50", perpusnas)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"cohort_year": 2025}, "cohort_year"),
        ({"per_month": -1}, "per_month"),
        ({"indicator": "happiness"}, "indicator"),
    ],
)
def test_bad_target_is_explained_and_not_saved(client_for, perpusnas, regions, data, field):
    payload = {"indicator": "activities", "level": "village", "year": 2024, "per_month": 2}

    response = client_for(perpusnas).post(reverse("reporting:target-create"), payload | data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Target.objects.exists()


def test_second_target_for_the_same_cohort_is_refused(client_for, perpusnas, regions):
    factories.TargetFactory(per_month=2)

    response = client_for(perpusnas).post(
        reverse("reporting:target-create"),
        {"indicator": "activities", "level": "village", "year": 2024, "per_month": 3},
    )

    assert response.status_code == 400
    assert Target.objects.count() == 1


def test_perpusnas_sets_thresholds_and_bad_ones_are_refused(client_for, perpusnas, regions):
    client = client_for(perpusnas)
    url = reverse("reporting:threshold-edit")

    bad = client.post(url, {"indicator": "activities", "yellow_from": 90, "green_from": 80})
    good = client.post(url, {"indicator": "activities", "yellow_from": 60, "green_from": 90})
    again = client.post(url, {"indicator": "activities", "yellow_from": 50, "green_from": 90})

    assert bad.status_code == 400
    assert good.status_code == again.status_code == 302
    assert Threshold.objects.get().yellow_from == 50


def test_consultant_cannot_set_thresholds(client_for, consultant, regions):
    response = client_for(consultant).post(
        reverse("reporting:threshold-edit"),
        {"indicator": "activities", "yellow_from": 60, "green_from": 90},
    )

    assert response.status_code == 403


# Import


IMPORT = reverse("reporting:activity-import")
HEADER = [
    "Tanggal",
    "Strategi",
    "Jenis kegiatan",
    "Judul",
    "Keterampilan yang diajarkan",
    "Peserta laki-laki",
    "Peserta perempuan",
    "Mitra (dipisahkan dengan ;)",
]


def _workbook(*rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("maret.xlsx", buffer.getvalue())


def _post_import(client, library, upload):
    return client.post(IMPORT, {"library": library.pk, "month": "2024-03", "file": upload})


def test_import_preview_lists_bad_rows_and_saves_nothing(
    client_for, village_librarian, village_library
):
    upload = _workbook(
        [
            datetime.date(2024, 3, 2),
            "Pelibatan masyarakat",
            "Pelatihan keterampilan",
            "Kelas",
            "",
            3,
            4,
            "",
        ],
        ["2024-04-01", "Pelibatan masyarakat", "Mendongeng", "Bulan salah", "", 1, 1, ""],
        ["05-03-2024", "Lobi", "Mendongeng", "Strategi salah", "", "dua", 1, ""],
        ["06-03-2024", "engagement", "reading", "Mitra salah", "", 1, 1, "Bank Antah"],
    )

    response = _post_import(client_for(village_librarian), village_library, upload)

    preview = response.context["preview"]
    assert [row.number for row in preview.error_rows] == [3, 4, 5]
    assert "bulan yang diimpor" in response.text
    assert "Strategi “Lobi” tidak dikenal" in response.text
    assert "“dua” bukan jumlah orang" in response.text
    assert "Bank Antah" in response.text
    # The one good row may be imported alone; until then nothing is saved.
    assert response.context["token"]
    assert "Impor 1 kegiatan yang baik" in response.text
    assert not Activity.objects.exists()


def test_confirmed_import_saves_every_row_once(client_for, village_librarian, village_library):
    factories.PartnerFactory(library=village_library, name="Koperasi Sejahtera")
    client = client_for(village_librarian)
    upload = _workbook(
        [
            "02-03-2024",
            "Pelibatan masyarakat",
            "Pelatihan keterampilan",
            "Kelas kue",
            "Kue",
            3,
            4,
            "koperasi sejahtera",
        ],
        [
            "09-03-2024",
            "Advokasi dan kemitraan",
            "Pertemuan advokasi",
            "Audiensi Kades",
            "",
            2,
            1,
            "",
        ],
    )
    preview = _post_import(client, village_library, upload)
    assert not Activity.objects.exists()

    token = preview.context["token"]
    confirm = reverse("reporting:activity-import-confirm")
    first = client.post(confirm, {"token": token})
    second = client.post(confirm, {"token": token}, follow=True)

    assert first.status_code == 302
    assert Activity.objects.count() == 2
    kelas = Activity.objects.get(title="Kelas kue")
    assert kelas.participants_total == 7
    assert [p.name for p in kelas.partners.all()] == ["Koperasi Sejahtera"]
    assert "kedaluwarsa" in second.text


def test_a_file_that_is_not_a_workbook_is_refused(client_for, village_librarian, village_library):
    response = _post_import(
        client_for(village_librarian),
        village_library,
        SimpleUploadedFile("kegiatan.xlsx", b"Tanggal;Judul\n"),
    )

    assert response.status_code == 400
    assert "bukan buku kerja Excel" in response.text


def test_import_is_for_librarians_only(client_for, consultant, regions):
    assert client_for(consultant).get(IMPORT).status_code == 403


def test_import_template_downloads_with_the_columns(client_for, village_librarian):
    response = client_for(village_librarian).get(reverse("reporting:activity-import-template"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:4] == [
        "Tanggal",
        "Strategi",
        "Jenis kegiatan",
        "Judul",
    ]


def test_template_row_imports_without_errors(client_for, village_librarian, village_library):
    client = client_for(village_librarian)
    template = client.get(reverse("reporting:activity-import-template")).content
    workbook = load_workbook(io.BytesIO(template))
    workbook.active["A2"] = "15-03-2024"
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = _post_import(
        client, village_library, SimpleUploadedFile("t.xlsx", buffer.getvalue())
    )

    assert response.context["preview"].can_confirm


# Administration: where consultants correct reports


def test_consultant_corrects_only_their_provinces_activities_in_the_admin(
    client_for, consultant, outsider, village_library, kepri_library
):
    own = factories.ActivityFactory(library=village_library, title="Kelas Samarinda")
    factories.ActivityFactory(library=kepri_library, title="Kelas Tanjung Pinang")
    change = reverse("admin:libraries_activity_change", args=[own.pk])

    listing = client_for(consultant).get(reverse("admin:libraries_activity_changelist"))

    assert "Kelas Samarinda" in listing.text
    assert "Kelas Tanjung Pinang" not in listing.text
    assert client_for(consultant).get(change).status_code == 200
    assert client_for(outsider).get(change).status_code == 404


def test_only_perpusnas_changes_targets_in_the_admin(client_for, consultant, perpusnas, regions):
    add = reverse("admin:libraries_target_add")

    assert client_for(consultant).get(add).status_code == 403
    assert client_for(perpusnas).get(add).status_code == 200
