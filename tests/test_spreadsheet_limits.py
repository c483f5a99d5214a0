"""Spreadsheet imports refuse zip bombs from the zip directory, and stop at a row cap.

A 1 MB workbook that unpacked to 1 GB of XML kept a worker busy for two minutes; two of them
stalled the site. The participant import (events) and the activity import (reporting) share
one checker, ``libraries.uploads.read_spreadsheet``.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Participant
from libraries import uploads
from libraries.models import Activity
from tests import hostile_files

UNPACKED = "Buku kerja ini berukuran 64,0\xa0MB setelah dibuka; batasnya 20,0\xa0MB."


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    """A workbook refused from its zip directory is never handed to openpyxl."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse a workbook that should be refused")

    monkeypatch.setattr(uploads, "load_workbook", refuse)


def _upload(built):
    name, content = built
    return SimpleUploadedFile(name, content)


def test_zip_bomb_is_a_small_file_that_unpacks_a_thousand_times_larger():
    _name, content = hostile_files.zip_bomb_xlsx()

    assert len(content) < 200 * 1024


def test_participant_import_refuses_a_zip_bomb_before_unpacking_it(
    client_for, consultant, plm, openpyxl_never_opens
):
    response = client_for(consultant).post(
        reverse("events:import", args=[plm.pk]), {"file": _upload(hostile_files.zip_bomb_xlsx())}
    )

    assert response.status_code == 200
    assert UNPACKED in response.text
    assert response.context["rows"] is None
    assert not Participant.objects.exists()


def test_activity_import_refuses_a_zip_bomb_before_unpacking_it(
    client_for, village_librarian, openpyxl_never_opens
):
    response = client_for(village_librarian).post(
        reverse("reporting:activity-import"),
        {
            "library": village_librarian.library_id,
            "month": "2024-01",
            "file": _upload(hostile_files.zip_bomb_xlsx()),
        },
    )

    assert response.status_code == 400
    assert UNPACKED in response.text
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    "built, code",
    [
        (hostile_files.tightly_packed_xlsx, "ratio"),
        (hostile_files.many_parts_xlsx, "too_many_parts"),
        (hostile_files.truncated_xlsx, "format"),
    ],
)
def test_workbooks_out_of_bounds_are_refused_from_the_zip_directory(
    built, code, openpyxl_never_opens
):
    with pytest.raises(ValidationError) as error:
        uploads.check_spreadsheet(_upload(built()))

    assert error.value.code == code


def test_ratio_refusal_explains_itself_in_indonesian(client_for, consultant, plm):
    response = client_for(consultant).post(
        reverse("events:import", args=[plm.pk]),
        {"file": _upload(hostile_files.tightly_packed_xlsx())},
    )

    assert "dimampatkan" in response.text
    assert "seperti bom zip" in response.text


def test_rows_are_counted_while_reading_and_the_import_stops_at_the_cap():
    rows = [["Judul"]] + [[f"Kegiatan {number}"] for number in range(30)]

    with pytest.raises(ValidationError) as error:
        uploads.read_spreadsheet(_upload(("banyak.xlsx", hostile_files.xlsx(rows))), max_rows=20)

    assert error.value.code == "too_many_rows"


def test_thousands_of_empty_rows_stop_the_reading_too():
    rows = [["Judul"], ["Kegiatan"]] + [[None, " "]] * 200 + [["Akhir"]]

    with pytest.raises(ValidationError) as error:
        uploads.read_spreadsheet(_upload(("kosong.xlsx", hostile_files.xlsx(rows))), max_rows=5)

    assert error.value.code == "too_many_rows"
    assert "sebagian besar kosong" in error.value.messages[0]


def test_a_workbook_within_bounds_keeps_its_row_numbers():
    rows = [["Judul", "Tanggal"], [None, None], ["Pelatihan", datetime.date(2024, 1, 5)]]

    read = uploads.read_spreadsheet(_upload(("baik.xlsx", hostile_files.xlsx(rows))), max_rows=5)

    assert [row[0] for row in read] == ["Judul", None, "Pelatihan"]


def test_activity_import_with_more_rows_than_allowed_is_refused(client_for, village_librarian):
    rows = [["Tanggal", "Judul"]] + [["05-01-2024", f"Kegiatan {n}"] for n in range(1002)]

    response = client_for(village_librarian).post(
        reverse("reporting:activity-import"),
        {
            "library": village_librarian.library_id,
            "month": "2024-01",
            "file": _upload(("banyak.xlsx", hostile_files.xlsx(rows))),
        },
    )

    assert response.status_code == 400
    assert "lebih dari 1000 baris" in response.text
    assert not Activity.objects.exists()
