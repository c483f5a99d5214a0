"""The register of libraries taking part in TPBIS, their aid packages and managers."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from libraries.scope import ScopedQuerySet

from .regions import Province, Regency, Village

FIRST_COHORT_YEAR = 2018

# The Nomor Pokok Perpustakaan (NPP), e.g. 6372052C0000001. Perpusnas builds it from region
# codes, the library's type and status and a sequence, but the layout is not published: the
# portal checks only that it looks like one (digits and capital letters, 10 to 20 of them)
# and never reads meaning out of it.
NPP_PATTERN = r"^[0-9A-Z]{10,20}$"
validate_npp = RegexValidator(
    NPP_PATTERN,
    message=_(
        "An NPP has 10 to 20 digits and letters, without spaces or dots, for example "
        "6372052C0000001."
    ),
    code="npp",
)


class NPPFormField(forms.CharField):
    """Accepts the NPP as people copy it: lower case or with spaces, dots and dashes."""

    def to_python(self, value):
        value = super().to_python(value)
        return re.sub(r"[\s.\-]", "", value).upper()


class NPPField(models.CharField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NPPFormField, **kwargs})


class LibraryQuerySet(ScopedQuerySet):
    def in_province(self, province):
        return self.filter(province=province)

    def active(self):
        return self.filter(status=Library.Status.ACTIVE)

    def with_regions(self):
        return self.select_related("province", "regency", "village__district")


class Library(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Provincial library")
        REGENCY = "regency", _("Kabupaten/kota library")
        VILLAGE = "village", _("Desa/kelurahan library")
        # Taman Bacaan Masyarakat: a community-run reading space in a desa/kelurahan, not run
        # by the village government. A village may have several besides its village library.
        TBM = "tbm", _("Taman Bacaan Masyarakat (TBM)")

    # Levels that sit in a desa/kelurahan.
    VILLAGE_LEVELS = (Level.VILLAGE, Level.TBM)

    class SupportTier(models.TextChoices):
        FULL = "full", _("Full support")
        BOOKS = "books", _("Books-only support")
        REPLICATION = "replication", _("Self-funded replication")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # How the scope rule finds this model's province, kab/kota and library.
    SCOPE_PATHS = {"province": "province", "regency": "regency", "library": "pk"}

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="libraries", verbose_name=_("province")
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        related_name="libraries",
        null=True,
        blank=True,
        verbose_name=_("kabupaten/kota"),
        help_text=_("Empty for a provincial library."),
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        related_name="libraries",
        null=True,
        blank=True,
        verbose_name=_("desa/kelurahan"),
        help_text=_("Only for a desa/kelurahan library or a TBM."),
    )
    npp = NPPField(
        _("NPP"),
        max_length=20,
        blank=True,
        default="",
        # In the database too: hosts still on the previous release insert libraries without it.
        db_default="",
        validators=[validate_npp],
        help_text=_(
            "Nomor Pokok Perpustakaan, the library's national number from Perpusnas, for "
            "example 6372052C0000001. Leave empty if the library has none yet."
        ),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    cohort_year = models.PositiveSmallIntegerField(
        _("cohort year"),
        validators=[MinValueValidator(FIRST_COHORT_YEAR)],
        help_text=_("Year the library joined the programme (2018 onwards)."),
    )
    support_tier = models.CharField(_("support tier"), max_length=12, choices=SupportTier.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # Optimistic locking: an edit based on an older version is refused, not silently applied.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LibraryQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        ordering = ["province_id", "regency_id", "level", "name"]
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        constraints = [
            models.UniqueConstraint(
                fields=["province"],
                condition=Q(level="province"),
                name="library_one_per_province",
                violation_error_message=_("This province already has a provincial library."),
            ),
            models.UniqueConstraint(
                fields=["regency"],
                condition=Q(level="regency"),
                name="library_one_per_regency",
                violation_error_message=_("This kabupaten/kota already has a library."),
            ),
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(level="village"),
                name="library_one_per_village",
                violation_error_message=_("This desa/kelurahan already has a library."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(level="province", regency__isnull=True, village__isnull=True)
                    | Q(level="regency", regency__isnull=False, village__isnull=True)
                    | Q(level="village", regency__isnull=False, village__isnull=False)
                    | Q(level="tbm", regency__isnull=False, village__isnull=False)
                ),
                name="library_region_matches_level",
                violation_error_message=_(
                    "A provincial library has no kabupaten/kota or village; a kabupaten/kota "
                    "library needs its kabupaten/kota; a village library or a TBM needs its "
                    "village."
                ),
            ),
            models.UniqueConstraint(
                fields=["npp"],
                condition=~Q(npp=""),
                name="library_npp_unique",
                violation_error_message=_("Another library already has this NPP."),
            ),
            models.CheckConstraint(
                condition=Q(npp="") | Q(npp__regex=NPP_PATTERN),
                name="library_npp_format",
                violation_error_message=validate_npp.message,
            ),
            models.CheckConstraint(
                condition=Q(cohort_year__gte=FIRST_COHORT_YEAR),
                name="library_cohort_from_2018",
                violation_error_message=_("The cohort year is 2018 or later."),
            ),
            models.CheckConstraint(
                condition=Q(support_tier__in=["full", "books", "replication"]),
                name="library_support_tier_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "inactive", "withdrawn"]),
                name="library_status_known",
            ),
        ]
        indexes = [
            # Registry lists filter by province, then level and cohort.
            models.Index(
                fields=["province", "level", "cohort_year"], name="library_prov_level_idx"
            ),
            # Name search on the registry list.
            models.Index(fields=["name"], name="library_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.level == self.Level.VILLAGE and self.village_id is None:
            errors["village"] = _("Choose the desa/kelurahan of a village library.")
        if self.level == self.Level.TBM and self.village_id is None:
            errors["village"] = _("Choose the desa/kelurahan where the TBM is.")
        if self.level == self.Level.REGENCY and self.regency_id is None:
            errors["regency"] = _("Choose the kabupaten/kota of this library.")
        if self.level not in self.VILLAGE_LEVELS and self.village_id is not None:
            errors["village"] = _("Only a desa/kelurahan library or a TBM has a village.")
        if self.level == self.Level.PROVINCE and self.regency_id is not None:
            errors["regency"] = _("A provincial library has no kabupaten/kota.")
        if self.village_id and self.regency_id and self.village_id[:5] != self.regency_id:
            errors["village"] = _("This village is not in the chosen kabupaten/kota.")
        if self.regency_id and self.province_id and self.regency_id[:2] != self.province_id:
            errors["regency"] = _("This kabupaten/kota is not in the chosen province.")
        if self.cohort_year and self.cohort_year > datetime.date.today().year + 1:
            errors["cohort_year"] = _("The cohort year cannot be that far in the future.")
        if errors:
            raise ValidationError(errors)

    @property
    def region(self):
        """The region the library serves, at its own level."""
        if self.level in self.VILLAGE_LEVELS:
            return self.village
        if self.level == self.Level.REGENCY:
            return self.regency
        return self.province

    @property
    def time_zone(self) -> str:
        return self.province.time_zone


class AidItem(models.Model):
    """One item of the aid package a library received."""

    class Kind(models.TextChoices):
        COMPUTER = "computer", _("Computer")
        EBOOK_SERVER = "ebook_server", _("E-book server")
        BOOKSHELF = "bookshelf", _("Bookshelf")
        PRINTER = "printer", _("Printer")
        SMART_TV = "smart_tv", _("Smart TV")
        MODEM = "modem", _("Modem / internet package")
        BOOKS = "books", _("Books (copies)")
        OTHER = "other", _("Other")

    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="aid_items", verbose_name=_("library")
    )
    kind = models.CharField(_("item"), max_length=20, choices=Kind.choices)
    description = models.CharField(
        _("description"),
        max_length=200,
        blank=True,
        help_text=_("For example: 350 titles, or the brand and type."),
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    received_on = models.DateField(_("received on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["library", "kind", "received_on"]
        verbose_name = _("aid item")
        verbose_name_plural = _("aid items")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="aid_item_quantity_positive",
                violation_error_message=_("The quantity is at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} x {self.quantity}"


class LibraryManager(models.Model):
    """A pengelola perpustakaan: a person appointed (by SK) to run the library."""

    class Position(models.TextChoices):
        HEAD = "head", _("Head of library")
        MANAGER = "manager", _("Library manager")
        PIC = "pic", _("PIC TPBIS")
        FACILITATOR = "facilitator", _("Fasilitator Daerah")

    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="managers", verbose_name=_("library")
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    decree_number = models.CharField(
        _("decree (SK) number"),
        max_length=100,
        blank=True,
        help_text=_("The SK appointing this person as library manager."),
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["library", "position", "name"]
        verbose_name = _("library manager")
        verbose_name_plural = _("library managers")
        constraints = [
            models.UniqueConstraint(
                fields=["library", "name", "position"],
                name="library_manager_unique",
                violation_error_message=_("This person is already listed with this position."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_position_display()})"
