"""A librarian adds a story's photos on its first screen, on a phone (issue 12)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from impact.models import Story
from tests.browser import sign_in, wait_until
from tests.factories import PASSWORD
from tests.test_uploads import _image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = reverse("impact:create")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def camera_photo(tmp_path):
    path = tmp_path / "kamera.jpg"
    path.write_bytes(_image_bytes(size=(2400, 1800)))
    return path


def test_librarian_writes_a_story_with_a_photo_on_its_first_screen(
    phone_page, live_server, village_librarian, camera_photo
):
    page = phone_page
    sign_in(page, village_librarian.username, PASSWORD)
    page.goto(FORM)

    page.get_by_label("Judul").fill("Tas anyaman Ibu Sumiati sampai ke Samarinda")
    page.locator("input[name='photo-0-image']").set_input_files(str(camera_photo))
    page.locator("input[name='photo-0-alt_text']").fill("Ibu Sumiati menganyam tas rotan")
    save = page.get_by_role("button", name="Simpan draf")
    assert save.bounding_box()["height"] >= 44
    save.click()
    page.get_by_text("Draf disimpan.").wait_for()

    story = Story.objects.get()
    assert story.photos.current().count() == 1
    page.goto(reverse("impact:detail", args=[story.pk]))
    photo = page.get_by_role("img", name="Ibu Sumiati menganyam tas rotan")
    expect(photo).to_be_visible()
    wait_until(
        page,
        "Boolean(document.querySelector('#photos-heading ~ * img').naturalWidth)",
    )
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_new_story_with_a_photo_kept_offline_arrives_once_with_its_photo(
    phone_page, live_server, village_librarian, camera_photo
):
    page = phone_page
    context = page.context
    sign_in(page, village_librarian.username, PASSWORD)
    page.goto(FORM)
    # The page is open when the connection drops (no reload: the service worker's offline copy
    # of the page is the other story test's concern).
    wait_until(page, "Boolean(window.TpbisQueue && TpbisQueue.user)")
    context.set_offline(True)
    page.get_by_label("Judul").fill("Keripik pisang dijual daring")
    page.locator("input[name='photo-0-image']").set_input_files(str(camera_photo))
    page.locator("input[name='photo-0-alt_text']").fill("Keripik pisang dalam kemasan")
    page.get_by_role("button", name="Simpan draf").click()
    page.locator("#offline-form-status").get_by_text("Tersimpan di perangkat ini").wait_for()
    expect(page.locator("#queue-count")).to_have_text("1")
    assert not Story.objects.exists()

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue-toggle")).to_be_hidden()
    page.evaluate("TpbisQueue.flush()")
    story = Story.objects.get()
    assert [photo.alt_text for photo in story.photos.current()] == ["Keripik pisang dalam kemasan"]
    # Shrunk on the phone before it was kept: a 2400 px photo arrives at most 1600 px wide.
    assert story.photos.current().get().width <= 1600
