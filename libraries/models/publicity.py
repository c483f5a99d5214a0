"""Publication: the publicity a library earns (posts, news articles, village-website pages).

The programme's report card weighs it as a strand of its own, beside community engagement and
advocacy. A record is a link to what was published, with its date and channel; the portal
never fetches the link, it only checks that it is a web address.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .registry import FIRST_COHORT_YEAR, Library
from .reporting import LIBRARY_SCOPE_PATHS, ReportingQuerySet

# Only web pages: a ``javascript:`` or ``data:`` address must never become a link.
WEB_SCHEMES = ["http", "https"]


class Publication(models.Model):
    class Channel(models.TextChoices):
        SOCIAL_MEDIA = "social_media", _("Social-media post")
        NEWS = "news", _("News article")
        VILLAGE_WEBSITE = "village_website", _("Village website")
        LIBRARY_WEBSITE = "library_website", _("Library website or blog")
        VIDEO = "video", _("Video (YouTube and the like)")
        OTHER = "other", _("Other")

    SCOPE_PATHS = LIBRARY_SCOPE_PATHS

    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("library"),
        help_text=_("The library the publication is about."),
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.SOCIAL_MEDIA
    )
    url = models.URLField(
        _("link"),
        max_length=500,
        validators=[URLValidator(schemes=WEB_SCHEMES)],
        help_text=_("The address of the post, article or page, starting with https://."),
    )
    published_on = models.DateField(_("published on"))
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Optional: the headline or topic.")
    )
    # Generated in the form the librarian opened: a double tap or a retried request carries
    # the same key and is recognised instead of recorded twice.
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)
    recorded_by = models.ForeignKey(
        "libraries.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReportingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                name="publication_idempotency_key_unique",
                violation_error_message=_("This publication has already been recorded."),
            ),
            models.UniqueConstraint(
                fields=["library", "url"],
                name="publication_url_once_per_library",
                violation_error_message=_("This library has already recorded this link."),
            ),
            models.CheckConstraint(
                condition=Q(
                    channel__in=[
                        "social_media",
                        "news",
                        "village_website",
                        "library_website",
                        "video",
                        "other",
                    ]
                ),
                name="publication_channel_known",
            ),
            models.CheckConstraint(
                condition=Q(url__istartswith="http://") | Q(url__istartswith="https://"),
                name="publication_url_is_web",
                violation_error_message=_("The link must start with http:// or https://."),
            ),
        ]
        indexes = [
            # The publication list of one library, newest first.
            models.Index(fields=["library", "published_on"], name="publication_library_date_idx"),
            # Indicators and report cards count publications of a period across libraries.
            models.Index(fields=["published_on"], name="publication_date_idx"),
        ]

    def __str__(self) -> str:
        label = self.title or self.url
        return f"{self.get_channel_display()}: {label[:80]}"

    def clean(self) -> None:
        tomorrow = datetime.date.today() + datetime.timedelta(days=1)
        if self.published_on and self.published_on > tomorrow:
            raise ValidationError({"published_on": _("A publication cannot be in the future.")})
        if self.published_on and self.published_on.year < FIRST_COHORT_YEAR:
            raise ValidationError({"published_on": _("The programme's records start in 2018.")})
