from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from libraries.http import wants_json


class LanguageMiddleware:
    """Serve Bahasa Indonesia unless the visitor chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so most
    phones and laptops set to English would never see the portal's default language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class CompressionMiddleware(GZipMiddleware):
    """Django's gzip, for text only: photos, PDFs and workbooks are compressed already.

    Against BREACH, Django pads each compressed answer with random bytes, and every CSRF token
    in a page is masked afresh for each answer.
    """

    COMPRESSIBLE = (
        "text/",
        "application/json",
        "application/javascript",
        "application/manifest+json",
        "application/xml",
        "image/svg+xml",
    )

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(self.COMPRESSIBLE):
            return response
        return super().process_response(request, response)


class JsonErrorMiddleware:
    """Refusals answered as JSON to scripts, so an offline queue can tell them apart.

    A queued item is sent again later unless the answer says it never will be accepted. The
    script must tell three outcomes apart: signed out (401 here, instead of a redirect to the
    sign-in page), a permanent refusal with its reason (400, 403, 404, 405, 409, 413: the item
    leaves the queue and is shown with the reason) and a passing failure (5xx, 408, 429,
    no connection: sent again). Views that answer JSON themselves keep their answer.
    """

    REFUSALS = {
        400: _("The portal could not read this request."),
        403: _("You may not do this (has your role or the object changed?)."),
        404: _("Not found: it was removed or is not in your area."),
        405: _("This address does not accept this kind of request."),
        409: _("Someone else changed this in the meantime."),
        413: _("The request is too large."),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not wants_json(request):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code in (301, 302, 303, 307, 308):
            target = urlsplit(response.get("Location", "")).path
            if target == resolve_url(settings.LOGIN_URL):
                return self._answer(
                    401,
                    _("You are signed out. Sign in again: what is waiting stays on this device."),
                    signed_out=True,
                )
            return response
        message = self.REFUSALS.get(response.status_code)
        if message is None:
            return response
        if getattr(response, "csrf_failure", False):
            # Not a refusal of the item: the queue keeps it and sends it from a fresh page.
            return self._answer(
                403, _("The page is out of date: reload it and try again."), csrf=True
            )
        return self._answer(response.status_code, message)

    @staticmethod
    def _answer(status: int, message: str, **extra) -> JsonResponse:
        response = JsonResponse({"ok": False, "status": status, "error": str(message), **extra})
        response.status_code = status
        return response
