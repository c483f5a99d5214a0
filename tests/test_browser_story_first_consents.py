"""On a phone, a new story's consents are recorded on its first screen with its photo, offline
too: the queued draft carries them, the photo and the signed form kept as blobs (issue 12)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from impact.models import Consent, Story
from tests.browser import PHONE, WAIT_MS, sign_in, wait_for_server, wait_until
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


@pytest.fixture
def signed_form(tmp_path):
    path = tmp_path / "formulir.jpg"
    path.write_bytes(_image_bytes(size=(1800, 2400)))
    return path


def _place(locator) -> tuple[float, float]:
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY]; }"
    )


def test_a_minors_story_with_a_photo_and_a_guardians_consents_kept_offline_arrives_once(
    phone_page, live_server, village_librarian, camera_photo, signed_form
):
    page = phone_page
    context = page.context
    sign_in(page, village_librarian.username, PASSWORD)
    page.goto(FORM)
    wait_until(page, "Boolean(window.TpbisQueue && TpbisQueue.user)")
    context.set_offline(True)

    page.get_by_label("Judul").fill("Dinda belajar membaca di pojok baca")
    page.get_by_label("Kelompok usia").select_option("child")
    page.locator("input[name='photo-0-image']").set_input_files(str(camera_photo))
    page.locator("input[name='photo-0-alt_text']").fill("Dinda membaca buku cerita")
    # The consents are one line until opened; opening them moves nothing above.
    save = page.get_by_role("button", name="Simpan draf")
    summary = page.locator("#first-consents summary")
    assert summary.bounding_box()["height"] >= 24
    title_place = _place(page.get_by_label("Judul"))
    summary.click()
    assert _place(page.get_by_label("Judul")) == title_place
    consents = page.locator("#first-consents")
    consents.get_by_label("Penggunaan cerita").check()
    consents.get_by_label("Penyebutan nama").check()
    consents.get_by_label("Foto 1").check()
    consents.get_by_label("Persetujuan diberikan oleh").fill("Ibu Marni")
    consents.get_by_label("Hubungan dengan penutur").fill("Ibu")
    consents.get_by_label("Cara persetujuan diberikan").select_option("signed_form")
    save_place = _place(save)
    consents.locator("input[name='consent-signed_form']").set_input_files(str(signed_form))
    # A photo of the signed form is made smaller too; saying so moves no button.
    wait_until(
        page, "document.querySelector(\"input[name='consent-signed_form']\").dataset.shrunk === '1'"
    )
    expect(page.locator("[data-shrink-status]").first).to_contain_text("Foto diperkecil")
    assert _place(save) == save_place
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    save.click()
    page.locator("#offline-form-status").get_by_text("Tersimpan di perangkat ini").wait_for()
    expect(page.locator("#queue-count")).to_have_text("1")
    # Kept with its files, as blobs on the phone.
    kept = page.evaluate(
        "TpbisQueue.list().then(items => items[0].files.map(f => [f.name, f.blob.size > 0]))"
    )
    assert sorted(kept) == [["consent-signed_form", True], ["photo-0-image", True]]
    assert not Story.objects.exists()

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue-toggle")).to_be_hidden()
    wait_for_server(page, lambda: Consent.objects.count() == 3)

    story = Story.objects.get()
    assert story.is_minor
    photo = story.photos.current().get()
    consents = list(story.consents.all())
    assert {(c.kind, c.photo_id) for c in consents} == {
        (Consent.Kind.STORY_USE, None),
        (Consent.Kind.NAMING, None),
        (Consent.Kind.PHOTO_FACE, photo.pk),
    }
    assert all(
        c.given_by == "Ibu Marni" and c.guardian_relation == "Ibu" and c.signed_form
        for c in consents
    )


def test_without_javascript_a_story_is_saved_with_a_verbal_consent_before_a_witness(
    chromium, live_server, village_librarian
):
    context = chromium.new_context(
        viewport=PHONE, base_url=live_server.url, locale="id-ID", java_script_enabled=False
    )
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        sign_in(page, village_librarian.username, PASSWORD)
        page.goto(FORM)
        page.get_by_label("Judul").fill("Pak Darto kini menjual kopi daring")
        page.locator("#first-consents summary").click()
        consents = page.locator("#first-consents")
        consents.get_by_label("Penggunaan cerita").check()
        consents.get_by_label("Persetujuan diberikan oleh").fill("Pak Darto")
        consents.get_by_label("Cara persetujuan diberikan").select_option("verbal")
        consents.get_by_label("Saksi").fill("Ibu Kepala Desa")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_role("button", name="Simpan draf").click()
        page.get_by_text("Draf disimpan.").wait_for()
    finally:
        context.close()

    consent = Story.objects.get().consents.get()
    assert consent.kind == Consent.Kind.STORY_USE
    assert consent.method == Consent.Method.VERBAL and consent.witness == "Ibu Kepala Desa"
