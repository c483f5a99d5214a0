from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
