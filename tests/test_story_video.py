"""The video link of the video story contests: validated, linked (never embedded), public only
with consent."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from impact import services
from impact.models import Consent, SelectionDecision, Story
from tests.factories import StoryFactory, published_story, story_consent
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


# The video link ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/76979871",
        "https://drive.google.com/file/d/1AbC/view",
        "https://www.facebook.com/perpusnas/videos/123",
        "https://www.instagram.com/reel/Cabc/",
        "https://www.tiktok.com/@perpusnas/video/123",
    ],
)
def test_video_links_from_the_allowed_sites_are_kept(story, village_librarian, address):
    saved = services.story_update(
        story=story, actor=village_librarian, version=story.version, video_url=address
    )

    assert Story.objects.get(pk=saved.pk).video_url == address


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("http://www.youtube.com/watch?v=x", "https://"),
        ("https://evil-youtube.com/watch?v=x", "hanya dapat ditautkan"),
        ("https://youtube.com.evil.example/watch", "hanya dapat ditautkan"),
        ("https://user:pass@youtube.com/watch", "https://"),
        ("https://docs.google.com/document/d/1", "hanya dapat ditautkan"),
        ("javascript:alert(1)", ""),
    ],
)
def test_other_video_links_are_refused_with_a_message_and_nothing_saved(
    client_for, story, village_librarian, address, message
):
    response = client_for(village_librarian).post(
        reverse("impact:edit", args=[story.pk]),
        {**_content(story), "video_url": address, "version": story.version},
    )

    assert response.status_code == 200
    assert "video_url" in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors["video_url"])
    assert Story.objects.get(pk=story.pk).video_url == ""


def test_allowed_video_sites_are_a_setting(settings, story, village_librarian):
    settings.STORY_VIDEO_HOSTS = ["video.perpusnas.go.id"]

    with pytest.raises(ValidationError):
        services.story_update(
            story=story,
            actor=village_librarian,
            version=story.version,
            video_url="https://youtu.be/x",
        )
    services.story_update(
        story=story,
        actor=village_librarian,
        version=story.version,
        video_url="https://video.perpusnas.go.id/v/1",
    )


def test_video_link_is_public_only_with_consent_and_never_embedded(
    client, village_library, village_librarian
):
    story = published_story(
        library=village_library,
        author=village_librarian,
        video_url="https://www.youtube.com/watch?v=abc",
    )
    url = story_url(story)
    assert "youtube" not in client.get(url).text

    services.consent_record(
        story=story,
        actor=village_librarian,
        kind=Consent.Kind.VIDEO,
        given_by=story.storyteller_name,
        method=Consent.Method.VERBAL,
        witness="Kepala perpustakaan",
        given_on=datetime.date(2024, 5, 2),
    )
    page = client.get(url).text

    assert 'href="https://www.youtube.com/watch?v=abc"' in page
    assert 'rel="noopener noreferrer nofollow external"' in page
    assert "<iframe" not in page and "<embed" not in page
    assert "youtube.com" in client.get(story_card_url(story)).text


def test_video_link_of_a_story_not_public_stays_off_public_pages(client, story, village_librarian):
    services.story_update(
        story=story,
        actor=village_librarian,
        version=story.version,
        video_url="https://vimeo.com/1",
    )
    story_consent(story, Consent.Kind.VIDEO)

    assert client.get(story_url(story)).status_code == 404


def test_story_with_a_video_needs_the_video_consent_to_be_published(
    story, village_librarian, perpusnas
):
    services.story_update(
        story=story,
        actor=village_librarian,
        version=story.version,
        video_url="https://vimeo.com/1",
    )
    story = Story.objects.get(pk=story.pk)
    # Editing a verified story sends it back to review; verify it again.
    story.status = Status.VERIFIED
    story.save()

    with pytest.raises(ValidationError, match="video tanpa persetujuan"):
        services.story_transition(story=story, actor=perpusnas, to_status=Status.PUBLISHED)
    story_consent(story, Consent.Kind.VIDEO)
    services.story_transition(story=story, actor=perpusnas, to_status=Status.PUBLISHED)


def test_withdrawing_the_video_consent_takes_the_link_off_the_public_page(
    client, village_library, village_librarian
):
    story = published_story(
        library=village_library, author=village_librarian, video_url="https://vimeo.com/1"
    )
    consent = story_consent(story, Consent.Kind.VIDEO)
    url = story_url(story)
    assert "vimeo.com/1" in client.get(url).text

    services.consent_withdraw(consent=consent, actor=village_librarian, reason="Berubah pikiran")

    page = client.get(url)
    assert page.status_code == 200 and "vimeo.com/1" not in page.text


def test_minors_video_needs_a_guardians_consent_to_be_public(
    client, village_library, village_librarian
):
    story = published_story(
        library=village_library,
        author=village_librarian,
        age_group=Story.AgeGroup.CHILD,
        storyteller_name="",
        anonymous=True,
        video_url="https://vimeo.com/2",
    )
    Consent.objects.filter(story=story).update(guardian_relation="Ayah")
    Consent.objects.create(
        story=story,
        kind=Consent.Kind.VIDEO,
        given_by="Anak",
        method=Consent.Method.VERBAL,
        witness="Kepala perpustakaan",
        given_on=timezone.localdate(),
        recorded_by=village_librarian,
    )

    assert "vimeo.com/2" not in client.get(story_url(story)).text


def test_librarian_enters_the_video_link_in_the_story_form(client_for, story, village_librarian):
    response = client_for(village_librarian).post(
        reverse("impact:edit", args=[story.pk]),
        {**_content(story), "video_url": "youtu.be/abc", "version": story.version},
    )

    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).video_url == "https://youtu.be/abc"
    detail = client_for(village_librarian).get(reverse("impact:detail", args=[story.pk])).text
    assert "Tonton videonya" in detail and "youtu.be" in detail


def _content(story):
    data = {}
    for name in Story.CONTENT_FIELDS:
        value = getattr(story, f"{name}_id" if name in ("village", "event") else name)
        data[name] = "" if value is None else value
    data["anonymous"] = "on" if story.anonymous else ""
    return data
