"""The people who take part in events, their registration for an event, and attendance marks.

A person record is reused from event to event, so that a library manager who attends a Bimtek
in June and a PLM in August is one person with two attendances.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from libraries.models import Library, Province
from libraries.scope import ScopedQuerySet

from .events import EventSession

# Honorifics and degrees that do not tell two people apart ("Hj. Siti Aminah, S.Pd.").
_TITLES = {
    "bapak",
    "bpk",
    "bp",
    "ibu",
    "ib",
    "sdr",
    "sdri",
    "h",
    "hj",
    "dr",
    "drs",
    "dra",
    "ir",
    "prof",
    "s",
    "pd",
    "spd",
    "sip",
    "ss",
    "se",
    "sh",
    "sos",
    "ssos",
    "skom",
    "st",
    "mm",
    "msi",
    "mpd",
    "ma",
    "amd",
    "kom",
    "ipust",
    "hum",
    "shum",
    "sipust",
    "md",
}


def normalise_name(name: str) -> str:
    """The comparable form of a name: no accents, case, punctuation, titles or extra spaces.

    "Hj. Siti  Aminah, S.Pd." and "siti aminah" normalise alike.
    """
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    # Academic degrees follow a comma: "Siti Aminah, S.Pd., M.Si.".
    text = text.split(",")[0]
    words = re.split(r"[^a-z0-9']+", text)
    words = [word.replace("'", "") for word in words if word]
    meaningful = [word for word in words if word not in _TITLES]
    return " ".join(meaningful or words)


def normalise_institution(text: str) -> str:
    return " ".join(re.split(r"\W+", (text or "").lower())).strip()


class ParticipantQuerySet(ScopedQuerySet):
    def with_library(self):
        return self.select_related("library__regency", "province")

    def same_person(self, *, name: str, library: Library | None, institution: str = ""):
        """Records that are probably the same person: same normalised name and library
        (or, without a library, the same institution)."""
        matches = self.filter(normalised_name=normalise_name(name))
        if library is not None:
            return matches.filter(library=library)
        return matches.filter(
            library__isnull=True, normalised_institution=normalise_institution(institution)
        )


class Participant(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    name = models.CharField(_("name"), max_length=150)
    # Kept in step by the services: the key of duplicate detection.
    normalised_name = models.CharField(max_length=150, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    position = models.CharField(
        _("position"),
        max_length=150,
        blank=True,
        help_text=_("For example: Kepala Desa, pengelola perpustakaan, Kabid Kominfo."),
    )
    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("library"),
    )
    institution = models.CharField(
        _("institution"),
        max_length=200,
        blank=True,
        help_text=_("For people who do not come from a programme library."),
    )
    normalised_institution = models.CharField(max_length=200, blank=True, editable=False)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("province"),
        help_text=_("The library's province, or where the person was first registered."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Who may see a person: the scope of their library, or of the province they were
    # registered in for people from other institutions.
    SCOPE_PATHS = {"province": "province", "regency": "library__regency", "library": "library"}

    objects = ParticipantQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["normalised_name", "normalised_institution"])

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(library__isnull=False) | ~Q(institution=""),
                name="participant_library_or_institution",
                violation_error_message=_("Give the person's library or institution."),
            ),
            models.CheckConstraint(condition=Q(gender__in=["F", "M"]), name="participant_gender"),
        ]
        indexes = [
            # Duplicate detection: same normalised name at the same library.
            models.Index(fields=["normalised_name", "library"], name="participant_dupe_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.library_id and not self.institution.strip():
            raise ValidationError({"institution": _("Give the person's library or institution.")})
        if self.library_id and self.province_id and self.library.province_id != self.province_id:
            raise ValidationError({"province": _("The province must be the library's province.")})

    @property
    def affiliation(self) -> str:
        return self.library.name if self.library_id else self.institution


class Registration(models.Model):
    """A person on an event's participant list (the roster of the attendance page)."""

    class Role(models.TextChoices):
        LIBRARY_MANAGER = "library_manager", _("Library manager")
        PIC = "pic", _("PIC TPBIS")
        VILLAGE_HEAD = "village_head", _("Kades/Lurah")
        LIBRARY_STAFF = "library_staff", _("Library staff")
        STAKEHOLDER = "stakeholder", _("Stakeholder")
        BENEFICIARY = "beneficiary", _("Beneficiary")
        FACILITATOR = "facilitator", _("Facilitator or resource person")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Added by hand")
        WALK_IN = "walk_in", _("Walk-in")
        IMPORT = "import", _("Imported list")

    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("participant"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OTHER)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    SCOPE_PATHS = {
        "province": "event__province",
        "regency": "event__regency",
        "library": "participant__library",
    }

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["event", "participant__name"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant"],
                name="registration_once_per_event",
                violation_error_message=_("This person is already on the participant list."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.event_id}"


class AttendanceQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Attendance(models.Model):
    """One person present at one session.

    A mark is never deleted: undoing it sets ``revoked_at``, so the history of who marked and
    who undid stays readable. Only one active mark per person and session may exist.
    """

    class Source(models.TextChoices):
        PAGE = "page", _("Attendance page")
        OFFLINE = "offline", _("Sent later (offline queue)")
        WALK_IN = "walk_in", _("Walk-in form")
        IMPORT = "import", _("Imported list")
        MERGE = "merge", _("Merged records")

    session = models.ForeignKey(
        EventSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("participant"),
    )
    # Made by the browser before sending, so that a retried or replayed mark is recognised.
    client_id = models.UUIDField(_("client id"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"))
    # When the consultant tapped, by the device's clock: a mark kept offline arrives later
    # than it was made. Checked against the server's clock (never later than the arrival).
    marked_on_device_at = models.DateTimeField(
        _("marked on the device at"),
        null=True,
        blank=True,
        help_text=_("The time of the tap by the device's clock, for marks sent later."),
    )
    revoked_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )
    # The id of the undo request, so that a retried undo is recognised too.
    revoke_client_id = models.UUIDField(null=True, blank=True, unique=True)

    SCOPE_PATHS = {
        "province": "session__event__province",
        "regency": "session__event__regency",
        "library": "participant__library",
    }

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["session", "marked_at"]
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"],
                condition=Q(revoked_at__isnull=True),
                name="attendance_once_per_session",
                violation_error_message=_("This person is already marked present."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("marked_at")),
                name="attendance_undone_after_marked",
            ),
        ]
        indexes = [
            # A librarian's events: active marks of people from their libraries.
            models.Index(fields=["participant", "session"], name="attendance_participant_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.session}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
