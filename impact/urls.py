from django.urls import include, path

from impact import views

app_name = "impact"

urlpatterns = [
    path("", views.story_list, name="list"),
    path("baru/", views.story_create, name="create"),
    path("massal/", views.bulk_action, name="bulk"),
    path("<int:pk>/", views.story_detail, name="detail"),
    path("<int:pk>/ubah/", views.story_edit, name="edit"),
    path("<int:pk>/simpan/", views.story_autosave, name="autosave"),
    path("<int:pk>/status/", views.story_transition, name="transition"),
    path("<int:pk>/foto/", views.photo_add, name="photo-add"),
    path("<int:pk>/persetujuan/", views.consent_add, name="consent-add"),
    path("<int:pk>/seleksi/", views.selection_add, name="selection-add"),
    path("foto/<int:pk>/hapus/", views.photo_remove, name="photo-remove"),
    path("foto/<int:pk>/<str:size>/", views.photo_file, name="photo-file"),
    path("persetujuan/<int:pk>/tarik/", views.consent_withdraw, name="consent-withdraw"),
    path("persetujuan/<int:pk>/formulir/", views.consent_file, name="consent-file"),
    path("testimoni/", include("impact.testimonies.urls")),
    path("", include("impact.cards")),
    path("", include("impact.notices")),
]
