import time
import uuid

import pytest
from django.urls import reverse

from events.models import Attendance
from events.services import attendance_mark
from tests import factories
from tests.browser import sign_in_before, wait_for_server, wait_until
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roster(consultant, plm, village_library, berau_village_library):
    people = []
    for number in range(24):
        library = village_library if number % 2 else berau_village_library
        people.append(
            factories.participant(
                f"Peserta {number:02d}", library, gender="F" if number % 3 else "M", event=plm
            )
        )
    return people


def _pending(page) -> str:
    box = page.locator("#sync-status")
    return page.locator("#pending-count").inner_text() if box.is_visible() else "0"


def _tap(page, person):
    page.locator(f"#p-{person.pk} .roster-button").click()
    page.locator(f"#p-{person.pk}.is-present").wait_for()


def test_marks_survive_a_cut_connection_and_an_offline_reload_without_doubling(
    laptop_page, live_server, consultant, plm, plm_day_one, roster
):
    page = laptop_page
    context = page.context
    url = reverse("events:attendance", args=[plm_day_one.pk])
    sign_in_before(page, "konsultan.kaltim", PASSWORD)
    page.goto(url)
    wait_until(
        page,
        "navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller))",
    )
    # The page keeps an offline copy of itself once the worker runs.
    wait_until(page, "caches.match(location.pathname).then(Boolean)")

    # Fifteen people marked online, found by typing two letters of their name first.
    for person in roster[:15]:
        page.get_by_label("Cari orang (dua huruf nama atau perpustakaan)").fill(person.name[-4:])
        _tap(page, person)
    page.get_by_label("Cari orang (dua huruf nama atau perpustakaan)").fill("")
    wait_until(page, "document.getElementById('sync-status').classList.contains('d-none')")
    assert Attendance.objects.active().filter(session=plm_day_one).count() == 15

    # The connection drops: five more are accepted on screen and queued. Chromium re-applies
    # its offline emulation to a reloaded page a moment late, so the marks' own address is cut
    # as well: no mark may slip through while "offline".
    mark_url = live_server.url + reverse("events:mark", args=[plm_day_one.pk])
    context.route(mark_url, lambda route: route.abort("internetdisconnected"))
    went_offline_at = time.time() * 1000
    context.set_offline(True)
    for person in roster[15:20]:
        _tap(page, person)
    page.get_by_text("5 belum terkirim").wait_for()

    # A reload without connection opens the cached page with the queue and the sent marks.
    page.reload()
    # Rendered before the connection dropped: the copy the browser kept, not a new page.
    assert int(page.locator("#attendance").get_attribute("data-rendered-at")) < went_offline_at
    page.get_by_text("5 belum terkirim").wait_for()
    assert page.locator(".roster-row.is-present").count() == 20
    assert page.locator("[data-count='total']").inner_text() == "20"
    assert Attendance.objects.active().filter(session=plm_day_one).count() == 15

    # Back online: the queue is sent and empties.
    context.unroute(mark_url)
    context.set_offline(False)
    wait_until(
        page, "document.getElementById('sync-status').classList.contains('d-none')", timeout=20_000
    )

    marks = Attendance.objects.filter(session=plm_day_one)
    assert marks.count() == 20
    assert marks.filter(revoked_at__isnull=True).count() == 20
    assert set(marks.values_list("participant_id", flat=True)) == {p.pk for p in roster[:20]}
    assert marks.filter(source=Attendance.Source.OFFLINE).count() == 5
    # A fresh page from the server agrees.
    page.reload()
    assert page.locator("[data-count='total']").inner_text() == "20"


def test_a_tap_marks_without_reload_and_undo_is_kept_in_history(
    phone_page, live_server, consultant, plm, plm_day_one, roster
):
    page = phone_page
    sign_in_before(page, "konsultan.kaltim", PASSWORD)
    page.goto(reverse("events:attendance", args=[plm_day_one.pk]))
    person = roster[0]

    page.locator(f"#p-{person.pk} .roster-button").dblclick()
    page.locator(f"#p-{person.pk}").get_by_text("ditandai oleh").wait_for()
    assert Attendance.objects.filter(participant=person).count() == 1

    # Undo is a separate control at the other end of the row.
    page.locator(f"#p-{person.pk} .roster-undo").click()
    wait_until(page, f"document.getElementById('p-{person.pk}').dataset.marked === '0'")
    # The row changes at the tap; the undo reaches the server through the queue.
    wait_for_server(page, lambda: not Attendance.objects.active().filter(participant=person))
    assert Attendance.objects.filter(participant=person, revoked_by=consultant).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_two_taps_apart_leave_the_person_marked_and_say_already_present(
    phone_page, live_server, consultant, plm, plm_day_one, roster
):
    """Issue 9, item 10: "Hadir" used to turn into "Batalkan" in the same place, so two taps
    0.9 s apart marked and silently undid."""
    page = phone_page
    sign_in_before(page, "konsultan.kaltim", PASSWORD)
    page.goto(reverse("events:attendance", args=[plm_day_one.pk]))
    person = roster[0]
    row = page.locator(f"#p-{person.pk}")
    button = row.locator(".roster-button")
    before = button.bounding_box()

    button.click()
    row.get_by_text("ditandai oleh").wait_for()
    assert "sudah hadir" not in row.inner_text()
    page.wait_for_timeout(900)  # the second tap of the report, 0.9 s after the first
    button.click()

    row.get_by_text("sudah hadir").wait_for()
    assert row.get_attribute("data-marked") == "1"
    assert page.locator("#roster-notice").inner_text() == f"{person.name}: sudah hadir"
    # The same button in the same place, reading "✓ Hadir"; undo is elsewhere.
    assert button.bounding_box() == before
    assert button.inner_text().startswith("✓ Hadir")
    undo = row.locator(".roster-undo").bounding_box()
    assert undo["y"] >= before["y"] + before["height"] or undo["x"] + undo["width"] <= before["x"]
    wait_until(page, "document.getElementById('sync-status').classList.contains('d-none')")
    assert Attendance.objects.active().filter(participant=person).count() == 1
    assert Attendance.objects.filter(participant=person).count() == 1


def test_a_mark_made_elsewhere_shows_who_made_it(
    laptop_page, live_server, consultant, perpusnas, plm, plm_day_one, roster
):
    attendance_mark(
        actor=perpusnas, session=plm_day_one, participant=roster[3], client_id=uuid.uuid4()
    )
    page = laptop_page
    sign_in_before(page, "konsultan.kaltim", PASSWORD)
    page.goto(reverse("events:attendance", args=[plm_day_one.pk]))

    row = page.locator(f"#p-{roster[3].pk}")
    assert "ditandai oleh" in row.inner_text()
    assert page.locator("[data-count='total']").inner_text() == "1"
