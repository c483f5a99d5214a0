"""Testimonies in the portal (included under the stories' address, /cerita/testimoni/)."""

from django.urls import path

from impact.testimonies import views

urlpatterns = [
    path("", views.testimony_list, name="testimony-list"),
    path("baru/", views.testimony_create, name="testimony-create"),
    path("<int:pk>/", views.testimony_detail, name="testimony-detail"),
    path("<int:pk>/ubah/", views.testimony_edit, name="testimony-edit"),
    path("<int:pk>/persetujuan/", views.testimony_consent_add, name="testimony-consent-add"),
    path("<int:pk>/terbitkan/", views.testimony_publish, name="testimony-publish"),
    path("<int:pk>/jadikan-cerita/", views.testimony_promote, name="testimony-promote"),
]
