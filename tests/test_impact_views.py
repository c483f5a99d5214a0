"""Impact story pages: who reaches what, bad input, uploads, public pages."""

import datetime
import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from impact import services
from impact.models import Consent, Photo, Story
from libraries.uploads import process_image
from tests import factories
from tests.factories import StoryFactory, published_story, story_consent
from tests.test_uploads import _gps_exif, _image_bytes, _upload
from tpbis_portal.overview.addresses import story_url

GPS_IFD = 0x8825
Status = Story.Status
KALTIM_STORIES = "/provinsi/64-kalimantan-timur/cerita/"


def _url(name: str, story: Story) -> str:
    return story_url(story) if name == "public:story" else reverse(name, args=[story.pk])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def story(village_library, village_librarian):
    return StoryFactory(library=village_library, author=village_librarian)


@pytest.fixture
def berau_librarian(berau_library):
    return factories.librarian("pustakawan.berau", berau_library)


def _photo(story, *, shows_face=False):
    processed = process_image(_upload(_image_bytes(size=(800, 600))))
    photo = Photo(
        story=story,
        alt_text="Tas anyaman di rak perpustakaan",
        shows_face=shows_face,
        uploaded_by=story.author,
        width=processed.width,
        height=processed.height,
    )
    photo.image.save("p.jpg", processed.image, save=False)
    photo.thumbnail.save("t.jpg", processed.thumbnail, save=False)
    photo.save()
    return photo


def _story_data(**overrides):
    data = {
        "title": "Warung kopi yang kini punya pelanggan daring",
        "storyteller_name": "Pak Darto",
        "gender": "male",
        "age_group": "adult",
        "village": "64.72.01.1001",
        "domain": "economic",
        "life_before": "Warung sepi.",
        "involvement": "training",
        "involvement_detail": "Pelatihan pemasaran digital.",
        "what_changed": "Pesanan lewat WhatsApp setiap hari.",
        "why_it_matters": "Bisa menyekolahkan anak.",
        "income_before": "1000000",
        "income_after": "3000000",
        "jobs_created": "2",
        "product": "Kopi bubuk",
        "sold_where": "Pasar Palaran",
    }
    data.update(overrides)
    return data


# Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("impact:list", "get"),
        ("impact:create", "get"),
        ("impact:detail", "get"),
        ("impact:edit", "get"),
        ("impact:autosave", "post"),
        ("impact:transition", "post"),
        ("impact:consent-add", "get"),
        ("impact:selection-add", "post"),
        ("impact:bulk", "post"),
    ],
)
def test_anonymous_visitor_is_sent_to_sign_in(client, story, name, method):
    args = [] if name in ("impact:list", "impact:create", "impact:bulk") else [story.pk]

    response = getattr(client, method)(reverse(name, args=args))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "name", ["impact:detail", "impact:edit", "impact:consent-add", "public:story"]
)
def test_outsider_from_another_province_gets_404(client_for, outsider, story, name):
    assert client_for(outsider).get(_url(name, story)).status_code == 404


def test_another_districts_story_is_404_for_a_district_librarian(
    client_for, berau_librarian, story
):
    client = client_for(berau_librarian)

    assert client.get(reverse("impact:detail", args=[story.pk])).status_code == 404
    assert client.get(reverse("impact:edit", args=[story.pk])).status_code == 404
    response = client.post(reverse("impact:autosave", args=[story.pk]), {"title": "x"})
    assert response.status_code == 404


def test_district_librarian_edits_a_story_of_a_village_in_their_kab_kota(
    client_for, district_librarian, story
):
    response = client_for(district_librarian).get(reverse("impact:edit", args=[story.pk]))

    assert response.status_code == 200


def test_consultant_may_read_but_not_edit_a_story(client_for, consultant, story):
    client = client_for(consultant)

    assert client.get(reverse("impact:detail", args=[story.pk])).status_code == 200
    assert client.get(reverse("impact:edit", args=[story.pk])).status_code == 403
    assert client.get(reverse("impact:create")).status_code == 403
    response = client.post(reverse("impact:autosave", args=[story.pk]), {"title": "x"})
    assert response.status_code == 403


