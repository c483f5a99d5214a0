"""Programme events (Sosialisasi, Bimtek, PLM, SHM), their daily sessions, invitations and
facilitators.

Start and end are stored in UTC; everything a person reads is shown in the local time of the
event's province (WIB, WITA or WIT).
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from libraries.models import Library, Province, Regency
from libraries.scope import Scope, ScopedQuerySet


class EventQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Events in the user's scope, and for librarians also the events their libraries
        were invited to or attended, wherever those were held."""
        scope = Scope.for_user(user)
        condition = scope.q(**self.model.SCOPE_PATHS)
        if scope.can_report:
            from events.models import Attendance

            libraries = Library.objects.visible_to(user).values("pk")
            condition |= Q(
                pk__in=Invitation.objects.filter(library__in=libraries).values("event")
            ) | Q(
                pk__in=Attendance.objects.active()
                .filter(participant__library__in=libraries)
                .values("session__event")
            )
        return self.filter(condition)

    def with_regions(self):
        return self.select_related("province", "regency")

    def in_province(self, province):
        return self.filter(province=province)

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now())

    def plm(self):
        return self.filter(kind__in=Event.PLM_KINDS)


class Event(models.Model):
    class Kind(models.TextChoices):
        SOSIALISASI = "sosialisasi", _("Sosialisasi")
        BIMTEK = "bimtek", _("Bimtek SPP-TIK")
        PLM_PROVINCE = "plm_province", _("PLM provinsi")
        PLM_NATIONAL = "plm_national", _("PLM nasional")
        SHM_REGENCY = "shm_regency", _("SHM kabupaten/kota")
        SHM_PROVINCE = "shm_province", _("SHM provinsi")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        REPORTED = "reported", _("Reported")

    PLM_KINDS = (Kind.PLM_PROVINCE, Kind.PLM_NATIONAL)
    SHM_KINDS = (Kind.SHM_REGENCY, Kind.SHM_PROVINCE)

    # How the scope rule finds the event's province and kab/kota (libraries: see visible_to).
    SCOPE_PATHS = {"province": "province", "regency": "regency"}

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("province"),
        help_text=_("Where the event takes place; its time zone is the event's local time."),
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
        verbose_name=_("kabupaten/kota"),
        help_text=_("Required for an SHM kabupaten/kota; optional otherwise."),
    )
    venue = models.CharField(
        _("venue"), max_length=200, help_text=_("For example: Hotel Harris Samarinda.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    description = models.TextField(_("notes"), blank=True)
    invited_libraries = models.ManyToManyField(
        Library,
        through="Invitation",
        related_name="invited_to_events",
        blank=True,
        verbose_name=_("invited libraries"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Optimistic locking: an edit based on an older version is refused, not silently applied.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        ordering = ["-starts_at", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="shm_regency") | Q(regency__isnull=False),
                name="event_shm_regency_has_regency",
                violation_error_message=_("An SHM kabupaten/kota needs its kabupaten/kota."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "sosialisasi",
                        "bimtek",
                        "plm_province",
                        "plm_national",
                        "shm_regency",
                        "shm_province",
                        "other",
                    ]
                ),
                name="event_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "held", "reported"]),
                name="event_status_known",
            ),
        ]
        indexes = [
            # The event list of a consultant: their provinces, newest first.
            models.Index(fields=["province", "-starts_at"], name="event_province_start_idx"),
            # "Open problems before this SHM" looks up a province's PLMs by kind and end.
            models.Index(fields=["province", "kind", "ends_at"], name="event_province_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("An event cannot end before it starts.")
        if self.kind == self.Kind.SHM_REGENCY and not self.regency_id:
            errors["regency"] = _("An SHM kabupaten/kota needs its kabupaten/kota.")
        if self.regency_id and self.province_id and self.regency_id[:2] != self.province_id:
            errors["regency"] = _("This kabupaten/kota is not in the chosen province.")
        if errors:
            raise ValidationError(errors)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.province.time_zone)

    @property
    def time_zone_abbreviation(self) -> str:
        return self.province.time_zone_abbreviation

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.starts_at, self.tz)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.ends_at, self.tz)

    def daily_times(self) -> tuple[datetime.time | None, datetime.time | None]:
        """The local hours of each day by default: from the event's start time to its end
        time (08:00-16:00 for an event from 4 July 08:00 to 6 July 16:00); none if the end
        time is not after the start time."""
        start = self.local_start.time().replace(second=0, microsecond=0)
        end = self.local_end.time().replace(second=0, microsecond=0)
        return (start, end) if end > start else (None, None)

    def local_dates(self) -> list[datetime.date]:
        """Every calendar day of the event in its local time."""
        first, last = self.local_start.date(), self.local_end.date()
        return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]

    @property
    def is_plm(self) -> bool:
        return self.kind in self.PLM_KINDS

    @property
    def is_shm(self) -> bool:
        return self.kind in self.SHM_KINDS


