from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.i18n import set_language

from events import views as event_views
from tpbis_portal import forms, views
from tpbis_portal.overview import sitemaps
from tpbis_portal.overview.urls import dashboard_urlpatterns, moved_story_urlpatterns

auth_patterns = [
    path("masuk/", views.PortalLoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "kata-sandi/ubah/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "kata-sandi/ubah/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "kata-sandi/reset/",
        auth_views.PasswordResetView.as_view(form_class=forms.QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "kata-sandi/reset/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "kata-sandi/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "kata-sandi/reset/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

# Events were at /kegiatan/ (the word the activities use, under /laporan/). Bookmarks and phones
# that opened the attendance page before the move still use the old addresses. The mark
# endpoint answers there itself, because the offline queue reads a redirect as a lost session
# and would keep its marks; the service worker too, so that an old registration updates in
# place. Everything else redirects to the same path under /acara/.
moved_event_patterns = [
    path("sesi/<int:pk>/tandai/", event_views.attendance_mark_view),
    path("sw.js", views.service_worker),
    re_path(r"^(?P<rest>.*)$", views.moved, {"prefix": "/acara/"}),
]

urlpatterns = [
    path("", views.home, name="home"),
    # Served from the root so that it may cover every page; also where the attendance page
    # registered it before (/acara/sw.js, /kegiatan/sw.js), so old registrations update.
    path("sw.js", views.service_worker, name="service-worker"),
    path("acara/sw.js", views.service_worker),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("beranda/", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("health/ready/", views.ready, name="ready"),
    path("akun/", include(auth_patterns)),
    path("bahasa/", set_language, name="set_language"),
    path("perpustakaan/", include("libraries.urls")),
    path("provinsi/", include("tpbis_portal.overview.urls")),
    path("dasbor-nasional/", include((dashboard_urlpatterns, "dashboard"))),
    path(
        "sitemap.xml",
        sitemaps.sitemap_index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap_section,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("cerita/", include(moved_story_urlpatterns)),
    path("cerita/", include("impact.urls")),
    path("produk/", include("impact.products.urls")),
    path("laporan/", include("libraries.reporting.urls")),
    path("acara/", include("events.urls")),
    path("ekspor/", include("tpbis_portal.exports.urls")),
    path("kegiatan/", include(moved_event_patterns)),
    # Printed in the QR code of every attendance certificate: this address must not move.
    path("sertifikat/", include("events.certificates.public_urls")),
    path("admin/", admin.site.urls),
]
