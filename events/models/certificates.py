"""Attendance certificates: proof that a person took part in an event, verifiable by anyone
through a code that cannot be guessed.

A certificate records what it certifies at the moment it is issued (the name, the library or
institution, the sessions attended and their hours), so that the paper and the verification
page agree even if the attendance list is corrected later. A correction is made by revoking
the certificate, with a reason, and issuing a new one: nothing is deleted.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from libraries.scope import ScopedQuerySet

from .events import Event, Facilitator
from .people import Participant

# Digits and capitals without 0/O, 1/I/L or U, which are misread on paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # about 78 bits: far beyond what anyone can enumerate.


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as typed or scanned (``abcd-efgh ...``) in its stored form."""
    return "".join(char for char in (text or "").upper() if char.isalnum())


class CertificateQuerySet(ScopedQuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    SCOPE_PATHS = {
        "province": "event__province",
        "regency": "event__regency",
        "library": "participant__library",
    }

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("event")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("participant"),
    )
    number = models.CharField(
        _("certificate number"),
        max_length=40,
        editable=False,
        help_text=_("Printed on the certificate; counts the certificates of the event."),
    )
    # What the QR code and the verification page use; never shown in lists.
    code = models.CharField(_("verification code"), max_length=CODE_LENGTH, editable=False)
    name = models.CharField(_("name as printed"), max_length=150)
    affiliation = models.CharField(_("library or institution as printed"), max_length=200)
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Facilitator.Role.choices,
        blank=True,
        help_text=_("Empty for a participant; the facilitator's role otherwise."),
    )
    # [{"date": "2022-07-04", "name": "Hari 1", "start": "08:00", "end": "16:00",
    #   "minutes": 480}, ...]: the sessions attended, oldest first.
    sessions = models.JSONField(_("sessions attended"), default=list)
    days = models.PositiveSmallIntegerField(_("days attended"))
    minutes = models.PositiveIntegerField(
        _("minutes attended"), help_text=_("Sessions without recorded hours count for none.")
    )
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = CertificateQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["sessions"])

    class Meta:
        ordering = ["event", "name", "pk"]
        verbose_name = _("attendance certificate")
        verbose_name_plural = _("attendance certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_participant",
                violation_error_message=_(
                    "This person already has a valid certificate for the event."
                ),
            ),
            # The verification page looks certificates up by code (this index serves it).
            models.UniqueConstraint(fields=["code"], name="certificate_code_unique"),
            models.UniqueConstraint(fields=["number"], name="certificate_number_unique"),
            models.CheckConstraint(
                condition=Q(days__gte=1),
                name="certificate_attended_a_day",
                violation_error_message=_("A certificate needs at least one day attended."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True, revoked_reason="")
                | (
                    Q(revoked_at__isnull=False, revoked_by__isnull=False)
                    & ~Q(revoked_reason="")
                    & Q(revoked_at__gte=F("issued_at"))
                ),
                name="certificate_revocation_complete",
                violation_error_message=_("A revocation records who, when and why."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["", *Facilitator.Role.values]),
                name="certificate_role_known",
            ),
        ]
        indexes = [
            # The certificates page of an event, and its ZIP and PDF downloads.
            models.Index(fields=["event", "name"], name="certificate_event_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.revoked_at is not None and not (self.revoked_reason or "").strip():
            raise ValidationError({"revoked_reason": _("Say why the certificate is revoked.")})

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def display_code(self) -> str:
        """The code in groups of four, as printed: ``ABCD-EFGH-JKMN-PQRS``."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def hours(self) -> float:
        return self.minutes / 60
