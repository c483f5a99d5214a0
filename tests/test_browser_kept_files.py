"""On a phone, a photo chosen before the portal refused the form for another field is not
picked again: the product and story forms show it as kept on the server, the activity form
(which goes through the offline queue) brings it back from the phone (issue 12)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from impact.models import Product, Story
from libraries.models import Activity, ActivityEvidence
from tests.browser import sign_in, sign_in_before, wait_for_server, wait_until
from tests.factories import PASSWORD
from tests.test_uploads import _image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def camera_photo(tmp_path):
    path = tmp_path / "kamera.jpg"
    path.write_bytes(_image_bytes(size=(2400, 1800)))
    return path


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_product_photo_is_kept_when_the_name_is_missing(
    phone_page, live_server, village_librarian, camera_photo
):
    page = phone_page
    sign_in(page, village_librarian.username, PASSWORD)
    page.goto(reverse("products:create"))
    page.locator("input[name='photo']").set_input_files(str(camera_photo))
    page.locator("input[name='photo_alt']").fill("Tiga bungkus keripik di meja")
    page.get_by_label("Produsen atau kelompok").fill("KWT Sekar Arum")
    page.get_by_label("Jenis produk").select_option(label="Makanan dan minuman")
    page.get_by_role("button", name="Simpan produk").click()

    # Refused for the name: the photo waits on the server, named, with a way to drop it.
    kept = page.locator("#id_photo-held")
    expect(kept).to_contain_text("Foto tersimpan: kamera.jpg")
    expect(kept.get_by_label("Hapus")).not_to_be_checked()
    assert page.locator("input[name='photo']").evaluate("input => input.files.length") == 0
    assert not Product.objects.exists()
    assert _fits_the_phone(page)

    page.get_by_label("Nama produk").fill("Keripik singkong balado")
    page.get_by_role("button", name="Simpan produk").click()
    page.get_by_text("Produk sudah dicatat").wait_for()

    product = Product.objects.get()
    assert product.photo and product.photo_alt == "Tiga bungkus keripik di meja"


def test_story_photos_and_signed_form_are_kept_when_a_description_is_missing(
    phone_page, live_server, village_librarian, camera_photo
):
    page = phone_page
    sign_in(page, village_librarian.username, PASSWORD)
    page.goto(reverse("impact:create"))
    page.get_by_label("Judul").fill("Tas anyaman Ibu Sumiati sampai ke Samarinda")
    page.locator("input[name='photo-0-image']").set_input_files(str(camera_photo))
    page.locator("input[name='photo-0-alt_text']").fill("Ibu Sumiati menganyam tas rotan")
    page.locator("input[name='photo-1-image']").set_input_files(str(camera_photo))
    page.locator("#first-consents summary").click()
    consents = page.locator("#first-consents")
    consents.get_by_label("Penggunaan cerita").check()
    consents.get_by_label("Foto 1").check()
    consents.get_by_label("Persetujuan diberikan oleh").fill("Ibu Sumiati")
    consents.get_by_label("Cara persetujuan diberikan").select_option("signed_form")
    consents.locator("input[name='consent-signed_form']").set_input_files(str(camera_photo))
    page.get_by_role("button", name="Simpan draf").click()

    # Photo 2 has no description: both photos and the signed form wait on the server.
    page.get_by_text("Jelaskan apa yang tampak di foto").wait_for()
    expect(page.locator("#id_photo-0-image-held")).to_contain_text("Foto tersimpan")
    expect(page.locator("#id_photo-1-image-held")).to_contain_text("Foto tersimpan")
    expect(page.locator("#id_consent-signed_form-held")).to_contain_text("tersimpan")
    assert Story.objects.filter(photos__isnull=False).count() == 0
    assert _fits_the_phone(page)

    page.locator("input[name='photo-1-alt_text']").fill("Tas di rak perpustakaan")
    page.get_by_role("button", name="Simpan draf").click()
    page.get_by_text("Draf disimpan.").wait_for()

    story = Story.objects.get()
    assert story.photos.current().count() == 2
    face = story.photos.current().get(alt_text="Ibu Sumiati menganyam tas rotan")
    assert {(c.kind, c.photo_id) for c in story.consents.all()} == {
        ("story_use", None),
        ("photo_face", face.pk),
    }
    assert all(c.signed_form for c in story.consents.all())


def test_a_refused_activity_comes_back_with_its_photo_and_arrives_with_it_once_corrected(
    phone_page, live_server, village_librarian, village_library, camera_photo
):
    page = phone_page
    sign_in_before(page, village_librarian.username, PASSWORD)
    page.goto(reverse("reporting:activity-create"))
    wait_until(page, "Boolean(window.TpbisQueue && TpbisQueue.user)")
    form = page.locator("form[data-offline-form]")
    form.get_by_label("Judul").fill("Pelatihan keripik pisang")
    form.locator("input[name='date']").fill("2099-01-01")
    form.locator("input[name='participants_male']").fill("4")
    form.locator("input[name='participants_female']").fill("11")
    form.locator("input[type=file][name=photos]").set_input_files(str(camera_photo))
    form.get_by_role("button", name="Simpan kegiatan").click()

    # Refused for the date: back in the form with the reason and the photo, shrunk on the phone.
    expect(page.locator("#offline-form-refused")).to_contain_text("Tanggal")
    photos = form.locator("input[type=file][name=photos]")
    wait_until(page, "document.querySelector('input[name=photos]').files.length === 1")
    assert photos.evaluate("input => input.files[0].name") == "kamera.jpg"
    assert not Activity.objects.exists()

    form.locator("input[name='date']").fill("2024-03-05")
    form.get_by_role("button", name="Simpan kegiatan").click()

    wait_for_server(page, lambda: Activity.objects.exists())
    activity = Activity.objects.get()
    wait_for_server(
        page, lambda: activity.evidence.filter(kind=ActivityEvidence.Kind.PHOTO).count() == 1
    )
    # The portal's page of the activity opens, with nothing left waiting.
    page.wait_for_url(f"**{reverse('reporting:activity-detail', args=[activity.pk])}")
    wait_until(page, "TpbisQueue.list().then(items => items.length === 0)")
    assert Activity.objects.count() == 1
