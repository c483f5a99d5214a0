"""Every write to stories, photos, consents and selections. The rules live here."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from impact import consents, notifications
from impact.models import Consent, Notice, Photo, ReviewEvent, SelectionDecision, Story
from libraries.data_version import province_data_changed
from libraries.models import Library, User
from libraries.scope import Scope
from libraries.site_url import absolute_url
from libraries.uploads import ProcessedImage
from libraries.versioning import EditConflict as EditConflict
from libraries.versioning import check_version, lock_at_version, save_next_version

Status = Story.Status


class TransitionRefused(ValidationError):
    """The state change is not allowed now; the message says why."""


STALE_MESSAGE = gettext_lazy(
    "This story changed after you opened it (its text, its photos or a decision on it). "
    "Nothing was done: read it again, then decide."
)


# (from, to) -> who may make the change. Withdrawal is not here: it follows from a consent.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SUBMITTED): "write",
    (Status.NEEDS_REVISION, Status.SUBMITTED): "write",
    (Status.SUBMITTED, Status.NEEDS_REVISION): "review",
    (Status.SUBMITTED, Status.VERIFIED): "review",
    (Status.VERIFIED, Status.NEEDS_REVISION): "review",
    (Status.VERIFIED, Status.PUBLISHED): "publish",
    (Status.PUBLISHED, Status.VERIFIED): "publish",
}
# Changes that must say why.
NEEDS_COMMENT = {
    (Status.SUBMITTED, Status.NEEDS_REVISION),
    (Status.VERIFIED, Status.NEEDS_REVISION),
    (Status.PUBLISHED, Status.VERIFIED),
}
# Content of a story in these states has been checked; changing it sends it back to review.
REVIEWED = (Status.VERIFIED, Status.PUBLISHED)


def _check_writer(actor: User, library: Library) -> None:
    if not Scope.for_user(actor).reports_for(library):
        raise PermissionDenied


def _record(story: Story, actor: User, from_status: str, comment: str = "") -> ReviewEvent:
    event = ReviewEvent.objects.create(
        story=story,
        actor=actor,
        from_status=from_status,
        to_status=story.status,
        comment=comment,
    )
    # The link is made now, while the request that made the change (and its host) is known.
    link = absolute_url(story_url(story))
    transaction.on_commit(lambda: notifications.status_changed(story, event, link=link))
    return event


def _set_status(story: Story, actor: User, to_status: str, comment: str = "") -> ReviewEvent:
    from_status = story.status
    story.status = to_status
    now = timezone.now()
    fields = ["status", "updated_at"]
    if to_status == Status.SUBMITTED:
        story.submitted_at = now
        fields.append("submitted_at")
    if to_status == Status.PUBLISHED:
        story.published_at = now
        fields.append("published_at")
    elif from_status == Status.PUBLISHED:
        story.published_at = None
        fields.append("published_at")
    story.full_clean()
    # A decision taken on the page read before this one is refused as stale.
    save_next_version(story, fields)
    if Status.PUBLISHED in (from_status, to_status):
        _public_stories_changed(story)
    return _record(story, actor, from_status, comment)


def _public_stories_changed(story: Story) -> None:
    # Province pages, the sitemap and the open data count and show published stories.
    province_data_changed(story.library.province_id)


def _back_to_review(story: Story, actor: User, why: str) -> None:
    if story.status in REVIEWED:
        _set_status(story, actor, Status.SUBMITTED, why)


class NewPhoto(TypedDict):
    """A photo given with the story on its first screen (see ``story_create``)."""

    processed: ProcessedImage
    alt_text: str
    shows_face: bool


class NewConsent(TypedDict):
    """A consent given with the story on its first screen (see ``story_create``)."""

    kind: str
    # For a face: the position, in ``photos``, of the photo of the same submit.
    photo: int | None
    given_by: str
    guardian_relation: str
    method: str
    signed_form: File | None
    witness: str
    given_on: datetime.date | None


class ConsentRefused(ValidationError):
    """A consent given with a new story broke a rule; ``refused`` is the original error, by
    field of the consent, so the page can show it where it was typed."""

    def __init__(self, refused: ValidationError, *, kind: str):
        super().__init__(
            _("Consent “%(kind)s”: %(why)s")
            % {"kind": Consent.Kind(kind).label, "why": " ".join(refused.messages)}
        )
        self.refused = refused


def story_create(
    *,
    actor: User,
    library: Library,
    draft_key: uuid.UUID | None = None,
    photos: Sequence[NewPhoto] = (),
    consents: Sequence[NewConsent] = (),
    **content,
) -> Story:
    """Start a draft, with the photos and consents given on its first screen, all or nothing.

    The same ``draft_key`` twice (a retried first save, or the save after an autosave) updates
    that draft; its photos and consents are added only while the draft has none of either, so
    a retried save that carried them does not add them twice.
    """
    stored: list[str] = []
    try:
        return _story_create(
            actor=actor,
            library=library,
            draft_key=draft_key,
            photos=photos,
            consents=consents,
            stored=stored,
            content=content,
        )
    except BaseException:
        # The rows were rolled back; their files must go too.
        _delete_files(*stored)
        raise


@transaction.atomic
def _story_create(
    *,
    actor: User,
    library: Library,
    draft_key: uuid.UUID | None,
    photos: Sequence[NewPhoto],
    consents: Sequence[NewConsent],
    stored: list[str],
    content: dict,
) -> Story:
    _check_writer(actor, library)
    unknown = set(content) - set(Story.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not story content: {sorted(unknown)}")
    existing = None
    if draft_key is not None:
        existing = (
            Story.objects.select_for_update().filter(draft_key=draft_key, author=actor).first()
        )
    if existing is not None:
        story = story_update(story=existing, actor=actor, version=existing.version, **content)
        if story.photos.current().exists() or story.consents.exists():
            return story
    else:
        story = Story(library=library, author=actor, draft_key=draft_key, **content)
        story.full_clean()
        story.save()
    added = []
    for given in photos:
        photo = photo_add(story=story, actor=actor, **given)
        added.append(photo)
        stored.extend(name for name in (photo.image.name, photo.thumbnail.name) if name)
    for wanted in consents:
        position = wanted["photo"]
        try:
            consent = consent_record(
                story=story,
                actor=actor,
                kind=wanted["kind"],
                photo=added[position] if position is not None else None,
                given_by=wanted["given_by"],
                guardian_relation=wanted["guardian_relation"],
                method=wanted["method"],
                signed_form=wanted["signed_form"],
                witness=wanted["witness"],
                given_on=wanted["given_on"],
            )
        except ValidationError as exc:
            raise ConsentRefused(exc, kind=wanted["kind"]) from exc
        if consent.signed_form.name:
            stored.append(consent.signed_form.name)
    if photos:
        story.refresh_from_db()
    return story


@transaction.atomic
def story_update(*, story: Story, actor: User, version: int, **content) -> Story:
    """Save the story's content if nobody saved it since ``version`` was read.

    A verified or published story goes back to review: what the public reads was checked.
    """
    unknown = set(content) - set(Story.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not story content: {sorted(unknown)}")
    current = lock_at_version(Story.objects.select_related("library"), pk=story.pk, version=version)
    _check_writer(actor, current.library)
    if not current.is_editable:
        raise ValidationError(_("The consent to use this story was withdrawn; it is closed."))
    changed = [name for name, value in content.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, content[name])
    if not changed:
        return current
    current.full_clean()
    save_next_version(current, changed)
    _back_to_review(current, actor, _("Edited after review; the changes need a new review."))
    return current


def publish_blockers(story: Story) -> list[str]:
    """Why the story may not be published yet, in words the librarian can act on."""
    consents = [
        consent
        for consent in story.consents.active().select_related("photo")
        # A removed photo is published nowhere; its consent is kept only as a record.
        if consent.photo is None or not consent.photo.is_removed
    ]
    by_kind = {consent.kind: consent for consent in consents if consent.photo_id is None}
    face_consents = {consent.photo_id for consent in consents if consent.photo_id}
    problems = []
    use = by_kind.get(Consent.Kind.STORY_USE)
    if use is None:
        problems.append(_("No consent to use the story is on record."))
    if not story.anonymous and story.storyteller_name and Consent.Kind.NAMING not in by_kind:
        problems.append(
            _(
                "The storyteller is named but did not consent to being named: record that "
                "consent, or make the story anonymous."
            )
        )
    if story.video_url and Consent.Kind.VIDEO not in by_kind:
        problems.append(
            _(
                "The story links a video without consent to publish it: record that consent, "
                "or remove the link."
            )
        )
    if story.is_minor:
        # Every consent, a photo's too: the age group may have been corrected after the
        # consents were recorded from the person themselves.
        for consent in consents:
            if consent.by_guardian:
                continue
            if consent.photo_id:
                problems.append(
                    _(
                        "The storyteller is a minor: the consent for the photo “%(photo)s” "
                        "must come from a parent or guardian."
                    )
                    % {"photo": consent.photo.alt_text}
                )
            else:
                problems.append(
                    _(
                        "The storyteller is a minor: the consent “%(kind)s” must come from a "
                        "parent or guardian."
                    )
                    % {"kind": consent.get_kind_display()}
                )
    for photo in story.photos.current():
        if photo.shows_face and photo.pk not in face_consents:
            problems.append(
                _(
                    "The photo “%(photo)s” shows a face without consent to publish it: record "
                    "the consent, or remove the photo."
                )
                % {"photo": photo.alt_text}
            )
    return problems


@transaction.atomic
def story_transition(
    *, story: Story, actor: User, to_status: str, comment: str = "", version: int | None = None
) -> Story:
    """Move the story to ``to_status`` if the rules allow it; record and announce it.

    ``version`` is the one the person deciding has read (the pages send it): a story edited
    since then is refused, so nobody verifies or publishes text they never saw.
    """
    current = Story.objects.select_for_update().select_related("library").get(pk=story.pk)
    if version is not None:
        # First: a decision on a page read before somebody else's change (an edit, a photo,
        # another decision) is told so, whatever that change made of the story.
        try:
            check_version(current, version)
        except EditConflict:
            raise TransitionRefused(STALE_MESSAGE) from None
    comment = (comment or "").strip()
    key = (current.status, to_status)
    who = TRANSITIONS.get(key)
    if who is None:
        raise TransitionRefused(
            _("A story that is “%(current)s” cannot become “%(wanted)s”.")
            % {
                "current": current.get_status_display(),
                "wanted": Status(to_status).label,
            }
        )
    allowed = {
        "write": lambda: Scope.for_user(actor).reports_for(current.library),
        "review": lambda: Scope.for_user(actor).reviews_for(current.library),
        "publish": lambda: Scope.for_user(actor).can_publish,
    }[who]()
    if not allowed:
        raise PermissionDenied
    if key in NEEDS_COMMENT and not comment:
        raise TransitionRefused(_("Write a comment saying why."))
    if to_status == Status.SUBMITTED:
        missing = current.missing_for_submission()
        if missing:
            raise TransitionRefused(
                _("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)}
            )
    if to_status == Status.PUBLISHED:
        problems = publish_blockers(current)
        if problems:
            raise TransitionRefused(problems)
    _set_status(current, actor, to_status, comment)
    return current


@transaction.atomic
def photo_add(
    *, story: Story, actor: User, processed: ProcessedImage, alt_text: str, shows_face: bool
) -> Photo:
    current = Story.objects.select_for_update().select_related("library").get(pk=story.pk)
    _check_writer(actor, current.library)
    if not current.is_editable:
        raise ValidationError(_("The consent to use this story was withdrawn; it is closed."))
    if current.photos.current().count() >= Photo.MAX_PER_STORY:
        raise ValidationError(
            _("A story has at most %(count)d photos.") % {"count": Photo.MAX_PER_STORY}
        )
    photo = Photo(
        story=current,
        alt_text=alt_text.strip(),
        shows_face=shows_face,
        uploaded_by=actor,
        width=processed.width,
        height=processed.height,
    )
    photo.full_clean(exclude=["image", "thumbnail"])
    photo.image.save("photo.jpg", processed.image, save=False)
    photo.thumbnail.save("thumbnail.jpg", processed.thumbnail, save=False)
    try:
        photo.save()
    except Exception:
        # Nothing half-saved: no files without their row.
        _delete_files(photo.image.name, photo.thumbnail.name)
        raise
    save_next_version(current, [])
    _back_to_review(current, actor, _("A photo was added after review."))
    return photo


def _delete_files(*names: str | None) -> None:
    storage = Photo._meta.get_field("image").storage
    for name in names:
        if name:
            storage.delete(name)


@transaction.atomic
def photo_remove(*, photo: Photo, actor: User) -> None:
    """Take the photo off the story and delete its image files.

    The row stays, marked removed, because consents given for the photo and their withdrawals
    must remain provable (UU PDP); every page shows only ``Photo.objects.current()``.
    """
    story = Story.objects.select_for_update().select_related("library").get(pk=photo.story_id)
    _check_writer(actor, story.library)
    photo = Photo.objects.select_for_update().get(pk=photo.pk)
    if photo.is_removed:
        return
    names = (photo.image.name, photo.thumbnail.name)
    photo.removed_at = timezone.now()
    photo.removed_by = actor
    photo.image = ""
    photo.thumbnail = ""
    photo.full_clean(exclude=["image", "thumbnail"])
    photo.save(update_fields=["removed_at", "removed_by", "image", "thumbnail"])
    transaction.on_commit(lambda: _delete_files(*names))
    save_next_version(story, [])
    if story.status == Status.PUBLISHED:
        _public_stories_changed(story)


@transaction.atomic
def consent_record(
    *,
    story: Story,
    actor: User,
    kind: str,
    given_by: str,
    method: str,
    given_on: datetime.date | None,
    guardian_relation: str = "",
    witness: str = "",
    signed_form: File | None = None,
    photo: Photo | None = None,
    replaces_reason: str = "",
) -> Consent:
    """Record a consent. If one of the same kind (or for the same photo) stands, the new record
    replaces it: the earlier one is kept, marked replaced, with ``replaces_reason``.

    Replacing corrects the record (a wrong date, a guardian's consent for a minor); it is not
    a withdrawal, so the story stays open and its status does not change.
    """
    current = (
        Story.objects.select_for_update(of=("self",))
        .select_related("library__province")
        .get(pk=story.pk)
    )
    _check_writer(actor, current.library)
    if given_on is None:
        raise ValidationError({"given_on": _("Give the date the consent was given.")})
    if given_on > current.local_today():
        raise ValidationError({"given_on": _("Consent cannot be given in the future.")})
    earlier = (
        Consent.objects.active()
        .select_for_update()
        .filter(story=current, kind=kind, photo=photo if kind == Consent.Kind.PHOTO_FACE else None)
        .first()
    )
    consents.standing_replace(earlier, replaces_reason=replaces_reason)
    consent = Consent(
        story=current,
        kind=kind,
        photo=photo,
        given_by=given_by,
        guardian_relation=guardian_relation.strip(),
        method=method,
        witness=witness,
        given_on=given_on,
        recorded_by=actor,
    )
    consents.consent_save(consent, signed_form=signed_form, replaces=earlier)
    if current.status == Story.Status.PUBLISHED:
        # A consent given after publication (a photo's face, the video) may show more.
        _public_stories_changed(current)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor: User, reason: str) -> Consent:
    """Record a withdrawal and take what it covered off the public pages at once.

    The consent record stays, with the reason, as proof that the withdrawal was honoured.
    A testimony's consent is withdrawn by ``impact.testimonies.services``.
    """
    if consent.story_id is None:
        from impact.testimonies.services import testimony_consent_withdraw

        return testimony_consent_withdraw(consent=consent, actor=actor, reason=reason)
    story_pk = consent.story_id
    reason = consents.withdrawal_reason(reason)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    story = Story.objects.select_for_update().select_related("library").get(pk=story_pk)
    consents.check_withdrawer(actor, story.library)
    consents.withdrawal_record(consent, actor=actor, reason=reason)
    note = _("Consent withdrawn (%(kind)s): %(reason)s") % {
        "kind": consent.get_kind_display(),
        "reason": reason,
    }
    if consent.kind == Consent.Kind.STORY_USE and story.status != Status.WITHDRAWN:
        _set_status(story, actor, Status.WITHDRAWN, note)
    elif consent.kind == Consent.Kind.NAMING and story.status == Status.PUBLISHED:
        # The text may name the person: staff look again before it returns.
        _set_status(story, actor, Status.VERIFIED, note)
    # A photo's face consent needs no status change: the photo stops being public as soon
    # as its consent is withdrawn (see PhotoQuerySet.public).
    elif story.status == Status.PUBLISHED:
        _public_stories_changed(story)
    return consent


@transaction.atomic
def selection_record(
    *, story: Story, actor: User, level: str, reason: str, version: int | None = None
) -> SelectionDecision:
    """A panel's choice: the kab/kota shortlists, the province picks, the nation names.

    ``version`` is the one the panel read (the page sends it): a story changed since then is
    refused, as for any other decision on it.
    """
    current = Story.objects.select_for_update().select_related("library").get(pk=story.pk)
    if not Scope.for_user(actor).selects_at(level, current.library):
        raise PermissionDenied
    if version is not None:
        try:
            check_version(current, version)
        except EditConflict:
            raise ValidationError(STALE_MESSAGE) from None
    if current.status not in REVIEWED:
        raise ValidationError(_("Only verified or published stories go to the selection panels."))
    earlier = SelectionDecision.ORDER[
        : SelectionDecision.ORDER.index(SelectionDecision.Level(level))
    ]
    if earlier:
        previous = earlier[-1]
        if not current.selections.filter(level=previous).exists():
            raise ValidationError(
                _("The panel “%(panel)s” has to select the story first.")
                % {"panel": SelectionDecision.Level(previous).label}
            )
    decision = SelectionDecision(
        story=current, level=level, reason=(reason or "").strip(), decided_by=actor
    )
    decision.full_clean()
    decision.save()
    # The story travels back: its librarians hear of every panel that picks it.
    notifications.selection_made(
        decision,
        link=absolute_url(story_url(current)),
        card_link=absolute_url(reverse("impact:card", args=[current.pk])),
    )
    return decision


@transaction.atomic
def notice_mark_read(*, actor: User, notice: Notice) -> Notice:
    """Take a notice off its recipient's dashboard."""
    if notice.recipient_id != actor.pk:
        raise PermissionDenied
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def notices_mark_all_read(*, actor: User) -> int:
    return Notice.objects.unread().filter(recipient=actor).update(read_at=timezone.now())


def story_url(story: Story) -> str:
    return reverse("impact:detail", args=[story.pk])
