"""Indicators, stories and events on the public pages and the dashboard; open data; caching."""

import csv
import datetime
import io
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from events.services import attendance_mark
from impact.models import Consent, Photo, Story
from impact.services import consent_withdraw, story_transition
from libraries.models import Activity, Indicator, Library
from libraries.reporting.services import activity_record, target_save
from tests import factories
from tests.factories import StoryFactory, published_story, story_consent
from tpbis_portal.overview.addresses import story_url
from tpbis_portal.overview.aggregates import suppress_small

KEPRI = "/provinsi/21-kepulauan-riau/"
CSV = KEPRI + "data.csv"
THIS_YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def kepri(regions):
    return factories.kepri_registry()


@pytest.fixture
def barat(kepri):
    return kepri["barat"]


@pytest.fixture
def barat_librarian(barat):
    return factories.librarian("pustakawan.barat", barat)


def _text(response) -> str:
    return response.content.decode()


def _photo(story, *, shows_face=False, alt="Tas anyaman di rak perpustakaan") -> Photo:
    # The page only links the photo view; the files themselves are not read here.
    return Photo.objects.create(
        story=story,
        image=f"impact/photos/{uuid.uuid4().hex}.jpg",
        thumbnail=f"impact/thumbnails/{uuid.uuid4().hex}.jpg",
        width=800,
        height=600,
        alt_text=alt,
        shows_face=shows_face,
        uploaded_by=story.author,
    )


def _activity(library, *, male=10, female=12, when=None, strategy="engagement"):
    return factories.ActivityFactory(
        library=library,
        date=when or timezone.localdate().replace(day=1),
        participants_male=male,
        participants_female=female,
        strategy=strategy,
    )


def _csv_rows(client) -> list[dict]:
    response = client.get(CSV)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


# Key indicators


def test_province_page_shows_indicators_against_target_with_the_numbers_behind_the_colour(
    client, barat
):
    for _number in range(3):
        _activity(barat)
    factories.TargetFactory(
        indicator=Indicator.ACTIVITIES, level=Library.Level.VILLAGE, year=THIS_YEAR, per_month=1
    )
    months = timezone.localdate().month

    response = client.get(KEPRI)

    text = _text(response)
    section = next(s for s in response.context["sections"] if s.slug == "indikator")
    activities = next(
        row["value"] for row in section.context["rows"] if row["value"].indicator == "activities"
    )
    assert activities.actual == 3 and activities.target == months
    assert "Indikator utama" in text
    assert 'class="chart-gauge"' in text
    # The colour is explained by numbers: the thresholds in the page's own words.
    assert f"3 dari target {months}" in text
    assert "Hijau mulai" in text and "kuning mulai" in text
    assert activities.status_label in text
    # A participants' count by gender is shown when no group is tiny.
    assert "Laki-laki: 30" in text and "Perempuan: 36" in text


@pytest.fixture
def visitors_against_target(kepri, barat):
    """Kepulauan Riau's visitors: 74% of the target at the village library that has one, and
    more at the kab/kota library that has none (together 104% of the village's target)."""
    months = timezone.localdate().month
    month = timezone.localdate().replace(day=1)
    factories.TargetFactory(
        indicator=Indicator.VISITORS, level=Library.Level.VILLAGE, year=THIS_YEAR, per_month=1000
    )
    factories.VisitorCountFactory(library=barat, month=month, visitors=740 * months)
    factories.VisitorCountFactory(library=kepri["district"], month=month, visitors=300 * months)
    return {"measured": 740 * months, "actual": 1040 * months, "target": 1000 * months}


def _id_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def test_indicator_headline_shows_the_figure_its_colour_is_based_on(
    client, visitors_against_target
):
    figures = visitors_against_target

    response = client.get(KEPRI)

    text = _text(response)
    section = next(s for s in response.context["sections"] if s.slug == "indikator")
    visitors = next(
        row["value"] for row in section.context["rows"] if row["value"].indicator == "visitors"
    )
    assert visitors.status == "red"
    measured, target = _id_number(figures["measured"]), _id_number(figures["target"])
    assert f"<strong>{measured}</strong> / {target}" in text
    assert f"<strong>{_id_number(figures['actual'])}</strong>" not in text
    assert "1 perpustakaan bertarget" in text
    # Everything recorded stays readable, beside the figure, not as the figure.
    assert f"{_id_number(figures['actual'])} seluruhnya" in text


