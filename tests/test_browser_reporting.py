"""A village librarian records an activity on a phone."""

import pytest

from libraries.models import Activity
from tests.browser import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_librarian_records_an_activity_on_a_phone(
    phone_page, village_librarian, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page = phone_page
    sign_in(page, village_librarian.username, PASSWORD)

    page.goto("/laporan/kegiatan/baru/")
    page.get_by_label("Judul").fill("Pelatihan keripik pisang")
    page.get_by_label("Peserta laki-laki").fill("4")
    page.get_by_label("Peserta perempuan").fill("11")
    page.get_by_role("button", name="Simpan kegiatan").click()

    page.get_by_text("Kegiatan tercatat. Terima kasih!").wait_for()
    activity = Activity.objects.get()
    assert (activity.title, activity.participants_total) == ("Pelatihan keripik pisang", 15)
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
