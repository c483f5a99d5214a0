from django.urls import include, path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("baru/", views.event_create_view, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/ubah/", views.event_edit, name="edit"),
    path("<int:pk>/undangan/", views.event_invitations, name="invitations"),
    path("<int:pk>/sesi/baru/", views.session_create, name="session-add"),
    path("<int:pk>/fasilitator/baru/", views.facilitator_create, name="facilitator-add"),
    path(
        "<int:pk>/fasilitator/<int:facilitator_pk>/hapus/",
        views.facilitator_remove,
        name="facilitator-remove",
    ),
    path("<int:pk>/ekspor.<str:fmt>", views.attendance_export, name="export"),
    path("<int:pk>/impor/", views.participant_import, name="import"),
    path("<int:pk>/impor/konfirmasi/", views.participant_import_confirm, name="import-confirm"),
    path(
        "<int:pk>/impor/ditolak.<str:fmt>",
        views.participant_import_refused,
        name="import-refused",
    ),
    path("<int:pk>/masalah/baru/", views.problem_create, name="problem-add"),
    path(
        "<int:pk>/masalah/<int:problem_pk>/tindak-lanjut/",
        views.problem_follow_up,
        name="problem-follow-up",
    ),
    path("<int:pk>/penghargaan/baru/", views.award_create, name="award-add"),
    path("<int:pk>/penghargaan/<int:award_pk>/hapus/", views.award_delete, name="award-delete"),
    path("<int:pk>/sertifikat/", include("events.certificates.urls")),
    path("sesi/<int:pk>/", views.attendance, name="attendance"),
    path("sesi/<int:pk>/ubah/", views.session_edit, name="session-edit"),
    path("sesi/<int:pk>/tandai/", views.attendance_mark_view, name="mark"),
    path("sesi/<int:pk>/peserta-baru/", views.walk_in, name="walk-in"),
    path("sesi/<int:pk>/daftar-hadir/", views.sign_sheet, name="sign-sheet"),
]