def test_csv_gives_the_figure_behind_each_colour_and_the_libraries_it_covers(
    client, visitors_against_target
):
    figures = visitors_against_target

    total = _csv_rows(client)[0]

    assert total["Pengunjung"] == str(figures["actual"])
    assert total["Pengunjung: dari perpustakaan bertarget"] == str(figures["measured"])
    assert total["Pengunjung: perpustakaan bertarget"] == "1"
    assert total["Pengunjung: target"] == str(figures["target"])
    assert total["Pengunjung: status"] == "Di bawah target"


def test_dashboard_rows_show_the_figure_behind_each_colour(client_for, perpusnas, kepri, barat):
    factories.TargetFactory(
        indicator=Indicator.ACTIVITIES, level=Library.Level.VILLAGE, year=THIS_YEAR, per_month=1
    )
    for _number in range(3):
        _activity(barat)
    for _number in range(11):
        _activity(kepri["district"])
    months = timezone.localdate().month

    response = client_for(perpusnas).get(reverse("dashboard:national"))

    section = next(s for s in response.context["sections"] if s.slug == "indikator")
    (kepri_row,) = [item for item in section.context["rows_by"] if item["row"].area.key == "21"]
    activities = kepri_row["values"][0]
    assert (activities.actual, activities.headline, activities.target) == (14, 3, months)
    words = " ".join(re.sub(r"<[^>]+>", " ", _text(response)).split())
    assert f"3 / {months} (1 perpustakaan bertarget)" in words
    assert f"14 / {months}" not in words


def test_small_counts_by_gender_are_hidden_on_the_province_page(client, barat):
    _activity(barat, male=2, female=14)

    text = _text(client.get(KEPRI))

    assert "Peserta: 16 seluruhnya" in text
    assert "menurut jenis kelamin: disembunyikan" in text
    assert "Laki-laki: 2" not in text and "Perempuan: 14" not in text


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ({"male": 0, "female": 0}, True),
        ({"male": 3, "female": 0}, True),
        ({"male": 40, "female": 3}, True),
        ({"male": 1, "female": 40}, False),
        ({"male": 40, "female": 2}, False),
    ],
)
def test_suppression_rule_hides_every_cell_of_a_breakdown_with_a_count_of_one_or_two(counts, shown):
    result = suppress_small(counts)

    assert (result == counts) is shown
    if not shown:
        assert set(result.values()) == {None}


# Stories


def test_province_page_shows_published_consented_stories_only(client, barat):
    public = published_story(library=barat, title="Keripik gonggong sampai Batam")
    _photo(public)
    StoryFactory(library=barat, status=Story.Status.VERIFIED, title="Cerita belum terbit")
    no_consent = StoryFactory(
        library=barat,
        status=Story.Status.PUBLISHED,
        published_at=timezone.now(),
        title="Cerita tanpa persetujuan",
    )
    withdrawn = published_story(library=barat, title="Cerita yang ditarik")
    withdrawn.consents.filter(kind=Consent.Kind.STORY_USE).update(
        withdrawn_at=timezone.now(), withdrawn_reason="Penutur berubah pikiran"
    )
    assert no_consent.pk

    response = client.get(KEPRI)

    text = _text(response)
    assert "Keripik gonggong sampai Batam" in text
    assert story_url(public) in text
    for hidden in ["Cerita belum terbit", "Cerita tanpa persetujuan", "Cerita yang ditarik"]:
        assert hidden not in text
    # Even a named storyteller is not named on the province page.
    assert "Ibu Sumiati" not in text
    assert "Baca semua 1 cerita dari provinsi ini" in text


def test_story_thumbnail_is_lazy_and_never_an_unconsented_face(client, barat):
    story = published_story(library=barat)
    face = _photo(story, shows_face=True, alt="Wajah penutur tanpa persetujuan")
    product = _photo(story, alt="Keripik dalam kemasan")

    text = _text(client.get(KEPRI))

    assert reverse("impact:photo-file", args=[product.pk, "thumb"]) in text
    assert reverse("impact:photo-file", args=[face.pk, "thumb"]) not in text
    assert 'loading="lazy"' in text
    assert "Wajah penutur" not in text


def test_face_photo_with_consent_is_the_thumbnail(client, barat):
    story = published_story(library=barat)
    face = _photo(story, shows_face=True, alt="Penutur di depan rak")
    story_consent(story, Consent.Kind.PHOTO_FACE, photo=face)

    text = _text(client.get(KEPRI))

    assert reverse("impact:photo-file", args=[face.pk, "thumb"]) in text


