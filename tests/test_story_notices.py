"""The story's librarians hear when a selection panel shortlists or selects it: a notice on
their dashboard and an email, in Indonesian."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from impact import services
from impact.models import Consent, Notice, SelectionDecision, Story
from tests import factories
from tests.factories import StoryFactory, story_consent

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


# Panel news --------------------------------------------------------------------------------


def test_librarians_are_told_on_the_dashboard_and_by_email_when_a_panel_selects_their_story(
    client_for,
    story,
    village_librarian,
    village_library,
    district_librarian,
    consultant,
    django_capture_on_commit_callbacks,
):
    colleague = factories.librarian("pustakawan.rawamakmur2", village_library)
    with django_capture_on_commit_callbacks(execute=True):
        services.selection_record(
            story=story, actor=district_librarian, level=Level.DISTRICT, reason="Nyata."
        )
        services.selection_record(
            story=story, actor=consultant, level=Level.PROVINCE, reason="Inspiratif bagi provinsi."
        )

    assert {n.recipient for n in Notice.objects.all()} == {village_librarian, colleague}
    assert Notice.objects.count() == 4
    to_author = [m for m in mail.outbox if m.to == [village_librarian.email]]
    assert len(to_author) == 2
    assert (
        to_author[1].subject
        == "Cerita “Dari penjahit rumahan menjadi pemilik usaha”: Pilihan provinsi"
    )
    assert "dipilih oleh panel provinsi" in to_author[1].body
    assert "Inspiratif bagi provinsi." in to_author[1].body
    assert reverse("impact:card", args=[story.pk]) in to_author[1].body
    assert not [m for m in mail.outbox if district_librarian.email in m.to]  # they decided

    dashboard = client_for(village_librarian).get(reverse("dashboard")).text
    assert "Kabar cerita Anda" in dashboard
    assert "masuk daftar pendek panel kabupaten/kota" in dashboard
    assert "dipilih oleh panel provinsi" in dashboard


def test_national_selection_is_news_too(
    story, shortlisted, consultant, perpusnas, village_librarian, django_capture_on_commit_callbacks
):
    services.selection_record(story=story, actor=consultant, level=Level.PROVINCE, reason="A.")
    with django_capture_on_commit_callbacks(execute=True):
        services.selection_record(story=story, actor=perpusnas, level=Level.NATIONAL, reason="B.")

    latest = Notice.objects.filter(recipient=village_librarian).first()
    assert "panel nasional sebagai perubahan paling bermakna" in latest.message
    assert "panel nasional" in mail.outbox[-1].body


def test_refused_selection_tells_nobody(story, consultant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.selection_record(story=story, actor=consultant, level=Level.PROVINCE, reason="x")

    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_reading_a_notice_takes_it_off_the_dashboard(
    client, client_for, village_librarian, consultant, shortlisted
):
    notice = Notice.objects.get(recipient=village_librarian)
    url = reverse("impact:notice-read", args=[notice.pk])

    assert client.post(url)["Location"].startswith(reverse("login"))
    assert client_for(consultant).post(url).status_code == 404  # not theirs
    assert client_for(village_librarian).get(url).status_code == 405
    response = client_for(village_librarian).post(url)

    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
    dashboard = client_for(village_librarian).get(reverse("dashboard")).text
    assert "Kabar cerita Anda" not in dashboard


def test_all_notices_can_be_read_at_once(client_for, village_librarian, consultant, shortlisted):
    services.selection_record(
        story=shortlisted.story, actor=consultant, level=Level.PROVINCE, reason="Terpilih."
    )

    client_for(village_librarian).post(reverse("impact:notices-read"))

    assert not Notice.objects.unread().filter(recipient=village_librarian).exists()


def test_notice_is_read_only_by_its_recipient(village_librarian, consultant, shortlisted):
    notice = Notice.objects.get(recipient=village_librarian)

    with pytest.raises(PermissionDenied):
        services.notice_mark_read(actor=consultant, notice=notice)


def test_dashboard_notices_cost_one_query(
    client_for, village_librarian, shortlisted, consultant, django_assert_num_queries
):
    client = client_for(village_librarian)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(5) as before:
        client.get(reverse("dashboard"))
    services.selection_record(
        story=shortlisted.story, actor=consultant, level=Level.PROVINCE, reason="Terpilih."
    )
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(reverse("dashboard"))
    assert len(response.context["notices"]) == 2
