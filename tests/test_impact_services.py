"""The rules of impact stories, enforced by the services: states, consent, selection."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from impact import services
from impact.models import Consent, Photo, ReviewEvent, SelectionDecision, Story
from libraries.uploads import process_image
from tests.factories import StoryFactory, published_story, story_consent
from tests.test_uploads import _image_bytes, _upload

Status = Story.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def story(village_library, village_librarian):
    return StoryFactory(library=village_library, author=village_librarian)


def _move(story, actor, to, comment=""):
    return services.story_transition(story=story, actor=actor, to_status=to, comment=comment)


def _add_photo(story, actor, *, shows_face=True):
    processed = process_image(_upload(_image_bytes(size=(800, 600))))
    return services.photo_add(
        story=story, actor=actor, processed=processed, alt_text="Ibu Sumiati", shows_face=shows_face
    )


def test_librarian_submits_a_complete_draft(story, village_librarian):
    _move(story, village_librarian, Status.SUBMITTED)

    story.refresh_from_db()
    assert story.status == Status.SUBMITTED and story.submitted_at
    event = ReviewEvent.objects.get(story=story)
    assert (event.from_status, event.to_status, event.actor) == (
        Status.DRAFT,
        Status.SUBMITTED,
        village_librarian,
    )


def test_incomplete_draft_cannot_be_submitted(village_library, village_librarian):
    story = StoryFactory(library=village_library, author=village_librarian, what_changed="")

    with pytest.raises(ValidationError) as error:
        _move(story, village_librarian, Status.SUBMITTED)

    assert "apa yang berubah" in error.value.messages[0]
    assert Story.objects.get(pk=story.pk).status == Status.DRAFT


def test_consultant_verifies_and_sends_back_with_a_comment(story, consultant):
    story.status = Status.SUBMITTED
    story.save()

    with pytest.raises(ValidationError):
        _move(story, consultant, Status.NEEDS_REVISION)
    _move(story, consultant, Status.NEEDS_REVISION, "Tambahkan angka penghasilan.")

    assert Story.objects.get(pk=story.pk).status == Status.NEEDS_REVISION
    assert ReviewEvent.objects.get(story=story).comment == "Tambahkan angka penghasilan."


def test_librarian_cannot_verify_their_own_story(story, village_librarian, district_librarian):
    story.status = Status.SUBMITTED
    story.save()

    for librarian in (village_librarian, district_librarian):
        with pytest.raises(PermissionDenied):
            _move(story, librarian, Status.VERIFIED)


def test_consultant_of_another_province_cannot_review(story, outsider):
    story.status = Status.SUBMITTED
    story.save()

    with pytest.raises(PermissionDenied):
        _move(story, outsider, Status.VERIFIED)


def test_consultant_cannot_publish_only_perpusnas_staff(story, consultant, perpusnas):
    story.status = Status.VERIFIED
    story.save()
    story_consent(story)
    story_consent(story, Consent.Kind.NAMING)

    with pytest.raises(PermissionDenied):
        _move(story, consultant, Status.PUBLISHED)
    _move(story, perpusnas, Status.PUBLISHED)

    assert Story.objects.public().filter(pk=story.pk).exists()


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.DRAFT, Status.VERIFIED),
        (Status.DRAFT, Status.PUBLISHED),
        (Status.SUBMITTED, Status.PUBLISHED),
        (Status.NEEDS_REVISION, Status.VERIFIED),
        (Status.PUBLISHED, Status.DRAFT),
        (Status.WITHDRAWN, Status.SUBMITTED),
        (Status.WITHDRAWN, Status.PUBLISHED),
    ],
)
def test_state_changes_outside_the_workflow_are_refused(story, perpusnas, start, target):
    story.status = start
    story.published_at = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    story.save()

    with pytest.raises(ValidationError, match="tidak dapat menjadi"):
        _move(story, perpusnas, target)

    assert Story.objects.get(pk=story.pk).status == start
    assert not ReviewEvent.objects.exists()


def test_publishing_without_consent_is_refused_with_an_explanation(story, perpusnas):
    story.status = Status.VERIFIED
    story.save()

    with pytest.raises(ValidationError) as error:
        _move(story, perpusnas, Status.PUBLISHED)

    messages = " ".join(error.value.messages)
    assert "Belum ada persetujuan penggunaan cerita" in messages
    assert "belum ada persetujuan penyebutan nama" in messages
    assert Story.objects.get(pk=story.pk).status == Status.VERIFIED


def test_anonymous_story_needs_no_naming_consent(village_library, village_librarian, perpusnas):
    story = StoryFactory(
        library=village_library,
        author=village_librarian,
        anonymous=True,
        storyteller_name="",
        status=Status.VERIFIED,
    )
    story_consent(story, given_by="Penutur anonim")

    _move(story, perpusnas, Status.PUBLISHED)

    assert Story.objects.get(pk=story.pk).status == Status.PUBLISHED


def test_photo_showing_a_face_blocks_publishing_until_its_consent(
    story, village_librarian, perpusnas
):
    photo = _add_photo(story, village_librarian)
    story.refresh_from_db()
    story.status = Status.VERIFIED
    story.save()
    story_consent(story)
    story_consent(story, Consent.Kind.NAMING)

    with pytest.raises(ValidationError, match="menampilkan wajah tanpa persetujuan"):
        _move(story, perpusnas, Status.PUBLISHED)
    story_consent(story, Consent.Kind.PHOTO_FACE, photo=photo)
    _move(story, perpusnas, Status.PUBLISHED)

    assert Photo.objects.public().filter(pk=photo.pk).exists()


def test_minor_needs_a_guardian_to_consent(village_library, village_librarian):
    story = StoryFactory(
        library=village_library, author=village_librarian, age_group=Story.AgeGroup.TEEN
    )
    assert story.is_minor

    with pytest.raises(ValidationError) as error:
        services.consent_record(
            story=story,
            actor=village_librarian,
            kind=Consent.Kind.STORY_USE,
            given_by="Rina",
            method=Consent.Method.VERBAL,
            witness="Pak RT",
            given_on=datetime.date(2024, 5, 1),
        )
    assert "orang tua atau wali" in " ".join(error.value.messages)
    assert not Consent.objects.exists()

    consent = services.consent_record(
        story=story,
        actor=village_librarian,
        kind=Consent.Kind.STORY_USE,
        given_by="Ibu Wati",
        guardian_relation="Ibu kandung",
        method=Consent.Method.VERBAL,
        witness="Pak RT",
        given_on=datetime.date(2024, 5, 1),
    )
    assert consent.by_guardian and consent.recorded_by == village_librarian


def test_story_that_becomes_a_minors_cannot_be_published_on_an_adults_consent(
    story, village_librarian, perpusnas
):
    story_consent(story)
    story_consent(story, Consent.Kind.NAMING)
    photo = _add_photo(story, village_librarian)
    story_consent(story, Consent.Kind.PHOTO_FACE, photo=photo)
    story.refresh_from_db()
    story.age_group = Story.AgeGroup.CHILD
    story.status = Status.VERIFIED
    story.save()

    with pytest.raises(ValidationError, match="di bawah umur"):
        _move(story, perpusnas, Status.PUBLISHED)

    # A parent now consents to the story and the name, but the child's face still stands
    # on the child's own consent: that is no consent for a minor.
    Consent.objects.filter(photo__isnull=True).update(guardian_relation="Ibu kandung")
    with pytest.raises(ValidationError) as error:
        _move(story, perpusnas, Status.PUBLISHED)
    assert error.value.messages == [
        "Penutur masih di bawah umur: persetujuan untuk foto “Ibu Sumiati” harus dari orang tua "
        "atau wali."
    ]
    assert not Story.objects.public().filter(pk=story.pk).exists()


def test_consent_needs_proof_of_how_it_was_given(story, village_librarian):
    with pytest.raises(ValidationError):
        services.consent_record(
            story=story,
            actor=village_librarian,
            kind=Consent.Kind.STORY_USE,
            given_by="Ibu Sumiati",
            method=Consent.Method.VERBAL,
            witness="",
            given_on=datetime.date(2024, 5, 1),
        )
    assert not Consent.objects.exists()


def test_withdrawing_the_use_consent_unpublishes_and_keeps_the_record(village_library, consultant):
    story = published_story(library=village_library)
    consent = story.consents.get(kind=Consent.Kind.STORY_USE)

    services.consent_withdraw(consent=consent, actor=consultant, reason="Keluarga keberatan.")

    story.refresh_from_db()
    assert story.status == Status.WITHDRAWN and story.published_at is None
    assert not Story.objects.public().filter(pk=story.pk).exists()
    consent.refresh_from_db()
    assert consent.withdrawn_reason == "Keluarga keberatan." and consent.withdrawn_at
    assert consent.withdrawn_recorded_by == consultant
    assert ReviewEvent.objects.get(story=story).to_status == Status.WITHDRAWN


def test_withdrawal_needs_a_reason(village_library, consultant):
    story = published_story(library=village_library)
    consent = story.consents.get(kind=Consent.Kind.STORY_USE)

    with pytest.raises(ValidationError):
        services.consent_withdraw(consent=consent, actor=consultant, reason="  ")

    assert Story.objects.public().filter(pk=story.pk).exists()


def test_withdrawing_the_naming_consent_takes_the_story_off_the_public_pages(
    village_library, village_librarian
):
    story = published_story(library=village_library)
    naming = story.consents.get(kind=Consent.Kind.NAMING)

    services.consent_withdraw(consent=naming, actor=village_librarian, reason="Ingin anonim.")

    assert Story.objects.get(pk=story.pk).status == Status.VERIFIED
    assert not Story.objects.public().filter(pk=story.pk).exists()


def test_withdrawing_a_photo_consent_hides_only_that_photo(village_library, perpusnas):
    story = published_story(library=village_library)
    first = _add_photo(story, story.author, shows_face=False)
    story.status = Status.PUBLISHED  # adding photos sent it back to review
    story.save()
    Story.objects.filter(pk=story.pk).update(status=Status.PUBLISHED)
    face = Photo.objects.create(
        story=story,
        image=first.image.name,
        thumbnail=first.thumbnail.name,
        width=1,
        height=1,
        alt_text="Wajah",
        uploaded_by=story.author,
    )
    consent = story_consent(story, Consent.Kind.PHOTO_FACE, photo=face)
    assert set(Photo.objects.public()) == {first, face}

    services.consent_withdraw(consent=consent, actor=perpusnas, reason="Tidak ingin wajahnya.")

    assert set(Photo.objects.public()) == {first}
    assert Story.objects.public().filter(pk=story.pk).exists()


def test_editing_a_published_story_sends_it_back_to_review(village_library):
    story = published_story(library=village_library)

    services.story_update(
        story=story, actor=story.author, version=story.version, what_changed="Omzet naik tiga kali."
    )

    story.refresh_from_db()
    assert story.status == Status.SUBMITTED and story.published_at is None
    assert not Story.objects.public().filter(pk=story.pk).exists()


def test_saving_from_an_old_version_is_refused(story, village_librarian):
    services.story_update(story=story, actor=village_librarian, version=1, title="Versi tab satu")

    with pytest.raises(services.EditConflict):
        services.story_update(
            story=story, actor=village_librarian, version=1, title="Versi tab dua"
        )

    assert Story.objects.get(pk=story.pk).title == "Versi tab satu"


def test_repeated_first_save_makes_one_draft(village_library, village_librarian):
    import uuid

    key = uuid.uuid4()
    for title in ("Judul", "Judul lengkap"):
        services.story_create(
            actor=village_librarian, library=village_library, draft_key=key, title=title
        )

    assert Story.objects.get().title == "Judul lengkap"


def test_village_librarian_cannot_write_for_another_library(
    berau_village_library, village_librarian, district_librarian, village_library
):
    with pytest.raises(PermissionDenied):
        services.story_create(actor=village_librarian, library=berau_village_library)
    # The kab/kota librarian writes for the villages of their kab/kota.
    story = services.story_create(actor=district_librarian, library=village_library, title="A")
    assert story.author == district_librarian


def test_selection_panels_go_in_order_with_reasons(
    story, district_librarian, consultant, perpusnas
):
    story.status = Status.VERIFIED
    story.save()

    with pytest.raises(ValidationError, match="Daftar pendek kabupaten/kota"):
        services.selection_record(
            story=story, actor=consultant, level=SelectionDecision.Level.PROVINCE, reason="Bagus"
        )
    with pytest.raises(ValidationError):
        services.selection_record(
            story=story, actor=district_librarian, level=SelectionDecision.Level.DISTRICT, reason=""
        )
    services.selection_record(
        story=story,
        actor=district_librarian,
        level=SelectionDecision.Level.DISTRICT,
        reason="Perubahan ekonomi paling nyata.",
    )
    with pytest.raises(PermissionDenied):
        services.selection_record(
            story=story,
            actor=district_librarian,
            level=SelectionDecision.Level.PROVINCE,
            reason="x",
        )
    services.selection_record(
        story=story, actor=consultant, level=SelectionDecision.Level.PROVINCE, reason="Inspiratif."
    )
    with pytest.raises(PermissionDenied):
        services.selection_record(
            story=story, actor=consultant, level=SelectionDecision.Level.NATIONAL, reason="x"
        )
    services.selection_record(
        story=story, actor=perpusnas, level=SelectionDecision.Level.NATIONAL, reason="Terpilih."
    )

    assert list(story.selections.values_list("level", flat=True)) == [
        "district",
        "province",
        "national",
    ]


def test_draft_cannot_go_to_the_selection_panels(story, consultant):
    with pytest.raises(ValidationError):
        services.selection_record(
            story=story, actor=consultant, level=SelectionDecision.Level.DISTRICT, reason="x"
        )


def test_author_is_emailed_on_each_change(story, consultant, django_capture_on_commit_callbacks):
    story.status = Status.SUBMITTED
    story.save()

    with django_capture_on_commit_callbacks(execute=True):
        _move(story, consultant, Status.NEEDS_REVISION, "Lengkapi foto kegiatan.")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [story.author.email]
    assert "Perlu perbaikan" in message.subject
    assert "Lengkapi foto kegiatan." in message.body


def test_status_email_links_to_the_story_at_the_portals_address(
    story, consultant, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://tpbis.perpusnas.go.id"
    Story.objects.filter(pk=story.pk).update(status=Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        _move(story, consultant, Status.NEEDS_REVISION, "Lengkapi foto kegiatan.")

    assert f"https://tpbis.perpusnas.go.id/cerita/{story.pk}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("start", "target", "who", "comment"),
    [
        (Status.DRAFT, Status.SUBMITTED, "village_librarian", ""),
        (Status.NEEDS_REVISION, Status.SUBMITTED, "district_librarian", ""),
        (Status.SUBMITTED, Status.NEEDS_REVISION, "consultant", "Kurang jelas."),
        (Status.SUBMITTED, Status.VERIFIED, "consultant", ""),
        (Status.VERIFIED, Status.NEEDS_REVISION, "perpusnas", "Periksa angka."),
        (Status.VERIFIED, Status.PUBLISHED, "perpusnas", ""),
        (Status.PUBLISHED, Status.VERIFIED, "perpusnas", "Salah ketik nama desa."),
    ],
)
def test_every_allowed_state_change_is_recorded(request, story, start, target, who, comment):
    actor = request.getfixturevalue(who)
    story.status = start
    if start == Status.PUBLISHED:
        story.published_at = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    story.save()
    story_consent(story)
    story_consent(story, Consent.Kind.NAMING)

    _move(story, actor, target, comment)

    story.refresh_from_db()
    assert story.status == target
    assert (story.published_at is not None) == (target == Status.PUBLISHED)
    event = ReviewEvent.objects.get(story=story)
    assert (event.from_status, event.to_status, event.actor, event.comment) == (
        start,
        target,
        actor,
        comment,
    )


def test_unpublishing_needs_a_reason(village_library, perpusnas):
    story = published_story(library=village_library)

    with pytest.raises(ValidationError):
        _move(story, perpusnas, Status.VERIFIED)

    assert Story.objects.public().filter(pk=story.pk).exists()


def test_removing_a_photo_keeps_its_consent_and_withdrawal_on_record(
    village_library, perpusnas, tmp_path, django_capture_on_commit_callbacks
):
    story = published_story(library=village_library)
    photo = _add_photo(story, story.author)
    consent = story_consent(story, Consent.Kind.PHOTO_FACE, photo=photo)
    services.consent_withdraw(consent=consent, actor=perpusnas, reason="Tidak ingin wajahnya.")
    files = [tmp_path / "private" / photo.image.name, tmp_path / "private" / photo.thumbnail.name]
    assert all(path.is_file() for path in files)

    with django_capture_on_commit_callbacks(execute=True):
        services.photo_remove(photo=photo, actor=story.author)

    consent.refresh_from_db()
    assert consent.photo_id == photo.pk and consent.withdrawn_reason == "Tidak ingin wajahnya."
    assert consent.withdrawn_recorded_by == perpusnas
    photo.refresh_from_db()
    assert photo.removed_at and photo.removed_by == story.author
    assert not photo.image and not photo.thumbnail
    assert not any(path.exists() for path in files)
    assert not story.photos.current().exists()


def test_removed_face_photo_no_longer_blocks_publishing_or_counts(story, village_librarian):
    photo = _add_photo(story, village_librarian)
    story_consent(story)
    story_consent(story, Consent.Kind.NAMING)
    assert len(services.publish_blockers(story)) == 1

    services.photo_remove(photo=photo, actor=village_librarian)

    assert services.publish_blockers(story) == []
    for _ in range(Photo.MAX_PER_STORY):
        _add_photo(story, village_librarian, shows_face=False)
    with pytest.raises(ValidationError):
        _add_photo(story, village_librarian, shows_face=False)


def _record_again(story, actor, kind=Consent.Kind.STORY_USE, *, photo=None, **extra):
    values = {
        "given_by": "Ibu Sumiati",
        "method": Consent.Method.VERBAL,
        "witness": "Lurah Rawa Makmur",
        "given_on": datetime.date(2024, 6, 3),
    }
    values.update(extra)
    return services.consent_record(story=story, actor=actor, kind=kind, photo=photo, **values)


def test_a_wrong_use_consent_is_replaced_without_closing_the_story(village_library):
    story = published_story(library=village_library)
    wrong = story.consents.get(kind=Consent.Kind.STORY_USE)

    with pytest.raises(ValidationError) as error:
        _record_again(story, story.author)
    assert "replaces_reason" in error.value.message_dict
    assert story.consents.count() == 2 and Consent.objects.get(pk=wrong.pk).is_active

    right = _record_again(story, story.author, replaces_reason="Tanggal salah dicatat.")

    wrong.refresh_from_db()
    assert not wrong.is_active and wrong.withdrawn_at is None
    assert wrong.superseded_at and wrong.superseded_by == right
    assert wrong.superseded_reason == "Tanggal salah dicatat."
    assert right.is_active and right.recorded_by == story.author
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert Story.objects.public().filter(pk=story.pk).exists()
    assert not ReviewEvent.objects.filter(story=story).exists()
    with pytest.raises(ValidationError, match="diganti"):
        services.consent_withdraw(consent=wrong, actor=story.author, reason="Salah.")


def test_guardian_consents_replace_a_childs_own_and_the_story_can_be_published(
    story, village_librarian, perpusnas
):
    story_consent(story)
    story_consent(story, Consent.Kind.NAMING)
    photo = _add_photo(story, village_librarian)
    story_consent(story, Consent.Kind.PHOTO_FACE, photo=photo)
    Story.objects.filter(pk=story.pk).update(age_group=Story.AgeGroup.CHILD, status=Status.VERIFIED)
    story.refresh_from_db()
    guardian = {"given_by": "Ibu Wati", "guardian_relation": "Ibu kandung"}
    why = "Penutur ternyata berusia 11 tahun."

    for kind in (Consent.Kind.STORY_USE, Consent.Kind.NAMING):
        _record_again(story, village_librarian, kind, replaces_reason=why, **guardian)
    _record_again(
        story,
        village_librarian,
        Consent.Kind.PHOTO_FACE,
        photo=photo,
        replaces_reason=why,
        **guardian,
    )
    _move(story, perpusnas, Status.PUBLISHED)

    assert Story.objects.public().filter(pk=story.pk).exists()
    assert Consent.objects.active().filter(guardian_relation="").count() == 0
    assert Consent.objects.filter(superseded_reason=why).count() == 3


def test_reviewer_cannot_verify_a_version_they_did_not_read(story, village_librarian, consultant):
    Story.objects.filter(pk=story.pk).update(status=Status.SUBMITTED)
    story.refresh_from_db()
    read = story.version
    services.story_update(
        story=story, actor=village_librarian, version=read, what_changed="Kini punya toko sendiri."
    )

    with pytest.raises(ValidationError, match="berubah setelah Anda membukanya"):
        services.story_transition(
            story=story, actor=consultant, to_status=Status.VERIFIED, version=read
        )
    assert Story.objects.get(pk=story.pk).status == Status.SUBMITTED

    services.story_transition(
        story=story, actor=consultant, to_status=Status.VERIFIED, version=read + 1
    )
    assert Story.objects.get(pk=story.pk).status == Status.VERIFIED
