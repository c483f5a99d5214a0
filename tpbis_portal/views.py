import hashlib
import logging
import re

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.models import Count
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import csrf as django_csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from impact.notifications import unread_notices
from libraries.models import Library
from libraries.scope import Scope
from libraries.storage import PRIVATE
from tpbis_portal.cache import ResilientRedisCache
from tpbis_portal.forms import LoginForm

logger = logging.getLogger(__name__)


@require_GET
def home(request):
    return render(request, "home.html")


@require_GET
def health(request):
    """For load balancers and uptime checks; also the benchmark's trivial baseline page."""
    return render(request, "health.html")


def _check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


def _check_cache() -> bool | None:
    cache = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(cache, ResilientRedisCache):
        return None  # each process's own memory: nothing to reach
    cache.ping()
    return True


def _check_storage() -> bool | None:
    storage = storages[PRIVATE]
    if isinstance(storage, FileSystemStorage):
        return None  # the local disk
    storage.listdir("")  # the bucket exists and answers the portal's keys
    return True


READINESS_CHECKS = {"database": _check_database, "cache": _check_cache, "storage": _check_storage}


@require_GET
@never_cache
def ready(request):
    """For the load balancer: 200 when this host reaches what it serves from, else 503.

    The body names each check ("ok", "failed", or "skipped" when the service is not
    configured) and nothing else: reasons go to the log, where no visitor reads them.
    """
    checks = {}
    for name, check in READINESS_CHECKS.items():
        try:
            passed = check()
        except Exception:
            logger.exception("Readiness check %s failed", name)
            passed = False
        checks[name] = "skipped" if passed is None else "ok" if passed else "failed"
    failed = "failed" in checks.values()
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", "checks": checks},
        status=503 if failed else 200,
    )


@login_required
@require_GET
def dashboard(request):
    """The signed-in user's starting page: what is in their scope, by level."""
    libraries = Library.objects.visible_to(request.user)
    by_level = dict(
        libraries.values_list("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    levels = [(label, by_level.get(value, 0)) for value, label in Library.Level.choices]
    return render(
        request,
        "dashboard.html",
        {
            "levels": levels,
            "library_total": sum(by_level.values()),
            "scope": Scope.for_user(request.user),
            "own_library": request.user.library if request.user.library_id else None,
            "notices": unread_notices(request.user),
        },
    )


class PortalLoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class HttpResponsePermanentRedirectKeepingMethod(HttpResponseRedirectBase):
    """308: like 301, but the browser sends the same method and body to the new address."""

    status_code = 308


def moved(request, rest: str, *, prefix: str):
    """An address under a prefix the portal no longer uses: the same path under the new one.

    GET answers 301; a form sent from a page opened before the move gets 308, so the browser
    sends it again, unchanged, to the new address.
    """
    url = prefix + rest
    if query := request.META.get("QUERY_STRING"):
        url = f"{url}?{query}"
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(url)
    return HttpResponsePermanentRedirectKeepingMethod(url)


def csrf_failure(request, reason=""):
    """Django's page for a refused CSRF token, marked so that a script's queue knows the
    item was not refused for what it holds (the page was old or the user signed in again)."""
    response = django_csrf.csrf_failure(request, reason=reason)
    response.csrf_failure = True  # type: ignore[attr-defined]
    return response


@require_GET
@never_cache
def service_worker(request):
    """The portal's service worker, served from the site root so that it may cover every page
    and the sign-in and sign-out requests (which clear the cached pages)."""
    precache = [
        static("vendor/bootstrap-5.3.8/bootstrap.min.css"),
        static("vendor/bootstrap-5.3.8/bootstrap.bundle.min.js"),
        static("css/portal.css"),
        static("js/attendance.js"),
        static("js/offline-queue.js"),
        static("js/offline-queue-ui.js"),
        static("js/offline-forms.js"),
        static("js/photo-shrink.js"),
        static("js/story-autosave.js"),
    ]
    script = render_to_string(
        "events/service_worker.js",
        {
            # A new release (new static files) is a new worker with a new cache.
            "version": hashlib.sha256("|".join(precache).encode()).hexdigest()[:12],
            "precache": precache,
            "queue_script": static("js/offline-queue.js"),
            "static_prefix": static(""),
            "session_paths": [reverse("logout"), reverse("login")],
            # Attendance pages opened before events moved from /kegiatan/ to /acara/ may be
            # cached under their old address; they still open offline.
            "offline_pages": [
                re.escape(reverse("events:list") + "sesi/") + r"\d+/",
                re.escape("/kegiatan/sesi/") + r"\d+/",
                re.escape(reverse("reporting:activity-create")),
                re.escape(reverse("impact:create")),
            ],
        },
    )
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    """The web app manifest: the portal can be installed to a phone's home screen, where the
    browser keeps its storage (and the waiting items) longer."""
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    response = JsonResponse(
        {
            "name": _("TPBIS Portal"),
            "short_name": "TPBIS",
            "description": _(
                "Monitoring portal of the Social Inclusion-Based Library Transformation "
                "programme (TPBIS) of the National Library of Indonesia."
            ),
            "lang": request.LANGUAGE_CODE,
            "start_url": reverse("dashboard"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b4f6c",
            "icons": icons,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Type"] = "application/manifest+json"
    return response
