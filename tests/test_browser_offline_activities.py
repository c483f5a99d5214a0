"""A librarian records activities with no connection: they are kept on the phone, survive a
reload and a browser restart, arrive once each with their photos, and what the portal refuses
comes back into the form with the reason (issue 12)."""

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from libraries.models import Activity, ActivityEvidence
from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    WAIT_MS,
    sign_in_before,
    wait_until,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = reverse("reporting:activity-create")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def camera_photos(tmp_path):
    """Three phone pictures full of detail (2400 x 1800), so that they are worth shrinking."""
    paths = []
    for number in range(3):
        path = tmp_path / f"IMG_2024050{number}.jpg"
        Image.effect_noise((2400, 1800), 40 + number * 10).convert("RGB").save(path, quality=92)
        paths.append(path)
    return paths


def _launch(chromium, profile: Path, base_url: str):
    """The phone's browser, started on its own profile: closing it and starting it again is a
    browser restart that keeps the site's storage (IndexedDB, service worker, caches)."""
    context = chromium.browser_type.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        viewport=PHONE,
        base_url=base_url,
        locale="id-ID",
        accept_downloads=True,
    )
    context.set_default_timeout(WAIT_MS)
    page = context.pages[0] if context.pages else context.new_page()
    return context, page


def _cut_posts(context) -> None:
    """No POST leaves the browser, the service worker's included, until ``unroute``."""
    context.route(
        "**/*",
        lambda route: (
            route.abort("internetdisconnected")
            if route.request.method == "POST"
            else route.fallback()
        ),
    )


def _sign_out(page) -> None:
    # The sign-out button sits in the account menu; its form is what counts.
    with page.expect_navigation():
        page.locator(f"form[action='{reverse('logout')}']").evaluate("form => form.requestSubmit()")
    expect(page.get_by_role("link", name="Masuk")).to_be_visible()


def _record(page, title: str, date: datetime.date, photos) -> None:
    form = page.locator("form[data-offline-form]")
    form.locator("[name=strategy]").select_option("engagement")
    form.locator("[name=kind]").select_option("training")
    form.locator("[name=title]").fill(title)
    form.locator("[name=date]").fill(date.isoformat())
    form.locator("[name=participants_male]").fill("4")
    form.locator("[name=participants_female]").fill("11")
    form.locator("[name=skills]").fill("Mengolah keripik")
    if photos:
        form.locator("input[type=file][name=photos]").set_input_files(photos)
        page.get_by_text("Foto diperkecil di peramban Anda").wait_for()
    page.get_by_role("button", name="Simpan kegiatan").click()
    page.get_by_text("Tersimpan di perangkat ini").wait_for()
    # The form is empty again, ready for the next one.
    expect(form.locator("[name=title]")).to_have_value("")


def test_activities_recorded_offline_arrive_once_each_after_a_browser_restart(
    chromium,
    live_server,
    tmp_path,
    village_librarian,
    district_librarian,
    village_library,
    camera_photos,
):
    profile = tmp_path / "profile"
    today = timezone.localdate()
    context, page = _launch(chromium, profile, live_server.url)
    sign_in_before(page, village_librarian.username, PASSWORD)
    page.goto(FORM)
    wait_until(
        page,
        "navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller))",
    )
    wait_until(page, "caches.match(location.pathname).then(Boolean)")

    # No connection: four activities kept on the phone, three of them with photos. Chromium's
    # offline emulation does not always reach the service worker's own sending (Background
    # Sync), so what the phone posts is cut as well: nothing may arrive while "offline".
    _cut_posts(context)
    context.set_offline(True)
    _record(page, "Pelatihan keripik pisang", today - datetime.timedelta(days=2), camera_photos)
    _record(page, "Kelas menganyam", today - datetime.timedelta(days=1), camera_photos[:2])
    _record(page, "Bimbingan belajar", today, camera_photos[2:])
    _record(page, "Kegiatan yang belum terjadi", today + datetime.timedelta(days=10), [])
    expect(page.locator("#queue-count")).to_have_text("4")

    # A reload without connection: the form opens from the phone, the four still wait.
    page.reload()
    expect(page.locator("#queue-count")).to_have_text("4")
    assert page.locator("form[data-offline-form]").count() == 1

    # The browser is closed and started again, still without connection.
    context.close()
    context, page = _launch(chromium, profile, live_server.url)
    _cut_posts(context)
    context.set_offline(True)
    page.goto(FORM)
    expect(page.locator("#queue-count")).to_have_text("4")
    assert not Activity.objects.exists()

    # The connection returns: three arrive, each once with its photos; the fourth is refused
    # and comes back into the form with the reason.
    context.unroute("**/*")
    context.set_offline(False)
    page.reload()
    refused = page.locator("#offline-form-refused")
    expect(refused).to_contain_text("Tanggal")
    expect(page.locator("form [name=title]")).to_have_value("Kegiatan yang belum terjadi")
    expect(page.locator("#queue-count")).to_have_text("1")
    assert Activity.objects.count() == 3
    photos = {
        activity.title: activity.evidence.filter(kind=ActivityEvidence.Kind.PHOTO).count()
        for activity in Activity.objects.all()
    }
    assert photos == {"Pelatihan keripik pisang": 3, "Kelas menganyam": 2, "Bimbingan belajar": 1}
    assert set(Activity.objects.values_list("recorded_by", flat=True)) == {village_librarian.pk}
    # Sent photos are the shrunk ones: at most 1600 px on the long side.
    for evidence in ActivityEvidence.objects.all():
        with evidence.file.open("rb") as stored, Image.open(stored) as image:
            assert max(image.size) <= 1600
    # Another attempt sends nothing twice.
    page.evaluate("TpbisQueue.flush()")
    assert Activity.objects.count() == 3

    # Export what waits: the refused activity, with its reason.
    page.locator("#queue-toggle").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Ekspor (JSON)").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [item["label"].split(" · ")[0] for item in exported["items"]] == [
        "Kegiatan yang belum terjadi"
    ]
    assert exported["items"][0]["state"] == "refused"
    page.get_by_role("button", name="Tutup").click()

    # Signing out with an item waiting asks first.
    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    _sign_out(page)
    assert "1 item belum terkirim" in messages[0]

    # Another librarian on the same phone sees nothing of it and sends nothing of it.
    sign_in_before(page, district_librarian.username, PASSWORD)
    page.goto(FORM)
    expect(page.locator("#queue-toggle")).to_be_hidden()
    assert page.evaluate("TpbisQueue.list().then(items => items.length)") == 0
    page.evaluate("TpbisQueue.flush()")
    assert not Activity.objects.filter(recorded_by=district_librarian).exists()
    assert page.locator("form [name=title]").input_value() == ""

    # Back as the first librarian: the refused activity is still there; discarding asks first.
    _sign_out(page)
    sign_in_before(page, village_librarian.username, PASSWORD)
    page.goto(FORM)
    expect(page.locator("#queue-count")).to_have_text("1")
    page.locator("#queue-toggle").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#queue-items").get_by_role("button", name="Buang").click()
    expect(page.locator("#queue-toggle")).to_be_hidden()
    assert Activity.objects.count() == 3
    context.close()