def test_library_page_shows_its_own_stories_and_indicators(client, kepri, barat):
    published_story(library=barat, title="Cerita dari Tanjung Pinang Barat")
    published_story(library=kepri["district"], title="Cerita dari dinas kota")
    _activity(barat)
    url = f"{KEPRI}perpustakaan/{barat.pk}-perpustakaan-kelurahan-tanjung-pinang-barat/"

    response = client.get(url)

    text = _text(response)
    assert "Cerita dari Tanjung Pinang Barat" in text
    assert "Cerita dari dinas kota" not in text
    # Recorded without a target: the report card says there is no score yet.
    assert [s.slug for s in response.context["sections"]] == [
        "indikator",
        "rapor",
        "cerita",
        "bantuan",
    ]
    assert "Ibu Sumiati" not in text


def test_library_without_records_or_targets_has_no_indicator_section(client, kepri):
    district = kepri["district"]
    url = f"{KEPRI}perpustakaan/{district.pk}-dinas-perpustakaan-kota-tanjung-pinang/"

    response = client.get(url)

    assert "indikator" not in [s.slug for s in response.context["sections"]]


def test_story_page_shares_its_first_consented_photo_as_preview(client, barat):
    story = published_story(library=barat)
    face = _photo(story, shows_face=True)
    product = _photo(story, alt="Keripik gonggong dalam kemasan")

    text = _text(client.get(story_url(story)))

    preview = "http://testserver" + reverse("impact:photo-file", args=[product.pk, "full"])
    assert f'<meta property="og:image" content="{preview}">' in text
    assert '<meta property="og:image:alt" content="Keripik gonggong dalam kemasan">' in text
    assert '<meta name="twitter:card" content="summary_large_image">' in text
    assert reverse("impact:photo-file", args=[face.pk, "full"]) not in text
    assert '<meta property="og:type" content="article">' in text


def test_story_page_without_a_public_photo_has_no_preview_image(client, barat):
    story = published_story(library=barat)
    _photo(story, shows_face=True)

    text = _text(client.get(story_url(story)))

    assert "og:image" not in text
    assert '<meta name="twitter:card" content="summary">' in text


def test_sitemap_lists_public_stories_only(client, barat):
    public = published_story(library=barat)
    draft = StoryFactory(library=barat)

    text = _text(client.get("/sitemap-stories.xml"))

    assert f"http://testserver/provinsi/21-kepulauan-riau/cerita/{public.pk}/</loc>" in text
    assert f"/cerita/{draft.pk}/" not in text


# Events


def test_province_page_lists_events_in_local_time_with_counts_and_no_names(
    client, kepri, barat, kepri_bimtek, perpusnas
):
    people = [
        factories.participant("Siti Rahmawati", barat, event=kepri_bimtek),
        factories.participant("Budi Santoso", barat, gender="M", event=kepri_bimtek),
        factories.participant(
            "Lurah Kampung Bugis", institution="Kantor Lurah", event=kepri_bimtek
        ),
    ]
    for day in kepri_bimtek.sessions.all():
        for person in people:
            attendance_mark(
                actor=perpusnas, session=day, participant=person, client_id=uuid.uuid4()
            )
    factories.event(actor=perpusnas, title="PLM Kalimantan Timur")  # another province

    text = _text(client.get(KEPRI))

    assert "Bimtek SPP-TIK Kepulauan Riau" in text
    assert "5 Juni 2023" in text and "9 Juni 2023" in text and "08:00 WIB" in text
    assert "CK Hotel Tanjungpinang" in text
    assert "3 orang hadir, dari 1 perpustakaan." in text
    assert "PLM Kalimantan Timur" not in text
    for name in ["Siti Rahmawati", "Budi Santoso", "Lurah Kampung Bugis"]:
        assert name not in text


def test_attendance_marked_through_the_service_refreshes_the_cached_page(
    client, kepri, barat, kepri_bimtek, perpusnas, django_capture_on_commit_callbacks
):
    person = factories.participant("Siti Rahmawati", barat, event=kepri_bimtek)
    assert "Belum ada kehadiran yang dicatat." in _text(client.get(KEPRI))

    with django_capture_on_commit_callbacks(execute=True):
        attendance_mark(
            actor=perpusnas,
            session=kepri_bimtek.sessions.first(),
            participant=person,
            client_id=uuid.uuid4(),
        )

    assert "1 orang hadir, dari 1 perpustakaan." in _text(client.get(KEPRI))


