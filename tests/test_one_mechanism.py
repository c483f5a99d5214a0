"""One mechanism per concern: a second way of asking the same question must not come back.

The permission vocabulary lives on ``libraries.scope.Scope`` (``can_report``, ``can_review``,
``manages_province()``, ``reports_for()``, ...). These tests read the source of the apps and
their templates, so a new ``may_*`` helper, an inline ``scope.province_codes`` test or a role
check in a view fails here with the file and line to fix.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("libraries", "events", "impact", "tpbis_portal", "templates")
# The scope module defines the vocabulary; the models define the roles it reads.
OWNERS = {"libraries/scope.py"}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in (".py", ".html") or "/migrations/" in relative:
                continue
            if relative in OWNERS or relative.startswith("libraries/models/"):
                continue
            yield relative, path.read_text(encoding="utf-8")


def _offences(pattern: str) -> list[str]:
    regex = re.compile(pattern)
    return [
        f"{name}:{number}: {line.strip()}"
        for name, text in _sources()
        for number, line in enumerate(text.splitlines(), start=1)
        if regex.search(line)
    ]


@pytest.mark.parametrize(
    ("pattern", "instead"),
    [
        # Django's own ``may_have_duplicates`` (admin search) is not a permission.
        (r"\bmay_(?!have_duplicates)\w+", "a Scope property or method (can_report, reports_for)"),
        (r"\brequire_manager\b", "Scope.require(scope.manages_province(...))"),
        (r"impact\.rules|from impact import rules", "the Scope vocabulary"),
        (r"\.(province_codes|regency_codes|library_ids)\b", "sees_provinces, covers_*()"),
        (r"\bis_(perpusnas|librarian|consultant)\b", "can_publish, can_report, sees_provinces"),
    ],
)
def test_permissions_are_asked_in_one_vocabulary(pattern, instead):
    offences = _offences(pattern)
    assert not offences, f"Use {instead} instead:\n" + "\n".join(offences)


def test_the_guard_reads_real_code():
    """The patterns above would pass on an empty tree; make sure they read the apps."""
    names = [name for name, _text in _sources()]
    assert "libraries/reporting/services.py" in names
    assert "templates/base.html" in names
    assert _offences(r"\bScope\.for_user\b")


# Lists filter with django-filter (a FilterSet in the app's ``filters.py``) and page with
# ``{% querystring %}``: reading a filter straight from the address is the mechanism that must
# not come back. Reads of the address that are not a list's filter are named here, with why.
NOT_A_FILTER = {
    "page": "the page number, read by libraries.paging or Django's Paginator",
    "token": "an import's refused rows, kept in the session under this token",
    "bahasa": "the language a certificate is printed in",
    "kind": "the initial value of a create form (a testimony's or a story's kind)",
    "photo": "the initial value of the story form",
    "province__code__exact": "the admin's own list filter, which narrows the kab/kota filter",
}
# Reads that are not a filter in one file only (the same name elsewhere would be one).
NOT_A_FILTER_IN = {
    ("tpbis_portal/exports/views.py", "province"): "the initial province of the export form",
}
_GET_READ = re.compile(
    r"\bGET(?:\.get|\.getlist|\.pop)?\(\s*[\"']([^\"']+)[\"']|\bGET\[\s*[\"']([^\"']+)[\"']\]"
    r"|\bGET\[\s*(\w+)\s*\]"
)


def _filter_reads(sources) -> list[str]:
    offences = []
    for name, text in sources:
        if name.endswith("filters.py") or not name.endswith(".py"):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _GET_READ.finditer(line):
                key = match.group(1) or match.group(2)
                if key is None:
                    # ``request.GET[key]``: a variable key is allowed only over named keys.
                    if not re.search(r"for \w+ in \(([\"']\w+[\"'],?\s*)+\)", line):
                        offences.append(f"{name}:{number}: {line.strip()}")
                    continue
                if key not in NOT_A_FILTER and (name, key) not in NOT_A_FILTER_IN:
                    offences.append(f"{name}:{number}: {line.strip()}")
            if re.search(r"\bGET\.(copy|dict|items|keys|urlencode|lists)\(", line):
                offences.append(f"{name}:{number}: {line.strip()}")
    return offences


def test_lists_read_their_filters_through_a_filterset():
    offences = _filter_reads(_sources())
    assert not offences, (
        "Filter a list with a django-filter FilterSet in the app's filters.py "
        "(libraries.filtering.ListFilterSet) and keep filters in links with {% querystring %}; "
        "or, if this read is not a filter, name it in NOT_A_FILTER:\n" + "\n".join(offences)
    )


@pytest.mark.parametrize(
    "line",
    [
        'query = (request.GET.get("q") or "").strip()',
        'if request.GET.get("hadir") == "1":',
        'status = request.GET["status"]',
        "query = request.GET.copy()",
        '"query": request.GET.urlencode(),',
    ],
)
def test_the_filter_guard_catches_a_hand_written_filter(line):
    assert _filter_reads([("events/views.py", f"def view(request):\n    {line}\n")])


def test_the_filter_guard_lets_pages_and_filtersets_through():
    assert not _filter_reads(
        [
            ("events/views.py", 'page = forward_page(qs, request.GET.get("page"), 25)'),
            ("events/filters.py", 'value = request.GET.get("q")'),
        ]
    )


def _hand_written_filter_forms(sources) -> list[str]:
    """Form classes that filter a queryset themselves (a method taking the rows to narrow)."""
    offences = []
    for name, text in sources:
        if not name.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [ast.unparse(base) for base in node.bases]
            if not any(base.endswith("Form") for base in bases):
                continue
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name in ("filter", "apply", "narrow"):
                    offences.append(f"{name}:{item.lineno}: {node.name}.{item.name}()")
    return offences


def test_no_form_filters_a_list_by_hand():
    offences = _hand_written_filter_forms(_sources())
    assert not offences, (
        "A form that narrows a list is a FilterSet (libraries.filtering.ListFilterSet):\n"
        + "\n".join(offences)
    )


def test_the_filter_form_guard_catches_a_search_form_with_its_own_filter():
    source = (
        "class LibrarySearchForm(forms.Form):\n"
        "    def filter(self, libraries):\n"
        "        return libraries.filter(name__icontains=self.cleaned_data['q'])\n"
    )
    assert _hand_written_filter_forms([("tpbis_portal/overview/sections.py", source)])


# Stale edits: only libraries.versioning compares a version with the one read or raises it.
_VERSION_BY_HAND = (
    r"\.version\s*\+=|\.update\([^)]*\bversion\s*=|\.version\s*=.*\bversion\b.*\+\s*1"
    r"|\bversion\s*!=\s*[\w.]*\.version\b|\.version\s*!=\s*\w*version\b"
)


def _versions_by_hand(sources) -> list[str]:
    regex = re.compile(_VERSION_BY_HAND)
    return [
        f"{name}:{number}: {line.strip()}"
        for name, text in sources
        if name != "libraries/versioning.py"
        for number, line in enumerate(text.splitlines(), start=1)
        if regex.search(line)
    ]


def test_versions_are_checked_and_raised_by_the_one_stale_edit_check():
    offences = _versions_by_hand(_sources())
    assert not offences, (
        "Check and raise versions with libraries.versioning (edit_versioned, lock_at_version, "
        "check_version, save_next_version, next_version):\n" + "\n".join(offences)
    )


@pytest.mark.parametrize(
    "line",
    [
        "Story.objects.filter(pk=story.pk).update(version=story.version + 1)",
        "current.version += 1",
        "obj.version = (form.cleaned_data.get('seen_version') or obj.version) + 1",
        "if version is not None and version != current.version:",
    ],
)
def test_the_version_guard_catches_a_version_handled_by_hand(line):
    assert _versions_by_hand([("impact/services.py", f"def service():\n    {line}\n")])
