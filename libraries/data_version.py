"""Version tokens of the programme's data, one per province and one for the whole country.

Pages that show aggregates (public province pages, dashboards) cache them under keys that carry
the current token. A service that changes data in a province calls ``province_data_changed``,
which replaces the province's token and the national token (at once and again when the
transaction commits), so the next read computes fresh numbers while stale entries simply
expire.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

NATIONAL = "all"
_KEY = "tpbis:data-version:{}"

#: Called with the changed codes (the national one included) once a change has committed, for
#: example to rebuild the cached aggregates in the background (tpbis_portal.overview.tasks).
_after_change: list[Callable[[set[str]], None]] = []


def on_data_changed(hook: Callable[[set[str]], None]) -> None:
    """Register ``hook`` to run after every committed data change (once per process)."""
    if hook not in _after_change:
        _after_change.append(hook)


def data_version(province_code: str = NATIONAL) -> str:
    """The current token of a province (or of the country with the default)."""
    key = _KEY.format(province_code)
    token = cache.get(key)
    if token is None:
        # add() keeps a token another process may have set in the meantime.
        cache.add(key, uuid.uuid4().hex, timeout=None)
        token = cache.get(key)
    # None only while the cache cannot be reached: a token of its own makes every read a miss.
    return token or uuid.uuid4().hex


def province_data_changed(*province_codes: str) -> None:
    """Invalidate the cached aggregates and pages of these provinces and of the country.

    The tokens are replaced at once, so that the request making the change already reads fresh
    figures and pages (a withdrawn consent takes a story off the public pages in the same
    request), and again after commit: a page that another request rendered in between, from
    data not yet committed, was cached under the first new token and must not outlive it.
    """
    codes = {*province_codes, NATIONAL}
    _renew(codes)
    transaction.on_commit(lambda: _renew(codes, committed=True))


def _renew(codes: Iterable[str], *, committed: bool = False) -> None:
    cache.set_many({_KEY.format(code): uuid.uuid4().hex for code in codes}, timeout=None)
    if committed:
        for hook in _after_change:
            hook(set(codes))


def data_versions(province_codes: Iterable[str]) -> dict[str, str]:
    """The current tokens of several provinces, in one round trip when they all exist."""
    codes = list(province_codes)
    keys = {code: _KEY.format(code) for code in codes}
    found = cache.get_many(list(keys.values()))
    return {code: found[key] if key in found else data_version(code) for code, key in keys.items()}
