from django.urls import path, re_path

from tpbis_portal.overview import dashboards, moved, opendata, products, public, stories

app_name = "public"

# Everything public hangs under its province (see addresses.py): the Kemendagri code followed
# by the name, e.g. /provinsi/21-kepulauan-riau/; a missing or outdated name redirects to the
# current one.
PROVINCE = r"^(?P<code>\d{2})(?:-(?P<slug>[-a-z0-9]*))?/"

urlpatterns = [
    path("", public.province_index, name="provinces"),
    path("cerita/", stories.story_index, name="stories"),
    path("data-terbuka/", opendata.open_data, name="open-data"),
    path("data-terbuka/kamus-data.csv", opendata.data_dictionary, name="open-data-dictionary"),
    path(
        "data-terbuka/tpbis-indonesia.csv",
        opendata.national_data,
        {"fmt": "csv"},
        name="open-data-csv",
    ),
    path(
        "data-terbuka/tpbis-indonesia.xlsx",
        opendata.national_data,
        {"fmt": "xlsx"},
        name="open-data-xlsx",
    ),
    re_path(PROVINCE + r"$", public.province_detail, name="province"),
    re_path(PROVINCE + r"data\.csv$", opendata.province_data, {"fmt": "csv"}, name="province-csv"),
    re_path(
        PROVINCE + r"data\.xlsx$", opendata.province_data, {"fmt": "xlsx"}, name="province-xlsx"
    ),
    # A kab/kota: its Kemendagri code (NN.NN, the province's code first) and its name.
    re_path(
        PROVINCE + r"kab/(?P<regency_code>\d{2}\.\d{2})(?:-(?P<regency_slug>[-a-z0-9]*))?/$",
        public.regency_detail,
        name="regency",
    ),
    re_path(
        PROVINCE + r"perpustakaan\.csv$",
        opendata.province_libraries_csv,
        name="province-libraries-csv",
    ),
    re_path(
        PROVINCE + r"perpustakaan/(?P<pk>\d+)(?:-(?P<library_slug>[-a-z0-9]*))?/$",
        public.library_detail,
        name="library",
    ),
    re_path(PROVINCE + r"cerita/$", stories.province_stories, name="province-stories"),
    re_path(PROVINCE + r"cerita/(?P<pk>\d+)/$", stories.story_detail, name="story"),
    re_path(PROVINCE + r"produk/$", products.province_products, name="province-products"),
    re_path(PROVINCE + r"cerita/(?P<pk>\d+)/kartu/$", stories.story_card, name="story-card"),
    re_path(
        PROVINCE + r"cerita/(?P<pk>\d+)/kartu/pdf/$",
        stories.story_card_pdf,
        name="story-card-pdf",
    ),
    # The library page's address before it named its kind.
    re_path(
        PROVINCE + r"(?P<pk>\d+)-(?P<library_slug>[-a-z0-9]*)/$",
        moved.library_moved,
        name="library-moved",
    ),
]

# The public story pages' addresses before they moved under the province (under /cerita/).
moved_story_urlpatterns = [
    path("publik/", moved.story_index_moved),
    re_path(r"^provinsi/(?P<code>\d{2})/$", moved.province_stories_moved),
    path("baca/<int:pk>/", moved.story_moved),
]

dashboard_urlpatterns = [
    path("", dashboards.national, name="national"),
    re_path(r"^(?P<code>\d{2})/$", dashboards.province, name="province"),
    re_path(
        r"^(?P<code>\d{2})/(?P<regency_code>\d{2}\.\d{2})/$",
        dashboards.regency,
        name="regency",
    ),
    # A library, including the provincial library that belongs to no kab/kota.
    re_path(
        r"^(?P<code>\d{2})/perpustakaan/(?P<pk>\d+)/$",
        dashboards.library,
        name="library",
    ),
]
