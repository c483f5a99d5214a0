"""The one import engine (libraries.imports), generically and through each of its users:
good rows imported, refused rows left out and downloadable with their reasons, a confirmed
token never replayed, a double confirm saving each row once."""

import csv
import io

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from events.models import Participant, Registration
from libraries.imports import PendingImports, Refused, UnreadableFile, read_table
from libraries.models import Activity


class _Request:
    def __init__(self):
        self.session = SessionStore()


def _csv(text: str, name="daftar.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _xlsx(rows, name="daftar.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


# The engine


def test_read_table_numbers_rows_as_the_sheet_does_and_skips_empty_ones():
    table = read_table(
        _xlsx([["Nama", "Umur"], ["Siti", 30], [None, None], ["Budi", 41.0]]),
        max_rows=10,
        max_bytes=10_000,
    )

    assert table.header == ["Nama", "Umur"]
    assert [number for number, _values in table.rows] == [2, 4]


@pytest.mark.parametrize(
    ("upload", "kwargs", "message"),
    [
        (_csv("a,b\n" + "1,2\n" * 11), {"max_rows": 10}, "lebih dari 10 baris"),
        (_csv("a,b\n1,2\n"), {"max_bytes": 4}, "batasnya"),
        (_csv("a,b\n1,2\n"), {"allow_csv": False}, "bukan buku kerja Excel"),
        (_csv("\n\n"), {}, "kosong"),
        (SimpleUploadedFile("x.csv", b"\x00\x01\x02binary"), {}, "bukan XLSX"),
    ],
)
def test_read_table_refuses_what_it_cannot_use(upload, kwargs, message):
    options = {"max_rows": 100, "max_bytes": 10_000, **kwargs}
    with pytest.raises(UnreadableFile) as caught:
        read_table(upload, **options)

    assert message in " ".join(caught.value.messages)


def test_a_pending_import_is_confirmed_once_and_its_refused_rows_stay():
    request = _Request()
    pending = PendingImports(request, "demo")
    token = pending.begin(
        owner={"event": 1},
        header=["Nama"],
        good=[{"row": 2}],
        refused=[Refused(number=3, cells=["?"], reasons=["nama kosong"])],
    )

    assert pending.claim("wrong") is None
    assert pending.claim(token, owner={"event": 2}) is None
    assert pending.claim(token, owner={"event": 1}) == [{"row": 2}]
    pending.finish(token)
    assert pending.claim(token, owner={"event": 1}) is None
    header, rows = pending.refused(token)
    assert header == ["Nama"] and rows[0].reason == "nama kosong"
    # A new upload replaces the old one: its token and refused rows are gone.
    newer = pending.begin(owner={"event": 1}, header=["Nama"], good=[], refused=[])
    assert pending.refused(token) is None and pending.refused(newer) == (["Nama"], [])
    # Another kind of import keeps its own.
    assert PendingImports(request, "other").claim(newer) is None


# Participants


SHEET = (
    "Nama,Jenis kelamin,Perpustakaan,Instansi,Jabatan,Hadir\n"
    "Budi Santoso,L,,Dinas Kominfo Kabupaten Berau,Kabid,1\n"
    "Tanpa Kelamin,X,Perpustakaan Kelurahan Rawa Makmur,,,\n"
    "Hari Salah,L,,Bappeda,,9\n"
)


def test_participant_import_takes_the_good_rows_and_lists_the_refused_ones(
    client_for, consultant, plm, village_library
):
    client = client_for(consultant)
    preview = client.post(reverse("events:import", args=[plm.pk]), {"file": _csv(SHEET)})
    token = preview.context["token"]

    assert "2 baris ditolak" in preview.text
    confirm = reverse("events:import-confirm", args=[plm.pk])
    client.post(confirm, {"token": token})
    client.post(confirm, {"token": token})  # a double tap
    refused = client.get(reverse("events:import-refused", args=[plm.pk, "csv"]), {"token": token})

    assert list(Participant.objects.values_list("name", flat=True)) == ["Budi Santoso"]
    assert Registration.objects.filter(event=plm).count() == 1
    rows = _csv_rows(refused)
    assert rows[0][0] == "Baris" and rows[0][-1] == "Alasan penolakan"
    assert [row[0] for row in rows[1:]] == ["3", "4"]
    assert rows[1][1] == "Tanpa Kelamin" and "L atau P" in rows[1][-1]
    assert "hari 1 sampai 3" in rows[2][-1]


def test_refused_participant_rows_are_not_for_another_user_or_event(
    client_for, consultant, perpusnas, plm, kepri_bimtek
):
    preview = client_for(consultant).post(
        reverse("events:import", args=[plm.pk]), {"file": _csv(SHEET)}
    )
    token = preview.context["token"]
    url = reverse("events:import-refused", args=[plm.pk, "xlsx"])

    # The rows live in the importer's session: anyone else finds nothing.
    assert client_for(perpusnas).get(url, {"token": token}).status_code == 404
    assert client_for(consultant).get(url, {"token": "tebakan"}).status_code == 404
    other = reverse("events:import-refused", args=[kepri_bimtek.pk, "xlsx"])
    assert client_for(consultant).get(other, {"token": token}).status_code == 404


def test_refused_participant_rows_download_as_xlsx_that_imports_again(
    client_for, consultant, plm, village_library
):
    client = client_for(consultant)
    token = client.post(reverse("events:import", args=[plm.pk]), {"file": _csv(SHEET)}).context[
        "token"
    ]
    response = client.get(reverse("events:import-refused", args=[plm.pk, "xlsx"]), {"token": token})
    sheet = load_workbook(io.BytesIO(response.content)).active
    sheet["C2"] = "P"  # corrected gender of row 3
    buffer = io.BytesIO()
    sheet.parent.save(buffer)

    again = client.post(
        reverse("events:import", args=[plm.pk]),
        {"file": SimpleUploadedFile("ditolak.xlsx", buffer.getvalue())},
    )

    assert [row.status for row in again.context["rows"]] == ["new", "error"]


def test_read_only_roles_cannot_download_refused_participant_rows(
    client_for, village_librarian, plm
):
    url = reverse("events:import-refused", args=[plm.pk, "csv"])

    assert client_for(village_librarian).get(url, {"token": "x"}).status_code in (403, 404)


# Activities


ACTIVITY_HEADER = [
    "Tanggal",
    "Strategi",
    "Jenis kegiatan",
    "Judul",
    "Peserta laki-laki",
    "Peserta perempuan",
]


def _activities(client, library, *rows):
    return client.post(
        reverse("reporting:activity-import"),
        {"library": library.pk, "month": "2024-03", "file": _xlsx([ACTIVITY_HEADER, *rows])},
    )


def test_activity_import_takes_the_good_rows_once_and_lists_the_refused_ones(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)
    good = ["02-03-2024", "Pelibatan masyarakat", "Pelatihan keterampilan", "Kelas", 3, 4]
    preview = _activities(
        client,
        village_library,
        good,
        ["2024-04-01", "Pelibatan masyarakat", "Mendongeng", "Bulan salah", 1, 1],
        ["05-03-2024", "Lobi", "Mendongeng", "Strategi salah", "dua", 1],
        [*good[:3], "Kelas kedua", 1, 1],
    )
    token = preview.context["token"]
    confirm = reverse("reporting:activity-import-confirm")

    first = client.post(confirm, {"token": token})
    replay = client.post(confirm, {"token": token}, follow=True)
    refused = client.get(
        reverse("reporting:activity-import-refused", args=["csv"]), {"token": token}
    )

    assert first.status_code == 302
    assert sorted(Activity.objects.values_list("title", flat=True)) == ["Kelas", "Kelas kedua"]
    assert "kedaluwarsa" in replay.text
    rows = _csv_rows(refused)
    assert [row[0] for row in rows[1:]] == ["3", "4"]
    assert rows[1][4] == "Bulan salah" and "bulan yang diimpor" in rows[1][-1]
    assert "Strategi “Lobi” tidak dikenal" in rows[2][-1]
    assert "“dua” bukan jumlah orang" in rows[2][-1]


def test_activity_rows_are_saved_once_when_two_confirms_race(
    client_for, village_librarian, village_library
):
    """Two requests that both read the session before either finished: the keys derived from
    the token make the second save nothing new."""
    from libraries.reporting.imports import activity_import_commit

    client = client_for(village_librarian)
    preview = _activities(
        client,
        village_library,
        ["02-03-2024", "Pelibatan masyarakat", "Pelatihan keterampilan", "Kelas", 3, 4],
    )
    token = preview.context["token"]
    saved = {**preview.context["preview"].serialise()}

    assert activity_import_commit(actor=village_librarian, token=token, saved=saved) == 1
    assert activity_import_commit(actor=village_librarian, token=token, saved=saved) == 0
    assert Activity.objects.count() == 1


def test_an_import_with_only_refused_rows_offers_no_confirmation(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)
    preview = _activities(
        client,
        village_library,
        ["2024-04-01", "Pelibatan masyarakat", "Mendongeng", "Bulan salah", 1, 1],
    )
    response = client.post(
        reverse("reporting:activity-import-confirm"), {"token": preview.context["token"]}
    )

    assert not preview.context["preview"].can_confirm
    assert "activity-import-confirm" not in preview.text
    assert response.status_code == 302
    assert not Activity.objects.exists()


def test_refused_activity_rows_are_for_reporters_in_their_own_session(
    client_for, village_librarian, district_librarian, consultant, village_library
):
    token = _activities(
        client_for(village_librarian),
        village_library,
        ["2024-04-01", "Pelibatan masyarakat", "Mendongeng", "Bulan salah", 1, 1],
    ).context["token"]
    url = reverse("reporting:activity-import-refused", args=["xlsx"])

    assert client_for(district_librarian).get(url, {"token": token}).status_code == 404
    assert client_for(consultant).get(url, {"token": token}).status_code == 403
    assert (
        client_for(village_librarian)
        .get(reverse("reporting:activity-import-refused", args=["pdf"]), {"token": token})
        .status_code
        == 404
    )
