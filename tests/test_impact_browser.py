import re

import pytest
from PIL import Image

from impact.models import Photo, Story
from tests.browser import PHONE, WAIT_MS, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def camera_photo(tmp_path):
    """A 2400 x 1800 phone picture full of detail, so that it is worth shrinking."""
    path = tmp_path / "IMG_20240502.jpg"
    Image.effect_noise((2400, 1800), 60).convert("RGB").save(path, quality=95)
    return path


def test_librarian_writes_a_story_on_a_phone_and_staff_publish_it(
    phone_page, chromium, live_server, village_librarian, perpusnas, camera_photo
):
    page = phone_page
    sign_in(page, village_librarian.username, PASSWORD)

    page.goto("/cerita/baru/")
    page.get_by_label("Judul").fill("Keripik pisang Ibu Sumiati kini dijual daring")
    page.get_by_label("Penutur anonim").check()
    page.get_by_label("Jenis kelamin").select_option("female")
    page.get_by_label("Kelompok usia").select_option("adult")
    page.get_by_label("Ranah perubahan").select_option("economic")
    page.get_by_label("Kehidupan sebelumnya").fill("Menjual keripik di depan rumah.")
    page.get_by_label("Cara terlibat").select_option("training")
    page.get_by_label("Apa yang berubah").fill("Pesanan datang dari Balikpapan lewat Shopee.")
    page.get_by_label("Mengapa hal itu penting baginya").fill("Bisa membayar sekolah anak.")
    page.get_by_label("Penghasilan per bulan sesudahnya").fill("2500000")
    page.get_by_label("Mengapa hal itu penting baginya").press("Tab")
    # The draft saves itself; the page becomes the draft's edit page.
    page.get_by_text("Draf tersimpan otomatis").wait_for()
    page.wait_for_url(re.compile(r"/cerita/\d+/ubah/$"))
    assert Story.objects.get().status == Story.Status.DRAFT

    page.get_by_role("button", name="Simpan draf").click()
    page.get_by_text("Draf disimpan.").wait_for()
    assert Story.objects.get().income_after == 2_500_000
    page.locator("input[type=file][name=image]").set_input_files(camera_photo)
    page.get_by_text("Foto diperkecil di peramban Anda").wait_for()
    page.get_by_label("Deskripsi singkat").fill("Keripik pisang dalam kemasan berlabel")
    page.get_by_label("Foto menampilkan wajah").uncheck()
    page.get_by_role("button", name="Tambah foto").click()
    page.get_by_text("Foto ditambahkan.").wait_for()
    photo = Photo.objects.get()
    assert photo.width == 1600

    page.get_by_role("link", name="Catat persetujuan").click()
    page.get_by_label("Persetujuan untuk").select_option("story_use")
    page.get_by_label("Diberikan oleh").fill("Sumiati")
    page.get_by_label("Cara persetujuan diberikan").select_option("verbal")
    page.get_by_label("Saksi").fill("Lurah Rawa Makmur")
    page.get_by_role("button", name="Catat persetujuan").click()
    page.get_by_text("Persetujuan dicatat.").wait_for()
    page.get_by_role("button", name="Ajukan untuk ditinjau").click()
    page.get_by_text("Status cerita sekarang: Diajukan untuk ditinjau.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    staff = chromium.new_context(viewport=PHONE, base_url=live_server.url, locale="id-ID")
    staff.set_default_timeout(WAIT_MS)
    staff_page = staff.new_page()
    sign_in(staff_page, perpusnas.username, PASSWORD)
    staff_page.goto("/cerita/?status=submitted")
    staff_page.get_by_alt_text("Keripik pisang dalam kemasan berlabel").wait_for()
    staff_page.get_by_role("link", name="Keripik pisang Ibu Sumiati").click()
    staff_page.get_by_role("button", name="Verifikasi").click()
    staff_page.get_by_text("Status cerita sekarang: Terverifikasi.").wait_for()
    staff_page.get_by_role("button", name="Terbitkan").click()
    staff_page.get_by_text("Status cerita sekarang: Terbit.").wait_for()
    staff.close()

    public = chromium.new_context(viewport=PHONE, base_url=live_server.url, locale="id-ID")
    visitor = public.new_page()
    visitor.goto("/provinsi/64-kalimantan-timur/cerita/")
    visitor.get_by_role("link", name="Keripik pisang Ibu Sumiati kini dijual daring").wait_for()
    image = visitor.get_by_alt_text("Keripik pisang dalam kemasan berlabel")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    public.close()
