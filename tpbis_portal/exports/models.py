from __future__ import annotations

import datetime
import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from libraries.storage import private_storage


class ExportJobQuerySet(models.QuerySet):
    def of(self, user):
        """Jobs are private to the person who started them, whatever their role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def current(self):
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))

    def expired(self):
        return self.filter(expires_at__lte=timezone.now())

    def stalled(self):
        """Unfinished jobs nobody has worked on for ``EXPORT_STALE_MINUTES``: the worker that
        took them stopped (a restart, a kill, a lost host), or none took them at all."""
        cutoff = timezone.now() - datetime.timedelta(minutes=settings.EXPORT_STALE_MINUTES)
        return self.filter(status__in=ExportJob.UNFINISHED).filter(
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
        )


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("Attendance at all events")
        ACTIVITIES = "activities", _("Activities")
        STORIES = "stories", _("Impact stories")
        LIBRARIES = "libraries", _("Libraries")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", _("Excel (XLSX)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the worker")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Failed")

    UNFINISHED = (Status.PENDING, Status.RUNNING)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("data"), max_length=20, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    filters = models.JSONField(
        _("filters"), default=dict, help_text=_("Province, kab/kota, period and type chosen.")
    )
    # The kind, format and filters in one value, so that the database refuses a second
    # unfinished job asking for the same file (a double submit).
    fingerprint = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to="exports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    # Set when the worker claims the job and at each progress report: a running job whose
    # heartbeat is old lost its worker.
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    stalled = models.BooleanField(
        _("stalled"),
        default=False,
        help_text=_("Failed because its worker stopped without finishing it."),
    )
    # The file's headers and values speak the language of the person who asked for it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("The file is deleted after this time.")
    )

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "fingerprint"],
                condition=Q(status__in=["pending", "running"]),
                name="exportjob_one_unfinished_per_request",
            ),
            models.CheckConstraint(
                condition=Q(rows_total__isnull=True) | Q(rows_done__lte=models.F("rows_total")),
                name="exportjob_progress_within_total",
            ),
        ]
        indexes = [
            # The user's list of exports, newest first.
            models.Index(fields=["owner", "-created_at"], name="exportjob_owner_created_idx"),
            # The clean-up of expired files.
            models.Index(fields=["expires_at"], name="exportjob_expires_idx"),
        ]

    def __str__(self) -> str:
        created = timezone.localtime(self.created_at or timezone.now())
        return f"{self.get_kind_display()} ({self.get_format_display()}), {created:%Y-%m-%d %H:%M}"

    @staticmethod
    def fingerprint_of(kind: str, fmt: str, filters: dict, language: str) -> str:
        payload = json.dumps([kind, fmt, filters, language], sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def is_finished(self) -> bool:
        return self.status not in self.UNFINISHED

    @property
    def restart_fields(self) -> list[tuple[str, str]]:
        """The export form's fields that ask for this file again."""
        return [("kind", self.kind), ("format", self.format), *sorted(self.filters.items())]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def filename(self) -> str:
        created = timezone.localtime(self.created_at or timezone.now())
        return f"ekspor-{self.kind}-{created:%Y%m%d-%H%M}.{self.format}"
