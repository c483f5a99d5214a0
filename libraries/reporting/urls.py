from django.urls import path

from libraries.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.activity_list, name="activity-list"),
    path("kegiatan/baru/", views.activity_create, name="activity-create"),
    path("kegiatan/impor/", views.activity_import, name="activity-import"),
    path(
        "kegiatan/impor/konfirmasi/",
        views.activity_import_confirm,
        name="activity-import-confirm",
    ),
    path(
        "kegiatan/impor/templat.xlsx",
        views.activity_import_template,
        name="activity-import-template",
    ),
    path("kegiatan/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("kegiatan/<int:pk>/ubah/", views.activity_edit, name="activity-edit"),
    path("kegiatan/<int:pk>/hapus/", views.activity_remove, name="activity-delete"),
    path("kegiatan/<int:pk>/bukti/", views.evidence_create, name="evidence-add"),
    path("bukti/<int:pk>/", views.evidence_file, name="evidence-file"),
    path(
        "bukti/<int:pk>/kecil/",
        views.evidence_file,
        {"thumbnail": True},
        name="evidence-thumbnail",
    ),
    path("bukti/<int:pk>/hapus/", views.evidence_remove, name="evidence-delete"),
    path("pengunjung/", views.visitor_counts, name="visitors"),
    path("pengunjung/<int:pk>/hapus/", views.visitor_count_remove, name="visitor-delete"),
    path("kemitraan/", views.partnerships, name="partnerships"),
    path("kemitraan/<str:kind>/baru/", views.partnership_create, name="partnership-create"),
    path(
        "kemitraan/<str:kind>/<int:pk>/hapus/",
        views.partnership_remove,
        name="partnership-delete",
    ),
    path(
        "kemitraan/<str:kind>/<int:pk>/dokumen/",
        views.partnership_document,
        name="partnership-document",
    ),
    path("indikator/", views.indicators_home, name="indicators"),
    path("indikator/nasional/", views.indicators, name="indicators-nation"),
    path("indikator/nasional/ekspor.<str:fmt>", views.indicators, name="indicators-nation-export"),
    path(
        "indikator/provinsi/<str:key>/",
        views.indicators,
        {"level": "province"},
        name="indicators-province",
    ),
    path(
        "indikator/provinsi/<str:key>/ekspor.<str:fmt>",
        views.indicators,
        {"level": "province"},
        name="indicators-province-export",
    ),
    path(
        "indikator/kab-kota/<str:key>/",
        views.indicators,
        {"level": "regency"},
        name="indicators-regency",
    ),
    path(
        "indikator/kab-kota/<str:key>/ekspor.<str:fmt>",
        views.indicators,
        {"level": "regency"},
        name="indicators-regency-export",
    ),
    path(
        "indikator/perpustakaan/<int:key>/",
        views.indicators,
        {"level": "library"},
        name="indicators-library",
    ),
    path(
        "indikator/perpustakaan/<int:key>/ekspor.<str:fmt>",
        views.indicators,
        {"level": "library"},
        name="indicators-library-export",
    ),
    path("peringkat/", views.ranking_home, name="ranking-home"),
    path("peringkat/<str:code>/", views.ranking, name="ranking"),
    path("peringkat/<str:code>/ekspor.<str:fmt>", views.ranking, name="ranking-export"),
    path("target/", views.targets, name="targets"),
    path("target/baru/", views.target_edit, name="target-create"),
    path("target/<int:pk>/ubah/", views.target_edit, name="target-edit"),
    path("target/<int:pk>/hapus/", views.target_remove, name="target-delete"),
    path("ambang-warna/", views.threshold_edit, name="threshold-edit"),
    path("ekspor/<str:dataset>.<str:fmt>", views.export, name="export"),
]