# Open data


def test_csv_adds_indicators_stories_and_hides_small_counts_by_gender(client, kepri, barat):
    factories.TargetFactory(
        indicator=Indicator.ACTIVITIES, level=Library.Level.VILLAGE, year=THIS_YEAR, per_month=1
    )
    _activity(barat, male=2, female=9)
    _activity(kepri["provincial"], male=30, female=40)
    published_story(library=barat)
    StoryFactory(library=barat, status=Story.Status.SUBMITTED)

    rows = _csv_rows(client)

    total, tanjung_pinang = rows
    assert total["Kode wilayah"] == "21" and tanjung_pinang["Kode wilayah"] == "21.72"
    assert total["Kegiatan"] == "2" and tanjung_pinang["Kegiatan"] == "1"
    assert tanjung_pinang["Kegiatan: target"] == str(timezone.localdate().month)
    assert tanjung_pinang["Kegiatan: status"] in {
        "Di bawah target",
        "Mendekati target",
        "Sesuai target",
    }
    assert total["Peserta"] == "81"
    assert (
        total["Cerita yang diterbitkan"] == "1" and tanjung_pinang["Cerita yang diterbitkan"] == "1"
    )
    # The province as a whole is large enough; the kab/kota row with 2 men is not.
    assert (total["Peserta laki-laki"], total["Peserta perempuan"]) == ("32", "49")
    assert (
        tanjung_pinang["Peserta laki-laki"]
        == tanjung_pinang["Peserta perempuan"]
        == "disembunyikan"
    )
    assert "dapat menunjuk seseorang" in tanjung_pinang["Catatan"]
    assert total["Catatan"] == ""
    assert total["Periode indikator"] == f"{THIS_YEAR}-01/{timezone.localdate():%Y-%m}"
    body = "".join(",".join(row.values()) for row in rows)
    for private in ["Ibu Sumiati", "Siti Aminah", "0812-3456-7890"]:
        assert private not in body


def _published_genders(client, libraries) -> dict:
    """Every participants-by-gender cell a reader gets from the CSV and the public pages."""
    from tpbis_portal.overview.addresses import library_url

    shown = {}
    rows = _csv_rows(client)
    for row in rows:
        key = (
            ("province", "21") if row["Kode wilayah"] == "21" else ("regency", row["Kode wilayah"])
        )
        for gender, column in (("male", "Peserta laki-laki"), ("female", "Peserta perempuan")):
            shown[(key, gender)] = None if row[column] == "disembunyikan" else int(row[column])
    pages = [(("province", "21"), KEPRI)] + [
        (("library", str(library.pk)), library_url(library)) for library in libraries
    ]
    for key, url in pages:
        response = client.get(url)
        section = next(s for s in response.context["sections"] if s.slug == "indikator")
        for gender in ("male", "female"):
            value = section.context["gender"][gender]
            if (key, gender) in shown:
                assert shown[(key, gender)] == value, (key, gender)
            shown[(key, gender)] = value
        text = _text(response)
        hidden = section.context["gender"]["male"] is None
        assert hidden == ("menurut jenis kelamin: disembunyikan" in text), key
    return shown


def test_no_hidden_count_comes_back_by_subtraction_from_the_open_data_and_the_pages(
    client, kepri, barat
):
    from tests.test_suppression import published, recoverable
    from tpbis_portal.overview.suppression import Place

    # Tanjung Pinang: 2 men at Tanjung Pinang Barat, 13 at the kab/kota library; 30 at the
    # provincial library. The province total minus the provincial library gives Tanjung
    # Pinang's 15 men, minus the kab/kota library's 13 gives the 2.
    _activity(barat, male=2, female=9)
    _activity(kepri["district"], male=13, female=11)
    _activity(kepri["provincial"], male=30, female=40)
    libraries = [barat, kepri["district"], kepri["provincial"]]

    shown = _published_genders(client, libraries)

    assert shown[(("library", str(barat.pk)), "male")] is None
    truth = [
        Place(("province", "21"), None, 45, 60),
        Place(("regency", "21.72"), ("province", "21"), 15, 20),
        Place(("library", str(barat.pk)), ("regency", "21.72"), 2, 9),
        Place(("library", str(kepri["district"].pk)), ("regency", "21.72"), 13, 11),
        Place(("library", str(kepri["provincial"].pk)), ("province", "21"), 30, 40),
    ]
    values, relations = published(truth)
    hidden = {cell for cell, value in shown.items() if value is None}
    assert all(shown[cell] == values[cell] for cell in shown if cell not in hidden)
    assert recoverable(values, relations, hidden) & {(("library", str(barat.pk)), "male")} == set()
    # The subtraction in particular: Tanjung Pinang's men (shown, or the province's minus the
    # provincial library's) minus the kab/kota library's.
    district = ("library", str(kepri["district"].pk))
    assert (district, "male") in hidden or (("regency", "21.72"), "male") in hidden


