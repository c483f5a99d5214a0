"""The offline queue in a real browser: a permanent refusal leaves the queue with its reason
and is never retried by itself; the user sees, retries, discards and exports what waits
(issue 9 item 11, issue 12)."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Attendance
from tests import factories
from tests.browser import sign_in_before, wait_until
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(consultant, plm, village_library):
    return [
        factories.participant(f"Peserta {number}", village_library, event=plm)
        for number in range(3)
    ]


def test_a_queued_mark_refused_for_good_is_shown_with_its_reason_and_not_retried(
    laptop_page, live_server, consultant, plm, plm_day_one, people
):
    page = laptop_page
    context = page.context
    sign_in_before(page, "konsultan.kaltim", PASSWORD)
    page.goto(reverse("events:attendance", args=[plm_day_one.pk]))
    wait_until(
        page,
        "navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller))",
    )
    mark_url = live_server.url + reverse("events:mark", args=[plm_day_one.pk])
    sent = []
    page.on(
        "request", lambda request: sent.append(request.url) if request.url == mark_url else None
    )

    # Two marks made without a connection wait in the queue, shown in the top bar.
    context.route(mark_url, lambda route: route.abort("internetdisconnected"))
    context.set_offline(True)
    for person in people[:2]:
        page.locator(f"#p-{person.pk} .roster-button").click()
    page.get_by_text("2 belum terkirim").wait_for()
    expect(page.locator("#queue-count")).to_have_text("2")

    # Meanwhile the session is removed: the portal will never take these marks.
    plm_day_one.delete()
    sent.clear()
    context.unroute(mark_url)
    context.set_offline(False)

    refused = page.locator("#queue-items .queue-refused")
    # The page says it, and offers the queue.
    page.locator("#sync-error").get_by_text("Tidak ditemukan").wait_for()
    page.get_by_role("button", name="Lihat yang menunggu").click()
    page.locator("#queue-panel").get_by_text("Ditolak oleh portal").first.wait_for()
    # The second is refused a moment after the first.
    expect(refused).to_have_count(2)
    assert (
        "Tidak ditemukan: sudah dihapus atau tidak ada di wilayah Anda."
        in refused.first.inner_text()
    )
    # Shown on the page as not marked, with the reason; the pending bar is empty.
    wait_until(page, "document.getElementById('sync-status').classList.contains('d-none')")
    assert page.locator(".roster-row.is-present").count() == 0
    assert not Attendance.objects.exists()
    # Sent once each, and not again: neither by a new attempt of the queue nor by going online.
    assert len(sent) == 2
    page.evaluate("TpbisQueue.flush()")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.evaluate("TpbisQueue.flush()")
    assert len(sent) == 2

    # Export: everything that waits, as JSON and as CSV.
    with page.expect_download() as download:
        page.get_by_role("button", name="Ekspor (JSON)").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert len(exported["items"]) == 2
    assert {item["state"] for item in exported["items"]} == {"refused"}
    with page.expect_download() as download:
        page.get_by_role("button", name="Ekspor (CSV)").click()
    rows = list(
        csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig")))
    )
    assert len(rows) == 2 and rows[0]["reason"].startswith("Tidak ditemukan")

    # Discard asks first: declined, nothing goes; accepted, one item goes.
    page.once("dialog", lambda dialog: dialog.dismiss())
    refused.first.get_by_role("button", name="Buang").click()
    assert refused.count() == 2
    page.once("dialog", lambda dialog: dialog.accept())
    refused.first.get_by_role("button", name="Buang").click()
    wait_until(page, "document.querySelectorAll('#queue-items .queue-item').length === 1")
    expect(page.locator("#queue-count")).to_have_text("1")

    # Retry sends it once more, on request only; still refused.
    refused.first.get_by_role("button", name="Coba lagi").click()
    wait_until(page, "() => document.querySelector('#queue-items .queue-refused') !== null")
    page.evaluate("TpbisQueue.flush()")
    assert len(sent) == 3


def test_a_walk_in_and_a_mark_made_offline_arrive_once_with_the_time_they_were_made(
    laptop_page, live_server, consultant, plm, plm_day_one, people, village_library
):
    page = laptop_page
    context = page.context
    sign_in_before(page, "konsultan.kaltim", PASSWORD)
    page.goto(reverse("events:attendance", args=[plm_day_one.pk]))
    wait_until(
        page,
        "navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller))",
    )
    context.set_offline(True)
    page.locator(f"#p-{people[0].pk} .roster-button").click()
    page.locator("#walk-in summary").click()
    page.get_by_label("Nama", exact=True).fill("Rina Datang Langsung")
    page.get_by_label("Perempuan").check()
    page.locator("[name='walkin-library']").select_option(str(village_library.pk))
    page.get_by_role("button", name="Tambahkan dan tandai hadir").click()
    page.get_by_text("Rina Datang Langsung: tersimpan di perangkat ini").wait_for()
    expect(page.locator("#queue-count")).to_have_text("2")

    context.set_offline(False)
    page.get_by_text("Rina Datang Langsung: ditambahkan dan ditandai hadir").wait_for()
    expect(page.locator("#queue-toggle")).to_be_hidden()
    page.evaluate("TpbisQueue.flush()")

    marks = Attendance.objects.filter(session=plm_day_one)
    assert marks.count() == 2
    assert marks.filter(participant__name="Rina Datang Langsung").count() == 1
    assert all(mark.marked_on_device_at is not None for mark in marks)
    assert all(mark.marked_on_device_at <= mark.marked_at for mark in marks)
