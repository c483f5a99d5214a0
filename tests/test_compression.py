"""Dynamic pages travel compressed (Django's GZipMiddleware, padded against BREACH); photos
and documents, compressed already, travel as they are."""

import gzip
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.services import attendance_mark
from libraries.models import ActivityEvidence
from tests import factories
from tests.test_reporting_files import PDF

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_attendance_page_for_sixty_people_travels_in_under_20_kb(
    client_for, consultant, plm, plm_day_one, village_library
):
    for number in range(60):
        person = factories.participant(
            f"Peserta Pelatihan {number:02d}", village_library, event=plm
        )
        if number % 3 == 0:
            attendance_mark(
                actor=consultant, session=plm_day_one, participant=person, client_id=uuid.uuid4()
            )
    url = reverse("events:attendance", args=[plm_day_one.pk])
    client = client_for(consultant)

    plain = client.get(url)
    compressed = client.get(url, **GZIP)

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) <= 20 * 1024 < len(plain.content)
    assert "Peserta Pelatihan 59" in gzip.decompress(compressed.content).decode()


def test_public_pages_travel_compressed(client, regions):
    factories.provincial_library("21")

    response = client.get("/provinsi/21-kepulauan-riau/", **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "Kepulauan Riau" in gzip.decompress(response.content).decode()


def test_documents_and_photos_travel_as_they_are(
    client_for, village_librarian, consultant, village_library, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    activity = factories.ActivityFactory(library=village_library)
    client_for(village_librarian).post(
        reverse("reporting:evidence-add", args=[activity.pk]),
        {"kind": "attendance", "file": SimpleUploadedFile("daftar-hadir.pdf", PDF * 20)},
    )
    evidence = ActivityEvidence.objects.get()

    response = client_for(consultant).get(
        reverse("reporting:evidence-file", args=[evidence.pk]), **GZIP
    )

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content).startswith(b"%PDF")
