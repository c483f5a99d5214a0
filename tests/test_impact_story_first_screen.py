"""A new story takes its photos and their descriptions on its first screen, in one submit."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from impact.models import Photo, Story
from tests.test_impact_views import _story_data
from tests.test_uploads import _image_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _jpeg(name="foto.jpg", size=(800, 600)):
    return SimpleUploadedFile(name, _image_bytes(size=size), content_type="image/jpeg")


def _new_story(client, library, **photos):
    page = client.get(reverse("impact:create"))
    key = page.context["form"].initial["draft_key"]
    return {**_story_data(library=library.pk, draft_key=key, save=""), **photos}


def _files_under(folder):
    """Stored files, leaving out the ones a refused form keeps for its next submit."""
    held = folder / "private" / "held"
    return sorted(path for path in folder.rglob("*") if path.is_file() and held not in path.parents)


def _held(folder):
    return sorted(path for path in (folder / "private" / "held").rglob("*") if path.is_file())


def test_librarian_saves_a_story_with_two_photos_and_their_descriptions(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)
    data = _new_story(
        client,
        village_library,
        **{
            "photo-0-image": _jpeg("tas.jpg"),
            "photo-0-alt_text": "Ibu Sumiati menganyam tas",
            "photo-0-shows_face": "on",
            "photo-1-image": _jpeg("rak.png", size=(400, 300)),
            "photo-1-alt_text": "Tas di rak perpustakaan",
        },
    )

    response = client.post(reverse("impact:create"), data)

    story = Story.objects.get()
    assert response.url == reverse("impact:edit", args=[story.pk])
    photos = list(story.photos.current().order_by("pk"))
    assert [(p.alt_text, p.shows_face) for p in photos] == [
        ("Ibu Sumiati menganyam tas", True),
        ("Tas di rak perpustakaan", False),
    ]
    detail = client.get(reverse("impact:detail", args=[story.pk]))
    for photo in photos:
        assert reverse("impact:photo-file", args=[photo.pk, "thumb"]) in detail.text
    # The edit page's version counts the photos: autosave from it is not refused as stale.
    edit = client.get(response.url)
    assert edit.context["form"].initial["version"] == story.version


def test_photo_without_description_is_refused_by_its_field_and_nothing_is_saved(
    client_for, village_librarian, village_library, tmp_path
):
    client = client_for(village_librarian)
    data = _new_story(
        client,
        village_library,
        **{
            "photo-0-image": _jpeg(),
            "photo-0-alt_text": "Ibu Sumiati menganyam tas",
            "photo-1-image": _jpeg("kedua.jpg"),
            "photo-1-alt_text": "  ",
        },
    )

    response = client.post(reverse("impact:create"), data)

    assert response.status_code == 200
    second = response.context["photo_forms"][1]
    assert "alt_text" in second.errors
    assert "Jelaskan apa yang tampak di foto" in response.text
    assert not Story.objects.exists() and not Photo.objects.exists()
    assert _files_under(tmp_path) == []
    # Both photos passed their own checks: kept for the next submit, not to be picked again.
    assert len(_held(tmp_path)) == 2
    assert response.text.count("Foto tersimpan:") == 2


def test_hostile_file_is_refused_and_nothing_is_saved(
    client_for, village_librarian, village_library, tmp_path
):
    client = client_for(village_librarian)
    data = _new_story(
        client,
        village_library,
        **{
            "photo-0-image": _jpeg(),
            "photo-0-alt_text": "Foto yang baik",
            "photo-1-image": SimpleUploadedFile(
                "foto.jpg", b"#!/bin/sh\necho pwned\n", content_type="image/jpeg"
            ),
            "photo-1-alt_text": "Bukan foto",
        },
    )

    response = client.post(reverse("impact:create"), data)

    assert response.status_code == 200
    assert "image" in response.context["photo_forms"][1].errors
    assert "bukan foto JPEG" in response.text or "rusak" in response.text
    assert not Story.objects.exists() and not Photo.objects.exists()
    assert _files_under(tmp_path) == []
    # The good photo is kept for the next submit; the hostile file is not.
    assert len(_held(tmp_path)) == 1
    assert response.text.count("Foto tersimpan:") == 1


def test_a_photo_refused_by_the_service_leaves_no_story_and_no_files(
    client_for, village_librarian, village_library, tmp_path, monkeypatch
):
    """The second photo fails after the first was stored: everything is rolled back."""
    client = client_for(village_librarian)
    data = _new_story(
        client,
        village_library,
        **{
            "photo-0-image": _jpeg(),
            "photo-0-alt_text": "Foto pertama",
            "photo-1-image": _jpeg("dua.jpg"),
            "photo-1-alt_text": "Foto kedua",
        },
    )
    monkeypatch.setattr(Photo, "MAX_PER_STORY", 1)

    response = client.post(reverse("impact:create"), data)

    assert response.status_code == 200
    assert "paling banyak memiliki 1 foto" in response.text
    assert not Story.objects.exists() and not Photo.objects.exists()
    assert _files_under(tmp_path) == []


def test_queued_story_with_a_bad_photo_is_refused_as_json_by_field(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)
    data = _new_story(client, village_library, **{"photo-0-image": _jpeg(), "photo-0-alt_text": ""})

    response = client.post(reverse("impact:create"), data, HTTP_X_REQUESTED_WITH="fetch")

    assert response.status_code == 400
    body = response.json()
    assert "photo-0-alt_text" in body["errors"]
    assert body["error"].startswith("Foto 1")
    assert not Story.objects.exists()


def test_double_submit_with_photos_makes_one_story_with_its_photos_once(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)
    data = _new_story(client, village_library)
    photos = {"photo-0-alt_text": "Ibu Sumiati menganyam tas"}

    first = client.post(reverse("impact:create"), {**data, **photos, "photo-0-image": _jpeg()})
    again = client.post(
        reverse("impact:create"),
        {**data, **photos, "photo-0-image": _jpeg()},
        HTTP_X_REQUESTED_WITH="fetch",
    )

    assert first.status_code == 302 and again.status_code == 200
    story = Story.objects.get()
    assert story.photos.current().count() == 1


def test_photos_arrive_with_the_save_that_follows_an_autosave(
    client_for, village_librarian, village_library
):
    """Autosave sends the text only; the save button then adds the photos to that draft."""
    client = client_for(village_librarian)
    data = _new_story(client, village_library)
    client.post(reverse("impact:create"), data, HTTP_X_REQUESTED_WITH="fetch")

    client.post(
        reverse("impact:create"),
        {**data, "photo-0-image": _jpeg(), "photo-0-alt_text": "Tas anyaman"},
    )

    assert Story.objects.get().photos.current().count() == 1


def test_anonymous_visitor_is_sent_to_sign_in(client, village_library):
    response = client.post(
        reverse("impact:create"),
        {**_story_data(library=village_library.pk), "photo-0-image": _jpeg()},
    )

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert not Story.objects.exists() and not Photo.objects.exists()


def test_librarian_cannot_add_a_story_with_photos_to_another_library(
    client_for, village_librarian, berau_village_library
):
    response = client_for(village_librarian).post(
        reverse("impact:create"),
        {
            **_story_data(library=berau_village_library.pk, village=""),
            "photo-0-image": _jpeg(),
            "photo-0-alt_text": "Foto",
        },
    )

    assert "library" in response.context["form"].errors
    assert not Story.objects.exists() and not Photo.objects.exists()


def test_outsider_from_another_province_cannot_write_a_story_for_this_library(
    client_for, outsider, village_library
):
    response = client_for(outsider).post(
        reverse("impact:create"),
        {
            **_story_data(library=village_library.pk),
            "photo-0-image": _jpeg(),
            "photo-0-alt_text": "Foto",
        },
    )

    assert response.status_code == 403
    assert not Story.objects.exists() and not Photo.objects.exists()
