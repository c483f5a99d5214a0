import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories


@pytest.fixture
def registry(village_library, berau_village_library, kepri_library):
    factories.AidItemFactory(library=village_library, quantity=3)
    factories.AidItemFactory(library=village_library, kind="books", quantity=700)


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_holds_only_the_consultants_province(client_for, consultant, registry):
    response = client_for(consultant).get(reverse("libraries:export", args=["csv"]))

    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows[0][:4] == ["Nama", "NPP", "Tingkat", "Provinsi"]
    names = {row[0] for row in rows[1:]}
    assert "Perpustakaan Tanjung Pinang Barat" not in names
    assert "Perpustakaan Kelurahan Rawa Makmur" in names
    rawa_makmur = next(row for row in rows if row[0] == "Perpustakaan Kelurahan Rawa Makmur")
    assert rawa_makmur[5] == "64.72.01.1001"
    assert rawa_makmur[-1] == "2"


def test_csv_export_follows_the_list_filters(client_for, perpusnas, registry):
    response = client_for(perpusnas).get(
        reverse("libraries:export", args=["csv"]), {"province": "21"}
    )

    assert [row[0] for row in _csv_rows(response)[1:]] == ["Perpustakaan Tanjung Pinang Barat"]


def test_xlsx_export_opens_in_a_spreadsheet(client_for, district_librarian, registry):
    response = client_for(district_librarian).get(reverse("libraries:export", args=["xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"Dinas Perpustakaan Kota Samarinda", "Perpustakaan Kelurahan Rawa Makmur"}


def test_export_neutralises_spreadsheet_formulas(client_for, perpusnas, regions):
    factories.village_library("64.72.01.1002", name='=HYPERLINK("http://x")')

    rows = _csv_rows(client_for(perpusnas).get(reverse("libraries:export", args=["csv"])))

    assert rows[1][0].startswith("'=")


def test_export_in_an_unknown_format_is_404(client_for, perpusnas, regions):
    response = client_for(perpusnas).get(reverse("libraries:export", args=["pdf"]))

    assert response.status_code == 404


def test_export_with_invalid_filters_explains_and_exports_nothing(client_for, perpusnas, regions):
    response = client_for(perpusnas).get(
        reverse("libraries:export", args=["csv"]), {"level": "planet"}, follow=True
    )

    assert "tidak ada yang diekspor" in response.text


def test_anonymous_cannot_export(client, registry):
    response = client.get(reverse("libraries:export", args=["csv"]))

    assert response.status_code == 302


def test_export_refuses_post(client_for, perpusnas, regions):
    response = client_for(perpusnas).post(reverse("libraries:export", args=["csv"]))

    assert response.status_code == 405
