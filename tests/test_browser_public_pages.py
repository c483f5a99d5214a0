import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_visitor_on_a_phone_goes_from_the_index_to_a_province_and_a_library(phone_page, regions):
    factories.kepri_registry()
    page = phone_page

    page.goto("/provinsi/")
    assert page.get_by_role("heading", name="TPBIS di 3 provinsi").is_visible()
    assert _fits_the_phone(page)
    page.get_by_role("link", name="Kepulauan Riau", exact=True).click()

    page.wait_for_url("**/provinsi/21-kepulauan-riau/")
    assert page.get_by_role("heading", name="TPBIS di Kepulauan Riau").is_visible()
    assert page.get_by_role("img", name="Perpustakaan peserta menurut tahun angkatan").is_visible()
    assert _fits_the_phone(page)
    page.get_by_label("Nama perpustakaan, kab/kota atau desa/kelurahan").fill("pinang barat")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url("**q=pinang+barat**")
    results = page.locator(".library-directory a")
    assert results.count() == 1
    results.first.click()

    assert page.get_by_role(
        "heading", name="Perpustakaan Kelurahan Tanjung Pinang Barat"
    ).is_visible()
    assert page.get_by_text("Komputer").is_visible()
    assert "Siti Aminah" not in page.content()
    assert _fits_the_phone(page)


def test_keyboard_visitor_opens_a_province_from_the_map_and_then_its_kab_kota(phone_page, regions):
    factories.kepri_registry()
    page = phone_page

    page.goto("/provinsi/")
    tile = page.get_by_role("link", name="Kepulauan Riau: Kegiatan 0, tanpa target")
    assert tile.is_visible()
    # The map scrolls inside its own box: the page itself still fits the phone, and each tile
    # stays a 44 px target.
    assert _fits_the_phone(page)
    box = tile.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    tile.focus()
    page.keyboard.press("Enter")

    page.wait_for_url("**/provinsi/21-kepulauan-riau/")
    page.get_by_role("link", name="Kota Tanjung Pinang", exact=True).first.click()

    page.wait_for_url("**/provinsi/21-kepulauan-riau/kab/21.72-kota-tanjung-pinang/")
    assert page.get_by_role("heading", name="TPBIS di Kota Tanjung Pinang").is_visible()
    assert page.get_by_role("link", name="Perpustakaan Kelurahan Tanjung Pinang Barat").is_visible()
    assert "Siti Aminah" not in page.content()
    assert _fits_the_phone(page)