def test_librarian_may_not_verify_or_use_bulk_actions(client_for, village_librarian, story):
    story.status = Status.SUBMITTED
    story.save()
    client = client_for(village_librarian)

    response = client.post(
        reverse("impact:transition", args=[story.pk]),
        {"to_status": Status.VERIFIED, "version": story.version},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("impact:bulk"),
        {"action": "verified", "stories": [story.pk], f"version-{story.pk}": story.version},
    )
    assert response.status_code == 403
    assert Story.objects.get(pk=story.pk).status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("impact:autosave", "get"),
        ("impact:transition", "get"),
        ("impact:selection-add", "get"),
        ("impact:photo-add", "get"),
        ("impact:detail", "post"),
        ("public:story", "post"),
    ],
)
def test_wrong_method_is_refused(client_for, village_librarian, story, name, method):
    response = getattr(client_for(village_librarian), method)(_url(name, story))

    assert response.status_code == 405


# Writing -------------------------------------------------------------------------------------


def test_librarian_saves_a_draft_without_javascript(client_for, village_librarian, village_library):
    client = client_for(village_librarian)
    form = client.get(reverse("impact:create"))
    key = form.context["form"].initial["draft_key"]

    data = _story_data(library=village_library.pk, draft_key=key, save="")
    response = client.post(reverse("impact:create"), data)
    again = client.post(reverse("impact:create"), data)

    story = Story.objects.get()
    assert response.status_code == again.status_code == 302
    assert story.status == Status.DRAFT and story.author == village_librarian
    assert story.income_after == 3_000_000


def test_librarian_saves_and_submits_in_one_step(client_for, village_librarian, village_library):
    client = client_for(village_librarian)

    response = client.post(
        reverse("impact:create"), _story_data(library=village_library.pk, submit="")
    )

    story = Story.objects.get()
    assert response.url == reverse("impact:detail", args=[story.pk])
    assert story.status == Status.SUBMITTED


def test_bad_input_is_explained_and_nothing_is_saved(
    client_for, village_librarian, village_library
):
    response = client_for(village_librarian).post(
        reverse("impact:create"),
        _story_data(library=village_library.pk, income_before="-5", village="21.72.01.1001"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"income_before", "village"}
    assert not Story.objects.exists()


def test_librarian_cannot_pick_a_library_outside_their_scope(
    client_for, village_librarian, berau_village_library
):
    response = client_for(village_librarian).post(
        reverse("impact:create"), _story_data(library=berau_village_library.pk, village="")
    )

    assert "library" in response.context["form"].errors
    assert not Story.objects.exists()


def test_autosave_answers_json_with_the_new_version(client_for, village_librarian, story):
    response = client_for(village_librarian).post(
        reverse("impact:autosave", args=[story.pk]),
        _story_data(version=story.version),
        HTTP_X_REQUESTED_WITH="fetch",
    )

    assert response.status_code == 200
    assert response.json()["version"] == story.version + 1
    assert Story.objects.get(pk=story.pk).title.startswith("Warung kopi")


def test_autosave_from_a_stale_tab_is_refused_with_409(client_for, village_librarian, story):
    client = client_for(village_librarian)
    url = reverse("impact:autosave", args=[story.pk])
    client.post(url, _story_data(version=1, title="Tab pertama"))

    response = client.post(url, _story_data(version=1, title="Tab kedua"))

    assert response.status_code == 409
    assert "jendela lain" in response.json()["conflict"]
    assert Story.objects.get(pk=story.pk).title == "Tab pertama"


def test_stale_save_without_javascript_keeps_the_typed_text(client_for, village_librarian, story):
    client = client_for(village_librarian)
    url = reverse("impact:edit", args=[story.pk])
    client.post(url, _story_data(version=1, title="Tab pertama", save=""))

    response = client.post(url, _story_data(version=1, title="Tab kedua", save=""))

    assert response.status_code == 200
    assert "Tab kedua" in response.text
    assert Story.objects.get(pk=story.pk).title == "Tab pertama"


def test_html_typed_into_the_story_is_shown_escaped(client_for, village_library, consultant):
    story = published_story(
        library=village_library,
        title="<b>Judul</b>",
        what_changed="<script>alert('x')</script>\n\nParagraf kedua",
    )

    for response in (
        client_for(consultant).get(reverse("impact:detail", args=[story.pk])),
        Client().get(story_url(story)),
    ):
        assert "<script>alert" not in response.text
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in response.text
        assert "<p>Paragraf kedua</p>" in response.text
        assert "&lt;b&gt;Judul&lt;/b&gt;" in response.text


# Photos ---------------------------------------------------------------------------------------


def _post_photo(client, story, content, name="foto.jpg", **extra):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    data = {"image": upload, "alt_text": "Ibu Sumiati menganyam tas", "shows_face": "on", **extra}
    return client.post(reverse("impact:photo-add", args=[story.pk]), data, follow=True)


def test_png_with_gps_is_stored_without_its_metadata(client_for, village_librarian, story):
    original = _image_bytes("PNG", (2400, 1800), exif=_gps_exif())

    response = _post_photo(client_for(village_librarian), story, original, "peta.png")

    assert "Foto ditambahkan" in response.text
    photo = Photo.objects.get()
    for field in (photo.image, photo.thumbnail):
        stored = Image.open(field.open("rb"))
        assert stored.format == "JPEG"
        assert not stored.getexif().get_ifd(GPS_IFD)
    assert max(photo.width, photo.height) == 1600


def test_script_renamed_jpg_is_refused_with_a_message(client_for, village_librarian, story):
    response = _post_photo(client_for(village_librarian), story, b"#!/bin/sh\necho pwned\n")

    assert "bukan foto JPEG" in response.text or "rusak" in response.text
    assert not Photo.objects.exists()


def test_oversized_photo_is_refused_with_the_limit(client_for, village_librarian, story, settings):
    big = b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024 + 1)

    response = _post_photo(client_for(village_librarian), story, big)

    assert "10,0" in response.text or "10.0" in response.text
    assert not Photo.objects.exists()


