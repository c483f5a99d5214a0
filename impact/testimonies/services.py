"""Every write to testimonies and their consents. The consent rules are those of stories:

- a consent is explicit and provable (a signed form, or a witness to a verbal consent), one
  record per purpose (use of the quote, being named), a minor's from a parent or guardian;
- a testimony is published by staff only while its use consent stands, and a named speaker
  only with the consent to be named;
- a withdrawal is recorded with its reason and takes the testimony off the public pages in the
  same request (the province's data version is renewed, so no cached page keeps it).
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from impact import consents
from impact.models import Consent, Story, Testimony
from libraries.data_version import province_data_changed
from libraries.models import Library, User
from libraries.scope import Scope


def _check_writer(actor: User, library: Library) -> None:
    if not Scope.for_user(actor).reports_for(library):
        raise PermissionDenied


def _public_changed(testimony: Testimony) -> None:
    # The public library and province pages show published testimonies.
    province_data_changed(testimony.library.province_id)


def _locked(testimony: Testimony) -> Testimony:
    return (
        Testimony.objects.select_for_update(of=("self",))
        .select_related("library__province")
        .get(pk=testimony.pk)
    )


@transaction.atomic
def testimony_create(
    *, actor: User, library: Library, idempotency_key: uuid.UUID | None = None, **content
) -> tuple[Testimony, bool]:
    """Record a testimony (not yet public). The same ``idempotency_key`` again returns the
    testimony recorded the first time: ``(testimony, created)``."""
    _check_writer(actor, library)
    unknown = set(content) - set(Testimony.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not testimony content: {sorted(unknown)}")
    if idempotency_key is not None:
        existing = Testimony.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    testimony = Testimony(library=library, author=actor, idempotency_key=idempotency_key, **content)
    if testimony.anonymous:
        testimony.speaker_name = ""
    testimony.full_clean()
    if testimony.given_on and testimony.given_on > testimony.local_today():
        raise ValidationError({"given_on": _("A testimony cannot be given in the future.")})
    testimony.save()
    return testimony, True


@transaction.atomic
def testimony_update(*, actor: User, testimony: Testimony, **content) -> Testimony:
    """Change the testimony; a published one goes off the public pages until staff publish it
    again, since what the public reads was checked."""
    unknown = set(content) - set(Testimony.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not testimony content: {sorted(unknown)}")
    current = _locked(testimony)
    _check_writer(actor, current.library)
    if not current.is_editable:
        raise ValidationError(_("The consent to use this testimony was withdrawn; it is closed."))
    changed = [name for name, value in content.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, content[name])
    if current.anonymous and current.speaker_name:
        current.speaker_name = ""
        changed.append("speaker_name")
    fields = [*set(changed), "updated_at"]
    was_published = current.status == Testimony.Status.PUBLISHED
    if was_published:
        current.status = Testimony.Status.DRAFT
        current.published_at = None
        fields += ["status", "published_at"]
    current.full_clean()
    current.save(update_fields=fields)
    if was_published:
        _public_changed(current)
    return current


def publish_blockers(testimony: Testimony) -> list[str]:
    """Why the testimony may not be published yet, in words the librarian can act on."""
    consents = {consent.kind: consent for consent in testimony.consents.active()}
    problems = []
    if Consent.Kind.STORY_USE not in consents:
        problems.append(_("No consent to use the testimony is on record."))
    if testimony.speaker_name and Consent.Kind.NAMING not in consents:
        problems.append(
            _(
                "The speaker is named but did not consent to being named: record that "
                "consent, or make the testimony anonymous."
            )
        )
    if testimony.is_minor:
        for consent in consents.values():
            if not consent.by_guardian:
                problems.append(
                    _(
                        "The speaker is a minor: the consent “%(kind)s” must come from a parent "
                        "or guardian."
                    )
                    % {"kind": consent.get_kind_display()}
                )
    return problems


@transaction.atomic
def testimony_publish(*, actor: User, testimony: Testimony, publish: bool = True) -> Testimony:
    """Staff (consultants of the province, Perpusnas) publish a testimony, or take it off."""
    current = _locked(testimony)
    scope_ok = Scope.for_user(actor).reviews_for(current.library)
    if not scope_ok:
        raise PermissionDenied
    if current.status == Testimony.Status.WITHDRAWN:
        raise ValidationError(_("The consent to use this testimony was withdrawn; it is closed."))
    wanted = Testimony.Status.PUBLISHED if publish else Testimony.Status.DRAFT
    if current.status == wanted:
        return current  # a repeated request changes nothing
    if publish:
        problems = publish_blockers(current)
        if problems:
            raise ValidationError(problems)
    current.status = wanted
    current.published_at = timezone.now() if publish else None
    current.full_clean()
    current.save(update_fields=["status", "published_at", "updated_at"])
    _public_changed(current)
    return current


@transaction.atomic
def testimony_consent_record(
    *,
    testimony: Testimony,
    actor: User,
    kind: str,
    given_by: str,
    method: str,
    given_on: datetime.date,
    guardian_relation: str = "",
    witness: str = "",
    signed_form: File | None = None,
    replaces_reason: str = "",
) -> Consent:
    """Record the speaker's consent; one of the same kind on record is replaced (kept, marked
    replaced, with ``replaces_reason``), as for stories."""
    current = _locked(testimony)
    _check_writer(actor, current.library)
    if not current.is_editable:
        raise ValidationError(_("The consent to use this testimony was withdrawn; it is closed."))
    if kind not in Consent.TESTIMONY_KINDS:
        raise ValidationError(
            {"kind": _("A testimony's speaker consents to its use and to being named.")}
        )
    if given_on > current.local_today():
        raise ValidationError({"given_on": _("Consent cannot be given in the future.")})
    earlier = (
        Consent.objects.active().select_for_update().filter(testimony=current, kind=kind).first()
    )
    consents.standing_replace(earlier, replaces_reason=replaces_reason)
    consent = Consent(
        testimony=current,
        kind=kind,
        given_by=given_by,
        guardian_relation=guardian_relation.strip(),
        method=method,
        witness=witness,
        given_on=given_on,
        recorded_by=actor,
    )
    consents.consent_save(consent, signed_form=signed_form, replaces=earlier)
    if current.status == Testimony.Status.PUBLISHED:
        _public_changed(current)
    return consent


def testimony_consent_withdraw(*, consent: Consent, actor: User, reason: str) -> Consent:
    """Record a withdrawal of a testimony's consent and take it off the public pages at once.

    Withdrawing the use consent closes the testimony; withdrawing the consent to be named
    takes a published testimony back to staff, who look at it again before it returns.
    """
    with transaction.atomic():
        reason = consents.withdrawal_reason(reason)
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.testimony_id is None:
            raise ValueError("Not a testimony's consent")
        testimony = Testimony.objects.get(pk=consent.testimony_id)
        current = _locked(testimony)
        consents.check_withdrawer(actor, current.library)
        consents.withdrawal_record(consent, actor=actor, reason=reason)
        if consent.kind == Consent.Kind.STORY_USE:
            current.status = Testimony.Status.WITHDRAWN
        elif current.status == Testimony.Status.PUBLISHED:
            current.status = Testimony.Status.DRAFT
        if current.status != Testimony.Status.PUBLISHED:
            current.published_at = None
        current.full_clean()
        current.save(update_fields=["status", "published_at", "updated_at"])
        _public_changed(current)
    return consent


@transaction.atomic
def testimony_promote(*, actor: User, testimony: Testimony) -> tuple[Story, bool]:
    """Start a Most Significant Change story draft from the testimony: ``(story, created)``.

    The story is written by the library's librarian, who fills in the life before, what
    changed and why it matters. The testimony's consents are not carried over: a full story
    is another use of the person's words, with its own consent (UU PDP: one purpose each).
    Promoting twice returns the story made the first time.
    """
    current = _locked(testimony)
    _check_writer(actor, current.library)
    if not current.is_editable:
        raise ValidationError(_("The consent to use this testimony was withdrawn; it is closed."))
    if current.story_id is not None:
        return Story.objects.get(pk=current.story_id), False
    activity = current.activity
    story = Story(
        library=current.library,
        author=actor,
        storyteller_name=current.speaker_name,
        anonymous=current.anonymous,
        gender=current.gender,
        age_group=current.age_group,
        village=current.library.village,
        why_it_matters=current.quote,
        involvement=Story.Involvement.ACTIVITY if activity else "",
        involvement_detail=(
            f"{activity.title} ({activity.date:%d-%m-%Y})" if activity is not None else ""
        ),
    )
    story.full_clean()
    story.save()
    current.story = story
    current.save(update_fields=["story", "updated_at"])
    return story, True
