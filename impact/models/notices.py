"""Notices on a librarian's dashboard: a story of their library was shortlisted or selected."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .review import SelectionDecision


class NoticeQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """One person told about one panel's decision; read (dismissed) or not."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="story_notices",
        verbose_name=gettext_lazy("recipient"),
    )
    decision = models.ForeignKey(
        SelectionDecision,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=gettext_lazy("selection decision"),
    )
    created_at = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    read_at = models.DateTimeField(gettext_lazy("read"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = gettext_lazy("notice")
        verbose_name_plural = gettext_lazy("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "decision"],
                name="notice_once_per_recipient_and_decision",
                violation_error_message=gettext_lazy("This person was already told."),
            ),
        ]
        indexes = [
            # The dashboard: a person's unread notices, newest first.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notice_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.decision}"

    @property
    def message(self) -> str:
        """What happened, in the reader's language."""
        return selection_message(self.decision)


def selection_message(decision: SelectionDecision) -> str:
    story = decision.story
    values = {"title": str(story), "library": story.library.name}
    if decision.level == SelectionDecision.Level.DISTRICT:
        text = _("“%(title)s” (%(library)s) was shortlisted by the kabupaten/kota panel.")
    elif decision.level == SelectionDecision.Level.PROVINCE:
        text = _("“%(title)s” (%(library)s) was selected by the province panel.")
    else:
        text = _(
            "“%(title)s” (%(library)s) was selected by the national panel as a most "
            "significant change."
        )
    return text % values
