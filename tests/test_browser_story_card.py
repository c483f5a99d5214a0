"""At phone width: a librarian reads the panel's news on the dashboard and opens the story
card, which prints on A4."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from impact import services
from impact.models import Consent, SelectionDecision, Story
from tests.browser import sign_in
from tests.factories import PASSWORD, StoryFactory, story_consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _screenshot(page, name: str) -> None:
    """Kept for a person to look at when TPBIS_SCREENSHOTS names a folder."""
    folder = os.environ.get("TPBIS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / name, full_page=True)


def test_librarian_follows_the_panels_news_to_a_printable_story_card(
    phone_page, village_library, village_librarian, district_librarian
):
    story = StoryFactory(
        library=village_library, author=village_librarian, status=Story.Status.VERIFIED
    )
    story_consent(story)
    story_consent(story, Consent.Kind.NAMING)
    services.selection_record(
        story=story,
        actor=district_librarian,
        level=SelectionDecision.Level.DISTRICT,
        reason="Perubahan ekonomi paling nyata di Samarinda.",
    )
    page = phone_page
    sign_in(page, "pustakawan.rawamakmur", PASSWORD)

    expect(page.get_by_text("masuk daftar pendek panel kabupaten/kota")).to_be_visible()
    read = page.get_by_role("button", name="Tandai sudah dibaca")
    assert read.bounding_box()["height"] >= 44
    _screenshot(page, "dashboard-notice-phone.png")
    page.get_by_role("link", name="Cetak kartu cerita").click()

    page.wait_for_url(f"**{reverse('impact:card', args=[story.pk])}")
    expect(page.get_by_role("heading", name=story.title)).to_be_visible()
    expect(page.get_by_text("Dituturkan oleh Ibu Sumiati")).to_be_visible()
    expect(page.get_by_text("Perubahan ekonomi paling nyata di Samarinda.")).to_be_visible()
    # The print button is shown by the static script (no inline script under the CSP).
    print_button = page.get_by_role("button", name="Cetak")
    expect(print_button).to_be_visible()
    assert print_button.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _screenshot(page, "story-card-phone.png")

    page.emulate_media(media="print")
    expect(print_button).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
