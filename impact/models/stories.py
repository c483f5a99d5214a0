"""Impact stories told with the Most Significant Change method, and their photos."""

import datetime
import uuid
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impact.storage import private_storage
from libraries.models import Library, Village
from libraries.scope import ScopedQuerySet

STORY_TEXT_LIMIT = 5000


def validate_video_url(value: str) -> None:
    """A video for the story contests: an https address on one of the video sites allowed by
    ``STORY_VIDEO_HOSTS`` (or a subdomain of one). The portal only links to it: nothing of
    the site is embedded in its pages."""
    parts = urlsplit(value or "")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443):
        raise ValidationError(
            _("Give the video's address starting with https://."), code="video_scheme"
        )
    host = (parts.hostname or "").rstrip(".").lower()
    allowed = [name.lower() for name in settings.STORY_VIDEO_HOSTS]
    if not any(host == name or host.endswith("." + name) for name in allowed):
        raise ValidationError(
            _("Videos can be linked from these sites only: %(hosts)s.")
            % {"hosts": ", ".join(allowed)},
            code="video_host",
        )


class StoryQuerySet(ScopedQuerySet):
    def with_consent_of(self, kind: str):
        from .consent import Consent

        return self.annotate(
            **{
                f"has_{kind}_consent": Exists(
                    Consent.objects.active().filter(story=OuterRef("pk"), kind=kind)
                )
            }
        )

    def public(self):
        """Published stories whose use consent stands: the only ones the public sees."""
        from .consent import Consent

        return self.filter(
            Exists(
                Consent.objects.active().filter(story=OuterRef("pk"), kind=Consent.Kind.STORY_USE)
            ),
            status=Story.Status.PUBLISHED,
        )

    def in_province(self, code: str):
        return self.filter(library__province=code)

    def with_places(self):
        return self.select_related(
            "library__province", "library__regency", "village__district__regency"
        )


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        NEEDS_REVISION = "needs_revision", _("Needs revision")
        VERIFIED = "verified", _("Verified")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn (consent withdrawn)")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        UNSTATED = "unstated", _("Prefers not to say")

    class AgeGroup(models.TextChoices):
        CHILD = "child", _("Child (under 13)")
        TEEN = "teen", _("Teenager (13-17)")
        YOUNG_ADULT = "young_adult", _("Young adult (18-29)")
        ADULT = "adult", _("Adult (30-59)")
        SENIOR = "senior", _("Senior (60 and over)")

    MINOR_AGE_GROUPS = (AgeGroup.CHILD, AgeGroup.TEEN)

    class Domain(models.TextChoices):
        ECONOMIC = "economic", _("Economic development")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health")
        DIGITAL = "digital", _("Digital inclusion")
        SOCIAL = "social", _("Social and cultural life")
        PUBLIC_SERVICES = "public_services", _("Public services")
        COMMUNICATION = "communication", _("Communication")

    class Involvement(models.TextChoices):
        SERVICE = "service", _("A library service (reading, internet, lending)")
        ACTIVITY = "activity", _("A community activity at the library")
        TRAINING = "training", _("A training held by the library")
        OTHER = "other", _("Something else")

    # A story belongs to a library; its province and kab/kota come from there.
    SCOPE_PATHS = {
        "province": "library__province",
        "regency": "library__regency",
        "library": "library",
    }
    # Fields the story form edits; the services change nothing else on a save.
    CONTENT_FIELDS = (
        "title",
        "storyteller_name",
        "anonymous",
        "gender",
        "age_group",
        "village",
        "domain",
        "life_before",
        "involvement",
        "involvement_detail",
        "event",
        "what_changed",
        "why_it_matters",
        "income_before",
        "income_after",
        "jobs_created",
        "product",
        "sold_where",
        "community_product",
        "video_url",
    )
    # Needed before a story can be submitted for review.
    REQUIRED_TO_SUBMIT = (
        "title",
        "gender",
        "age_group",
        "domain",
        "life_before",
        "involvement",
        "what_changed",
        "why_it_matters",
    )

    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="stories", verbose_name=_("library")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="impact_stories",
        verbose_name=_("written by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    storyteller_name = models.CharField(
        _("storyteller's name"),
        max_length=150,
        blank=True,
        help_text=_("Shown to the public only with the consent to be named."),
    )
    anonymous = models.BooleanField(
        _("anonymous storyteller"),
        default=False,
        help_text=_("The person does not want to be named; no name is stored with the story."),
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    age_group = models.CharField(
        _("age group"), max_length=12, choices=AgeGroup.choices, blank=True
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("desa/kelurahan of the storyteller"),
    )
    domain = models.CharField(
        _("domain of change"), max_length=20, choices=Domain.choices, blank=True
    )
    life_before = models.TextField(
        _("life before"),
        blank=True,
        validators=[MaxLengthValidator(STORY_TEXT_LIMIT)],
        help_text=_("How was their life before they came to the library?"),
    )
    involvement = models.CharField(
        _("how they got involved"), max_length=10, choices=Involvement.choices, blank=True
    )
    involvement_detail = models.TextField(
        _("which service, activity or training"),
        blank=True,
        validators=[MaxLengthValidator(STORY_TEXT_LIMIT)],
        help_text=_("For example: the Bimtek on online selling in March 2023."),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="impact_stories",
        verbose_name=_("recorded event"),
        help_text=_("The training or meeting that involved the person, if it is in the portal."),
    )
    what_changed = models.TextField(
        _("what changed"), blank=True, validators=[MaxLengthValidator(STORY_TEXT_LIMIT)]
    )
    why_it_matters = models.TextField(
        _("why it matters to them"),
        blank=True,
        validators=[MaxLengthValidator(STORY_TEXT_LIMIT)],
        help_text=_("In their own words, if possible."),
    )
    income_before = models.PositiveBigIntegerField(
        _("monthly income before (Rp)"), null=True, blank=True
    )
    income_after = models.PositiveBigIntegerField(
        _("monthly income after (Rp)"), null=True, blank=True
    )
    jobs_created = models.PositiveSmallIntegerField(_("jobs created"), null=True, blank=True)
    product = models.CharField(_("product"), max_length=150, blank=True)
    sold_where = models.CharField(
        _("where it is sold"),
        max_length=200,
        blank=True,
        help_text=_("For example: village market, Shopee, the Samarinda souvenir shop."),
    )
    community_product = models.ForeignKey(
        "impact.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("recorded product"),
        help_text=_("The community product the story is about, if it is recorded in the portal."),
    )
    video_url = models.URLField(
        _("video link"),
        max_length=500,
        blank=True,
        validators=[validate_video_url],
        help_text=_(
            "For the video story contests (lomba cerita dampak): the https:// address of the "
            "video on YouTube, Vimeo, Google Drive, Facebook, Instagram or TikTok. Shown as a "
            "link only, and in public only with the consent to publish the video."
        ),
    )
    # Set by the "new story" page: a repeated or double-clicked first save finds the draft
    # it already created instead of starting a second one.
    draft_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Optimistic locking: two tabs or two people saving the same story do not overwrite
    # each other silently; the later save is refused and told so.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("impact story")
        verbose_name_plural = _("impact stories")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "needs_revision",
                        "verified",
                        "published",
                        "withdrawn",
                    ]
                ),
                name="story_status_known",
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(storyteller_name=""),
                name="story_anonymous_has_no_name",
                violation_error_message=_("An anonymous storyteller has no name on record."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="story_published_has_date",
                violation_error_message=_("A published story has a publication date."),
            ),
        ]
        indexes = [
            # The public list of a province: published stories, newest first.
            models.Index(fields=["status", "-published_at"], name="story_status_published_idx"),
            # The moderation queue filtered by status, most recently changed first.
            models.Index(fields=["status", "-updated_at"], name="story_status_updated_idx"),
        ]

    def __str__(self) -> str:
        # A draft may have no title yet; it is still listed, under a name in the reader's
        # language (str(): a lazy translation is not a string to Python's str()).
        return self.title or str(_("(untitled)"))

    def clean(self) -> None:
        super().clean()
        if self.anonymous and self.storyteller_name:
            raise ValidationError(
                {"storyteller_name": _("Leave the name empty for an anonymous storyteller.")}
            )
        if self.village_id and self.library_id:
            library = self.library
            home = library.regency_id or None
            if home and self.village.district.regency_id != home:
                raise ValidationError(
                    {"village": _("Choose a desa/kelurahan in the kabupaten/kota of the library.")}
                )
        if (
            self.community_product_id
            and self.library_id
            and self.community_product.library_id != self.library_id
        ):
            raise ValidationError(
                {"community_product": _("Choose a product of the story's library.")}
            )

    @property
    def video_host(self) -> str:
        """The site the video link leads to, to say so next to the link."""
        host = urlsplit(self.video_url).hostname or ""
        return host.removeprefix("www.").removeprefix("m.")

    @property
    def is_minor(self) -> bool:
        return self.age_group in self.MINOR_AGE_GROUPS

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.WITHDRAWN

    @property
    def province(self):
        return self.library.province

    def local_today(self) -> datetime.date:
        """Today's date where the story's library is: a consent given just after midnight in
        Jayapura is given on the WIT date, not on Jakarta's."""
        return timezone.localdate(timezone=ZoneInfo(self.library.province.time_zone))

    def missing_for_submission(self) -> list[str]:
        """Labels of the fields still empty that a reviewer needs."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.REQUIRED_TO_SUBMIT
            if not getattr(self, name)
        ]


def _photo_path(instance, filename):
    return f"impact/photos/{uuid.uuid4().hex}.jpg"


def _thumbnail_path(instance, filename):
    return f"impact/thumbnails/{uuid.uuid4().hex}.jpg"


class PhotoQuerySet(ScopedQuerySet):
    def current(self):
        """Photos not removed: a removed photo's row stays only to keep its consents."""
        return self.filter(removed_at__isnull=True)

    def consented(self):
        """Current photos that show no face, or whose face consent stands (whatever their story)."""
        from .consent import Consent

        face_consent = Consent.objects.active().filter(
            photo=OuterRef("pk"), kind=Consent.Kind.PHOTO_FACE
        )
        return self.current().filter(Q(shows_face=False) | Exists(face_consent))

    def public(self):
        """Photos of public stories that show no face, or whose face consent stands."""
        from .consent import Consent

        # The conditions of Story.objects.public(), tested for each photo's own story: an
        # "IN (all public stories)" would be computed in full for a single photo.
        use_consent = Consent.objects.active().filter(
            story=OuterRef("story"), kind=Consent.Kind.STORY_USE
        )
        return self.consented().filter(Exists(use_consent), story__status=Story.Status.PUBLISHED)


