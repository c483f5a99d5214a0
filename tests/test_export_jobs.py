"""Export jobs: a user starts an export in their scope, watches it, downloads it when ready.

The tests run the immediate task backend (the embedded shape): the job is produced as soon as
the request that started it commits. The multi-host check runs the same job on the task worker.
"""

import csv
import datetime
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events.services import attendance_mark
from tests import factories
from tpbis_portal.exports.models import ExportJob
from tpbis_portal.exports.services import export_job_produce, export_jobs_delete_expired
from tpbis_portal.exports.tasks import delete_expired_exports

pytestmark = pytest.mark.django_db


@pytest.fixture
def marks(plm, perpusnas, samarinda_library, kepri_bimtek):
    """Two marks at the PLM in Kalimantan Timur, one at the Bimtek in Kepulauan Riau."""
    for name, event in [("Siti Aminah", plm), ("Budi Santoso", plm), ("Rina Kepri", kepri_bimtek)]:
        person = factories.participant(name, samarinda_library, event=event)
        attendance_mark(
            actor=perpusnas,
            session=event.sessions.order_by("date").first(),
            participant=person,
            client_id=uuid.uuid4(),
        )


def _start(client, django_capture_on_commit_callbacks, **fields):
    data = {"kind": "attendance", "format": "csv", **fields}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("exports:list"), data)


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_anonymous_visitor_is_sent_to_sign_in(client):
    for url in [reverse("exports:list"), reverse("exports:detail", args=[1])]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_account_without_scope_cannot_export(client_for, regions):
    nobody = factories.UserFactory(username="tanpa.wilayah", role="consultant")
    assert client_for(nobody).get(reverse("exports:list")).status_code == 403


def test_consultant_exports_attendance_of_their_province_only(
    client_for, consultant, marks, django_capture_on_commit_callbacks
):
    client = client_for(consultant)
    response = _start(client, django_capture_on_commit_callbacks)

    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Siap diunduh" in page  # "Ready to download"
    assert job.rows_total == job.rows_done == 2
    rows = _csv_rows(client.get(reverse("exports:download", args=[job.pk])))
    assert rows[0][0] == "Acara"
    assert sorted(row[6] for row in rows[1:]) == ["Budi Santoso", "Siti Aminah"]
    assert all(row[-1].endswith("WITA") for row in rows[1:])


def test_national_staff_filter_by_province_type_and_period(
    client_for, perpusnas, marks, django_capture_on_commit_callbacks
):
    client = client_for(perpusnas)
    _start(client, django_capture_on_commit_callbacks, province="21", type="bimtek")
    job = ExportJob.objects.get()
    rows = _csv_rows(client.get(reverse("exports:download", args=[job.pk])))
    assert [row[6] for row in rows[1:]] == ["Rina Kepri"]

    _start(client, django_capture_on_commit_callbacks, start="2030-01-01")
    latest = ExportJob.objects.latest("pk")
    assert latest.rows_total == 0