def test_decompression_bomb_is_refused(client_for, village_librarian, story):
    bomb = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(bomb, format="PNG")

    response = _post_photo(client_for(village_librarian), story, bomb.getvalue(), "bom.png")

    assert "terlalu besar" in response.text
    assert not Photo.objects.exists()


def test_photo_needs_alt_text(client_for, village_librarian, story):
    response = _post_photo(
        client_for(village_librarian), story, _image_bytes(size=(400, 300)), alt_text=""
    )

    assert "Foto tidak ditambahkan" in response.text
    assert not Photo.objects.exists()


def test_unpublished_photo_is_not_reachable_by_the_public(client, client_for, story, outsider):
    photo = _photo(story, shows_face=False)
    url = reverse("impact:photo-file", args=[photo.pk, "full"])

    assert client.get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    response = client_for(story.author).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]


def test_public_sees_only_consented_photos_of_published_stories(client, village_library):
    story = published_story(library=village_library)
    plain = _photo(story, shows_face=False)
    face = _photo(story, shows_face=True)

    assert client.get(reverse("impact:photo-file", args=[plain.pk, "thumb"])).status_code == 200
    assert client.get(reverse("impact:photo-file", args=[face.pk, "thumb"])).status_code == 404
    page = client.get(story_url(story))
    assert reverse("impact:photo-file", args=[face.pk, "full"]) not in page.text

    story_consent(story, Consent.Kind.PHOTO_FACE, photo=face)
    assert client.get(reverse("impact:photo-file", args=[face.pk, "thumb"])).status_code == 200


def test_removed_photo_is_gone_from_every_page_but_its_consent_stays(
    client, client_for, village_library, village_librarian, consultant
):
    story = published_story(library=village_library, author=village_librarian)
    photo = _photo(story, shows_face=True)
    story_consent(story, Consent.Kind.PHOTO_FACE, photo=photo)
    thumb = reverse("impact:photo-file", args=[photo.pk, "thumb"])
    librarian = client_for(village_librarian)
    assert client.get(thumb).status_code == 200

    response = librarian.post(reverse("impact:photo-remove", args=[photo.pk]))

    assert response.status_code == 302
    assert client.get(thumb).status_code == 404
    assert librarian.get(thumb).status_code == 404
    pages = [
        client.get(story_url(story)),
        client.get(KALTIM_STORIES),
        client_for(consultant).get(reverse("impact:list")),
        client_for(consultant).get(reverse("impact:detail", args=[story.pk])),
        librarian.get(reverse("impact:edit", args=[story.pk])),
    ]
    for page in pages:
        assert page.status_code == 200 and thumb not in page.text
    consent = Consent.objects.get(photo=photo)
    assert consent.is_active
    assert "foto dihapus" in pages[3].text
    form = librarian.get(reverse("impact:consent-add", args=[story.pk])).context["form"]
    assert photo not in form.fields["photo"].queryset
    assert librarian.post(reverse("impact:photo-remove", args=[photo.pk])).status_code == 404