class Photo(models.Model):
    """A photo re-encoded by the safe pipeline; the uploaded original is never kept.

    Removing a photo deletes its image files but keeps the row, marked removed, so that the
    consents given for it (and their withdrawals) stay provable under UU PDP.
    """

    SCOPE_PATHS = {
        "province": "story__library__province",
        "regency": "story__library__regency",
        "library": "story__library",
    }
    MAX_PER_STORY = 6

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="photos", verbose_name=_("story")
    )
    image = models.FileField(storage=private_storage, upload_to=_photo_path, editable=False)
    thumbnail = models.FileField(storage=private_storage, upload_to=_thumbnail_path, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    alt_text = models.CharField(
        _("description (alt text)"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    shows_face = models.BooleanField(
        _("shows a recognisable face"),
        default=True,
        help_text=_("A face is shown to the public only with that person's consent."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("removed by"),
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["story", "uploaded_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text=""),
                name="photo_has_alt_text",
                violation_error_message=_("Describe the photo in a few words."),
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | Q(image="", thumbnail=""),
                name="photo_removed_keeps_no_files",
                violation_error_message=_("A removed photo keeps no image files."),
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_by__isnull=True)
                | Q(removed_at__isnull=False, removed_by__isnull=False),
                name="photo_removal_says_who",
                violation_error_message=_("Record who removed the photo."),
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None
