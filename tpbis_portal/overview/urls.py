from django.urls import path, re_path

from tpbis_portal.overview import dashboards as dashboard_views
from tpbis_portal.overview import opendata
from tpbis_portal.overview import public as public_views

app_name = "public"

# A province is addressed by its Kemendagri code followed by its name, e.g.
# /provinsi/21-kepulauan-riau/; a missing or outdated name redirects to the current one.
PROVINCE = r"^(?P<code>\d{2})(?:-(?P<slug>[-a-z0-9]*))?/"

urlpatterns = [
    path("", public_views.province_index, name="provinces"),
    re_path(PROVINCE + r"$", public_views.province_detail, name="province"),
    re_path(PROVINCE + r"data\.csv$", opendata.province_csv, name="province-csv"),
    re_path(
        PROVINCE + r"(?P<pk>\d+)-(?P<library_slug>[-a-z0-9]*)/$",
        public_views.library_detail,
        name="library",
    ),
]

dashboard_urlpatterns = [
    path("", dashboard_views.national, name="national"),
    re_path(r"^(?P<code>\d{2})/$", dashboard_views.province, name="province"),
    re_path(
        r"^(?P<code>\d{2})/(?P<regency_code>\d{2}\.\d{2})/$",
        dashboard_views.regency,
        name="regency",
    ),
    # A library, including the provincial library that belongs to no kab/kota.
    re_path(
        r"^(?P<code>\d{2})/perpustakaan/(?P<pk>\d+)/$",
        dashboard_views.library,
        name="library",
    ),
]
