"""A new story's consents are recorded on its first screen, with its photos, in one submit
(issue 12): per purpose, per photo of the same submit, and for a minor from a parent or
guardian (UU PDP Pasal 25), with the proof (signed form or witness) the story's page asks for."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from impact import services
from impact.models import Consent, Photo, Story
from tests.test_impact_story_first_screen import _files_under, _jpeg, _new_story
from tests.test_reporting_views import PDF

CREATE = reverse("impact:create")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _signed_form():
    return SimpleUploadedFile("formulir.pdf", PDF, content_type="application/pdf")


def _with_consents(client, library, **overrides):
    data = _new_story(
        client,
        library,
        **{
            "photo-0-image": _jpeg("tas.jpg"),
            "photo-0-alt_text": "Ibu Sumiati menganyam tas",
            "photo-0-shows_face": "on",
            "photo-1-image": _jpeg("rak.jpg"),
            "photo-1-alt_text": "Tas di rak perpustakaan",
            "photo-2-image": _jpeg("pasar.jpg"),
            "photo-2-alt_text": "Ibu Sumiati di pasar",
            "photo-2-shows_face": "on",
            "consent-purposes": ["story_use", "naming"],
            "consent-photos": ["0", "2"],
            "consent-given_by": "Ibu Sumiati",
            "consent-method": "signed_form",
            "consent-signed_form": _signed_form(),
            "consent-given_on": "2024-05-02",
        },
    )
    data.update(overrides)
    return data


def test_story_photos_and_every_consent_are_saved_in_one_submit(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)

    response = client.post(CREATE, _with_consents(client, village_library))

    story = Story.objects.get()
    assert response.status_code == 302
    photos = {photo.alt_text: photo for photo in story.photos.current()}
    consents = {(c.kind, c.photo_id): c for c in story.consents.all()}
    assert set(consents) == {
        ("story_use", None),
        ("naming", None),
        ("photo_face", photos["Ibu Sumiati menganyam tas"].pk),
        ("photo_face", photos["Ibu Sumiati di pasar"].pk),
    }
    assert all(
        c.given_by == "Ibu Sumiati" and c.recorded_by == village_librarian
        for c in consents.values()
    )
    assert all(c.signed_form.name.endswith(".pdf") for c in consents.values())
    # The story's page sees them: nothing about consents blocks publication any more.
    assert not [p for p in services.publish_blockers(story) if "persetujuan" in p.lower()]
    detail = client.get(reverse("impact:detail", args=[story.pk]))
    assert detail.text.count("Ibu Sumiati") >= 4


def test_a_verbal_consent_names_its_witness(client_for, village_librarian, village_library):
    client = client_for(village_librarian)
    data = _with_consents(
        client,
        village_library,
        **{
            "consent-method": "verbal",
            "consent-witness": "Pak Lurah Rahmat",
            "consent-photos": [],
            "consent-signed_form": "",
        },
    )

    client.post(CREATE, data)

    consents = Story.objects.get().consents.all()
    assert {c.kind for c in consents} == {"story_use", "naming"}
    assert all(c.witness == "Pak Lurah Rahmat" and not c.signed_form for c in consents)


def test_a_minors_consent_must_come_from_a_guardian_and_nothing_is_saved_without(
    client_for, village_librarian, village_library, tmp_path
):
    client = client_for(village_librarian)
    data = _with_consents(client, village_library, age_group="teen")

    refused = client.post(CREATE, data)

    assert refused.status_code == 200
    assert "guardian_relation" in refused.context["consent_form"].errors
    assert "orang tua atau wali" in refused.text
    assert not Story.objects.exists() and not Photo.objects.exists()
    assert not Consent.objects.exists()
    assert _files_under(tmp_path) == []
    # The section stays open where the error is.
    assert 'id="first-consents" open' in refused.text

    data = _with_consents(
        client,
        village_library,
        age_group="teen",
        **{"consent-given_by": "Ibu Marni", "consent-guardian_relation": "Ibu"},
    )
    client.post(CREATE, data)

    consents = Story.objects.get().consents.all()
    assert len(consents) == 4
    assert all(c.by_guardian and c.given_by == "Ibu Marni" for c in consents)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent-signed_form": ""}, "signed_form", "Unggah formulir persetujuan"),
        ({"consent-given_on": "2099-01-01"}, "given_on", "masa depan"),
        ({"consent-given_on": ""}, "given_on", "tanggal persetujuan"),
        ({"consent-photos": ["1"], "photo-1-image": ""}, "photos", "Pilih foto"),
        ({"consent-purposes": [], "consent-photos": []}, "purposes", "Centang untuk apa"),
        ({"consent-method": "verbal", "consent-signed_form": ""}, "witness", "saksi"),
    ],
)
def test_a_bad_consent_is_refused_by_its_field_and_leaves_no_story(
    client_for, village_librarian, village_library, tmp_path, overrides, field, message
):
    client = client_for(village_librarian)
    data = _with_consents(client, village_library, **overrides)
    if data.get("photo-1-image") == "":
        del data["photo-1-image"], data["photo-1-alt_text"]

    response = client.post(CREATE, data)

    assert response.status_code == 200
    assert field in response.context["consent_form"].errors
    assert message in response.text
    assert not Story.objects.exists() and not Photo.objects.exists()
    assert not Consent.objects.exists()
    assert _files_under(tmp_path) == []


def test_double_submit_makes_one_story_with_each_consent_once(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)
    data = _with_consents(client, village_library)
    again = {**data, "consent-signed_form": _signed_form(), "photo-0-image": _jpeg()}
    again.update({"photo-1-image": _jpeg(), "photo-2-image": _jpeg()})

    first = client.post(CREATE, data)
    second = client.post(CREATE, again, HTTP_X_REQUESTED_WITH="fetch")

    assert first.status_code == 302 and second.status_code == 200
    story = Story.objects.get()
    assert story.photos.current().count() == 3
    assert story.consents.count() == 4


def test_consents_arrive_with_the_save_that_follows_an_autosave(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)
    data = _with_consents(client, village_library)
    text_only = {
        name: value for name, value in data.items() if not name.startswith(("photo-", "consent-"))
    }
    client.post(CREATE, text_only, HTTP_X_REQUESTED_WITH="fetch")

    client.post(CREATE, data)

    assert Story.objects.get().consents.count() == 4


def test_a_queued_story_with_a_bad_consent_is_refused_as_json_by_field(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)
    data = _with_consents(client, village_library, age_group="child")

    response = client.post(CREATE, data, HTTP_X_REQUESTED_WITH="fetch")

    assert response.status_code == 400
    body = response.json()
    assert "consent-guardian_relation" in body["errors"]
    assert "orang tua atau wali" in body["error"]
    assert not Story.objects.exists() and not Consent.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_recorded(client, village_library):
    response = client.post(CREATE, {"consent-purposes": ["story_use"], "title": "x"})

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert not Consent.objects.exists()


def test_read_only_consultant_cannot_record_a_story_with_consents(
    client_for, consultant, village_librarian, village_library
):
    data = _with_consents(client_for(village_librarian), village_library)

    response = client_for(consultant).post(CREATE, data)

    assert response.status_code == 403
    assert not Story.objects.exists() and not Consent.objects.exists()


def test_librarian_cannot_record_consents_for_a_story_of_another_library(
    client_for, village_librarian, berau_village_library
):
    client = client_for(village_librarian)
    data = _with_consents(client, berau_village_library, village="")

    response = client.post(CREATE, data)

    assert "library" in response.context["form"].errors
    assert not Story.objects.exists() and not Consent.objects.exists()


def test_wrong_method_is_refused(client_for, village_librarian):
    response = client_for(village_librarian).put(CREATE)

    assert response.status_code == 405
