"""The portal's own address, for links that leave it (emails).

``SITE_URL`` names it. Where it is not set, a link made while serving a request uses the host
that request came in on (already checked against ``ALLOWED_HOSTS``); the deployment check
asks for ``SITE_URL`` so that links made outside a request are absolute too.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.checks import Tags, Warning, register

_current_request = ContextVar("current_request", default=None)


class CurrentRequestMiddleware:
    """Remembers the request being served, for ``absolute_url``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``) as an address that works from an email."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    request = _current_request.get()
    if request is not None:
        return request.build_absolute_uri(path)
    return path


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    if settings.SITE_URL:
        return []
    return [
        Warning(
            "SITE_URL is not set.",
            hint=(
                "Set SITE_URL to the portal's address (e.g. https://tpbis.perpusnas.go.id): "
                "links in emails sent outside a request would otherwise have no host."
            ),
            id="libraries.W001",
        )
    ]
