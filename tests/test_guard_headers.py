"""Headers: a strict Content-Security-Policy and a Permissions-Policy on every page.

The resolver is walked (``tests/urlwalk.py``) and every pattern is opened with GET, with the
real ids of ``tests/world.py``, as Perpusnas staff (who see every page, the administration
included), as a village librarian (the story and activity forms) and as an anonymous visitor
(the public pages, the sign-in page, refusals). Every answer carries both headers, and every
HTML page is free of what the policy refuses: a ``<script>`` with a body, an ``on*=``
attribute, a ``javascript:`` address, a ``<style>`` element or a ``style`` attribute (the
administration's one hashed exception aside, see ``CONTENT_SECURITY_POLICY`` in the settings).
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

from tests.test_guard_urls import PATTERNS, classify, request
from tests.urlwalk import build_url, kwarg_choices

#: Script types that only hold data (``json_script``); the browser never runs them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def _hash(value: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(value.encode()).digest()).decode() + "'"


class InlineCode(HTMLParser):
    """Collects what a strict policy would refuse to run or apply."""

    def __init__(self, allowed_style_hashes: set[str]):
        super().__init__(convert_charrefs=True)
        self.allowed_style_hashes = allowed_style_hashes
        self.found: list[str] = []
        self._script: str | None = None  # the tag of a <script> without src being read
        self._body = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and _hash(value or "") not in self.allowed_style_hashes:
                self.found.append(f"<{tag} style={value!r}>")
        if tag == "style":
            self.found.append("<style> element")
        script_type = (attributes.get("type") or "").lower()
        if tag == "script" and not attributes.get("src") and script_type not in DATA_SCRIPT_TYPES:
            self._script, self._body = tag, ""

    def handle_data(self, data):
        if self._script:
            self._body += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script:
            if self._body.strip():
                self.found.append(f"<script> with a body: {self._body.strip()[:60]!r}")
            self._script = None


def inline_code(html: str) -> list[str]:
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    parser = InlineCode(set(directives.get("style-src-attr", [])))
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_policy_allows_nothing_inline_and_nothing_from_elsewhere():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for directive in ("default-src", "script-src", "style-src", "connect-src", "font-src"):
        assert directives[directive] == ["'self'"], directive
    assert "'unsafe-inline'" not in str(directives)
    assert "'unsafe-eval'" not in str(directives)
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert settings.PERMISSIONS_POLICY["geolocation"] == []
    assert settings.PERMISSIONS_POLICY["microphone"] == []
    assert settings.PERMISSIONS_POLICY["camera"] == ["self"]


def test_the_parser_finds_every_kind_of_inline_code():
    page = """<html><body style="color: red"><style>p {}</style>
        <script>alert(1)</script><script src="/static/x.js"></script>
        <script type="application/json" id="d">{"a": 1}</script>
        <button onclick="go()">x</button><a href="javascript:go()">y</a>
        <p class="paginator" style="border-top: 0"></p></body></html>"""

    found = inline_code(page)

    assert found == [
        "<body style='color: red'>",
        "<style> element",
        "<script> with a body: 'alert(1)'",
        "<button onclick=...>",
        "<a href='javascript:go()'>",
    ]


@pytest.fixture
def pages(world, client_for):
    """Every address of the portal with the client of a user who may open it."""
    clients = {
        "perpusnas": client_for(world.perpusnas),
        "village librarian": client_for(world.village_librarian),
        "anonymous": Client(),
    }
    found = []
    for pattern in PATTERNS:
        if classify(pattern) is None:
            continue  # reported by test_guard_urls
        for kwargs in kwarg_choices(world, pattern) or []:
            found.append((pattern, build_url(pattern, kwargs)))
    return clients, found


def test_every_page_sends_the_policies_and_has_no_inline_code(world, pages):
    clients, addresses = pages
    problems = []
    html_pages = 0
    for pattern, url in addresses:
        for role, client in clients.items():
            if client.session.get("_auth_user_id") is None and role != "anonymous":
                client.force_login(
                    world.perpusnas if role == "perpusnas" else world.village_librarian
                )  # signed out by the previous request (logout)
            response, _changed = request(client, "GET", url)
            where = f"{role} GET {url} ({pattern.view}): {response.status_code}"
            csp = response.get("Content-Security-Policy", "")
            if "script-src 'self'" not in csp or "unsafe-inline" in csp:
                problems.append(f"{where}: Content-Security-Policy {csp!r}")
            if "geolocation=()" not in response.get("Permissions-Policy", ""):
                problems.append(f"{where}: no Permissions-Policy")
            if response.get("Content-Type", "").startswith("text/html") and not getattr(
                response, "streaming", False
            ):
                html_pages += 1
                for finding in inline_code(response.content.decode()):
                    problems.append(f"{where}: {finding}")
    assert not problems, "\n".join(sorted(set(problems)))
    assert html_pages > 100  # the walk did reach the pages


@pytest.mark.parametrize("status", [404, 500])
def test_error_pages_send_the_policies_and_have_no_inline_code(client, status):
    from django.template.loader import render_to_string

    html = render_to_string(f"{status}.html")

    assert inline_code(html) == []
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=(self)" in response["Permissions-Policy"]