class EventSession(models.Model):
    """One day (or part of a day) of an event: attendance is taken per session."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    date = models.DateField(_("date"), help_text=_("The local date of the session."))
    name = models.CharField(
        _("name"), max_length=100, help_text=_("For example: Day 1, or Day 2 (afternoon).")
    )
    # Local times of the province: they give the hours printed on attendance certificates.
    start_time = models.TimeField(
        _("starts at"),
        null=True,
        blank=True,
        help_text=_("Local time of the province (WIB, WITA or WIT)."),
    )
    end_time = models.TimeField(
        _("ends at"),
        null=True,
        blank=True,
        help_text=_("Local time of the province (WIB, WITA or WIT)."),
    )

    SCOPE_PATHS = {"province": "event__province", "regency": "event__regency"}

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["event", "date", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "date", "name"],
                name="event_session_unique_name_per_day",
                violation_error_message=_("This event already has a session of that name."),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__isnull=False, end_time__gt=F("start_time")),
                name="event_session_times_in_order",
                violation_error_message=_(
                    "Give both times of the session, the end after the start (or neither)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d-%m-%Y})"

    def clean(self) -> None:
        errors = {}
        if self.event_id and self.date and self.date not in self.event.local_dates():
            errors["date"] = _("The session must fall within the event's dates.")
        if (self.start_time is None) != (self.end_time is None):
            missing = "end_time" if self.end_time is None else "start_time"
            errors[missing] = _("Give both times of the session, or neither.")
        elif self.start_time is not None and self.end_time <= self.start_time:
            errors["end_time"] = _("The session must end after it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def minutes(self) -> int | None:
        """How long the session lasts, or None when its times are not recorded."""
        if self.start_time is None or self.end_time is None:
            return None
        start = self.start_time.hour * 60 + self.start_time.minute
        return self.end_time.hour * 60 + self.end_time.minute - start


class Invitation(models.Model):
    """A library invited to an event."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("event")
    )
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("library")
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        ordering = ["event", "library"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "library"],
                name="invitation_once_per_library",
                violation_error_message=_("This library is already invited."),
            ),
        ]
        indexes = [
            # A librarian's event list: the events their library was invited to.
            models.Index(fields=["library", "event"], name="invitation_library_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.library} @ {self.event}"


class Facilitator(models.Model):
    """A Master Trainer, Fasilitator Daerah, narasumber or member of the committee."""

    class Role(models.TextChoices):
        MASTER_TRAINER = "master_trainer", _("Master Trainer")
        FASILITATOR_DAERAH = "fasilitator_daerah", _("Fasilitator Daerah")
        NARASUMBER = "narasumber", _("Narasumber")
        PANITIA = "panitia", _("Panitia")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="facilitators", verbose_name=_("event")
    )
    participant = models.ForeignKey(
        "events.Participant",
        on_delete=models.PROTECT,
        related_name="facilitations",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    topic = models.CharField(
        _("topic"), max_length=200, blank=True, help_text=_("What they present or lead.")
    )

    class Meta:
        ordering = ["event", "role", "participant__name"]
        verbose_name = _("facilitator or resource person")
        verbose_name_plural = _("facilitators and resource persons")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant", "role"],
                name="facilitator_once_per_role",
                violation_error_message=_("This person already has this role at the event."),
            ),
            models.CheckConstraint(
                condition=Q(
                    role__in=["master_trainer", "fasilitator_daerah", "narasumber", "panitia"]
                ),
                name="facilitator_role_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} ({self.get_role_display()})"
