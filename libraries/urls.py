from django.urls import path

from libraries import views

app_name = "libraries"

urlpatterns = [
    path("", views.library_list, name="list"),
    path("ekspor.<str:fmt>", views.library_export, name="export"),
    path("<int:pk>/", views.library_detail, name="detail"),
    path("<int:pk>/ubah/", views.library_edit, name="edit"),
]
