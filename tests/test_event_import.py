import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from events.models import Attendance, Participant, Registration
from tests import factories


def _csv(text: str, name="peserta.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _xlsx(rows, name="peserta.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


SHEET = (
    "Nama,Jenis kelamin,Perpustakaan,Instansi,Jabatan,Hadir\n"
    'Siti Aminah,P,Perpustakaan Kelurahan Rawa Makmur,,Pengelola,"1,2"\n'
    "Budi Santoso,L,,Dinas Kominfo Kabupaten Berau,Kabid,1\n"
    "Tanpa Kelamin,X,Perpustakaan Kelurahan Rawa Makmur,,,\n"
    "Orang Luar,P,Perpustakaan Entah,,,\n"
    "Hari Salah,L,,Bappeda,,9\n"
)


def _preview(client, event, upload):
    return client.post(reverse("events:import", args=[event.pk]), {"file": upload})


def test_preview_explains_each_row_and_saves_nothing(client_for, consultant, plm, village_library):
    factories.participant("SITI AMINAH, S.Pd.", village_library)

    response = _preview(client_for(consultant), plm, _csv(SHEET))

    rows = response.context["rows"]
    assert [row.status for row in rows] == ["known", "new", "error", "error", "error"]
    assert "L atau P" in rows[2].reason
    assert "Perpustakaan Entah" in rows[3].reason
    assert "hari 1 sampai 3" in rows[4].reason
    assert "Belum ada yang disimpan" in response.text
    assert Participant.objects.count() == 1
    assert not Registration.objects.exists()


def test_confirmed_import_registers_people_and_their_attendance_once(
    client_for, consultant, plm, village_library
):
    client = client_for(consultant)
    preview = _preview(client, plm, _csv(SHEET))
    token = preview.context["token"]
    confirm = reverse("events:import-confirm", args=[plm.pk])

    response = client.post(confirm, {"token": token})
    again = client.post(confirm, {"token": token})

    assert response.status_code == 302
    assert again.status_code == 302
    assert Registration.objects.filter(event=plm).count() == 2
    assert Attendance.objects.active().count() == 3
    assert set(Attendance.objects.values_list("source", flat=True)) == {"import"}


def test_xlsx_sheet_is_read_like_a_csv(client_for, consultant, plm, village_library):
    upload = _xlsx(
        [
            ["Nama", "Jenis Kelamin", "Perpustakaan", "Peran"],
            ["Siti Aminah", "Perempuan", "Perpustakaan Kelurahan Rawa Makmur", "PIC TPBIS"],
        ]
    )

    response = _preview(client_for(consultant), plm, upload)

    row = response.context["rows"][0]
    assert (row.status, row.gender, row.role) == ("new", "F", "pic")


def test_repeated_person_in_the_file_is_an_error(client_for, consultant, plm, village_library):
    text = (
        "Nama;Jenis kelamin;Perpustakaan\n"
        "Siti Aminah;P;Perpustakaan Kelurahan Rawa Makmur\n"
        "Hj. Siti Aminah;P;Perpustakaan Kelurahan Rawa Makmur\n"
    )

    response = _preview(client_for(consultant), plm, _csv(text))

    assert [row.status for row in response.context["rows"]] == ["new", "error"]


def test_file_without_the_needed_columns_is_refused(client_for, consultant, plm):
    response = _preview(client_for(consultant), plm, _csv("Foo,Bar\n1,2\n"))

    assert response.status_code == 200
    assert "Baris pertama harus berisi nama kolom" in response.text


def test_binary_file_pretending_to_be_csv_is_refused(client_for, consultant, plm):
    upload = SimpleUploadedFile("peserta.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00")

    response = _preview(client_for(consultant), plm, upload)

    assert "bukan XLSX maupun teks CSV" in response.text


def test_corrupt_xlsx_is_refused(client_for, consultant, plm):
    upload = SimpleUploadedFile("peserta.xlsx", b"PK\x03\x04not really a zip")

    response = _preview(client_for(consultant), plm, upload)

    assert "Buku kerja Excel ini tidak dapat dibaca" in response.text


def test_confirm_without_a_preview_saves_nothing(client_for, consultant, plm):
    response = client_for(consultant).post(
        reverse("events:import-confirm", args=[plm.pk]), {"token": "forged"}
    )

    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_outsider_cannot_import(client_for, outsider, plm):
    assert _preview(client_for(outsider), plm, _csv(SHEET)).status_code == 404


def test_librarian_cannot_import(client_for, perpusnas, village_librarian, village_library, plm):
    from events.services import invitations_set

    invitations_set(actor=perpusnas, event=plm, libraries=[village_library])

    assert _preview(client_for(village_librarian), plm, _csv(SHEET)).status_code == 403


def test_import_confirm_refuses_get(client_for, consultant, plm):
    url = reverse("events:import-confirm", args=[plm.pk])

    assert client_for(consultant).get(url).status_code == 405


@pytest.mark.django_db
def test_anonymous_cannot_import(client, plm):
    response = client.get(reverse("events:import", args=[plm.pk]))

    assert response.status_code == 302
