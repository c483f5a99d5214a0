from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_indonesian_catalogue_is_complete():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)

    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (
            "fuzzy" in message.flags
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    ]
    assert untranslated == []


@pytest.mark.django_db
def test_portal_speaks_indonesian_even_to_an_english_browser(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "id"
    assert "Perpustakaan yang mengubah hidup masyarakat" in response.text


@pytest.mark.django_db
def test_language_switch_turns_the_portal_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    english = client.get(reverse("home"))
    assert english["Content-Language"] == "en"
    assert "Libraries that change people" in english.text

    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert "Perpustakaan yang mengubah" in client.get(reverse("home")).text


@pytest.mark.django_db
def test_unknown_language_falls_back_to_indonesian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"

    assert client.get(reverse("home"))["Content-Language"] == "id"


@pytest.mark.django_db
def test_language_switch_needs_csrf_token():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("set_language"), {"language": "en"})

    assert response.status_code == 403
