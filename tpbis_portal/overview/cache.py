"""The public page cache: anonymous visitors get a copy rendered for the current data version."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render

from libraries.data_version import NATIONAL, data_version
from tpbis_portal.overview.aggregates import AGGREGATE_TTL

# Stands for the visitor's CSRF token (of the language switch form) in a cached page.
_CSRF_PLACEHOLDER = "csrf-placeholder-c2c6a1f0"


def _cacheable(request) -> bool:
    """An anonymous visitor with nothing personal to show (no session, no flash message)."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def cached_public_page(*, reads: Sequence[str] = ()):
    """Serve anonymous visitors a copy of the page rendered for the current data version.

    The copy is keyed on host, language, path and the query parameters the page ``reads``, and
    on the data version token of the province in the URL (or of the country), so that a change
    through the services shows at once. Other parameters (a campaign tag, a typo) are dropped
    before the page is rendered: they neither make a copy of their own nor show in its links.
    Each visitor still gets their own CSRF token in place of the placeholder.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            query = urlencode([(name, v) for name in reads for v in request.GET.getlist(name)])
            request.GET = QueryDict(query)
            request.META["QUERY_STRING"] = query
            address = f"{request.get_host()}|{request.LANGUAGE_CODE}|{request.get_full_path()}"
            version = data_version(kwargs.get("code") or NATIONAL)
            key = f"tpbis:page:{hashlib.sha256(address.encode()).hexdigest()}:{version}"
            cached = cache.get(key)
            if cached is None:
                request.csrf_placeholder = _CSRF_PLACEHOLDER
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                if hasattr(response, "render"):
                    response.render()  # a TemplateResponse, e.g. of the sitemaps
                cached = (response.content, response["Content-Type"])
                cache.set(key, cached, AGGREGATE_TTL)
            content, content_type = cached
            token = get_token(request).encode()
            return HttpResponse(
                content.replace(_CSRF_PLACEHOLDER.encode(), token), content_type=content_type
            )

        return wrapper

    return decorator


def render_public(request, template: str, context: dict):
    placeholder = getattr(request, "csrf_placeholder", None)
    if placeholder:
        context["csrf_token"] = placeholder
    return render(request, template, context)
