"""Testimonies (testimoni): short quotes from a beneficiary, under the consent rules of stories.

A testimony belongs to a library, and may be about one of its activities. It is public only
while published and while the speaker's consent to its use stands (``Consent`` records it,
exactly as for a story); a speaker is named in public only with the consent to be named. A
testimony worth telling in full is promoted to a Most Significant Change story draft.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from libraries.models import Activity, Library
from libraries.scope import ScopedQuerySet

from .stories import Story

QUOTE_LIMIT = 600


class TestimonyQuerySet(ScopedQuerySet):
    def public(self):
        """Published testimonies whose use consent stands: the only ones the public sees."""
        from .consent import Consent

        return self.filter(
            Exists(
                Consent.objects.active().filter(
                    testimony=OuterRef("pk"), kind=Consent.Kind.STORY_USE
                )
            ),
            status=Testimony.Status.PUBLISHED,
        )

    def named_in_public(self):
        """Annotates ``speaker_named``: the speaker consented to being named."""
        from .consent import Consent

        return self.annotate(
            speaker_named=Exists(
                Consent.objects.active().filter(testimony=OuterRef("pk"), kind=Consent.Kind.NAMING)
            )
        )


class Testimony(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not published")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn (consent withdrawn)")

    SCOPE_PATHS = {
        "province": "library__province",
        "regency": "library__regency",
        "library": "library",
    }
    # Fields the testimony form edits.
    CONTENT_FIELDS = (
        "quote",
        "speaker_name",
        "anonymous",
        "speaker_description",
        "gender",
        "age_group",
        "given_on",
        "activity",
    )

    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="testimonies", verbose_name=_("library")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonies",
        verbose_name=_("activity"),
        help_text=_("The library's activity the testimony is about, if any."),
    )
    quote = models.TextField(
        _("testimony"),
        validators=[MaxLengthValidator(QUOTE_LIMIT)],
        help_text=_("In the speaker's own words, a few sentences at most."),
    )
    speaker_name = models.CharField(
        _("speaker's name"),
        max_length=150,
        blank=True,
        help_text=_("Shown to the public only with the consent to be named."),
    )
    anonymous = models.BooleanField(
        _("anonymous speaker"),
        default=False,
        help_text=_("The person does not want to be named; no name is stored."),
    )
    speaker_description = models.CharField(
        _("who they are"),
        max_length=150,
        blank=True,
        help_text=_("For example: banana chips maker, training participant. Shown in public."),
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Story.Gender.choices, blank=True)
    age_group = models.CharField(
        _("age group"),
        max_length=12,
        choices=Story.AgeGroup.choices,
        help_text=_("A minor's consent must come from a parent or guardian."),
    )
    given_on = models.DateField(_("given on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # Set when the testimony was promoted: the story draft made from it (one at most).
    story = models.OneToOneField(
        Story,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimony",
        verbose_name=_("story made from it"),
    )
    # Generated in the form the librarian opened: a double tap finds the testimony it made.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = TestimonyQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "withdrawn"]),
                name="testimony_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(quote=""),
                name="testimony_has_a_quote",
                violation_error_message=_("Write down the testimony."),
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(speaker_name=""),
                name="testimony_anonymous_has_no_name",
                violation_error_message=_("An anonymous speaker has no name on record."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="testimony_published_has_date",
                violation_error_message=_("A published testimony has a publication date."),
            ),
        ]
        indexes = [
            # The public testimonies of a library, newest first.
            models.Index(fields=["library", "status", "-given_on"], name="testimony_library_idx"),
        ]

    def __str__(self) -> str:
        text = " ".join(self.quote.split())
        return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.anonymous and self.speaker_name:
            errors["speaker_name"] = _("Leave the name empty for an anonymous speaker.")
        if self.activity_id and self.library_id and self.activity.library_id != self.library_id:
            errors["activity"] = _("Choose an activity of this library.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_minor(self) -> bool:
        return self.age_group in Story.MINOR_AGE_GROUPS

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.WITHDRAWN

    def local_today(self):
        return Story(library=self.library).local_today()
