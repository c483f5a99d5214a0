from django.urls import path

from impact.products import views

app_name = "products"

urlpatterns = [
    path("", views.product_list, name="list"),
    path("baru/", views.product_create, name="create"),
    path("ekspor.<str:fmt>", views.product_export, name="export"),
    path("<int:pk>/", views.product_detail, name="detail"),
    path("<int:pk>/ubah/", views.product_edit, name="edit"),
    path("<int:pk>/hapus/", views.product_delete, name="delete"),
    path("<int:pk>/foto/", views.product_photo_set, name="photo-set"),
    path("<int:pk>/foto/hapus/", views.product_photo_remove, name="photo-remove"),
    path("<int:pk>/foto/<str:size>/", views.product_photo, name="photo-file"),
    path("<int:pk>/persetujuan/", views.product_consent_add, name="consent-add"),
    path("persetujuan/<int:pk>/tarik/", views.product_consent_withdraw, name="consent-withdraw"),
    path("persetujuan/<int:pk>/formulir/", views.product_consent_file, name="consent-file"),
    path("acara/<int:pk>/", views.event_products, name="event"),
    path("acara/<int:pk>/pameran/", views.exhibitions_save, name="exhibitions"),
    path("acara/<int:pk>/tawaran/<int:product_pk>/", views.offer_add, name="offer-add"),
    path("tawaran/", views.offer_list, name="offers"),
    path("tawaran/ekspor.<str:fmt>", views.offer_export, name="offer-export"),
    path("tawaran/<int:pk>/tindak-lanjut/", views.offer_follow_up, name="offer-follow-up"),
]