def test_a_withdrawn_library_s_small_count_is_not_given_back_by_the_totals(client, kepri, barat):
    from tests.test_suppression import published, recoverable
    from tpbis_portal.overview.suppression import Place

    withdrawn = kepri["withdrawn"]
    _activity(withdrawn, male=1, female=5)
    _activity(barat, male=12, female=9)
    _activity(kepri["provincial"], male=30, female=40)

    shown = _published_genders(client, [barat, kepri["provincial"]])

    truth = [
        Place(("province", "21"), None, 43, 54),
        Place(("regency", "21.72"), ("province", "21"), 13, 14),
        Place(("library", str(withdrawn.pk)), ("regency", "21.72"), 1, 5, published=False),
        Place(("library", str(barat.pk)), ("regency", "21.72"), 12, 9),
        Place(("library", str(kepri["provincial"].pk)), ("province", "21"), 30, 40),
    ]
    values, relations = published(truth)
    hidden = {cell for cell, value in shown.items() if value is None} | {
        (("library", str(withdrawn.pk)), gender) for gender in ("male", "female")
    }
    assert (
        recoverable(values, relations, hidden) & {(("library", str(withdrawn.pk)), "male")} == set()
    )


# Cache invalidation through the services


def test_publishing_and_withdrawing_a_story_refresh_the_province_page(
    client, barat, perpusnas, django_capture_on_commit_callbacks
):
    story = StoryFactory(library=barat, status=Story.Status.VERIFIED, title="Kopi robusta Bintan")
    story_consent(story)
    story_consent(story, Consent.Kind.NAMING)
    assert "Kopi robusta Bintan" not in _text(client.get(KEPRI))

    with django_capture_on_commit_callbacks(execute=True):
        story_transition(story=story, actor=perpusnas, to_status=Story.Status.PUBLISHED)
    published = _text(client.get(KEPRI))
    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(
            consent=story.consents.get(kind=Consent.Kind.STORY_USE),
            actor=perpusnas,
            reason="Penutur meminta ceritanya dihapus",
        )
    withdrawn = _text(client.get(KEPRI))

    assert "Kopi robusta Bintan" in published
    assert "Kopi robusta Bintan" not in withdrawn


def test_withdrawing_a_face_consent_takes_the_thumbnail_off_at_once(
    client, barat, perpusnas, django_capture_on_commit_callbacks
):
    story = published_story(library=barat)
    face = _photo(story, shows_face=True)
    consent = story_consent(story, Consent.Kind.PHOTO_FACE, photo=face)
    thumbnail = reverse("impact:photo-file", args=[face.pk, "thumb"])
    assert thumbnail in _text(client.get(KEPRI))

    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(consent=consent, actor=perpusnas, reason="Tidak ingin wajahnya tampil")

    assert thumbnail not in _text(client.get(KEPRI))


def test_recording_an_activity_refreshes_the_indicators(
    client, barat, barat_librarian, django_capture_on_commit_callbacks
):
    def activities(response):
        section = next(s for s in response.context["sections"] if s.slug == "indikator")
        return section.context["rows"][0]["value"].actual

    before = activities(client.get(KEPRI))
    Activity.objects.create(  # behind the services' back: not seen while cached
        library=barat, title="Tidak lewat layanan", date=timezone.localdate()
    )
    stale = client.get(KEPRI)
    with django_capture_on_commit_callbacks(execute=True):
        activity_record(
            actor=barat_librarian,
            library=barat,
            idempotency_key=uuid.uuid4(),
            title="Pelatihan jualan daring",
            date=timezone.localdate(),
            strategy="engagement",
            kind="training",
            participants_male=5,
            participants_female=7,
        )
    fresh = client.get(KEPRI)

    assert before == 0
    assert stale.context is None  # the cached copy
    assert activities(fresh) == 2


