from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from tpbis_portal import public_views, views
from tpbis_portal.public_urls import dashboard_urlpatterns
from tpbis_portal.sitemaps import SITEMAPS

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
    path("kata-sandi/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
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

urlpatterns = [
    path("", views.home, name="home"),
    path("beranda/", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("akun/", include(auth_patterns)),
    path("bahasa/", set_language, name="set_language"),
    path("perpustakaan/", include("libraries.urls")),
    path("provinsi/", include("tpbis_portal.public_urls")),
    path("dasbor-nasional/", include((dashboard_urlpatterns, "dashboard"))),
    path(
        "sitemap.xml",
        public_views.sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_views.sitemap_section,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", public_views.robots_txt, name="robots"),
    path("cerita/", include("impact.urls")),
    path("laporan/", include("libraries.reporting_urls")),
    path("kegiatan/", include("events.urls")),
    # Printed in the QR code of every attendance certificate: this address must not move.
    path("sertifikat/", include("events.certificates.public_urls")),
    path("admin/", admin.site.urls),
]
