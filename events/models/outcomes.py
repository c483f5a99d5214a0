"""What a PLM leaves behind: problems carried to the next Stakeholder Meeting, and awards."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from libraries.models import Library, Regency
from libraries.scope import ScopedQuerySet

from .events import Event


class ProblemQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status=Problem.Status.RESOLVED)

    def for_shm(self, shm: Event):
        """Problems raised at earlier PLMs of the SHM's province that are still open, or
        that were taken to this very SHM (so that its record keeps them)."""
        earlier = self.filter(
            event__province=shm.province_id,
            event__kind__in=Event.PLM_KINDS,
            event__ends_at__lte=shm.starts_at,
        )
        if shm.kind == Event.Kind.SHM_REGENCY:
            earlier = earlier.filter(Q(regency__isnull=True) | Q(regency=shm.regency_id))
        return earlier.filter(~Q(status=Problem.Status.RESOLVED) | Q(discussed_at=shm))


class Problem(models.Model):
    """A problem raised at a PLM, addressed to a stakeholder, followed up at an SHM."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In follow-up")
        RESOLVED = "resolved", _("Resolved")

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="problems",
        verbose_name=_("raised at"),
        limit_choices_to={"kind__in": Event.PLM_KINDS},
    )
    description = models.TextField(
        _("problem"), help_text=_("For example: internet blank spots in the villages of Berau.")
    )
    stakeholder = models.CharField(
        _("addressed to"),
        max_length=200,
        help_text=_("The stakeholder who can solve it, for example Dinas Kominfo."),
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kabupaten/kota concerned"),
    )
    library = models.ForeignKey(
        Library,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("library that raised it"),
    )
    status = models.CharField(
        _("follow-up status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    discussed_at = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems_discussed",
        verbose_name=_("discussed at"),
        limit_choices_to={"kind__in": Event.SHM_KINDS},
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    SCOPE_PATHS = {"province": "event__province", "regency": "event__regency"}

    objects = ProblemQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("PLM problem")
        verbose_name_plural = _("PLM problems")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "resolved"]),
                name="problem_status_known",
            ),
        ]
        indexes = [
            # The open problems listed at an SHM: by PLM, then status.
            models.Index(fields=["event", "status"], name="problem_event_status_idx"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def clean(self) -> None:
        errors = {}
        if self.event_id and not self.event.is_plm:
            errors["event"] = _("Problems are recorded at a PLM.")
        if self.discussed_at_id and not self.discussed_at.is_shm:
            errors["discussed_at"] = _("Problems are followed up at a Stakeholder Meeting.")
        if (
            self.event_id
            and self.regency_id
            and self.event.kind == Event.Kind.PLM_PROVINCE
            and self.regency_id[:2] != self.event.province_id
        ):
            errors["regency"] = _("This kabupaten/kota is not in the PLM's province.")
        if errors:
            raise ValidationError(errors)


class Award(models.Model):
    """An award given at a PLM (Malam Apresiasi)."""

    class Category(models.TextChoices):
        MOST_ACTIVE = "most_active", _("Most engagement activities entered")
        ADVOCACY = "advocacy", _("Advocacy and partnership innovation")
        ENGAGEMENT = "engagement", _("Best community engagement")
        BEST_PIC = "best_pic", _("Best PIC")
        MASTER_TRAINER = "master_trainer", _("Best Master Trainer")
        STORY_WRITTEN = "story_written", _("Impact story contest (written)")
        STORY_VIDEO = "story_video", _("Impact story contest (video)")
        OTHER = "other", _("Other")

    #: Categories won by a person, named in ``winner``, whatever library they work for.
    PERSON_CATEGORIES = ("master_trainer",)

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="awards",
        verbose_name=_("PLM"),
        limit_choices_to={"kind__in": Event.PLM_KINDS},
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    rank = models.PositiveSmallIntegerField(
        _("rank"), validators=[MinValueValidator(1)], help_text=_("1 for the winner.")
    )
    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("library"),
        help_text=_("The winning library, or the library of the winning person or story."),
    )
    winner = models.CharField(
        _("winner"),
        max_length=200,
        blank=True,
        help_text=_(
            "The person (a PIC, a Master Trainer) or the story (title and teller) that won; "
            "leave empty when the library itself won."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    SCOPE_PATHS = {"province": "event__province", "regency": "event__regency"}

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "category", "rank"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "category", "library"],
                name="award_once_per_library_and_category",
                violation_error_message=_("This library already has an award in this category."),
            ),
            models.UniqueConstraint(
                fields=["event", "category", "winner"],
                condition=~Q(winner=""),
                name="award_once_per_winner_and_category",
                violation_error_message=_("This winner already has an award in this category."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1),
                name="award_rank_positive",
                violation_error_message=_("The rank is 1 or more."),
            ),
            models.CheckConstraint(
                condition=Q(library__isnull=False) | ~Q(winner=""),
                name="award_names_a_winner",
                violation_error_message=_("Name the winning library, person or story."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} #{self.rank}: {self.winner_label}"

    @property
    def winner_label(self) -> str:
        if self.winner and self.library_id:
            return f"{self.winner} ({self.library})"
        return self.winner or str(self.library or "")

    def clean(self) -> None:
        errors = {}
        if self.event_id and not self.event.is_plm:
            errors["event"] = _("Awards are given at a PLM.")
        if self.category in self.PERSON_CATEGORIES and not self.winner:
            errors["winner"] = _("Name the person who won this award.")
        elif not self.library_id and not self.winner:
            errors["library"] = _("Name the winning library, person or story.")
        if (
            self.event_id
            and self.library_id
            and self.event.kind == Event.Kind.PLM_PROVINCE
            and self.library.province_id != self.event.province_id
        ):
            errors["library"] = _("The library must be in the PLM's province.")
        if errors:
            raise ValidationError(errors)
