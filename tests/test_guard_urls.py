"""Every URL, every role: a view that forgets its scope fails here by itself.

The resolver is walked (the admin included) and every pattern is requested with the real ids of
one object of every kind in Kalimantan Timur (``tests/world.py``), with GET and, where the view
takes it, POST, as:

- an anonymous visitor: the sign-in page, 404 or 403, unless the view is on ``PUBLIC``;
- an outsider (the consultant of Kepulauan Riau): 404 or 403 for an address naming an object of
  Kalimantan Timur; a page without such an object (a list, a form to create) may answer, but
  shows nothing of Kalimantan Timur;
- a read-only role (someone who sees the object but may not change it, ``WRITES``): 404 or 403
  on every write.

Public pages and every page the outsider may open must not show a word marked secret
(``tests.world.SECRET``): names, story text, reports. No POST of these roles may change a row.
A pattern whose view is in none of the lists below, or whose address the world cannot fill,
fails the test: classify it.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.urlwalk import Pattern, build_url, kwarg_choices, walk
from tests.world import SECRET, count_rows

#: Anyone may open these; they still must not show a secret word.
PUBLIC = {
    "tpbis_portal.home": "the portal's front page",
    "tpbis_portal.health": "uptime checks and the benchmark's baseline",
    "tpbis_portal.robots_txt": "for search engines",
    "tpbis_portal.PortalLoginView": "signing in",
    "django.LogoutView": "signing out ends one's own session only",
    "django.PasswordResetView": "asking for a reset link by e-mail",
    "django.PasswordResetDoneView": "says the link was sent",
    "django.PasswordResetConfirmView": "needs the token from the e-mail",
    "django.PasswordResetCompleteView": "says the password was reset",
    "django.set_language": "the language switch",
    "django.login": "the administration's sign-in page",
    "django.logout": "signing out of the administration",
    "django.index": "sitemap of the public pages",
    "django.sitemap": "sitemap of the public pages",
    "tpbis_portal.province_index": "public index of provinces (aggregates)",
    "tpbis_portal.province_detail": "public province page (aggregates, consented stories)",
    "tpbis_portal.province_data": "open data of a province (aggregates, small counts hidden)",
    "tpbis_portal.regency_detail": "public kab/kota page (aggregates, consented stories)",
    "tpbis_portal.open_data": "the open-data page: files, dictionary, licence, suppression rule",
    "tpbis_portal.national_data": "national open data (aggregates, small counts hidden)",
    "tpbis_portal.data_dictionary": "the open data's dictionary: column names and meanings",
    "tpbis_portal.province_libraries_csv": "open data: a province's active libraries, no persons",
    "tpbis_portal.library_detail": "public page of a participating library",
    "tpbis_portal.service_worker": "the offline script; it holds no data",
    "tpbis_portal.manifest": "the web app manifest: names and icons only",
    "tpbis_portal.ready": "readiness for the load balancer: names checks, never their details",
    "tpbis_portal.story_index": "published stories, by province",
    "tpbis_portal.province_stories": "published stories of a province",
    "tpbis_portal.story_detail": "a published story (consented parts only)",
    "tpbis_portal.story_card": "the printable card of a published story",
    "tpbis_portal.story_card_pdf": "the printable card of a published story",
    "tpbis_portal.moved": "old event addresses: a redirect to the new one",
    "tpbis_portal.story_index_moved": "old public story address: a redirect",
    "tpbis_portal.province_stories_moved": "old public story address: a redirect",
    "tpbis_portal.story_moved": "old public story address: a redirect while the story is public",
    "tpbis_portal.library_moved": "old public library address: a redirect",
    "events.certificate_lookup": "anyone types a certificate's code to check it",
    "events.certificate_verify": "confirms a certificate: name, event, dates and issuer only",
    "tpbis_portal.province_products": "a province's products whose producers consented",
}

#: Signed-in pages that name no object in their address: lists, dashboards, exports and forms
#: whose content is the user's own scope.
SCOPED_PAGES = {
    "tpbis_portal.dashboard",
    "django.PasswordChangeView",
    "django.PasswordChangeDoneView",
    "libraries.library_list",
    "libraries.library_export",
    "tpbis_portal.national",
    "impact.story_list",
    "impact.testimony_list",
    "impact.notices_read_all",
    "libraries.activity_list",
    "libraries.activity_import_template",
    "libraries.partnerships",
    "libraries.publication_list",
    "libraries.report_card_home",
    "libraries.indicators_home",
    "libraries.ranking_home",
    "libraries.targets",
    "libraries.export",
    "events.event_list",
    "impact.product_list",
    "impact.product_export",
    "impact.offer_list",
    "impact.offer_export",
    "tpbis_portal.export_list",
}

#: Pages that show one object (or area) named in the address to those in its scope.
READS = {
    "libraries.library_detail",
    "tpbis_portal.province",
    "tpbis_portal.regency",
    "tpbis_portal.library",
    "events.event_detail",
    "events.attendance_export",
    "impact.story_detail",
    "impact.testimony_detail",
    "impact.photo_file",
    "impact.consent_file",
    "impact.card",
    "impact.card_pdf",
    "libraries.activity_detail",
    "libraries.evidence_file",
    "libraries.partnership_document",
    "libraries.indicators",
    "libraries.report_card",
    "libraries.ranking",
    "impact.product_detail",
    "impact.product_photo",
    "impact.product_consent_file",
    "impact.event_products",
    # An export job is its owner's alone: everyone else, in scope or not, gets 404.
    "tpbis_portal.export_detail",
    "tpbis_portal.export_download",
}

#: Views that change something: who in the scope sees the object but may not change it
#: through this view (None: everyone who sees it may act, for the reason given), and whether
#: GET is a page that person may read.
WRITES = {
    "libraries.library_edit": ("district_librarian", False),
    "events.event_create_view": ("village_librarian", False),
    "events.event_edit": ("village_librarian", False),
    "events.event_invitations": ("village_librarian", False),
    "events.session_create": ("village_librarian", False),
    "events.facilitator_create": ("village_librarian", False),
    "events.facilitator_remove": ("village_librarian", False),
    "events.session_edit": ("village_librarian", False),
    "events.certificate_list": ("village_librarian", False),
    "events.certificates_issue_view": ("village_librarian", False),
    "events.certificate_issue_view": ("village_librarian", False),
    "events.certificate_revoke_view": ("village_librarian", False),
    "events.certificate_download": ("village_librarian", False),
    "events.certificates_download": ("village_librarian", False),
    "events.participant_import": ("village_librarian", False),
    "events.participant_import_confirm": ("village_librarian", False),
    "events.participant_import_refused": ("village_librarian", False),
    "events.problem_create": ("village_librarian", False),
    "events.problem_follow_up": ("village_librarian", False),
    "events.award_create": ("village_librarian", False),
    "events.award_delete": ("village_librarian", False),
    "events.attendance": ("village_librarian", False),
    "events.attendance_mark_view": ("village_librarian", False),
    "events.walk_in": ("village_librarian", False),
    "events.sign_sheet": ("village_librarian", False),
    "impact.story_create": ("consultant", False),
    "impact.bulk_action": ("village_librarian", False),
    "impact.story_edit": ("consultant", False),
    "impact.story_autosave": ("consultant", False),
    "impact.photo_add": ("consultant", False),
    "impact.photo_remove": ("consultant", False),
    "impact.notice_read": (None, "a person marks their own notice read; anyone else gets 404"),
    "impact.consent_add": ("consultant", False),
    "impact.story_transition": (None, "the writer submits, reviewers decide: the service checks"),
    "impact.selection_add": (None, "kab/kota panels are district librarians or reviewers"),
    "impact.consent_withdraw": (None, "the writer or a reviewer records a withdrawal"),
    "impact.testimony_create": ("consultant", False),
    "impact.testimony_edit": ("consultant", False),
    "impact.testimony_consent_add": ("consultant", False),
    "impact.testimony_promote": ("consultant", False),
    "impact.testimony_publish": ("village_librarian", False),
    "libraries.activity_create": ("consultant", False),
    "libraries.activity_edit": ("consultant", False),
    "libraries.activity_delete": ("consultant", False),
    "libraries.evidence_create": ("consultant", False),
    "libraries.evidence_delete": ("consultant", False),
    "libraries.activity_import": ("consultant", False),
    "libraries.activity_import_confirm": ("consultant", False),
    "libraries.activity_import_refused": ("consultant", False),
    "libraries.visitor_counts": ("consultant", True),
    "libraries.visitor_count_delete": ("consultant", False),
    "libraries.partnership_create": ("consultant", False),
    "libraries.partnership_delete": ("consultant", False),
    "libraries.target_edit": ("consultant", False),
    "libraries.target_delete": ("consultant", False),
    "libraries.threshold_edit": ("consultant", False),
    "libraries.publication_create": ("consultant", False),
    "libraries.publication_edit": ("consultant", False),
    "libraries.publication_delete": ("consultant", False),
    "libraries.report_card_settings": ("consultant", False),
    "impact.product_create": ("consultant", False),
    "impact.product_edit": ("consultant", False),
    "impact.product_delete": ("consultant", False),
    "impact.product_photo_set": ("consultant", False),
    "impact.product_photo_remove": ("consultant", False),
    "impact.product_consent_add": ("consultant", False),
    "impact.product_consent_withdraw": (None, "the producer's librarian or a consultant"),
    "impact.exhibitions_save": ("village_librarian", False),
    "impact.offer_add": ("village_librarian", False),
    "impact.offer_follow_up": ("village_librarian", False),
}

#: Old addresses that send every method on to the new one (308 keeps a form's or an offline
#: replay's method and body), so they take every method by design.
REDIRECT_EVERY_METHOD = {"tpbis_portal.moved"}

OBJECT_KWARGS = {
    "pk",
    "key",
    "code",
    "regency_code",
    "object_id",
    "facilitator_pk",
    "problem_pk",
    "award_pk",
    "participant_pk",
    "certificate_pk",
    "product_pk",
    "content_type_id",
}
PATTERNS = walk()


def body_text(response) -> str:
    content = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if content[:2] == b"PK":  # XLSX: the words are in the zipped XML
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")


def is_sign_in(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(reverse("login")) or location.startswith(reverse("admin:login"))
    )


def request(client: Client, method: str, url: str):
    """One request inside a savepoint that is rolled back: no role's request may change the
    world seen by the next, and a forbidden write shows as changed row counts."""
    with transaction.atomic():
        before = count_rows() if method == "POST" else None
        response = client.generic(method, url)
        changed = method == "POST" and count_rows() != before
        transaction.set_rollback(True)
    return response, changed


def methods_of(pattern: Pattern, client: Client, url: str) -> list[str]:
    """GET and POST as far as the view takes them (an unknown method tells, with 405)."""
    if pattern.is_admin:
        return ["GET", "POST"]
    response, _changed = request(client, "PATCH", url)
    if response.status_code != 405:
        return ["GET", "POST"]
    allowed = {method.strip() for method in response["Allow"].split(",")}
    return [method for method in ("GET", "POST") if method in allowed]


def classify(pattern: Pattern) -> str | None:
    if pattern.view in PUBLIC:
        return "public"
    if pattern.is_admin:
        return "admin"
    for kind, names in (
        ("public", PUBLIC),
        ("scoped", SCOPED_PAGES),
        ("read", READS),
        ("write", WRITES),
    ):
        if pattern.view in names:
            return kind
    return None


def test_every_pattern_is_classified_and_its_address_can_be_filled(world):
    problems = []
    for pattern in PATTERNS:
        if classify(pattern) is None:
            problems.append(f"{pattern.route} ({pattern.view}): not classified")
        elif kwarg_choices(world, pattern) is None:
            problems.append(f"{pattern.route} ({pattern.view}): the world cannot fill its address")
    assert not problems, "\n".join(problems)


def test_every_view_of_the_portal_declares_its_methods(world, client_for):
    """A method the view does not take answers 405, before anything else happens."""
    client = client_for(world.perpusnas)
    problems = []
    for pattern in PATTERNS:
        if pattern.is_admin or pattern.view.startswith("django.") or classify(pattern) is None:
            continue
        if getattr(pattern.pattern.callback, "view_class", None):
            continue  # class-based views answer 405 for what they do not define
        if pattern.view in REDIRECT_EVERY_METHOD:
            continue
        for kwargs in kwarg_choices(world, pattern) or []:
            url = build_url(pattern, kwargs)
            response, _changed = request(client, "PATCH", url)
            if response.status_code != 405:
                problems.append(f"PATCH {url} ({pattern.view}): {response.status_code}")
            break
    assert not problems, "\n".join(problems)


def _check(pattern, kind, role, method, url, response, changed) -> str | None:
    status = response.status_code
    where = f"{role} {method} {url} ({pattern.view})"
    if status >= 500:
        return f"{where}: {status}"
    if changed:
        return f"{where}: changed rows"
    refused = status in (403, 404, 405) or is_sign_in(response)
    names_object = bool(OBJECT_KWARGS & set(pattern.kwarg_names))
    if pattern.model_admin is not None and not hasattr(pattern.model_admin.model, "SCOPE_PATHS"):
        names_object = False  # national settings (targets), or rights by permission (groups)
    if kind == "public":
        pass
    elif role == "anonymous":
        if not refused:
            return f"{where}: {status}, expected the sign-in page, 404 or 403"
    elif role == "outsider" and names_object and not refused:
        return f"{where}: {status}, expected 404 or 403 outside the scope"
    elif role == "read-only" and not refused:
        return f"{where}: {status}, expected 403 or 404 for a read-only role"
    if role != "read-only" and status == 200 and SECRET.lower() in body_text(response).lower():
        return f"{where}: shows a secret word of Kalimantan Timur"
    return None


def _read_only_user(world, pattern, method):
    """The in-scope user who must be refused, or None when this role is not tested here."""
    if pattern.is_admin:
        return world.village_librarian  # not staff: the admin sends them to its sign-in
    if pattern.view not in WRITES:
        return None
    user, reads = WRITES[pattern.view]
    if user is None or (method == "GET" and reads is True):
        return None
    return getattr(world, user)


@pytest.mark.parametrize("role", ["anonymous", "outsider", "read-only"])
def test_every_url_refuses_every_role_outside_its_rights(world, client_for, role):
    methods_client = client_for(world.perpusnas)
    clients = {}
    problems = []
    for pattern in PATTERNS:
        kind = classify(pattern)
        choices = kwarg_choices(world, pattern)
        if kind is None or choices is None:
            continue  # reported by the classification test
        for kwargs in choices:
            url = build_url(pattern, kwargs)
            for method in methods_of(pattern, methods_client, url):
                if role == "anonymous":
                    user = None
                elif role == "outsider":
                    user = world.outsider
                else:
                    user = _read_only_user(world, pattern, method)
                    if user is None:
                        continue
                if user not in clients:
                    clients[user] = client_for(user) if user else Client()
                client = clients[user]
                if user is not None and client.session.get("_auth_user_id") != str(user.pk):
                    client.force_login(user)  # signed out by the previous request (logout)
                response, changed = request(client, method, url)
                if response.status_code == 302 and not is_sign_in(response) and kind == "admin":
                    # The admin's bare object address only points on to the change page.
                    response, _changed = request(client, "GET", response["Location"])
                problem = _check(pattern, kind, role, method, url, response, changed)
                if problem:
                    problems.append(problem)
    assert not problems, "\n".join(problems)


def test_an_id_too_large_in_any_address_is_not_found(world, client_for):
    client = client_for(world.perpusnas)
    huge = "99999999999999999999"
    problems = []
    for pattern in PATTERNS:
        names = pattern.int_kwargs()
        choices = kwarg_choices(world, pattern)
        if not names or not choices:
            continue
        for name in names:
            url = build_url(pattern, {**choices[0], name: huge})
            for method in methods_of(pattern, client, build_url(pattern, choices[0])):
                response, _changed = request(client, method, url)
                # The admin sends a missing object back to its list (302), or refuses (403).
                expected = (404, 302, 403) if pattern.is_admin else (404,)
                if response.status_code not in expected:
                    problems.append(f"{method} {url}: {response.status_code}")
    assert not problems, "\n".join(problems)
