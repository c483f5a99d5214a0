"""A visitor on a 360 px phone: the index, a province page with its stories, and a story."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from impact.models import Photo
from tests import factories
from tests.browser import wait_until
from tests.factories import published_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def _jpeg(size) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 90)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())


def _photo(story) -> Photo:
    photo = Photo(
        story=story,
        alt_text="Keripik gonggong dalam kemasan",
        shows_face=False,
        uploaded_by=story.author,
        width=640,
        height=480,
    )
    photo.image.save("p.jpg", _jpeg((640, 480)), save=False)
    photo.thumbnail.save("t.jpg", _jpeg((400, 300)), save=False)
    photo.save()
    return photo


def test_phone_visitor_reads_a_story_from_the_province_page(
    phone_page, regions, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    registry = factories.kepri_registry()
    story = published_story(library=registry["barat"], title="Keripik gonggong sampai Batam")
    _photo(story)
    factories.ActivityFactory(library=registry["barat"], participants_male=8, participants_female=9)
    page = phone_page

    page.goto("/provinsi/")
    assert page.get_by_role("heading", name="TPBIS di 3 provinsi").is_visible()
    assert _fits_the_phone(page)
    page.get_by_role("link", name="Kepulauan Riau", exact=True).click()

    page.wait_for_url("**/provinsi/21-kepulauan-riau/")
    assert page.get_by_role("heading", name="Indikator utama").is_visible()
    assert page.get_by_role("heading", name="Cerita perubahan").is_visible()
    thumbnail = page.get_by_role("img", name="Keripik gonggong dalam kemasan")
    assert thumbnail.get_attribute("loading") == "lazy"
    # The cohort and tier tables stay within the screen.
    page.locator("#angkatan").scroll_into_view_if_needed()
    assert _fits_the_phone(page)
    thumbnail.scroll_into_view_if_needed()
    wait_until(
        page,
        "document.querySelector('.story-cards img').complete"
        " && document.querySelector('.story-cards img').naturalWidth > 0",
    )
    assert "Ibu Sumiati" not in page.content()
    page.get_by_role("link", name="Keripik gonggong sampai Batam").click()

    page.wait_for_url(f"**/provinsi/21-kepulauan-riau/cerita/{story.pk}/")
    assert page.get_by_role("heading", name="Keripik gonggong sampai Batam").is_visible()
    preview = page.locator('meta[property="og:image"]').get_attribute("content")
    assert preview.endswith(f"/cerita/foto/{story.photos.get().pk}/full/")
    assert _fits_the_phone(page)
