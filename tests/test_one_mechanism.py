"""One mechanism per concern: a second way of asking the same question must not come back.

The permission vocabulary lives on ``libraries.scope.Scope`` (``can_report``, ``can_review``,
``manages_province()``, ``reports_for()``, ...). These tests read the source of the apps and
their templates, so a new ``may_*`` helper, an inline ``scope.province_codes`` test or a role
check in a view fails here with the file and line to fix.
"""

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
