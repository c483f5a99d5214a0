"""The public verification page that a certificate's QR code opens. Its address is printed on
paper: keep it stable."""

from django.urls import path

from events.certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_lookup, name="lookup"),
    path("<str:code>/", views.certificate_verify, name="verify"),
]
