"""In a real browser on a phone: pickers open with their values, a bad walk-in is explained,
an indicator's big figure is the one its colour is based on."""

import os

import pytest
from django.utils import timezone

from libraries.models import Indicator, Library
from tests import factories
from tests.browser import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Where to keep screenshots for a person to look at (unset: none are taken).
SHOTS = os.environ.get("TPBIS_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_event_edit_form_opens_with_its_dates_and_times_in_the_pickers(phone_page, consultant, plm):
    page = phone_page
    sign_in(page, "konsultan.kaltim", PASSWORD)

    page.goto(f"/acara/{plm.pk}/ubah/")

    # Chromium empties a picker whose value is not in the machine format.
    assert page.locator("#id_start_date").input_value() == "2022-07-04"
    assert page.locator("#id_start_time").input_value() == "08:00"
    assert page.locator("#id_end_date").input_value() == "2022-07-06"
    assert page.locator("#id_end_time").input_value() == "16:00"
    assert _fits_the_phone(page)
    _shot(page, "event-edit")
    page.get_by_role("button", name="Simpan perubahan").click()
    page.wait_for_url(f"**/acara/{plm.pk}/")
    plm.refresh_from_db()
    assert plm.local_start.hour == 8


def test_walk_in_sent_empty_shows_what_is_missing(phone_page, consultant, plm_day_one):
    page = phone_page
    sign_in(page, "konsultan.kaltim", PASSWORD)
    page.goto(f"/acara/sesi/{plm_day_one.pk}/peserta-baru/")
    button = page.get_by_role("button", name="Tambahkan dan tandai hadir")
    # What a damaged offline replay sends: the browser's own checks are skipped.
    page.locator("form", has=button).evaluate("form => form.noValidate = true")
    page.locator("input[name=walkin-client_id]").evaluate("input => input.value = 'rusak'")

    button.click()

    page.wait_for_selector(".invalid-feedback, .alert-danger")
    text = page.content()
    assert "Formulir tidak dapat dibaca" in text
    assert "Bidang ini tidak boleh kosong" in text
    assert _fits_the_phone(page)
    _shot(page, "walk-in-errors")


def test_indicator_figure_on_a_phone_is_the_one_its_colour_is_based_on(phone_page, regions):
    registry = factories.kepri_registry()
    months = timezone.localdate().month
    month = timezone.localdate().replace(day=1)
    factories.TargetFactory(
        indicator=Indicator.VISITORS,
        level=Library.Level.VILLAGE,
        per_month=1000,
        year=timezone.localdate().year,
    )
    factories.VisitorCountFactory(library=registry["barat"], month=month, visitors=740 * months)
    factories.VisitorCountFactory(library=registry["district"], month=month, visitors=300 * months)
    page = phone_page

    page.goto("/provinsi/21-kepulauan-riau/")

    item = page.locator(".indicator-list li", has_text="Pengunjung")
    figure = item.locator("strong").first.inner_text()
    assert figure == f"{740 * months:,}".replace(",", ".")
    assert "1 perpustakaan bertarget" in item.inner_text()
    assert "Di bawah target" in item.inner_text()
    assert _fits_the_phone(page)
    item.scroll_into_view_if_needed()
    _shot(page, "province-indicators")
