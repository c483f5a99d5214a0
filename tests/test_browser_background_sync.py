"""Background Sync sends what waits in the queue even when no page of the portal is open
(issue 12): the sync event is fired through Chromium's DevTools protocol, as the browser fires
it when the connection returns."""

import time

import pytest
from django.urls import reverse

from events.models import Attendance
from tests import factories
from tests.browser import WAIT_MS, sign_in_before, wait_for_server, wait_until
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The tag the portal registers (static/js/offline-queue.js) and its worker listens for.
SYNC_TAG = "tpbis-queue"


def _wait_for(page, check, what: str) -> None:
    """Wait until ``check()`` holds, letting the protocol's events arrive meanwhile."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"Never happened within {WAIT_MS} ms: {what}")
        page.wait_for_timeout(100)


def test_a_queued_mark_is_sent_by_the_sync_event_with_no_page_of_the_portal_open(
    phone_page, live_server, consultant, plm, plm_day_one, village_library
):
    person = factories.participant("Peserta Sinkron", village_library, event=plm)
    page = phone_page
    context = page.context
    sign_in_before(page, "konsultan.kaltim", PASSWORD)
    page.goto(reverse("events:attendance", args=[plm_day_one.pk]))
    wait_until(
        page,
        "navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller))",
    )
    wait_until(page, "TpbisQueue.storedUser().then(Boolean)")

    # The mark cannot reach the portal: it waits in the queue.
    mark_url = live_server.url + reverse("events:mark", args=[plm_day_one.pk])
    context.route(mark_url, lambda route: route.abort("internetdisconnected"))
    page.locator(f"#p-{person.pk} .roster-button").click()
    page.get_by_text("1 belum terkirim").wait_for()
    wait_until(
        page, "TpbisQueue.list().then(items => items.length === 1 && items[0].state === 'waiting')"
    )

    # The DevTools protocol, from a blank tab of the same browser: no page of the portal is
    # open once the attendance page is closed, so nothing but the worker can send.
    blank = context.new_page()
    cdp = context.new_cdp_session(blank)
    registrations: dict[str, dict] = {}
    versions: dict[str, dict] = {}
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.update(
            {item["registrationId"]: item for item in event["registrations"]}
        ),
    )
    cdp.on(
        "ServiceWorker.workerVersionUpdated",
        lambda event: versions.update({item["versionId"]: item for item in event["versions"]}),
    )
    cdp.send("ServiceWorker.enable")

    def portal_registration() -> str | None:
        for registration_id, item in registrations.items():
            active = any(
                version["registrationId"] == registration_id and version["status"] == "activated"
                for version in versions.values()
            )
            if item["scopeURL"].startswith(live_server.url) and not item["isDeleted"] and active:
                return registration_id
        return None

    _wait_for(blank, lambda: portal_registration() is not None, "the portal's worker is listed")
    page.close()
    context.unroute(mark_url)
    blank.wait_for_timeout(1000)  # what a closed page might still send would arrive meanwhile
    assert not Attendance.objects.exists()

    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": portal_registration(),
            "tag": SYNC_TAG,
            "lastChance": False,
        },
    )

    wait_for_server(blank, lambda: Attendance.objects.filter(participant=person).exists())
    mark = Attendance.objects.get(participant=person)
    assert mark.marked_by == consultant
    assert mark.marked_on_device_at is not None
    # Sent once: a second sync event finds nothing left to send.
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": portal_registration(),
            "tag": SYNC_TAG,
            "lastChance": True,
        },
    )
    later = context.new_page()
    later.goto(reverse("events:attendance", args=[plm_day_one.pk]))
    wait_until(later, "TpbisQueue.list().then(items => items.length === 0)")
    assert Attendance.objects.filter(participant=person).count() == 1
