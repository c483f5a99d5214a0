"""The record of every review step and of the Most Significant Change selection panels."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from libraries.scope import ScopedQuerySet

from .stories import Story


class ReviewEvent(models.Model):
    """One change of a story's status: who, when, from which state to which, and why."""

    SCOPE_PATHS = {
        "province": "story__library__province",
        "regency": "story__library__regency",
        "library": "story__library",
    }

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="review_events", verbose_name=_("story")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Story.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Story.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["story", "created_at", "pk"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        indexes = [
            # The history shown on a story page, oldest first.
            models.Index(fields=["story", "created_at"], name="review_event_story_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class SelectionDecision(models.Model):
    """A selection panel's choice of a story, with its reason (Most Significant Change)."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("Kabupaten/kota shortlist")
        PROVINCE = "province", _("Province pick")
        NATIONAL = "national", _("National: most significant")

    ORDER = [Level.DISTRICT, Level.PROVINCE, Level.NATIONAL]

    SCOPE_PATHS = ReviewEvent.SCOPE_PATHS

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="selections", verbose_name=_("story")
    )
    level = models.CharField(_("panel"), max_length=10, choices=Level.choices)
    reason = models.TextField(
        _("reason"), help_text=_("Why the panel found this change the most significant.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["story", "decided_at"]
        verbose_name = _("selection decision")
        verbose_name_plural = _("selection decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["story", "level"],
                name="selection_once_per_level",
                violation_error_message=_("This panel has already selected the story."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=["district", "province", "national"]),
                name="selection_level_known",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="selection_has_reason",
                violation_error_message=_("Record the panel's reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.story}"

    def clean(self) -> None:
        super().clean()
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Record the panel's reason.")})
