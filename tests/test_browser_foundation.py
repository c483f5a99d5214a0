import pytest
from playwright.sync_api import expect

from tests.browser import sign_in, wait_until
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_librarian_signs_in_on_a_phone_and_switches_to_english(
    phone_page, district_librarian, village_library
):
    page = phone_page

    sign_in(page, "pustakawan.samarinda", PASSWORD)
    # The portal's service worker takes charge of the page first (as for anyone who has opened
    # the portal before): a switch tapped while it is still taking over may go unheard.
    wait_until(
        page,
        "navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller))",
    )

    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", name="Perpustakaan yang dapat Anda lihat").is_visible()
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("button", name="English", exact=True).click()
    # The switch posts a form and reloads: wait for the new page, not the old one.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Libraries you can see")).to_be_visible()
    page.get_by_role("button", name="Open the menu").click()
    page.get_by_role("link", name="Libraries", exact=True).click()
    expect(page.get_by_role("link", name="Perpustakaan Kelurahan Rawa Makmur")).to_be_visible()
    # Nothing on the page is wider than the phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