def test_photo_files_live_under_media_root_without_a_public_url(story, tmp_path):
    photo = _photo(story)

    assert (tmp_path / "private" / photo.image.name).is_file()
    with pytest.raises(ValueError):
        photo.image.url  # noqa: B018


# Consent --------------------------------------------------------------------------------------


def test_librarian_records_a_verbal_consent(client_for, village_librarian, story):
    response = client_for(village_librarian).post(
        reverse("impact:consent-add", args=[story.pk]),
        {
            "kind": "story_use",
            "given_by": "Ibu Sumiati",
            "method": "verbal",
            "witness": "Lurah Rawa Makmur",
            "given_on": "2024-05-02",
        },
    )

    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.recorded_by == village_librarian and consent.witness == "Lurah Rawa Makmur"


def test_recording_a_consent_again_asks_why_then_keeps_the_old_one_as_replaced(
    client_for, village_librarian, story
):
    old = story_consent(story)
    librarian = client_for(village_librarian)
    url = reverse("impact:consent-add", args=[story.pk])
    data = {
        "kind": "story_use",
        "given_by": "Ibu Sumiati",
        "method": "verbal",
        "witness": "Lurah Rawa Makmur",
        "given_on": "2024-05-03",
    }

    response = librarian.post(url, data)

    assert response.status_code == 200
    assert "replaces_reason" in response.context["form"].errors
    assert Consent.objects.count() == 1

    response = librarian.post(url, {**data, "replaces_reason": "Saksi salah ditulis."})

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.superseded_by.witness == "Lurah Rawa Makmur"
    page = librarian.get(reverse("impact:detail", args=[story.pk])).text
    assert "diganti" in page and "Saksi salah ditulis." in page


def test_librarian_in_papua_just_after_midnight_records_a_consent_given_today(
    client_for, regions, monkeypatch
):
    library = factories.village_library("91.03.01.3007", name="Perpustakaan Desa Adat Yoboi")
    librarian = factories.librarian("pustakawan.yoboi", library)
    story = StoryFactory(library=library, author=librarian)
    # 00:30 WIT on 2 May in Jayapura is still 1 May in Jakarta.
    half_past_midnight = datetime.datetime(2024, 5, 1, 15, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: half_past_midnight)
    client = client_for(librarian)
    url = reverse("impact:consent-add", args=[story.pk])
    data = {"kind": "story_use", "given_by": "Mama Yosina", "method": "verbal"}
    data["witness"] = "Kepala kampung"

    assert client.get(url).context["form"]["given_on"].value() == datetime.date(2024, 5, 2)
    tomorrow = client.post(url, {**data, "given_on": "2024-05-03"})
    assert "given_on" in tomorrow.context["form"].errors
    response = client.post(url, {**data, "given_on": "2024-05-02"})

    assert response.status_code == 302
    assert Consent.objects.get().given_on == datetime.date(2024, 5, 2)


def test_signed_form_pdf_is_accepted_and_served_only_in_scope(
    client_for, village_librarian, story, outsider, client
):
    pdf = SimpleUploadedFile(
        "form.pdf",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        content_type="application/pdf",
    )
    client_for(village_librarian).post(
        reverse("impact:consent-add", args=[story.pk]),
        {
            "kind": "story_use",
            "given_by": "Ibu Sumiati",
            "method": "signed_form",
            "signed_form": pdf,
            "given_on": "2024-05-02",
        },
    )
    consent = Consent.objects.get()
    url = reverse("impact:consent-file", args=[consent.pk])

    assert client_for(village_librarian).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_signed_form_that_is_neither_pdf_nor_image_is_refused(client_for, village_librarian, story):
    fake = SimpleUploadedFile("form.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client_for(village_librarian).post(
        reverse("impact:consent-add", args=[story.pk]),
        {
            "kind": "story_use",
            "given_by": "Ibu Sumiati",
            "method": "signed_form",
            "signed_form": fake,
            "given_on": "2024-05-02",
        },
    )

    assert response.status_code == 200
    assert "signed_form" in response.context["form"].errors
    assert not Consent.objects.exists()


