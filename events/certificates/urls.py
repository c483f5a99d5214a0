"""The certificates of one event, for its managers (included under the event's address)."""

from django.urls import path

from events.certificates import views

urlpatterns = [
    path("", views.certificate_list, name="certificates"),
    path("terbitkan/", views.certificates_issue_view, name="certificates-issue"),
    path(
        "peserta/<int:participant_pk>/terbitkan/",
        views.certificate_issue_view,
        name="certificate-issue",
    ),
    path("<int:certificate_pk>/cabut/", views.certificate_revoke_view, name="certificate-revoke"),
    path(
        "<int:certificate_pk>/sertifikat.pdf",
        views.certificate_download,
        name="certificate-download",
    ),
    path("semua.<str:fmt>", views.certificates_download, name="certificates-download"),
]
