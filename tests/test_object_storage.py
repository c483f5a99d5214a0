"""Uploads on S3-compatible object storage (moto's S3 on a local port): kept under the bucket's
private prefix, never given a URL, streamed only to readers the portal lets in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from impact.models import Consent
from libraries.models import ActivityEvidence
from tests import factories
from tests.factories import published_story, story_consent
from tests.servers import S3_ACCESS_KEY, S3_SECRET_KEY
from tests.test_impact_views import _photo as story_photo
from tests.test_reporting_files import PDF
from tests.test_reporting_files import _photo as photo_upload
from tpbis_portal.object_storage import s3_storages


@pytest.fixture
def bucket(settings, s3_endpoint, tmp_path):
    """The portal's uploads on a fresh bucket; the local media folder must stay empty."""
    settings.MEDIA_ROOT = tmp_path
    name = s3_endpoint.new_bucket()
    settings.STORAGES = {
        **s3_storages(
            bucket=name,
            endpoint_url=s3_endpoint.url,
            access_key=S3_ACCESS_KEY,
            secret_key=S3_SECRET_KEY,
            region_name="us-east-1",
        ),
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    yield name
    assert not any(path.is_file() for path in tmp_path.rglob("*")), "a file went to the disk"


@pytest.fixture
def activity(village_library):
    return factories.ActivityFactory(library=village_library)


@pytest.fixture
def sheet(client_for, village_librarian, activity, bucket):
    """A scanned attendance sheet, uploaded through the portal."""
    client_for(village_librarian).post(
        reverse("reporting:evidence-add", args=[activity.pk]),
        {"kind": "attendance", "file": SimpleUploadedFile("daftar-hadir.pdf", PDF)},
    )
    return ActivityEvidence.objects.get(kind="attendance")


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_evidence_uploaded_through_the_portal_is_kept_under_the_private_prefix(
    s3_endpoint, bucket, sheet
):
    assert s3_endpoint.keys(bucket) == {f"private/{sheet.file.name}"}


def test_a_photo_and_its_thumbnail_go_to_the_bucket(
    client_for, village_librarian, activity, s3_endpoint, bucket
):
    client_for(village_librarian).post(
        reverse("reporting:evidence-add", args=[activity.pk]),
        {"kind": "photo", "file": photo_upload()},
    )

    evidence = ActivityEvidence.objects.get()
    assert s3_endpoint.keys(bucket) == {
        f"private/{evidence.file.name}",
        f"private/{evidence.thumbnail.name}",
    }


def test_evidence_in_the_bucket_is_streamed_to_readers_in_scope(client_for, consultant, sheet):
    response = client_for(consultant).get(reverse("reporting:evidence-file", args=[sheet.pk]))

    assert response.status_code == 200
    assert response.streaming
    assert _body(response) == PDF
    assert response["Content-Length"] == str(len(PDF))
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]


def test_evidence_in_the_bucket_is_refused_to_everyone_else(client, client_for, outsider, sheet):
    url = reverse("reporting:evidence-file", args=[sheet.pk])

    assert client_for(outsider).get(url).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous.url
    assert client_for(outsider).post(url).status_code == 405


def test_a_file_gone_from_the_bucket_answers_not_found(
    client_for, consultant, sheet, s3_endpoint, bucket
):
    s3_endpoint.client().delete_object(Bucket=bucket, Key=f"private/{sheet.file.name}")

    response = client_for(consultant).get(reverse("reporting:evidence-file", args=[sheet.pk]))

    assert response.status_code == 404


def test_removing_evidence_removes_it_from_the_bucket(
    client_for, village_librarian, sheet, s3_endpoint, bucket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(village_librarian).post(reverse("reporting:evidence-delete", args=[sheet.pk]))

    assert not ActivityEvidence.objects.exists()
    assert s3_endpoint.keys(bucket) == set()


def test_public_story_photos_come_from_the_bucket_only_with_consent(
    client, village_library, s3_endpoint, bucket
):
    story = published_story(library=village_library)
    photo = story_photo(story, shows_face=True)
    url = reverse("impact:photo-file", args=[photo.pk, "full"])
    assert f"private/{photo.image.name}" in s3_endpoint.keys(bucket)

    assert client.get(url).status_code == 404
    story_consent(story, Consent.Kind.PHOTO_FACE, photo=photo)
    response = client.get(url)

    stored = s3_endpoint.client().get_object(Bucket=bucket, Key=f"private/{photo.image.name}")
    assert response.status_code == 200
    assert _body(response) == stored["Body"].read()
    assert response["Cache-Control"] == "no-cache"


def test_private_files_on_object_storage_have_no_url(village_library, bucket):
    photo = story_photo(published_story(library=village_library))

    # The bucket could sign one, valid for anyone who holds it: the portal never asks.
    with pytest.raises(ValueError, match="no public URL"):
        photo.image.url  # noqa: B018