def test_minor_consent_without_guardian_is_refused_on_the_form(
    client_for, village_librarian, village_library
):
    story = StoryFactory(
        library=village_library, author=village_librarian, age_group=Story.AgeGroup.CHILD
    )

    response = client_for(village_librarian).post(
        reverse("impact:consent-add", args=[story.pk]),
        {
            "kind": "story_use",
            "given_by": "Ibu Wati",
            "method": "verbal",
            "witness": "Pak RT",
            "given_on": "2024-05-02",
        },
    )

    assert response.status_code == 200
    assert "guardian_relation" in response.context["form"].errors
    assert not Consent.objects.exists()


def test_withdrawal_takes_the_story_off_the_public_pages_in_the_same_request(
    client, client_for, village_librarian, village_library
):
    story = published_story(library=village_library, author=village_librarian)
    public_url = story_url(story)
    assert client.get(public_url).status_code == 200
    consent = story.consents.get(kind=Consent.Kind.STORY_USE)

    response = client_for(village_librarian).post(
        reverse("impact:consent-withdraw", args=[consent.pk]), {"reason": "Keluarga keberatan."}
    )

    assert response.status_code == 302
    assert client.get(public_url).status_code == 404
    province = client.get(KALTIM_STORIES)
    assert story.title not in province.text


def test_withdrawal_without_a_reason_changes_nothing(
    client_for, village_librarian, village_library
):
    story = published_story(library=village_library, author=village_librarian)
    consent = story.consents.get(kind=Consent.Kind.STORY_USE)

    client_for(village_librarian).post(
        reverse("impact:consent-withdraw", args=[consent.pk]), {"reason": ""}
    )

    assert Consent.objects.get(pk=consent.pk).is_active
    assert Story.objects.get(pk=story.pk).status == Status.PUBLISHED


# Review ----------------------------------------------------------------------------------------


def test_publishing_without_consent_shows_why(client_for, perpusnas, story):
    story.status = Status.VERIFIED
    story.save()

    response = client_for(perpusnas).post(
        reverse("impact:transition", args=[story.pk]),
        {"to_status": "published", "version": story.version},
        follow=True,
    )

    assert "Belum ada persetujuan penggunaan cerita" in response.text
    assert Story.objects.get(pk=story.pk).status == Status.VERIFIED


def _versions(*stories):
    """The versions the queue page shows next to each story's checkbox."""
    return {f"version-{story.pk}": story.version for story in stories}


def test_reviewer_is_told_when_the_story_changed_since_the_page_was_loaded(
    client_for, consultant, village_librarian, story
):
    Story.objects.filter(pk=story.pk).update(status=Status.SUBMITTED)
    reviewer = client_for(consultant)
    page = reviewer.get(reverse("impact:detail", args=[story.pk]))
    assert f'name="version" value="{story.version}"' in page.text
    client_for(village_librarian).post(
        reverse("impact:edit", args=[story.pk]),
        _story_data(version=story.version, what_changed="Kini punya toko sendiri."),
    )

    response = reviewer.post(
        reverse("impact:transition", args=[story.pk]),
        {"to_status": "verified", "version": story.version},
        follow=True,
    )

    assert "berubah setelah Anda membukanya" in response.text
    assert Story.objects.get(pk=story.pk).status == Status.SUBMITTED
    reviewer.post(reverse("impact:transition", args=[story.pk]), {"to_status": "verified"})
    assert Story.objects.get(pk=story.pk).status == Status.SUBMITTED


def test_bulk_action_leaves_out_stories_changed_since_the_queue_was_loaded(
    client_for, consultant, village_library
):
    unchanged = StoryFactory(library=village_library, status=Status.SUBMITTED)
    edited = StoryFactory(library=village_library, status=Status.SUBMITTED, title="Diubah")
    queue = client_for(consultant).get(reverse("impact:list"))
    assert f'name="version-{edited.pk}" value="{edited.version}"' in queue.text
    seen = _versions(unchanged, edited)
    services.story_update(
        story=edited, actor=edited.author, version=edited.version, what_changed="Baru."
    )

    response = client_for(consultant).post(
        reverse("impact:bulk"),
        {"action": "verified", "stories": [unchanged.pk, edited.pk], **seen},
        follow=True,
    )

    assert Story.objects.get(pk=unchanged.pk).status == Status.VERIFIED
    assert Story.objects.get(pk=edited.pk).status == Status.SUBMITTED
    assert "Diubah" in response.text and "berubah setelah Anda membukanya" in response.text


