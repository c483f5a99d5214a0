"""The report card on a phone: staff change the weights and a library's card follows; a
village librarian reads their own card and no other; a visitor reads a kab/kota's score."""

import pytest
from django.urls import reverse

from libraries.models import ReportCardSettings
from tests.browser import sign_in
from tests.factories import PASSWORD
from tests.test_public_report_card import TANJUNG_PINANG, scored_kepri
from tests.test_report_card import _activities, _agreements, _publications, _targets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.fixture
def scored_2024(village_library):
    """As in test_report_card: engagement 75, publication 50, advocacy 100 over 2024."""
    _targets()
    _activities(village_library, 9)
    _publications(village_library, 3)
    _agreements(village_library, 3)
    return village_library


def test_staff_change_the_weights_and_the_library_s_card_shows_the_new_score(
    phone_page, perpusnas, scored_2024
):
    page = phone_page
    card = reverse("reporting:report-card-library", args=[scored_2024.pk]) + "?tahun=2024"
    sign_in(page, perpusnas.username, PASSWORD)
    page.goto(card)
    page.get_by_text("75,00 · Kuning").first.wait_for()

    page.goto(reverse("reporting:report-card-settings"))
    page.get_by_label("Bobot pelibatan masyarakat").fill("20")
    page.get_by_label("Bobot publikasi").fill("20")
    page.get_by_label("Bobot advokasi").fill("60")
    assert _fits_the_phone(page)
    page.get_by_role("button", name="Simpan pengaturan rapor").click()
    page.get_by_text("Pengaturan rapor sudah disimpan.").wait_for()

    page.goto(card)
    # 0.20 x 75 + 0.20 x 50 + 0.60 x 100
    score = page.locator("#report-card-score")
    score.get_by_text("85,00 · Hijau").wait_for()
    # The explanation follows the new weights: advocacy adds 60 points.
    row = page.get_by_role("row").filter(has_text="Advokasi dan kemitraan").first
    assert "60%" in row.inner_text() and "60,00" in row.inner_text()
    assert _fits_the_phone(page)
    assert ReportCardSettings.current().weights == {
        "engagement": 20,
        "publication": 20,
        "advocacy": 60,
    }


def test_village_librarian_opens_their_own_card_and_not_another_library_s(
    phone_page, village_librarian, scored_2024, berau_village_library
):
    page = phone_page
    sign_in(page, village_librarian.username, PASSWORD)

    page.goto(reverse("reporting:report-card") + "?tahun=2024")
    page.wait_for_url(f"**/laporan/rapor/perpustakaan/{scored_2024.pk}/**")
    page.locator("#report-card-score").get_by_text("75,00 · Kuning").wait_for()
    assert page.get_by_role("heading", name=f"Rapor: {scored_2024.name}").is_visible()
    assert _fits_the_phone(page)

    other = reverse("reporting:report-card-library", args=[berau_village_library.pk])
    response = page.goto(other + "?tahun=2024")
    assert response.status == 404
    assert berau_village_library.name not in page.content()


def test_visitor_sees_the_kab_kota_score_on_its_public_page(phone_page, regions):
    scored_kepri()
    page = phone_page

    page.goto(TANJUNG_PINANG)
    section = page.locator("#rapor")
    # (75.00 + 50.00) / 2
    section.get_by_text("62,50 · Kuning").wait_for()
    assert section.get_by_text("perpustakaan provinsi tidak termasuk", exact=False).is_visible()
    assert _fits_the_phone(page)
    section.get_by_role("link", name="Perpustakaan Kelurahan Tanjung Pinang Barat").click()
    page.locator("#rapor").get_by_text("75,00 · Kuning").wait_for()
    assert _fits_the_phone(page)
