"""No status line moves a control under the finger (issue 9, item 6).

On a phone, leaving a text field starts the story's autosave; its status line used to appear
above the buttons and push "Simpan dan ajukan untuk ditinjau" 37 px down between the press and
the release of a tap, so the tap was lost and the story silently stayed a draft.
"""

import pytest

from impact.models import Story
from tests import factories
from tests.browser import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBMIT = "Simpan dan ajukan untuk ditinjau"


@pytest.fixture
def draft(village_library, village_librarian):
    return factories.StoryFactory(library=village_library, author=village_librarian)


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def test_autosave_status_does_not_move_the_submit_button_on_a_phone(
    phone_page, village_librarian, draft
):
    page = phone_page
    sign_in(page, village_librarian.username, PASSWORD)
    page.goto(f"/cerita/{draft.pk}/ubah/")
    button = page.get_by_role("button", name=SUBMIT)
    page.get_by_label("Apa yang berubah").fill("Pesanan datang dari Balikpapan lewat Shopee.")
    button.scroll_into_view_if_needed()
    before = _box(button)

    # The finger leaves the field without scrolling the page (a tap on plain text).
    page.evaluate("document.activeElement.blur()")
    page.get_by_text("Draf tersimpan otomatis").wait_for()

    assert _box(button) == before


def test_the_first_tap_on_submit_after_typing_submits_the_story(
    phone_page, village_librarian, draft
):
    page = phone_page
    sign_in(page, village_librarian.username, PASSWORD)
    page.goto(f"/cerita/{draft.pk}/ubah/")
    page.get_by_label("Apa yang berubah").fill("Pesanan datang dari Balikpapan lewat Shopee.")

    # One tap, straight from the field being typed in: its focus leaves the field (autosave
    # starts and writes its status) between the press and the release.
    page.get_by_role("button", name=SUBMIT).click()

    page.get_by_text("Cerita diajukan untuk ditinjau.").wait_for()
    draft.refresh_from_db()
    assert draft.status == Story.Status.SUBMITTED
    assert draft.what_changed == "Pesanan datang dari Balikpapan lewat Shopee."


def test_the_search_count_does_not_move_the_roster_on_a_phone(
    phone_page, consultant, plm, plm_day_one, village_library
):
    for number in range(3):
        factories.participant(f"Peserta {number}", village_library, event=plm)
    page = phone_page
    sign_in(page, consultant.username, PASSWORD)
    page.goto(f"/acara/sesi/{plm_day_one.pk}/")
    first = page.locator(".roster-row .roster-button").first
    before = _box(first)

    page.get_by_label("Cari orang (dua huruf nama atau perpustakaan)").fill("Peserta")
    page.get_by_text("3 ditemukan").wait_for()

    assert _box(first) == before
