"""Community products: what people make after library trainings, exhibited at a PLM, taken to
a Stakeholder Meeting for packaging, certification, loans and markets, and shown to the public.

A product belongs to a library, like a story. Its photo goes through the same safe image
pipeline as story photos, and it is shown to the public only while the producer's consent to
be named and shown stands (``ProductQuerySet.public``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from events.models import Event
from impact.storage import private_storage
from libraries.models import Library
from libraries.scope import ScopedQuerySet

from .consent import ConsentRecord, proof_constraints


def _photo_path(instance, filename):
    return f"impact/products/{uuid.uuid4().hex}.jpg"


def _thumbnail_path(instance, filename):
    return f"impact/products/thumbnails/{uuid.uuid4().hex}.jpg"


class ProductQuerySet(ScopedQuerySet):
    def public(self):
        """Products whose producer's consent to be named and shown stands: the only ones the
        public sees, with their library and where to buy them."""
        return self.filter(
            Exists(ProductConsent.objects.active().filter(product=OuterRef("pk"))),
        )

    def in_province(self, code: str):
        return self.filter(library__province=code)

    def with_offers(self):
        return self.filter(Exists(ProductOffer.objects.filter(product=OuterRef("pk"))))

    def for_shm(self, shm: Event):
        """Products taken to this SHM: exhibited at a PLM of its province held before it (for
        a kab/kota SHM, those of its kab/kota), and any product already given an offer here,
        so that the meeting's record keeps them."""
        exhibited = ProductExhibition.objects.filter(
            product=OuterRef("pk"),
            event__kind__in=Event.PLM_KINDS,
            event__ends_at__lte=shm.starts_at,
        )
        candidates = self.filter(library__province=shm.province_id)
        if shm.kind == Event.Kind.SHM_REGENCY and shm.regency_id:
            candidates = candidates.filter(library__regency=shm.regency_id)
        return candidates.filter(
            Exists(exhibited)
            | Exists(ProductOffer.objects.filter(product=OuterRef("pk"), event=shm))
        )


class Product(models.Model):
    class Kind(models.TextChoices):
        FOOD = "food", _("Food and drink")
        CRAFT = "craft", _("Handicraft")
        TEXTILE = "textile", _("Clothing and textiles (batik, weaving, tailoring)")
        AGRICULTURE = "agriculture", _("Farming, fishing and livestock")
        HERBAL = "herbal", _("Herbal and beauty products")
        SERVICE = "service", _("Service (repairs, printing, digital services)")
        OTHER = "other", _("Other")

    # A product belongs to a library; its province and kab/kota come from there.
    SCOPE_PATHS = {
        "province": "library__province",
        "regency": "library__regency",
        "library": "library",
    }
    # Fields the product form edits; the services change nothing else on a save.
    CONTENT_FIELDS = (
        "name",
        "kind",
        "description",
        "producer_name",
        "producer_is_group",
        "training_event",
        "training_detail",
        "sold_where",
        "price_min",
        "price_max",
        "income_before",
        "income_after",
    )

    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("library"),
        help_text=_("The library whose training or activity led to the product."),
    )
    name = models.CharField(_("product name"), max_length=150)
    kind = models.CharField(_("kind of product"), max_length=12, choices=Kind.choices)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(2000)]
    )
    producer_name = models.CharField(
        _("producer or group"),
        max_length=150,
        help_text=_(
            "The person or group (KWT, PKK, UMKM...) who makes it. Shown to the public only "
            "with their consent to be named and shown."
        ),
    )
    producer_is_group = models.BooleanField(_("made by a group"), default=False)
    training_event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products_trained",
        verbose_name=_("recorded training or event"),
        help_text=_("The training or meeting that led to the product, if it is in the portal."),
    )
    training_detail = models.CharField(
        _("training or activity that led to it"),
        max_length=250,
        blank=True,
        help_text=_("For example: the library's training on snack packaging in March 2024."),
    )
    sold_where = models.CharField(
        _("where to buy it"),
        max_length=250,
        blank=True,
        help_text=_("For example: village market, Shopee, the Samarinda souvenir shop."),
    )
    price_min = models.PositiveBigIntegerField(_("lowest price (Rp)"), null=True, blank=True)
    price_max = models.PositiveBigIntegerField(_("highest price (Rp)"), null=True, blank=True)
    income_before = models.PositiveBigIntegerField(
        _("monthly income before (Rp)"), null=True, blank=True
    )
    income_after = models.PositiveBigIntegerField(
        _("monthly income after (Rp)"), null=True, blank=True
    )
    photo = models.FileField(
        storage=private_storage, upload_to=_photo_path, blank=True, editable=False
    )
    thumbnail = models.FileField(
        storage=private_storage, upload_to=_thumbnail_path, blank=True, editable=False
    )
    photo_alt = models.CharField(
        _("photo description (alt text)"),
        max_length=250,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # Set by the "new product" page: a repeated or double-tapped save finds the product it
    # already created instead of making a second one.
    create_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("community product")
        verbose_name_plural = _("community products")
        constraints = [
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_max__gte=models.F("price_min")),
                name="product_price_range_ordered",
                violation_error_message=_("The highest price is not below the lowest price."),
            ),
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""),
                name="product_photo_has_alt_text",
                violation_error_message=_("Describe the photo in a few words."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "food",
                        "craft",
                        "textile",
                        "agriculture",
                        "herbal",
                        "service",
                        "other",
                    ]
                ),
                name="product_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (
            self.price_min is not None
            and self.price_max is not None
            and self.price_max < self.price_min
        ):
            raise ValidationError(
                {"price_max": _("The highest price is not below the lowest price.")}
            )
        if self.photo and not self.photo_alt.strip():
            raise ValidationError({"photo_alt": _("Describe the photo in a few words.")})

    @property
    def province(self):
        return self.library.province


class ProductConsentQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class ProductConsent(ConsentRecord):
    """The producer's (or group's) consent to be named and to have the product, its photo
    included, shown on the public pages (UU PDP 27/2022): recorded, provable, withdrawable."""

    SCOPE_PATHS = {
        "province": "product__library__province",
        "regency": "product__library__regency",
        "library": "product__library",
    }

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="consents", verbose_name=_("product")
    )
    given_by = models.CharField(
        _("given by"),
        max_length=150,
        help_text=_("The producer, or for a group the person who speaks for it."),
    )

    objects = ProductConsentQuerySet.as_manager()

    class Meta:
        ordering = ["product", "recorded_at", "pk"]
        verbose_name = _("producer's consent")
        verbose_name_plural = _("producers' consents")
        constraints = [
            *proof_constraints("product_consent"),
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(withdrawn_at__isnull=True),
                name="product_consent_one_active",
                violation_error_message=_("This consent is already recorded for the product."),
            ),
        ]
        indexes = [
            # "Does this product have a standing consent?" on every public product list.
            models.Index(
                fields=["product"],
                condition=Q(withdrawn_at__isnull=True),
                name="product_consent_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.given_by}"

    @property
    def subject(self) -> Product:
        """What this consent is for (as ``Consent.subject``)."""
        return self.product


class ProductExhibition(models.Model):
    """A product shown at a PLM's exhibition, as marked by a consultant."""

    SCOPE_PATHS = {
        "province": "product__library__province",
        "regency": "product__library__regency",
        "library": "product__library",
    }

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="exhibitions", verbose_name=_("product")
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="product_exhibitions",
        verbose_name=_("PLM"),
        limit_choices_to={"kind__in": Event.PLM_KINDS},
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["event", "product"]
        verbose_name = _("product exhibited at a PLM")
        verbose_name_plural = _("products exhibited at PLMs")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "product"],
                name="product_exhibited_once_per_event",
                violation_error_message=_("This product is already marked as exhibited here."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.event}"

    def clean(self) -> None:
        super().clean()
        if self.event_id and not self.event.is_plm:
            raise ValidationError({"event": _("Products are exhibited at a PLM.")})
        if (
            self.event_id
            and self.product_id
            and self.event.kind == Event.Kind.PLM_PROVINCE
            and self.product.library.province_id != self.event.province_id
        ):
            raise ValidationError({"product": _("The product must be from the PLM's province.")})


class ProductOffer(models.Model):
    """A stakeholder's offer for a product at a Stakeholder Meeting, and what came of it."""

    class Kind(models.TextChoices):
        PACKAGING = "packaging", _("Packaging")
        CERTIFICATION = "certification", _("Certification (PIRT, halal, BPOM...)")
        LOAN = "loan", _("Loan or capital")
        MARKET = "market", _("Market outlet")
        PROMOTION = "promotion", _("Promotion")
        TRAINING = "training", _("Training or mentoring")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        IN_PROGRESS = "in_progress", _("In follow-up")
        DONE = "done", _("Realised")
        DROPPED = "dropped", _("Not pursued")

    SCOPE_PATHS = {
        "province": "product__library__province",
        "regency": "product__library__regency",
        "library": "product__library",
    }

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="offers", verbose_name=_("product")
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        related_name="product_offers",
        verbose_name=_("Stakeholder Meeting"),
        limit_choices_to={"kind__in": Event.SHM_KINDS},
    )
    kind = models.CharField(_("kind of offer"), max_length=14, choices=Kind.choices)
    detail = models.CharField(
        _("what is offered"),
        max_length=250,
        blank=True,
        help_text=_("For example: PIRT certification, a KUR loan up to Rp 10 million."),
    )
    stakeholder = models.CharField(
        _("stakeholder"),
        max_length=150,
        help_text=_("The person who made the offer, or the office they represent."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=150,
        help_text=_("For example: Bank Kaltimtara, Dinas Koperasi dan UKM, PKK."),
    )
    status = models.CharField(
        _("follow-up status"), max_length=12, choices=Status.choices, default=Status.OFFERED
    )
    follow_up = models.TextField(_("follow-up"), blank=True, validators=[MaxLengthValidator(2000)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # Set by the offer form: a repeated or double-tapped save records the offer once.
    create_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["product", "created_at", "pk"]
        verbose_name = _("stakeholder offer")
        verbose_name_plural = _("stakeholder offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["offered", "in_progress", "done", "dropped"]),
                name="product_offer_status_known",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "packaging",
                        "certification",
                        "loan",
                        "market",
                        "promotion",
                        "training",
                        "other",
                    ]
                ),
                name="product_offer_kind_known",
            ),
        ]
        indexes = [
            # The offers listed on an SHM's product page.
            models.Index(fields=["event", "product"], name="product_offer_event_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.organisation}"

    def clean(self) -> None:
        super().clean()
        if self.event_id and not self.event.is_shm:
            raise ValidationError({"event": _("Offers are recorded at a Stakeholder Meeting.")})
        if (
            self.event_id
            and self.product_id
            and self.product.library.province_id != self.event.province_id
        ):
            raise ValidationError(
                {"product": _("The product must be from the meeting's province.")}
            )
