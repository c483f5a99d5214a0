"""Consents under UU PDP 27/2022: one record per purpose, provable, withdrawable.

A consent is given for a story or for a testimony (a short quote), never both: the same rules
hold for each."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from impact.storage import private_storage
from libraries.scope import Scope, ScopedQuerySet

from .stories import Photo, Story
from .testimonies import Testimony


def _form_path(instance, filename):
    extension = "pdf" if filename.lower().endswith(".pdf") else "jpg"
    return f"impact/consent-forms/{uuid.uuid4().hex}.{extension}"


class ConsentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Consents of the stories and of the testimonies in the user's scope."""
        scope = Scope.for_user(user)
        return self.filter(
            scope.q(**Consent.SCOPE_PATHS) | scope.q(**Consent.TESTIMONY_SCOPE_PATHS)
        )

    def active(self):
        """Consents that stand: neither withdrawn nor replaced by a later record."""
        return self.filter(withdrawn_at__isnull=True, superseded_at__isnull=True)


def proof_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The rules every consent record keeps in the database: it is proven (a signed form, or
    a witness of a verbal consent) and a withdrawal says why. ``prefix`` names them."""
    return [
        models.CheckConstraint(
            condition=(
                (Q(method="signed_form") & ~Q(signed_form=""))
                | (Q(method="verbal") & ~Q(witness=""))
            ),
            name=f"{prefix}_method_has_proof",
            violation_error_message=_(
                "Upload the signed form, or name the witness of a verbal consent."
            ),
        ),
        models.CheckConstraint(
            condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
            name=f"{prefix}_withdrawal_has_reason",
            violation_error_message=_("Say why the consent was withdrawn."),
        ),
    ]


class ConsentRecord(models.Model):
    """What every consent record holds, a story's, a testimony's or a product's: who gave it,
    how it is proven, who recorded it and when, and its withdrawal, kept as proof."""

    class Method(models.TextChoices):
        SIGNED_FORM = "signed_form", _("Signed consent form (uploaded)")
        VERBAL = "verbal", _("Given verbally before a witness")

    given_by = models.CharField(
        _("given by"),
        max_length=150,
        help_text=_("The storyteller, or for a minor the parent or guardian."),
    )
    method = models.CharField(_("how consent was given"), max_length=12, choices=Method.choices)
    signed_form = models.FileField(
        _("signed form"), storage=private_storage, upload_to=_form_path, blank=True
    )
    witness = models.CharField(
        _("witnessed by"),
        max_length=150,
        blank=True,
        help_text=_("Who heard the consent being given verbally."),
    )
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def proof_errors(self) -> dict:
        """What is missing to prove the consent, by field."""
        errors = {}
        if self.method == self.Method.SIGNED_FORM and not self.signed_form:
            errors["signed_form"] = _("Upload the signed consent form.")
        if self.method == self.Method.VERBAL and not self.witness:
            errors["witness"] = _("Name the person who witnessed the verbal consent.")
        return errors

    def clean(self) -> None:
        super().clean()
        errors = self.proof_errors()
        if errors:
            raise ValidationError(errors)


class Consent(ConsentRecord):
    class Kind(models.TextChoices):
        # The same purpose for a testimony: the use of its quote.
        STORY_USE = "story_use", _("Use of the story or testimony")
        NAMING = "naming", _("Being named")
        PHOTO_FACE = "photo_face", _("Publishing a photo showing their face")
        VIDEO = "video", _("Publishing the video")

    SCOPE_PATHS = Photo.SCOPE_PATHS
    TESTIMONY_SCOPE_PATHS = {
        "province": "testimony__library__province",
        "regency": "testimony__library__regency",
        "library": "testimony__library",
    }
    # What a testimony's speaker may consent to: a testimony has no photo and no video.
    TESTIMONY_KINDS = (Kind.STORY_USE, Kind.NAMING)

    story = models.ForeignKey(
        Story,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("story"),
    )
    testimony = models.ForeignKey(
        Testimony,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("testimony"),
    )
    kind = models.CharField(_("consent to"), max_length=12, choices=Kind.choices)
    photo = models.ForeignKey(
        Photo,
        # Photos are removed by marking them (photo_remove): a consent is never lost with one.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("photo"),
        help_text=_("Only for consent to publish a photo."),
    )
    guardian_relation = models.CharField(
        _("relation to the storyteller"),
        max_length=60,
        blank=True,
        help_text=_("For a minor: mother, father, guardian..."),
    )
    # A record corrected by a later one (wrong date, wrong name, a guardian's consent in place
    # of a child's own): the person did not withdraw, so the story stays open, and this record
    # stays as it was, with who replaced it (superseded_by.recorded_by), when and why.
    superseded_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    superseded_reason = models.TextField(_("reason for replacing"), blank=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("replaced by"),
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        # By the columns, never through a join: rows are locked with SELECT ... FOR UPDATE,
        # which PostgreSQL refuses on the outer join a nullable story or testimony needs.
        ordering = ["story_id", "testimony_id", "kind", "recorded_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["story_use", "naming", "photo_face", "video"]),
                name="consent_kind_known",
            ),
            models.CheckConstraint(
                condition=(
                    Q(story__isnull=False, testimony__isnull=True)
                    | Q(
                        story__isnull=True,
                        testimony__isnull=False,
                        kind__in=["story_use", "naming"],
                    )
                ),
                name="consent_for_a_story_or_a_testimony",
                violation_error_message=_(
                    "A consent is for one story or one testimony; a testimony's speaker consents "
                    "to its use and to being named."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="photo_face", photo__isnull=False)
                    | (~Q(kind="photo_face") & Q(photo__isnull=True))
                ),
                name="consent_photo_only_for_photos",
                violation_error_message=_("Choose the photo this consent is for."),
            ),
            *proof_constraints("consent"),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True) | ~Q(superseded_reason=""),
                name="consent_replacement_has_reason",
                violation_error_message=_("Say why the consent on record is being replaced."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(superseded_at__isnull=True),
                name="consent_withdrawn_or_replaced_not_both",
                violation_error_message=_("A consent is either withdrawn or replaced."),
            ),
            models.UniqueConstraint(
                fields=["story", "kind"],
                condition=Q(
                    withdrawn_at__isnull=True, superseded_at__isnull=True, photo__isnull=True
                ),
                name="consent_one_active_per_story_kind",
                violation_error_message=_("This consent is already recorded for the story."),
            ),
            models.UniqueConstraint(
                fields=["photo"],
                condition=Q(
                    withdrawn_at__isnull=True, superseded_at__isnull=True, photo__isnull=False
                ),
                name="consent_one_active_per_photo",
                violation_error_message=_("This photo already has a consent on record."),
            ),
            models.UniqueConstraint(
                fields=["testimony", "kind"],
                condition=Q(
                    withdrawn_at__isnull=True, superseded_at__isnull=True, testimony__isnull=False
                ),
                name="consent_one_active_per_testimony_kind",
                violation_error_message=_("This consent is already recorded for the testimony."),
            ),
        ]
        indexes = [
            # "Does this story (or photo) have an active consent of this kind?" on every
            # public list and story page.
            models.Index(
                fields=["story", "kind"],
                condition=Q(withdrawn_at__isnull=True, superseded_at__isnull=True),
                name="consent_active_idx",
            ),
            # "Does this testimony have an active consent of this kind?" on public pages.
            models.Index(
                fields=["testimony", "kind"],
                condition=Q(withdrawn_at__isnull=True, superseded_at__isnull=True),
                name="consent_testimony_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.given_by}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and self.superseded_at is None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None

    @property
    def by_guardian(self) -> bool:
        return bool(self.guardian_relation)

    @property
    def subject(self) -> Story | Testimony:
        """The story or the testimony this consent is for."""
        return self.story if self.story_id else self.testimony

    def clean(self) -> None:
        models.Model.clean(self)
        errors = self.proof_errors()
        if self.kind == self.Kind.PHOTO_FACE and not self.photo_id:
            errors["photo"] = _("Choose the photo this consent is for.")
        if self.kind != self.Kind.PHOTO_FACE and self.photo_id:
            errors["photo"] = _("A photo is chosen only for consent to publish a photo.")
        if bool(self.story_id) == bool(self.testimony_id):
            errors["__all__"] = _("A consent is for one story or one testimony.")
        if self.testimony_id and self.kind not in self.TESTIMONY_KINDS:
            errors["kind"] = _("A testimony's speaker consents to its use and to being named.")
        if self.photo_id and self.story_id and self.photo.story_id != self.story_id:
            errors["photo"] = _("This photo belongs to another story.")
        if self._state.adding and self.photo_id and self.photo.is_removed:
            errors["photo"] = _("This photo was removed from the story.")
        # Checked when the consent is recorded: an earlier record of a story whose age group
        # was corrected later stays as it was, and can still be withdrawn or replaced.
        subject = self.story if self.story_id else self.testimony if self.testimony_id else None
        if (
            self._state.adding
            and subject is not None
            and subject.is_minor
            and not self.guardian_relation
        ):
            errors["guardian_relation"] = _(
                "The storyteller is a minor: consent must come from a parent or guardian. "
                "Give their name and their relation to the child."
            )
        if errors:
            raise ValidationError(errors)
