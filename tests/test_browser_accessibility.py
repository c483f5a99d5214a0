"""The main pages in Chromium: no Content-Security-Policy violation, no serious or critical
axe-core finding, touch targets of at least 44 px on a phone (issue 9, item 13 and the
"Headers" guard).

axe-core is vendored and pinned in ``tests/assets/axe-core-4.10.3`` (no CDN). It is added to
every page as an init script, which the browser runs outside the page's policy, so the pages
are tested under their real Content-Security-Policy.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.text import slugify

from tests import factories
from tests.browser import PHONE, WAIT_MS, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "assets" / "axe-core-4.10.3" / "axe.min.js"
LAPTOP = {"width": 1280, "height": 800}

# Every violation the browser reports, kept by the page itself (an init script runs before the
# page's own scripts, and is not subject to its policy).
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def main_pages(world) -> list[tuple[str | None, str, dict]]:
    """(who, address, viewport) of the pages people use most."""
    province = f"{world.province.code}-{slugify(world.province.name)}"
    library = reverse(
        "public:library",
        kwargs={
            "code": world.province.code,
            "slug": slugify(world.province.name),
            "pk": world.library.pk,
            "library_slug": slugify(world.library.name),
        },
    )
    consultant = world.consultant.username
    librarian = world.village_librarian.username
    return [
        (None, "/", PHONE),
        (None, "/provinsi/", PHONE),
        (None, f"/provinsi/{province}/", PHONE),
        (None, f"/provinsi/{province}/", LAPTOP),
        (None, library, PHONE),
        (None, "/akun/masuk/", PHONE),
        (consultant, "/beranda/", PHONE),
        (consultant, f"/acara/{world.event.pk}/", PHONE),
        (consultant, f"/acara/sesi/{world.session.pk}/", PHONE),
        (consultant, "/dasbor-nasional/", PHONE),
        (consultant, "/dasbor-nasional/", LAPTOP),
        (consultant, f"/perpustakaan/{world.library.pk}/", PHONE),
        (consultant, f"/laporan/indikator/provinsi/{world.province.code}/", PHONE),
        (librarian, "/beranda/", PHONE),
        (librarian, "/cerita/baru/", PHONE),
        (librarian, f"/cerita/{world.story.pk}/ubah/", PHONE),
        (librarian, "/laporan/kegiatan/baru/", PHONE),
        (librarian, f"/laporan/kegiatan/{world.activity.pk}/ubah/", PHONE),
    ]


@pytest.fixture
def visit(chromium, live_server):
    """Opens ``address`` as ``who`` at ``viewport`` with axe-core and the violation listener."""
    contexts = {}

    def open_page(who, address, viewport):
        key = (who, viewport["width"])
        if key not in contexts:
            context = chromium.new_context(
                viewport=viewport, base_url=live_server.url, locale="id-ID"
            )
            context.set_default_timeout(WAIT_MS)
            context.add_init_script(script=LISTEN_FOR_VIOLATIONS)
            context.add_init_script(path=str(AXE))
            page = context.new_page()
            page.console_messages = []
            messages = page.console_messages
            page.on("console", lambda message, messages=messages: messages.append(message.text))
            if who:
                sign_in(page, who, PASSWORD)
            contexts[key] = page
        page = contexts[key]
        page.console_messages.clear()
        page.goto(address)
        page.wait_for_load_state("load")
        return page

    yield open_page
    for page in contexts.values():
        page.context.close()


def _csp_problems(page) -> list[str]:
    found = list(page.evaluate("window.__cspViolations"))
    found += [text for text in page.console_messages if "Content Security Policy" in text]
    return found


def _axe_problems(page) -> list[str]:
    result = page.evaluate(
        """() => axe.run(document, {
             runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                             "best-practice"]},
             resultTypes: ["violations"],
           })"""
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]


def test_main_pages_break_no_content_security_policy_rule(world, visit):
    problems = []
    for who, address, viewport in main_pages(world):
        page = visit(who, address, viewport)
        problems += [f"{who} {address} {viewport['width']}: {p}" for p in _csp_problems(page)]
    # The administration, the printable pages and the certificate pages too.
    staff = [
        "/admin/",
        f"/admin/impact/story/{world.story.pk}/change/",
        f"/admin/impact/story/{world.story.pk}/history/",
        f"/admin/libraries/library/{world.library.pk}/change/",
        f"/acara/sesi/{world.session.pk}/daftar-hadir/",
        f"/acara/{world.event.pk}/sertifikat/",
        f"/cerita/{world.story.pk}/kartu/",
    ]
    for address in staff:
        page = visit(world.perpusnas.username, address, PHONE)
        problems += [f"staff {address}: {p}" for p in _csp_problems(page)]
    assert not problems, "\n".join(problems)


def test_main_pages_have_no_serious_accessibility_problem(world, visit):
    problems = []
    for who, address, viewport in main_pages(world):
        page = visit(who, address, viewport)
        problems += [f"{who} {address} {viewport['width']}: {p}" for p in _axe_problems(page)]
    assert not problems, "\n".join(problems)


#: What a finger taps: buttons, links drawn as buttons, form fields.
TAP_TARGETS = (
    "main button:not(.btn-close), main .btn, main input:not([type=hidden]):not([type=checkbox])"
    ":not([type=radio]), main select, main .form-check, header .navbar-toggler"
)


def test_touch_targets_are_at_least_44_px_high_on_a_phone(world, visit):
    problems = []
    for who, address, viewport in main_pages(world):
        if viewport is not PHONE:
            continue
        page = visit(who, address, viewport)
        small = page.evaluate(
            """(selector) => Array.from(document.querySelectorAll(selector))
                 .filter((el) => el.offsetParent !== null)
                 .filter((el) => !el.closest("[hidden], details:not([open])"))
                 .map((el) => [el.outerHTML.slice(0, 90), el.getBoundingClientRect().height])
                 .filter(([html, height]) => height > 0 && height < 44)""",
            TAP_TARGETS,
        )
        problems += [f"{who} {address}: {height:.0f} px {html}" for html, height in small]
    assert not problems, "\n".join(problems)


def test_the_attendance_search_stays_in_reach_while_scrolling(world, visit):
    for number in range(30):
        factories.participant(f"Peserta {number:02d}", world.library, event=world.event)
    page = visit(world.consultant.username, f"/acara/sesi/{world.session.pk}/", PHONE)
    search = page.get_by_label("Cari orang (dua huruf nama atau perpustakaan)")

    # Halfway down a roster of 31 people.
    page.locator(".roster-row").nth(20).scroll_into_view_if_needed()

    box = search.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
