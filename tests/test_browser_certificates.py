"""At phone width: a consultant issues the certificates of an event and downloads one; the
address in its QR code opens the public verification page."""

import os
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Certificate
from events.services import attendance_mark
from tests import factories
from tests.browser import sign_in
from tests.certificates import pdf_pages, pdf_text, qr_modules, qr_of
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _screenshot(page, name: str) -> None:
    """Kept for a person to look at when TPBIS_SCREENSHOTS names a folder."""
    folder = os.environ.get("TPBIS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / name, full_page=True)


def test_consultant_issues_certificates_at_phone_width_and_the_qr_opens_verification(
    phone_page, live_server, consultant, perpusnas, plm, village_library, berau_village_library
):
    people = [
        factories.participant("Siti Aminah", village_library, event=plm),
        factories.participant("Budi Santoso", berau_village_library, gender="M", event=plm),
    ]
    for session in plm.sessions.all():
        for person in people:
            attendance_mark(
                actor=perpusnas, session=session, participant=person, client_id=uuid.uuid4()
            )
    page = phone_page
    sign_in(page, "konsultan.kaltim", PASSWORD)

    page.goto(reverse("events:detail", args=[plm.pk]))
    page.get_by_role("link", name="Sertifikat", exact=True).click()
    issue = page.get_by_role("button", name="Terbitkan 2 sertifikat")
    box = issue.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 360
    issue.click()
    expect(page.get_by_text("2 sertifikat diterbitkan")).to_be_visible(timeout=30_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _screenshot(page, "certificates-phone.png")

    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("link", name="PDF Siti Aminah").click()
    content = Path(download_info.value.path()).read_bytes()

    certificate = Certificate.objects.get(participant=people[0])
    text = pdf_text(content)
    assert "Siti Aminah" in text and "Hadir 3 hari, total 24 jam" in text
    (qr_page,) = pdf_pages(content)
    address = live_server.url + reverse("certificates:verify", args=[certificate.code])
    assert qr_modules(qr_page) == qr_of(address)

    visitor = page.context.browser.new_context(viewport={"width": 360, "height": 740})
    public = visitor.new_page()
    public.goto(address)
    expect(public.get_by_text("Sertifikat sah.")).to_be_visible()
    expect(public.get_by_text("Siti Aminah")).to_be_visible()
    assert "Budi Santoso" not in public.content()
    assert public.evaluate("document.documentElement.scrollWidth") <= 360
    _screenshot(public, "certificate-verify-phone.png")
    visitor.close()