def test_a_new_target_recolours_every_province(
    client, barat, perpusnas, django_capture_on_commit_callbacks
):
    _activity(barat)
    client.get(KEPRI)

    with django_capture_on_commit_callbacks(execute=True):
        target_save(
            actor=perpusnas,
            indicator=Indicator.ACTIVITIES,
            level=Library.Level.VILLAGE,
            year=THIS_YEAR,
            cohort_year=None,
            per_month=50,
        )
    response = client.get(KEPRI)

    section = next(s for s in response.context["sections"] if s.slug == "indikator")
    assert section.context["rows"][0]["value"].status == "red"


# Dashboard


def test_dashboard_shows_indicators_by_province_and_yearly_trend(client_for, perpusnas, kepri):
    _activity(kepri["barat"])
    _activity(kepri["barat"], when=datetime.date(THIS_YEAR - 1, 3, 1))

    response = client_for(perpusnas).get(reverse("dashboard:national"))

    text = _text(response)
    indicators = next(s for s in response.context["sections"] if s.slug == "indikator")
    names = {item["row"].area.name for item in indicators.context["rows_by"]}
    assert "Kepulauan Riau" in names
    assert reverse("dashboard:province", args=["21"]) in text
    assert 'id="chart-trend-activities-title"' in text
    assert f">{THIS_YEAR - 1}</text>" in text and f">{THIS_YEAR}</text>" in text


def test_consultant_dashboard_indicators_stay_in_their_provinces(
    client_for, consultant, kepri, samarinda_library
):
    _activity(kepri["barat"])
    _activity(samarinda_library)

    response = client_for(consultant).get(reverse("dashboard:national"))

    indicators = next(s for s in response.context["sections"] if s.slug == "indikator")
    assert {item["row"].area.name for item in indicators.context["rows_by"]} == {"Kalimantan Timur"}
    assert "Kepulauan Riau" not in _text(response)


def test_dashboard_library_level_is_scoped(
    client, client_for, outsider, consultant, village_librarian, perpusnas, village_library
):
    url = reverse("dashboard:library", args=["64", village_library.pk])
    wrong_province = reverse("dashboard:library", args=["21", village_library.pk])

    assert client.get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(village_librarian).get(url).status_code == 403
    assert client_for(perpusnas).get(wrong_province).status_code == 404
    assert client_for(consultant).post(url).status_code == 405
    response = client_for(consultant).get(url)
    assert response.status_code == 200
    assert [s.slug for s in response.context["sections"]] == ["indikator", "rapor"]


def test_dashboard_year_with_bad_input_says_so_and_shows_this_year(client_for, perpusnas, kepri):
    response = client_for(perpusnas).get(reverse("dashboard:national"), {"tahun": "dulu"})

    assert response.status_code == 200
    assert "Yang ditampilkan adalah tahun berjalan." in _text(response)
    indicators = next(s for s in response.context["sections"] if s.slug == "indikator")
    assert indicators.context["period"].start == datetime.date(THIS_YEAR, 1, 1)


def test_dashboard_earlier_year_shows_that_whole_year(client_for, perpusnas, kepri):
    _activity(kepri["barat"], when=datetime.date(THIS_YEAR - 1, 3, 1))

    response = client_for(perpusnas).get(
        reverse("dashboard:province", args=["21"]), {"tahun": THIS_YEAR - 1}
    )

    indicators = next(s for s in response.context["sections"] if s.slug == "indikator")
    assert indicators.context["period"].label == str(THIS_YEAR - 1)
    assert indicators.context["rows"][0]["value"].actual == 1


# Query counts do not grow with stories, activities and events


def test_province_page_queries_stay_fixed_as_stories_activities_and_events_grow(
    client, kepri, barat, perpusnas, django_assert_num_queries
):
    from django.core.cache import cache

    for more in [0, 6]:
        for number in range(more):
            _photo(published_story(library=barat, title=f"Cerita {number}"))
            _activity(barat)
            factories.event(
                actor=perpusnas, province_code="21", title=f"SHM {number}", kind="shm_province"
            )
        cache.clear()
        # 18: the indicators count publications; the trend by year and the community products'
        # figures are one query each; 11 more for the report card (the settings, the scores of
        # the province's libraries, the names of its kab/kota), one for the trend's libraries.
        with django_assert_num_queries(30):
            assert client.get(KEPRI).status_code == 200
        with django_assert_num_queries(12):
            assert client.get("/provinsi/").status_code == 200
    assert Event.objects.filter(province="21").count() == 6
