"""A weak connection often fails while the browser still says it is online: at the attendance
page a mark or a walk-in whose send fails (no connection, no answer in time, a server error) is
kept in the queue and arrives once later (issue 12)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Attendance, Participant
from tests import factories
from tests.browser import sign_in_before, wait_for_server, wait_until
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(consultant, plm, village_library):
    return [
        factories.participant(f"Peserta {number}", village_library, event=plm)
        for number in range(3)
    ]


def _place(locator) -> tuple[float, float]:
    """Where a control is on the page (not in the window, which scrolls)."""
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY]; }"
    )


def _open_attendance(page, session):
    sign_in_before(page, "konsultan.kaltim", PASSWORD)
    page.goto(reverse("events:attendance", args=[session.pk]))
    wait_until(
        page,
        "navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller))",
    )


def test_marks_whose_send_fails_while_online_wait_and_arrive_once(
    phone_page, live_server, consultant, plm, plm_day_one, people
):
    page = phone_page
    context = page.context
    _open_attendance(page, plm_day_one)
    mark_url = live_server.url + reverse("events:mark", args=[plm_day_one.pk])
    # A request without an answer counts as failed after this long (30 s on a real phone).
    page.evaluate("TpbisQueue.timeoutMs = 1500")
    button = page.locator(f"#p-{people[0].pk} .roster-button")
    before = _place(button)

    # One handler for the marks' address, switched from one failure to the next without a gap
    # through which a retry could slip.
    failure = ["connection reset"]
    hanging = []

    def fail(route):
        if failure[0] == "connection reset":
            route.abort("connectionreset")
        elif failure[0] == "server error":
            route.fulfill(status=503, body="Service Unavailable")
        elif failure[0] == "no answer":
            hanging.append(route)
        else:
            route.continue_()

    context.route(mark_url, fail)
    # The connection breaks on the way (the browser still reports being online).
    button.click()
    page.get_by_text("1 belum terkirim").wait_for()
    # The server fails.
    failure[0] = "server error"
    page.locator(f"#p-{people[1].pk} .roster-button").click()
    page.get_by_text("2 belum terkirim").wait_for()
    # No answer comes at all.
    failure[0] = "no answer"
    page.locator(f"#p-{people[2].pk} .roster-button").click()
    page.get_by_text("3 belum terkirim").wait_for()
    wait_until(page, "TpbisQueue.list().then(items => items.every(i => i.state === 'waiting'))")

    assert page.evaluate("navigator.onLine") is True
    assert page.locator(".roster-row.is-present").count() == 3
    assert not Attendance.objects.exists()
    # The bar at the bottom never moved the button under the finger.
    assert _place(button) == before

    # The portal answers again: the queue sends the marks by itself, once each.
    failure[0] = ""
    for route in hanging:
        route.abort("timedout")
    wait_until(
        page, "document.getElementById('sync-status').classList.contains('d-none')", timeout=90_000
    )
    wait_for_server(page, lambda: Attendance.objects.count() == 3)
    page.evaluate("TpbisQueue.flush()")
    marks = Attendance.objects.filter(session=plm_day_one)
    assert marks.count() == 3
    assert set(marks.values_list("participant_id", flat=True)) == {p.pk for p in people}
    # Sent from the queue, like marks made offline, with the time of the tap.
    assert marks.filter(source=Attendance.Source.OFFLINE).count() == 3
    assert all(mark.marked_on_device_at <= mark.marked_at for mark in marks)


def test_a_walk_in_whose_send_fails_while_online_is_kept_and_added_once(
    phone_page, live_server, consultant, plm, plm_day_one, people, village_library
):
    page = phone_page
    context = page.context
    _open_attendance(page, plm_day_one)
    walk_in_url = live_server.url + reverse("events:walk-in", args=[plm_day_one.pk])
    context.route(walk_in_url, lambda route: route.abort("connectionreset"))

    page.locator("#walk-in summary").click()
    page.get_by_label("Nama", exact=True).fill("Rina Datang Langsung")
    page.get_by_label("Perempuan").check()
    page.locator("[name='walkin-library']").select_option(str(village_library.pk))
    page.get_by_role("button", name="Tambahkan dan tandai hadir").click()

    page.get_by_text("Rina Datang Langsung: tersimpan di perangkat ini").wait_for()
    assert page.evaluate("navigator.onLine") is True
    expect(page.locator("#queue-count")).to_have_text("1")
    assert not Participant.objects.filter(name="Rina Datang Langsung").exists()

    context.unroute(walk_in_url)
    page.get_by_text("Rina Datang Langsung: ditambahkan dan ditandai hadir").wait_for(
        timeout=90_000
    )
    expect(page.locator("#queue-toggle")).to_be_hidden()
    page.evaluate("TpbisQueue.flush()")
    assert Participant.objects.filter(name="Rina Datang Langsung").count() == 1
    assert Attendance.objects.filter(participant__name="Rina Datang Langsung").count() == 1


def test_a_walk_in_sent_with_a_connection_appears_on_the_list_at_once(
    phone_page, live_server, consultant, plm, plm_day_one, people, village_library
):
    page = phone_page
    _open_attendance(page, plm_day_one)

    page.locator("#walk-in summary").click()
    page.get_by_label("Nama", exact=True).fill("Budi Datang Langsung")
    page.get_by_label("Laki-laki").check()
    page.locator("[name='walkin-library']").select_option(str(village_library.pk))
    page.get_by_role("button", name="Tambahkan dan tandai hadir").click()

    wait_for_server(page, lambda: Participant.objects.filter(name="Budi Datang Langsung").exists())
    participant = Participant.objects.get(name="Budi Datang Langsung")
    page.locator(f"#p-{participant.pk}.is-present").wait_for()
    assert Attendance.objects.filter(participant=participant).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
