"""A story draft written with no connection survives an offline reload and reaches the portal
later, once (issue 12)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from impact.models import Story
from tests.browser import sign_in_before, wait_until
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = reverse("impact:create")


def test_a_story_draft_written_offline_survives_a_reload_and_arrives_later(
    phone_page, live_server, village_librarian
):
    page = phone_page
    context = page.context
    sign_in_before(page, village_librarian.username, PASSWORD)
    page.goto(FORM)
    wait_until(
        page,
        "navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller))",
    )
    wait_until(page, "caches.match(location.pathname).then(Boolean)")

    context.set_offline(True)
    page.get_by_label("Judul").fill("Keripik pisang Ibu Sumiati kini dijual daring")
    page.get_by_label("Apa yang berubah").fill("Pesanan datang dari Balikpapan lewat Shopee.")
    page.get_by_label("Apa yang berubah").press("Tab")
    # The autosave cannot reach the portal: the draft is kept on the phone.
    page.locator("#autosave-status").get_by_text("Tersimpan di perangkat ini").wait_for()
    expect(page.locator("#queue-count")).to_have_text("1")

    page.reload()
    expect(page.locator("#queue-count")).to_have_text("1")
    page.locator("#queue-toggle").click()
    page.locator("#queue-items").get_by_role("link", name="Ubah").click()
    expect(page.get_by_label("Judul")).to_have_value(
        "Keripik pisang Ibu Sumiati kini dijual daring"
    )
    page.get_by_label("Mengapa hal itu penting baginya").fill("Bisa membayar sekolah anak.")
    page.get_by_role("button", name="Simpan draf").click()
    page.locator("#autosave-status").get_by_text("Tersimpan di perangkat ini").wait_for()
    assert not Story.objects.exists()

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue-toggle")).to_be_hidden()
    story = Story.objects.get()
    assert story.status == Story.Status.DRAFT
    assert story.why_it_matters == "Bisa membayar sekolah anak."
    assert story.author == village_librarian
    page.evaluate("TpbisQueue.flush()")
    assert Story.objects.count() == 1
