from django.urls import path

from libraries.reporting.views import (
    activities,
    exports,
    indicators,
    partnerships,
    rankings,
    visitors,
)

app_name = "reporting"

urlpatterns = [
    path("", activities.activity_list, name="activity-list"),
    path("kegiatan/baru/", activities.activity_create, name="activity-create"),
    path("kegiatan/impor/", activities.activity_import, name="activity-import"),
    path(
        "kegiatan/impor/konfirmasi/",
        activities.activity_import_confirm,
        name="activity-import-confirm",
    ),
    path(
        "kegiatan/impor/templat.xlsx",
        activities.activity_import_template,
        name="activity-import-template",
    ),
    path(
        "kegiatan/impor/ditolak.<str:fmt>",
        activities.activity_import_refused,
        name="activity-import-refused",
    ),
    path("kegiatan/<int:pk>/", activities.activity_detail, name="activity-detail"),
    path("kegiatan/<int:pk>/ubah/", activities.activity_edit, name="activity-edit"),
    path("kegiatan/<int:pk>/hapus/", activities.activity_delete, name="activity-delete"),
    path("kegiatan/<int:pk>/bukti/", activities.evidence_create, name="evidence-add"),
    path("bukti/<int:pk>/", activities.evidence_file, name="evidence-file"),
    path(
        "bukti/<int:pk>/kecil/",
        activities.evidence_file,
        {"thumbnail": True},
        name="evidence-thumbnail",
    ),
    path("bukti/<int:pk>/hapus/", activities.evidence_delete, name="evidence-delete"),
    path("pengunjung/", visitors.visitor_counts, name="visitors"),
    path("pengunjung/<int:pk>/hapus/", visitors.visitor_count_delete, name="visitor-count-delete"),
    path("kemitraan/", partnerships.partnerships, name="partnerships"),
    path("kemitraan/<str:kind>/baru/", partnerships.partnership_create, name="partnership-create"),
    path(
        "kemitraan/<str:kind>/<int:pk>/hapus/",
        partnerships.partnership_delete,
        name="partnership-delete",
    ),
    path(
        "kemitraan/<str:kind>/<int:pk>/dokumen/",
        partnerships.partnership_document,
        name="partnership-document",
    ),
    path("indikator/", indicators.indicators_home, name="indicators"),
    path("indikator/nasional/", indicators.indicators, name="indicators-nation"),
    path(
        "indikator/nasional/ekspor.<str:fmt>",
        indicators.indicators,
        name="indicators-nation-export",
    ),
    path(
        "indikator/provinsi/<str:key>/",
        indicators.indicators,
        {"level": "province"},
        name="indicators-province",
    ),
    path(
        "indikator/provinsi/<str:key>/ekspor.<str:fmt>",
        indicators.indicators,
        {"level": "province"},
        name="indicators-province-export",
    ),
    path(
        "indikator/kab-kota/<str:key>/",
        indicators.indicators,
        {"level": "regency"},
        name="indicators-regency",
    ),
    path(
        "indikator/kab-kota/<str:key>/ekspor.<str:fmt>",
        indicators.indicators,
        {"level": "regency"},
        name="indicators-regency-export",
    ),
    path(
        "indikator/perpustakaan/<int:key>/",
        indicators.indicators,
        {"level": "library"},
        name="indicators-library",
    ),
    path(
        "indikator/perpustakaan/<int:key>/ekspor.<str:fmt>",
        indicators.indicators,
        {"level": "library"},
        name="indicators-library-export",
    ),
    path("peringkat/", rankings.ranking_home, name="ranking-home"),
    path("peringkat/<str:code>/", rankings.ranking, name="ranking"),
    path("peringkat/<str:code>/ekspor.<str:fmt>", rankings.ranking, name="ranking-export"),
    path("target/", indicators.targets, name="targets"),
    path("target/baru/", indicators.target_edit, name="target-create"),
    path("target/<int:pk>/ubah/", indicators.target_edit, name="target-edit"),
    path("target/<int:pk>/hapus/", indicators.target_delete, name="target-delete"),
    path("ambang-warna/", indicators.threshold_edit, name="threshold-edit"),
    path("ekspor/<str:dataset>.<str:fmt>", exports.export, name="export"),
]
