"""A file chosen before the server refused the form for another field is not picked again:
the product form, the activity form's evidence and the new-story form keep what they accepted
(issue 12)."""

import datetime
import os
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from impact.models import Product, Story
from libraries import held_files
from libraries.models import Activity, ActivityEvidence
from tests.test_products import _product_post
from tests.test_reporting_views import PDF, _activity_data, _photo


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _held(folder):
    return sorted(path for path in (folder / "private" / "held").rglob("*") if path.is_file())


def _after_the_grace() -> datetime.datetime:
    return timezone.now() + held_files.USED_GRACE + datetime.timedelta(minutes=1)


def _tokens(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{re.escape(name)}-held" value="([^"]+)"', html)


def test_product_photo_is_kept_after_another_fields_error_and_saved_without_choosing_it_again(
    client_for, village_librarian, village_library, tmp_path
):
    client = client_for(village_librarian)
    data = _product_post(village_library, name="")

    refused = client.post(reverse("products:create"), {**data, "photo": _photo("keripik.jpg")})

    assert refused.status_code == 200 and "name" in refused.context["form"].errors
    assert not Product.objects.exists()
    assert "Foto tersimpan:" in refused.text and "keripik.jpg" in refused.text
    (token,) = _tokens(refused.text, "photo")
    assert len(_held(tmp_path)) == 1

    saved = client.post(
        reverse("products:create"), {**data, "name": "Keripik singkong", "photo-held": token}
    )

    product = Product.objects.get()
    assert saved.status_code == 302
    assert product.photo and product.photo_alt == "Tiga bungkus keripik di meja"
    # A second tap on the same page, sent after the first was saved, is the same product.
    again = client.post(
        reverse("products:create"), {**data, "name": "Keripik singkong", "photo-held": token}
    )
    assert again.status_code == 302 and Product.objects.count() == 1
    # Used, then gone: nothing waits on the server once a repeat is unlikely.
    assert held_files.sweep(user=village_librarian) == 0
    assert held_files.sweep(user=village_librarian, now=_after_the_grace()) == 1
    assert _held(tmp_path) == []


def test_activity_evidence_is_kept_after_a_future_date_and_arrives_with_the_corrected_form(
    client_for, village_librarian, village_library, tmp_path
):
    client = client_for(village_librarian)
    data = _activity_data(village_library, date="2099-01-01")
    attendance = SimpleUploadedFile("daftar-hadir.pdf", PDF, content_type="application/pdf")

    refused = client.post(
        reverse("reporting:activity-create"),
        {**data, "photos": [_photo("satu.jpg"), _photo("dua.jpg")], "attendance": attendance},
    )

    assert refused.status_code == 200 and "date" in refused.context["form"].errors
    assert not Activity.objects.exists()
    photos, sheet = _tokens(refused.text, "photos"), _tokens(refused.text, "attendance")
    assert len(photos) == 2 and len(sheet) == 1
    assert "satu.jpg, dua.jpg" in refused.text and "daftar-hadir.pdf" in refused.text

    client.post(
        reverse("reporting:activity-create"),
        {**data, "date": "2024-03-05", "photos-held": photos, "attendance-held": sheet},
    )

    activity = Activity.objects.get()
    assert activity.evidence.filter(kind=ActivityEvidence.Kind.PHOTO).count() == 2
    assert activity.evidence.filter(kind=ActivityEvidence.Kind.ATTENDANCE).count() == 1
    held_files.sweep(now=_after_the_grace())
    assert _held(tmp_path) == []


def test_a_new_file_replaces_the_kept_one_and_remove_drops_it(
    client_for, village_librarian, village_library, tmp_path
):
    client = client_for(village_librarian)
    data = _product_post(village_library, name="")
    first = client.post(reverse("products:create"), {**data, "photo": _photo("lama.jpg")})
    (old,) = _tokens(first.text, "photo")

    second = client.post(
        reverse("products:create"), {**data, "photo-held": old, "photo": _photo("baru.jpg")}
    )
    (new,) = _tokens(second.text, "photo")
    assert "baru.jpg" in second.text and "lama.jpg" not in second.text
    assert len(_held(tmp_path)) == 1

    third = client.post(
        reverse("products:create"),
        {**data, "name": "Keripik", "photo-held": new, "photo-held-clear": "on"},
    )

    assert third.status_code == 302
    assert not Product.objects.get().photo
    assert _held(tmp_path) == []


def test_another_users_token_gives_them_nothing(
    client_for, village_librarian, district_librarian, village_library, tmp_path
):
    data = _product_post(village_library, name="")
    refused = client_for(village_librarian).post(
        reverse("products:create"), {**data, "photo": _photo()}
    )
    (token,) = _tokens(refused.text, "photo")

    response = client_for(district_librarian).post(
        reverse("products:create"), {**data, "name": "Keripik", "photo-held": token}
    )

    assert response.status_code == 200
    assert "tidak ada di server" in response.text
    assert not Product.objects.exists()
    # The owner's file is untouched.
    assert len(_held(tmp_path)) == 1


def test_an_expired_file_is_asked_for_again_and_swept(
    client_for, village_librarian, village_library, tmp_path, monkeypatch
):
    client = client_for(village_librarian)
    data = _product_post(village_library, name="")
    refused = client.post(reverse("products:create"), {**data, "photo": _photo()})
    (token,) = _tokens(refused.text, "photo")
    (path,) = _held(tmp_path)
    old = time.time() - (held_files.HOLD_HOURS + 1) * 3600
    os.utime(path, (old, old))
    later = time.time() + (held_files.HOLD_HOURS + 1) * 3600
    monkeypatch.setattr(time, "time", lambda: later)

    response = client.post(
        reverse("products:create"), {**data, "name": "Keripik", "photo-held": token}
    )

    assert "tidak ada di server" in response.text
    assert not Product.objects.exists()
    monkeypatch.undo()
    call_command("purge_held_files")
    assert _held(tmp_path) == []


def test_purge_keeps_files_still_within_their_time(
    client_for, village_librarian, village_library, tmp_path
):
    client_for(village_librarian).post(
        reverse("products:create"), {**_product_post(village_library, name=""), "photo": _photo()}
    )

    call_command("purge_held_files")
    assert len(_held(tmp_path)) == 1
    assert held_files.sweep(now=datetime.datetime.now(datetime.UTC)) == 0


def test_a_bad_file_is_not_kept(client_for, village_librarian, village_library, tmp_path):
    response = client_for(village_librarian).post(
        reverse("products:create"),
        {
            **_product_post(village_library, name=""),
            "photo": SimpleUploadedFile("foto.jpg", b"not an image", content_type="image/jpeg"),
        },
    )

    assert "photo" in response.context["form"].errors
    assert "Foto tersimpan:" not in response.text
    assert _held(tmp_path) == []


def test_story_photo_and_signed_form_are_kept_and_the_story_saved_with_them(
    client_for, village_librarian, village_library, tmp_path
):
    from tests.test_impact_story_first_screen import _jpeg, _new_story

    client = client_for(village_librarian)
    data = _new_story(
        client,
        village_library,
        **{
            "photo-0-alt_text": "Ibu Sumiati menganyam tas",
            "photo-0-shows_face": "on",
            "consent-purposes": ["story_use"],
            "consent-photos": ["0"],
            "consent-given_by": "Ibu Sumiati",
            "consent-method": "signed_form",
            "consent-given_on": "2024-05-02",
        },
    )
    data["title"] = "x" * 200  # too long: refused for the title alone
    form_pdf = SimpleUploadedFile("formulir.pdf", PDF, content_type="application/pdf")

    refused = client.post(
        reverse("impact:create"),
        {**data, "photo-0-image": _jpeg("tas.jpg"), "consent-signed_form": form_pdf},
    )

    assert refused.status_code == 200 and "title" in refused.context["form"].errors
    assert not Story.objects.exists()
    photo, signed = (
        _tokens(refused.text, "photo-0-image"),
        _tokens(refused.text, "consent-signed_form"),
    )
    assert len(photo) == 1 and len(signed) == 1
    assert "formulir.pdf" in refused.text

    data["title"] = "Tas anyaman Ibu Sumiati"
    client.post(
        reverse("impact:create"),
        {**data, "photo-0-image-held": photo, "consent-signed_form-held": signed},
    )

    story = Story.objects.get()
    (saved_photo,) = story.photos.current()
    assert {(c.kind, c.photo_id) for c in story.consents.all()} == {
        ("story_use", None),
        ("photo_face", saved_photo.pk),
    }
    assert all(c.signed_form for c in story.consents.all())
    call_command("purge_held_files")
    assert len(_held(tmp_path)) == 4  # two files and their "used" markers, within the grace
    held_files.sweep(now=_after_the_grace())
    assert _held(tmp_path) == []
