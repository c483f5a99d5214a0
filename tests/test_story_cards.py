"""The story card: a printable page (HTML and PDF) that takes a story back to the storyteller
and the community, showing only what consent allows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from impact import services
from impact.cards import story_card
from impact.models import Consent, SelectionDecision, Story
from tests import factories
from tests.certificates import pdf_pages, pdf_text
from tests.factories import StoryFactory, published_story, story_consent
from tests.test_impact_views import _photo
from tpbis_portal.overview.addresses import story_card_url, story_url

Status = Story.Status
Level = SelectionDecision.Level


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def story(village_library, village_librarian):
    """Verified, with consent to use the story and to name Ibu Sumiati."""
    story = StoryFactory(library=village_library, author=village_librarian, status=Status.VERIFIED)
    story_consent(story)
    story_consent(story, Consent.Kind.NAMING)
    return story


@pytest.fixture
def shortlisted(story, district_librarian):
    return services.selection_record(
        story=story,
        actor=district_librarian,
        level=Level.DISTRICT,
        reason="Perubahan ekonomi paling nyata di Samarinda.",
    )


# The story card ----------------------------------------------------------------------------


def test_card_shows_the_story_the_named_storyteller_and_the_panels_reasons(
    client_for, village_librarian, story, shortlisted
):
    response = client_for(village_librarian).get(reverse("impact:card", args=[story.pk]))

    text = response.text
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    for expected in [
        "Dari penjahit rumahan menjadi pemilik usaha",
        "Dituturkan oleh Ibu Sumiati",
        "Perpustakaan Kelurahan Rawa Makmur",
        "Kini menjual tas anyaman lewat marketplace.",
        "Anak-anak bisa terus sekolah.",
        "Daftar pendek kabupaten/kota",
        "Perubahan ekonomi paling nyata di Samarinda.",
    ]:
        assert expected in text
    assert "@page" not in text  # print styles come from a static file (CSP)
    assert "<script>" not in text and "onclick" not in text


def test_card_pdf_carries_the_same_story(client_for, consultant, story, shortlisted):
    response = client_for(consultant).get(reverse("impact:card-pdf", args=[story.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    (page,) = pdf_pages(response.content)
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)  # A4
    text = pdf_text(response.content)
    for expected in [
        "Dari penjahit rumahan menjadi pemilik usaha",
        "Dituturkan oleh Ibu Sumiati · Perpustakaan Kelurahan Rawa Makmur, Kota Samarinda",
        "Kini menjual tas anyaman lewat marketplace.",
        "Daftar pendek kabupaten/kota",
        "Perubahan ekonomi paling nyata di Samarinda.",
    ]:
        assert expected in text


def test_storyteller_without_naming_consent_is_anonymised_on_the_card(
    client_for, village_librarian, story
):
    story.consents.filter(kind=Consent.Kind.NAMING).delete()

    html = client_for(village_librarian).get(reverse("impact:card", args=[story.pk])).text
    pdf = client_for(village_librarian).get(reverse("impact:card-pdf", args=[story.pk]))

    assert "Sumiati" not in html and "Dituturkan oleh Seorang warga" in html
    assert "Sumiati" not in pdf_text(pdf.content)


def test_card_shows_one_photo_and_never_a_face_without_consent(
    client_for, village_librarian, story
):
    face = _photo(story, shows_face=True)
    scene = _photo(story, shows_face=False)
    client = client_for(village_librarian)

    card = story_card(Story.objects.get(pk=story.pk), public=False)
    assert card.photo == scene
    story_consent(story, Consent.Kind.PHOTO_FACE, photo=face)
    assert story_card(Story.objects.get(pk=story.pk), public=False).photo == face

    html = client.get(reverse("impact:card", args=[story.pk])).text
    assert html.count("<img") == 1
    assert reverse("impact:photo-file", args=[face.pk, "full"]) in html
    assert b"/Subtype /Image" in client.get(reverse("impact:card-pdf", args=[story.pk])).content


def test_minors_card_counts_only_consents_from_a_guardian(village_library, village_librarian):
    story = StoryFactory(
        library=village_library,
        author=village_librarian,
        status=Status.VERIFIED,
        age_group=Story.AgeGroup.TEEN,
        storyteller_name="Rani",
    )
    story_consent(story, guardian_relation="Ibu", given_by="Bu Wati")
    story_consent(story, Consent.Kind.NAMING, given_by="Rani")  # the child's own
    face = _photo(story, shows_face=True)
    # Recorded before the age group was known; it stays on record but does not count.
    Consent.objects.create(
        story=story,
        kind=Consent.Kind.PHOTO_FACE,
        photo=face,
        given_by="Rani",
        method=Consent.Method.VERBAL,
        witness="Kepala perpustakaan",
        given_on=timezone.localdate(),
        recorded_by=village_librarian,
    )

    card = story_card(story, public=False)

    assert card.storyteller == "Seorang warga"
    assert card.photo is None


def test_no_card_before_verification_or_without_consent(client_for, village_librarian, story):
    client = client_for(village_librarian)
    story.status = Status.SUBMITTED
    story.save()

    page = client.get(reverse("impact:card", args=[story.pk]))
    pdf = client.get(reverse("impact:card-pdf", args=[story.pk]), follow=True)

    assert "setelah cerita diverifikasi" in page.text
    assert reverse("impact:card-pdf", args=[story.pk]) not in page.text
    assert pdf.redirect_chain[-1][0] == reverse("impact:card", args=[story.pk])
    story.status = Status.VERIFIED
    story.save()
    services.consent_withdraw(
        consent=story.consents.get(kind=Consent.Kind.STORY_USE),
        actor=village_librarian,
        reason="Tidak ingin dipublikasikan lagi",
    )
    assert "tidak dapat dicetak" in client.get(reverse("impact:card", args=[story.pk])).text


def test_card_answers_each_role(
    client, client_for, outsider, district_librarian, consultant, perpusnas, story
):
    for name in ("impact:card", "impact:card-pdf"):
        url = reverse(name, args=[story.pk])
        assert client.get(url)["Location"].startswith(reverse("login"))
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).post(url).status_code == 405
        for reader in (district_librarian, consultant, perpusnas):
            assert client_for(reader).get(url).status_code == 200


def test_village_librarian_of_another_library_gets_404(client_for, berau_village_library, story):
    other = factories.librarian("pustakawan.merabu", berau_village_library)

    assert client_for(other).get(reverse("impact:card", args=[story.pk])).status_code == 404


def test_public_card_only_for_a_public_story_and_only_what_the_public_page_shows(
    client, village_library, village_librarian, district_librarian
):
    story = published_story(library=village_library, author=village_librarian)
    services.selection_record(
        story=story, actor=district_librarian, level=Level.DISTRICT, reason="Alasan internal panel"
    )
    hidden = StoryFactory(library=village_library, status=Status.VERIFIED)
    story_consent(hidden)

    html = client.get(story_card_url(story))
    pdf = client.get(story_card_url(story, pdf=True))

    assert html.status_code == 200 and html["Cache-Control"] == "no-cache"
    assert "Ibu Sumiati" in html.text and "Daftar pendek kabupaten/kota" in html.text
    assert "Alasan internal panel" not in html.text
    assert "Alasan internal panel" not in pdf_text(pdf.content)
    assert client.get(story_card_url(hidden)).status_code == 404
    assert client.get(story_card_url(hidden, pdf=True)).status_code == 404
    public_page = client.get(story_url(story)).text
    assert story_card_url(story) in public_page


def test_card_pages_keep_a_fixed_number_of_queries(
    client_for, village_librarian, consultant, story, shortlisted, django_assert_num_queries
):
    signed_in = client_for(village_librarian)
    url = reverse("impact:card", args=[story.pk])
    signed_in.get(url)

    # session, user, story with its places, consents, photos, decisions
    with django_assert_num_queries(6):
        signed_in.get(url)
    services.selection_record(
        story=story, actor=consultant, level=Level.PROVINCE, reason="Inspiratif."
    )
    _photo(story)
    with django_assert_num_queries(6):
        signed_in.get(url)