def test_status_email_links_to_the_host_the_reviewer_used_when_site_url_is_unset(
    client_for, consultant, story, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    Story.objects.filter(pk=story.pk).update(status=Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(consultant).post(
            reverse("impact:transition", args=[story.pk]),
            {"to_status": "verified", "version": story.version},
        )

    assert f"http://testserver/cerita/{story.pk}/" in mail.outbox[0].body


def test_staff_bulk_verify_reports_what_was_refused(client_for, perpusnas, village_library):
    ready = StoryFactory(library=village_library, status=Status.SUBMITTED)
    draft = StoryFactory(library=village_library, status=Status.DRAFT, title="Masih draf")

    response = client_for(perpusnas).post(
        reverse("impact:bulk"),
        {"action": "verified", "stories": [ready.pk, draft.pk], **_versions(ready, draft)},
        follow=True,
    )

    assert Story.objects.get(pk=ready.pk).status == Status.VERIFIED
    assert Story.objects.get(pk=draft.pk).status == Status.DRAFT
    assert "1 cerita diubah" in response.text and "Masih draf" in response.text


def test_consultant_cannot_bulk_act_on_another_provinces_story(client_for, outsider, story):
    story.status = Status.SUBMITTED
    story.save()

    response = client_for(outsider).post(
        reverse("impact:bulk"), {"action": "verified", "stories": [story.pk], **_versions(story)}
    )

    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).status == Status.SUBMITTED


def test_selection_without_a_reason_saves_nothing(client_for, consultant, story):
    story.status = Status.VERIFIED
    story.save()

    client_for(consultant).post(
        reverse("impact:selection-add", args=[story.pk]), {"level": "district", "reason": ""}
    )

    assert not story.selections.exists()


# Lists ----------------------------------------------------------------------------------------


def test_queue_filters_by_status_domain_province_and_cohort(
    client_for, consultant, village_library
):
    wanted = StoryFactory(library=village_library, status=Status.SUBMITTED, title="Dicari")
    StoryFactory(library=village_library, status=Status.DRAFT, title="Draf lain")
    StoryFactory(
        library=village_library,
        status=Status.SUBMITTED,
        domain=Story.Domain.HEALTH,
        title="Kesehatan",
    )

    response = client_for(consultant).get(
        reverse("impact:list"),
        {"status": "submitted", "domain": "economic", "province": "64", "cohort": "2022"},
    )

    assert [story.pk for story in response.context["page"].object_list] == [wanted.pk]


def test_queue_query_count_does_not_grow_with_stories(
    client_for, consultant, village_library, django_assert_num_queries
):
    client = client_for(consultant)
    url = reverse("impact:list")
    for _ in range(2):
        _photo(StoryFactory(library=village_library, status=Status.SUBMITTED))
    client.get(url)

    # No count of the whole queue: one page, fetched with one row more.
    with django_assert_num_queries(6):
        client.get(url)
    for _ in range(5):
        _photo(StoryFactory(library=village_library, status=Status.SUBMITTED))
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 7


def test_public_province_list_shows_only_published_consented_stories(client, village_library):
    shown = published_story(library=village_library, title="Terbit dengan izin")
    StoryFactory(library=village_library, status=Status.VERIFIED, title="Belum terbit")
    StoryFactory(
        library=village_library,
        status=Status.PUBLISHED,
        published_at=shown.published_at,
        title="Tanpa izin",
    )

    response = client.get(KALTIM_STORIES)

    assert "Terbit dengan izin" in response.text
    assert "Belum terbit" not in response.text and "Tanpa izin" not in response.text


def test_public_story_shows_the_name_only_with_naming_consent(client, village_library):
    named = published_story(library=village_library, storyteller_name="Ibu Sumiati")
    url = story_url(named)
    assert "Ibu Sumiati" in client.get(url).text

    anonymous = published_story(library=village_library, anonymous=True, storyteller_name="")
    page = client.get(story_url(anonymous)).text
    assert "Seorang warga" in page

    unconsented = StoryFactory(
        library=village_library,
        storyteller_name="Pak Darto",
        status=Status.PUBLISHED,
        published_at=named.published_at,
    )
    story_consent(unconsented)
    page = client.get(story_url(unconsented)).text
    assert "Pak Darto" not in page and "Seorang warga" in page


def test_public_province_list_query_count_does_not_grow(
    client, village_library, django_assert_num_queries
):
    url = KALTIM_STORIES
    published_story(library=village_library)
    client.get(url)

    cache.clear()
    with django_assert_num_queries(4):
        client.get(url)
    with django_assert_num_queries(0):  # the cached page
        client.get(url)
    for _ in range(4):
        _photo(published_story(library=village_library), shows_face=False)
    cache.clear()
    with django_assert_num_queries(4):
        client.get(url)


def test_district_panel_shortlists_a_verified_story_with_its_reason(
    client_for, district_librarian, story
):
    story.status = Status.VERIFIED
    story.save()

    response = client_for(district_librarian).post(
        reverse("impact:selection-add", args=[story.pk]),
        {"level": "district", "reason": "Perubahan ekonomi paling nyata."},
        follow=True,
    )

    assert "Pilihan panel dicatat." in response.text
    decision = story.selections.get()
    assert decision.decided_by == district_librarian and decision.reason.startswith("Perubahan")


def test_story_page_shows_history_in_the_provinces_time_zone(
    client_for, consultant, village_library, perpusnas
):
    story = published_story(library=village_library)
    from impact import services

    services.story_transition(
        story=story, actor=perpusnas, to_status=Status.VERIFIED, comment="Periksa ejaan."
    )

    response = client_for(consultant).get(reverse("impact:detail", args=[story.pk]))

    assert "WITA" in response.text and "Periksa ejaan." in response.text


def test_story_links_to_an_event_the_library_took_part_in(
    client_for, village_librarian, village_library, plm, kepri_bimtek, perpusnas
):
    from events.services import invitations_set

    invitations_set(actor=perpusnas, event=plm, libraries=[village_library])
    client = client_for(village_librarian)

    offered = client.get(reverse("impact:create")).context["form"].fields["event"].queryset
    foreign = client.post(
        reverse("impact:create"),
        _story_data(library=village_library.pk, event=kepri_bimtek.pk, save=""),
    )
    linked = client.post(
        reverse("impact:create"), _story_data(library=village_library.pk, event=plm.pk, save="")
    )

    assert list(offered) == [plm]
    assert "event" in foreign.context["form"].errors
    assert linked.status_code == 302
    story = Story.objects.get()
    assert story.event == plm
    page = client.get(reverse("impact:detail", args=[story.pk]))
    assert "PLM Provinsi Kalimantan Timur, Hotel Harris Samarinda (4 Jul 2022–6 Jul 2022)" in (
        page.text
    )


def test_draft_whose_title_was_cleared_is_still_listed_and_named(
    client_for, village_librarian, consultant, perpusnas, story
):
    autosave = client_for(village_librarian).post(
        reverse("impact:autosave", args=[story.pk]),
        _story_data(version=story.version, title=""),
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert autosave.status_code == 200 and Story.objects.get(pk=story.pk).title == ""

    pages = {
        "list": (village_librarian, reverse("impact:list")),
        "queue": (consultant, reverse("impact:list")),
        "detail": (village_librarian, reverse("impact:detail", args=[story.pk])),
        "edit": (village_librarian, reverse("impact:edit", args=[story.pk])),
        "consent": (village_librarian, reverse("impact:consent-add", args=[story.pk])),
        "admin list": (perpusnas, reverse("admin:impact_story_changelist")),
        "admin page": (perpusnas, reverse("admin:impact_story_change", args=[story.pk])),
        "admin history": (perpusnas, reverse("admin:impact_story_history", args=[story.pk])),
    }
    for name, (user, url) in pages.items():
        response = client_for(user).get(url)
        assert response.status_code == 200, name
        assert "(tanpa judul)" in response.text, name
    listing = client_for(village_librarian).get(reverse("impact:list"))
    assert reverse("impact:detail", args=[story.pk]) in listing.text


def test_withdrawn_consent_names_the_zone_of_its_time(client_for, village_librarian, story):
    consent = story_consent(story)
    services.consent_withdraw(consent=consent, actor=village_librarian, reason="Pindah kota.")
    local = timezone.localtime(
        Consent.objects.get(pk=consent.pk).withdrawn_at,
        datetime.timezone(datetime.timedelta(hours=8)),
    )

    response = client_for(village_librarian).get(reverse("impact:detail", args=[story.pk]))

    assert f"{local:%H:%M} WITA: Pindah kota." in response.text
