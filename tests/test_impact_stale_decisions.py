"""Every decision on a story (a review step, a panel's choice, a bulk action) is checked
against the version the person deciding read, with the one stale-edit check; a decision
taken meanwhile by somebody else makes the older page stale."""

import pytest
from django.urls import reverse

from impact import services
from impact.models import Consent, Story
from tests.factories import StoryFactory, published_story, story_consent

Status = Story.Status
STALE = "berubah setelah Anda membukanya"


@pytest.fixture
def submitted(village_library):
    return StoryFactory(library=village_library, status=Status.SUBMITTED)


def test_second_reviewer_deciding_on_the_page_read_before_the_first_decision_is_told(
    client_for, consultant, perpusnas, submitted
):
    read = submitted.version
    client_for(consultant).post(
        reverse("impact:transition", args=[submitted.pk]),
        {"to_status": "needs_revision", "comment": "Lengkapi kutipan.", "version": read},
    )

    response = client_for(perpusnas).post(
        reverse("impact:transition", args=[submitted.pk]),
        {"to_status": "verified", "version": read},
        follow=True,
    )

    assert STALE in response.text
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version) == (Status.NEEDS_REVISION, read + 1)
    assert submitted.review_events.count() == 1


def test_bulk_action_refuses_a_story_another_reviewer_decided_on_meanwhile(
    client_for, consultant, perpusnas, village_library, submitted
):
    other = StoryFactory(library=village_library, status=Status.SUBMITTED, title="Tetap")
    seen = {f"version-{story.pk}": story.version for story in (submitted, other)}
    services.story_transition(
        story=submitted,
        actor=perpusnas,
        to_status=Status.NEEDS_REVISION,
        comment="Foto kurang jelas.",
        version=submitted.version,
    )

    response = client_for(consultant).post(
        reverse("impact:bulk"),
        {"action": "verified", "stories": [submitted.pk, other.pk], **seen},
        follow=True,
    )

    assert STALE in response.text
    assert Story.objects.get(pk=submitted.pk).status == Status.NEEDS_REVISION
    assert Story.objects.get(pk=other.pk).status == Status.VERIFIED


def test_panel_choosing_on_a_page_read_before_a_change_is_told_and_records_nothing(
    client_for, district_librarian, consultant, village_library
):
    story = StoryFactory(library=village_library, status=Status.SUBMITTED)
    story_consent(story)
    read = story.version
    services.story_transition(
        story=story, actor=consultant, to_status=Status.VERIFIED, version=read
    )
    panel = client_for(district_librarian)

    stale = panel.post(
        reverse("impact:selection-add", args=[story.pk]),
        {"level": "district", "reason": "Paling nyata.", "version": read},
        follow=True,
    )
    fresh = panel.post(
        reverse("impact:selection-add", args=[story.pk]),
        {"level": "district", "reason": "Paling nyata.", "version": read + 1},
        follow=True,
    )

    assert STALE in stale.text
    assert "Pilihan panel dicatat." in fresh.text
    assert story.selections.count() == 1


def test_the_story_page_sends_the_version_with_the_panels_choice(
    client_for, district_librarian, village_library
):
    story = StoryFactory(library=village_library, status=Status.VERIFIED)

    page = client_for(district_librarian).get(reverse("impact:detail", args=[story.pk]))

    assert page.text.count(f'name="version" value="{story.version}"') >= 1
    assert reverse("impact:selection-add", args=[story.pk]) in page.text


def test_a_withdrawal_is_never_refused_but_makes_an_open_review_page_stale(
    client_for, perpusnas, village_librarian, village_library
):
    story = published_story(library=village_library, storyteller_name="Bu Sari")
    read = story.version
    naming = story.consents.get(kind=Consent.Kind.NAMING)
    services.consent_withdraw(consent=naming, actor=village_librarian, reason="Tidak mau disebut.")

    response = client_for(perpusnas).post(
        reverse("impact:transition", args=[story.pk]),
        {"to_status": "published", "version": read},
        follow=True,
    )

    assert STALE in response.text
    story.refresh_from_db()
    assert (story.status, story.version) == (Status.VERIFIED, read + 1)
