"""The writes every consent record shares, a story's, a testimony's or a product's (UU PDP
27/2022): proven when recorded, replaced with a reason, withdrawn with a reason and kept.

The services of each (``impact.services``, ``impact.testimonies.services``,
``impact.products.services``) lock their subject, check who acts and what follows for the
subject (its status, its public pages); the record itself is written here, inside their
transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from impact.models.consent import ConsentRecord
from libraries.models import Library, User
from libraries.scope import Scope


def check_withdrawer(actor: User, library: Library) -> None:
    """Who may record a withdrawal: the subject's librarians and its reviewers."""
    scope = Scope.for_user(actor)
    if not (scope.reports_for(library) or scope.reviews_for(library)):
        raise PermissionDenied


def withdrawal_reason(reason: str) -> str:
    """The reason a withdrawal must give, refused when empty (before anything is locked)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the consent was withdrawn.")})
    return reason


def withdrawal_record(consent: ConsentRecord, *, actor: User, reason: str) -> None:
    """Mark a locked consent withdrawn; the record stays, as proof the withdrawal was honoured."""
    if getattr(consent, "is_superseded", False):
        raise ValidationError(
            _("This consent record was replaced by a later one: withdraw the later one.")
        )
    if not consent.is_active:
        raise ValidationError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_reason = reason
    consent.withdrawn_recorded_by = actor
    consent.full_clean()
    consent.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_recorded_by"])


def standing_replace(standing: models.Model | None, *, replaces_reason: str) -> None:
    """Mark the consent on record replaced, with the reason a replacement must give.

    It moves out of the way of the one-active-consent constraints before the new record is
    checked; if the new record fails, the transaction restores it.
    """
    if standing is None:
        return
    replaces_reason = (replaces_reason or "").strip()
    if not replaces_reason:
        raise ValidationError(
            {
                "replaces_reason": _(
                    "This consent is already on record. To replace that record, say why "
                    "(for example: the date was wrong); it is kept, marked as replaced."
                )
            }
        )
    standing.superseded_at = timezone.now()  # type: ignore[attr-defined]
    standing.superseded_reason = replaces_reason  # type: ignore[attr-defined]
    standing.full_clean()
    standing.save(update_fields=["superseded_at", "superseded_reason"])


def consent_save(
    consent: ConsentRecord,
    *,
    signed_form: File | None = None,
    replaces: models.Model | None = None,
) -> None:
    """Validate and save a new consent record with its proof (the signed form, or the
    witness of a verbal consent); the record it ``replaces`` then points at it."""
    consent.given_by = (consent.given_by or "").strip()
    verbal = consent.method == ConsentRecord.Method.VERBAL
    consent.witness = (consent.witness or "").strip() if verbal else ""
    form = signed_form if consent.method == ConsentRecord.Method.SIGNED_FORM else None
    if form is not None:
        consent.signed_form = form
    consent.full_clean()
    if form is not None:
        consent.signed_form.save(form.name or "", form, save=False)
    consent.save()
    if replaces is not None:
        replaces.superseded_by = consent  # type: ignore[attr-defined]
        replaces.save(update_fields=["superseded_by"])