def test_xlsx_export_of_attendance_names_the_event_type(
    client_for, perpusnas, marks, django_capture_on_commit_callbacks
):
    client = client_for(perpusnas)
    _start(client, django_capture_on_commit_callbacks, format="xlsx", province="21")
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE, job.error
    response = client.get(reverse("exports:download", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    [row] = list(workbook.active.iter_rows(min_row=2, values_only=True))
    assert row[1] == "Bimtek SPP-TIK" and row[6] == "Rina Kepri"


def test_xlsx_export_of_activities(
    client_for, consultant, samarinda_library, django_capture_on_commit_callbacks
):
    factories.ActivityFactory(library=samarinda_library, title="Pelatihan menjahit")
    factories.ActivityFactory(library=factories.district_library("21.72"), title="Di Kepri")
    client = client_for(consultant)
    _start(client, django_capture_on_commit_callbacks, kind="activities", format="xlsx")
    job = ExportJob.objects.get()
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    titles = [row[6] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Pelatihan menjahit"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "nothing"}, "kind", "pilihan yang valid"),
        ({"province": "99"}, "province", "pilihan yang valid"),
        ({"province": "64", "regency": "21.72"}, "regency", "pilihan yang valid"),
        ({"start": "2024-05-01", "end": "2024-04-01"}, "end", "sebelum"),
        ({"type": "training"}, "type", "tidak sesuai"),
        ({"start": "31-02-2024"}, "start", "tanggal yang valid"),
    ],
)
def test_bad_filters_are_explained_and_start_nothing(
    client_for, consultant, fields, field, message, django_capture_on_commit_callbacks
):
    response = _start(client_for(consultant), django_capture_on_commit_callbacks, **fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not ExportJob.objects.exists()


def test_outsider_gets_404_for_another_users_export(
    client_for, consultant, outsider, marks, django_capture_on_commit_callbacks
):
    _start(client_for(consultant), django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    intruder = client_for(outsider)
    for name in ["exports:detail", "exports:download"]:
        assert intruder.get(reverse(name, args=[job.pk])).status_code == 404
    assert str(job) not in intruder.get(reverse("exports:list")).content.decode()


def test_a_double_submit_starts_one_job(client_for, consultant, marks):
    client = client_for(consultant)
    # Without running the task: the first job is still waiting when the second submit arrives.
    first = client.post(reverse("exports:list"), {"kind": "attendance", "format": "csv"})
    second = client.post(reverse("exports:list"), {"kind": "attendance", "format": "csv"})
    assert ExportJob.objects.count() == 1
    assert first["Location"] == second["Location"]
    waiting = client.get(first["Location"])
    assert waiting.status_code == 200
    assert "data-export-pending" in waiting.content.decode()  # export-progress.js reloads it
    # Not ready yet: nothing to download.
    job = ExportJob.objects.get()
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_the_job_page_shows_progress_from_the_database(client_for, consultant, marks):
    client = client_for(consultant)
    client.post(reverse("exports:list"), {"kind": "attendance", "format": "csv"})
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(status="running", rows_total=200, rows_done=50)
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert 'value="25"' in page
    assert "50 dari 200 baris" in page


def test_expired_exports_are_deleted_with_their_files(consultant, marks):
    job = ExportJob.objects.create(
        owner=consultant, kind="attendance", format="csv", fingerprint="x"
    )
    export_job_produce(job_id=job.pk)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(1))

    assert export_jobs_delete_expired() == 1
    assert not storage.exists(name)
    assert not ExportJob.objects.exists()


def test_export_pages_query_counts(client_for, consultant, marks, django_assert_max_num_queries):
    client = client_for(consultant)
    client.post(reverse("exports:list"), {"kind": "attendance", "format": "csv"})
    job = ExportJob.objects.get()
    with django_assert_max_num_queries(9):
        assert client.get(reverse("exports:list")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("exports:detail", args=[job.pk])).status_code == 200


def _stall(job, minutes):
    """The job as a worker that took it and then stopped ``minutes`` ago would leave it."""
    ExportJob.objects.filter(pk=job.pk).update(
        status="running",
        rows_total=3,
        rows_done=1,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=minutes),
    )


def test_an_export_whose_worker_stopped_shows_as_failed_and_can_be_started_again(
    client_for, consultant, marks, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_STALE_MINUTES = 10
    client = client_for(consultant)
    client.post(reverse("exports:list"), {"kind": "attendance", "format": "xlsx"})
    job = ExportJob.objects.get()
    _stall(job, minutes=11)

    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "Gagal" in page  # "Failed"
    assert "tidak ada kemajuan selama 10 menit" in page
    assert "data-export-pending" not in page  # no longer refreshing, waiting for nothing
    assert "Mulai lagi" in page  # "Start it again"
    job.refresh_from_db()
    assert (job.status, job.stalled) == ("failed", True)

    # The page's button posts the same request again: a new job, written this time.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("exports:list"), dict(job.restart_fields))
    fresh = ExportJob.objects.exclude(pk=job.pk).get()
    assert again["Location"] == reverse("exports:detail", args=[fresh.pk])
    assert (fresh.status, fresh.format, fresh.rows_done) == ("done", "xlsx", 2)


def test_an_english_user_sees_a_stopped_export_explained_in_english(client_for, consultant, marks):
    client = client_for(consultant)
    client.cookies["tpbis_language"] = "en"
    client.post(reverse("exports:list"), {"kind": "attendance", "format": "csv"})
    _stall(ExportJob.objects.get(), minutes=60)
    page = client.get(reverse("exports:list")).content.decode()
    assert "Failed" in page
    page = client.get(reverse("exports:detail", args=[ExportJob.objects.get().pk])).content
    assert "it made no progress for 10 minutes" in page.decode()


def test_an_export_still_making_progress_is_not_given_up(client_for, consultant, marks):
    client = client_for(consultant)
    client.post(reverse("exports:list"), {"kind": "attendance", "format": "csv"})
    job = ExportJob.objects.get()
    _stall(job, minutes=2)
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "data-export-pending" in page
    job.refresh_from_db()
    assert job.status == "running"


def test_an_export_no_worker_took_fails_after_the_same_wait(consultant, marks):
    job = ExportJob.objects.create(owner=consultant, kind="attendance", format="csv")
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    delete_expired_exports.enqueue()  # the clean-up every new export queues
    job.refresh_from_db()
    assert (job.status, job.stalled) == ("failed", True)
    # A worker that takes it after all leaves it failed: the owner may have started it again.
    export_job_produce(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not job.file


@pytest.mark.parametrize(
    ("language", "header", "gender"), [("id", "Acara", "Perempuan"), ("en", "Event", "Female")]
)
def test_an_export_is_written_in_the_language_of_the_user_who_asked(
    client_for, perpusnas, marks, language, header, gender, django_capture_on_commit_callbacks
):
    client = client_for(perpusnas)
    client.cookies["tpbis_language"] = language
    _start(client, django_capture_on_commit_callbacks, province="21")
    job = ExportJob.objects.get()
    assert job.language == language
    # Downloaded in the other language: the file keeps the language it was asked in.
    client.cookies["tpbis_language"] = "en" if language == "id" else "id"
    [head, row] = _csv_rows(client.get(reverse("exports:download", args=[job.pk])))
    assert head[0] == header and row[7] == gender


def test_an_xlsx_export_is_written_in_english_for_an_english_user(
    client_for, consultant, samarinda_library, django_capture_on_commit_callbacks
):
    factories.ActivityFactory(library=samarinda_library, title="Pelatihan menjahit")
    client = client_for(consultant)
    client.cookies["tpbis_language"] = "en"
    _start(client, django_capture_on_commit_callbacks, kind="activities", format="xlsx")
    job = ExportJob.objects.get()
    response = client.get(reverse("exports:download", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert workbook.active.title == "Activities"
    assert next(workbook.active.iter_rows(max_row=1, values_only=True))[0] == "Date"


def test_starting_an_export_clears_expired_files_without_a_command(
    client_for, consultant, marks, django_capture_on_commit_callbacks
):
    old = ExportJob.objects.create(owner=consultant, kind="attendance", format="csv")
    export_job_produce(job_id=old.pk)
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(1))

    _start(client_for(consultant), django_capture_on_commit_callbacks, kind="libraries")
    assert not storage.exists(name)
    assert list(ExportJob.objects.values_list("kind", "status")) == [("libraries", "done")]


def test_an_export_job_neutralises_spreadsheet_formulas(
    client_for, consultant, plm, perpusnas, samarinda_library, django_capture_on_commit_callbacks
):
    person = factories.participant('=HYPERLINK("http://x.example")', samarinda_library, event=plm)
    attendance_mark(
        actor=perpusnas,
        session=plm.sessions.order_by("date").first(),
        participant=person,
        client_id=uuid.uuid4(),
    )
    client = client_for(consultant)
    _start(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    [_head, row] = _csv_rows(client.get(reverse("exports:download", args=[job.pk])))
    assert row[6] == '\'=HYPERLINK("http://x.example")'
