"""The journey of a community product on phones at 360 px: a librarian records it with a
photo and the producer's consent, a consultant marks it exhibited at the PLM and records a
bank's offer at the SHM, and the public province page shows it."""

import datetime

import pytest
from PIL import Image

from events.models import Event
from impact.models import Product, ProductExhibition, ProductOffer
from tests import factories
from tests.browser import PHONE, WAIT_MS, sign_in, wait_until
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def camera_photo(tmp_path):
    path = tmp_path / "IMG_20240502.jpg"
    Image.effect_noise((2400, 1800), 60).convert("RGB").save(path, quality=95)
    return path


@pytest.fixture
def shm(perpusnas):
    return factories.event(
        actor=perpusnas,
        kind=Event.Kind.SHM_PROVINCE,
        title="SHM Provinsi Kalimantan Timur",
        venue="Hotel Mercure Samarinda",
        first_day=datetime.date(2022, 9, 13),
        days=2,
    )


def _phone(chromium, live_server):
    context = chromium.new_context(viewport=PHONE, base_url=live_server.url, locale="id-ID")
    context.set_default_timeout(WAIT_MS)
    return context, context.new_page()


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_product_from_the_library_to_the_shm_and_the_public_page(
    phone_page, chromium, live_server, village_librarian, consultant, plm, shm, camera_photo
):
    page = phone_page
    sign_in(page, village_librarian.username, PASSWORD)
    page.goto("/produk/")
    page.get_by_role("link", name="Catat produk").click()
    page.get_by_label("Nama produk").fill("Amplang ikan belida")
    page.get_by_label("Jenis produk").select_option("food")
    page.get_by_label("Produsen atau kelompok").fill("KWT Melati")
    page.get_by_label("Tempat membelinya").fill("Pasar Segiri, Shopee")
    page.get_by_label("Harga terendah (Rp)").fill("15000")
    page.get_by_label("Harga tertinggi (Rp)").fill("35000")
    page.locator("input[type=file][name=photo]").set_input_files(camera_photo)
    page.get_by_text("Foto diperkecil di peramban Anda").wait_for()
    page.get_by_label("Keterangan singkat foto").fill("Amplang dalam kemasan berlabel")
    save = page.get_by_role("button", name="Simpan produk")
    assert save.bounding_box()["height"] >= 44
    save.click()
    page.get_by_text("Produk sudah dicatat.").wait_for()
    product = Product.objects.get()
    assert product.photo and product.library == village_librarian.library
    assert _fits_the_phone(page)

    page.get_by_role("link", name="Catat persetujuan produsen").click()
    page.get_by_label("Diberikan oleh").fill("Ibu Ketua KWT Melati")
    page.get_by_label("Cara persetujuan diberikan").select_option("verbal")
    page.get_by_label("Saksi").fill("Lurah Rawa Makmur")
    page.get_by_role("button", name="Catat persetujuan").click()
    page.get_by_text("Persetujuan sudah dicatat").wait_for()

    context, consultant_page = _phone(chromium, live_server)
    sign_in(consultant_page, consultant.username, PASSWORD)
    consultant_page.goto(f"/acara/{plm.pk}/")
    consultant_page.get_by_role("link", name="Produk yang dipamerkan").click()
    consultant_page.get_by_label("Amplang ikan belida").check()
    consultant_page.get_by_role("button", name="Simpan pameran").click()
    consultant_page.get_by_text("Tersimpan: 1 produk ditandai dipamerkan").wait_for()
    assert ProductExhibition.objects.filter(event=plm, product=product).exists()

    consultant_page.goto(f"/acara/{shm.pk}/")
    consultant_page.get_by_role("link", name="Produk dan tawaran pemangku kepentingan").click()
    consultant_page.get_by_role("heading", name="Amplang ikan belida").wait_for()
    consultant_page.get_by_label("Jenis tawaran").select_option("loan")
    consultant_page.get_by_label("Yang ditawarkan").fill("KUR mikro sampai Rp 25 juta")
    consultant_page.get_by_label("Lembaga").fill("Bank Kaltimtara")
    consultant_page.get_by_label("Pemangku kepentingan").fill("Bapak Hendra, kepala cabang")
    consultant_page.get_by_role("button", name="Catat tawaran ini").click()
    consultant_page.get_by_text("Tawaran untuk “Amplang ikan belida” sudah dicatat.").wait_for()
    offer = ProductOffer.objects.get()
    assert (offer.organisation, offer.event, offer.kind) == ("Bank Kaltimtara", shm, "loan")
    assert _fits_the_phone(consultant_page)
    context.close()

    visitor, public_page = _phone(chromium, live_server)
    public_page.goto("/provinsi/64-kalimantan-timur/")
    public_page.get_by_role("heading", name="Amplang ikan belida").wait_for()
    public_page.get_by_text("Pasar Segiri, Shopee").first.wait_for()
    photo = public_page.get_by_alt_text("Amplang dalam kemasan berlabel").first
    photo.scroll_into_view_if_needed()
    # The photo loads lazily: wait until the browser has it, as the visitor would.
    wait_until(
        public_page,
        "[...document.querySelectorAll('img[alt=\"Amplang dalam kemasan berlabel\"]')]"
        ".some((img) => img.complete && img.naturalWidth > 0)",
    )
    assert _fits_the_phone(public_page)
    public_page.get_by_role("link", name="Lihat 1 produk provinsi ini").click()
    public_page.get_by_role("heading", name="Amplang ikan belida").wait_for()
    visitor.close()
