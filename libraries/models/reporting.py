"""Activity reporting: what libraries record, and the targets Perpusnas measures them against.

Libraries "rutin dan konsisten menginput semua kegiatan": every activity with its strategy,
participants and evidence; monthly visitor counts; partnerships, regulations and budget
allocations won through advocacy. Perpusnas staff set targets per library level and cohort,
and the thresholds that colour each indicator red, yellow or green.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from libraries.formatting import format_rupiah
from libraries.scope import ScopedQuerySet
from libraries.storage import private_storage

from .registry import FIRST_COHORT_YEAR, Library

LIBRARY_SCOPE_PATHS = {
    "province": "library__province",
    "regency": "library__regency",
    "library": "library",
}


class Strategy(models.TextChoices):
    """The three strategies every TPBIS library reports against."""

    INFORMATION = "information", _("Better information services")
    ENGAGEMENT = "engagement", _("Community engagement")
    ADVOCACY = "advocacy", _("Advocacy and partnerships")


class ReportingQuerySet(ScopedQuerySet):
    def for_library(self, library):
        return self.filter(library=library)

    def between(self, start: datetime.date, end: datetime.date, field: str = "date"):
        """Rows dated from ``start`` to ``end``, both included."""
        return self.filter(**{f"{field}__gte": start, f"{field}__lte": end})


class Partner(models.Model):
    class Kind(models.TextChoices):
        BANK = "bank", _("Bank")
        COOPERATIVE = "cooperative", _("Cooperative")
        UNIVERSITY = "university", _("University or school")
        KOMINFO = "kominfo", _("Dinas Kominfo")
        GOVERNMENT = "government", _("Other government office")
        COMPANY = "company", _("Company (state or private)")
        VILLAGE_GOVERNMENT = "village_government", _("Village government")
        COMMUNITY = "community", _("Community group or NGO")
        OTHER = "other", _("Other")

    SCOPE_PATHS = LIBRARY_SCOPE_PATHS

    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        related_name="partners",
        verbose_name=_("library"),
        help_text=_("The library that works with this partner."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    contact = models.CharField(
        _("contact person"),
        max_length=200,
        blank=True,
        help_text=_("Name and position at the partner, for example the branch manager."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReportingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["library", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["library", "name"],
                name="partner_unique_per_library",
                violation_error_message=_("This library already lists a partner of this name."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "bank",
                        "cooperative",
                        "university",
                        "kominfo",
                        "government",
                        "company",
                        "village_government",
                        "community",
                        "other",
                    ]
                ),
                name="partner_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SkillQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Skill(models.Model):
    """A kind of skill taught (jenis keterampilan), from the catalogue Perpusnas staff keep.

    Activities choose from it, so that the portal can count activities and participants by
    skill; what the catalogue lacks is written in the activity's "other skills" text.
    """

    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Short and general, for example: Food processing, Online selling."),
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("What belongs here, to help librarians choose."),
    )
    active = models.BooleanField(
        _("offered"),
        default=True,
        help_text=_(
            "Librarians choose only from offered skills; an activity that already names a "
            "skill no longer offered keeps it."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SkillQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills catalogue")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="skill_name_unique",
                violation_error_message=_("The catalogue already has a skill of this name."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="skill_has_name",
                violation_error_message=_("Give the skill a name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActivityQuerySet(ReportingQuerySet):
    def with_library(self):
        return self.select_related("library__province", "library__regency")


class Activity(models.Model):
    """One community activity a library held: the basic unit of the programme's indicators."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Skills training")
        READING = "reading", _("Reading session")
        STORYTELLING = "storytelling", _("Storytelling")
        DISCUSSION = "discussion", _("Discussion or sharing session")
        EXHIBITION = "exhibition", _("Exhibition")
        DIGITAL_LITERACY = "digital_literacy", _("Digital literacy")
        PRODUCT_MARKETING = "product_marketing", _("Product marketing")
        INFORMATION_SERVICE = "information_service", _("Information service")
        ADVOCACY_MEETING = "advocacy_meeting", _("Advocacy meeting")
        COMPETITION = "competition", _("Competition")
        OTHER = "other", _("Other")

    SCOPE_PATHS = LIBRARY_SCOPE_PATHS
    AGE_FIELDS = ("age_children", "age_youth", "age_adults", "age_elderly")

    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="activities", verbose_name=_("library")
    )
    strategy = models.CharField(
        _("strategy"), max_length=12, choices=Strategy.choices, default=Strategy.ENGAGEMENT
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRAINING)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    catalogue_skills = models.ManyToManyField(
        Skill,
        blank=True,
        related_name="activities",
        verbose_name=_("skills taught"),
        help_text=_("Choose from the catalogue; write any other skill below."),
    )
    # The free text of the first reports; now what the catalogue lacks.
    skills = models.CharField(
        _("other skills taught"),
        max_length=300,
        blank=True,
        help_text=_("Skills the catalogue does not list, for example: making banana chips."),
    )
    participants_male = models.PositiveIntegerField(_("male participants"), default=0)
    participants_female = models.PositiveIntegerField(_("female participants"), default=0)
    # Derived in the database, so that sums over thousands of activities stay one query and the
    # total can never disagree with its parts.
    participants_total = models.GeneratedField(
        expression=F("participants_male") + F("participants_female"),
        output_field=models.PositiveIntegerField(),
        db_persist=True,
        verbose_name=_("participants"),
    )
    # Age groups are optional; when given, they account for every participant.
    age_children = models.PositiveIntegerField(
        _("children (0-12)"), null=True, blank=True, help_text=_("Leave empty if not known.")
    )
    age_youth = models.PositiveIntegerField(_("youth (13-17)"), null=True, blank=True)
    age_adults = models.PositiveIntegerField(_("adults (18-59)"), null=True, blank=True)
    age_elderly = models.PositiveIntegerField(_("elderly (60+)"), null=True, blank=True)
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="activities", verbose_name=_("partners involved")
    )
    notes = models.TextField(_("notes"), blank=True)
    # Generated in the form the librarian opened; a double tap or a retried request carries the
    # same key and is recognised instead of recorded twice.
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

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at", "participants_total"])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            # The key is made on the librarian's phone (the form or the offline queue): it is
            # unique for the person who sends it, so nobody can reach another's activity by
            # guessing or reusing a key.
            models.UniqueConstraint(
                fields=["recorded_by", "idempotency_key"],
                name="activity_idempotency_key_per_user",
                violation_error_message=_("This activity has already been recorded."),
            ),
            models.CheckConstraint(
                condition=Q(participants_male__gte=0) & Q(participants_female__gte=0),
                name="activity_participants_not_negative",
                violation_error_message=_("Participant numbers cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        age_children__isnull=True,
                        age_youth__isnull=True,
                        age_adults__isnull=True,
                        age_elderly__isnull=True,
                    )
                    | Q(
                        age_children__gte=0,
                        age_youth__gte=0,
                        age_adults__gte=0,
                        age_elderly__gte=0,
                        # The parts, not the generated total: a check constraint may not
                        # depend on a generated column in every database.
                        participants_male=F("age_children")
                        + F("age_youth")
                        + F("age_adults")
                        + F("age_elderly")
                        - F("participants_female"),
                    )
                ),
                name="activity_age_groups_add_up",
                violation_error_message=_(
                    "Either leave every age group empty, or fill them all so that they add up "
                    "to the number of participants."
                ),
            ),
            models.CheckConstraint(
                condition=Q(strategy__in=["information", "engagement", "advocacy"]),
                name="activity_strategy_known",
            ),
        ]
        indexes = [
            # Activity lists and indicators of one library over a period.
            models.Index(fields=["library", "date"], name="activity_library_date_idx"),
            # National and provincial indicators filter a period first, then join libraries.
            models.Index(fields=["date", "strategy"], name="activity_date_strategy_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d-%m-%Y})"

    def clean(self) -> None:
        ages = [getattr(self, name) for name in self.AGE_FIELDS]
        given = [value for value in ages if value is not None]
        if given and len(given) != len(ages):
            raise ValidationError(
                _("Fill every age group (0 where nobody), or leave them all empty.")
            )
        male, female = self.participants_male or 0, self.participants_female or 0
        if given and sum(given) != male + female:
            raise ValidationError(
                _(
                    "The age groups add up to %(ages)d but there are %(total)d participants "
                    "(men and women)."
                )
                % {"ages": sum(given), "total": male + female}
            )
        if self.date and self.date > datetime.date.today() + datetime.timedelta(days=1):
            raise ValidationError({"date": _("An activity cannot be recorded in the future.")})
        if self.date and self.date.year < FIRST_COHORT_YEAR:
            raise ValidationError({"date": _("The programme's records start in 2018.")})

    @property
    def total_participants(self) -> int:
        """The total before the row is saved (the generated column fills in on save)."""
        return (self.participants_male or 0) + (self.participants_female or 0)

    @property
    def ages_known(self) -> bool:
        return self.age_children is not None


def _evidence_path(instance, filename: str) -> str:
    # Never the uploader's file name: it may carry personal data, and it decides nothing.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{uuid.uuid4().hex}.{extension}"


class ActivityEvidence(models.Model):
    """A photo or a scanned attendance sheet (daftar hadir) supporting an activity."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        ATTENDANCE = "attendance", _("Attendance sheet")

    SCOPE_PATHS = {
        "province": "activity__library__province",
        "regency": "activity__library__regency",
        "library": "activity__library",
    }

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("activity")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Attendance sheets carry names and signatures: served only through the scoped view.
    file = models.FileField(_("file"), storage=private_storage, upload_to=_evidence_path)
    thumbnail = models.FileField(
        _("thumbnail"), storage=private_storage, upload_to=_evidence_path, blank=True
    )
    content_type = models.CharField(max_length=50, editable=False)
    uploaded_by = models.ForeignKey(
        "libraries.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["photo", "attendance"]), name="evidence_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=["image/jpeg", "application/pdf"]),
                name="evidence_content_type_known",
                violation_error_message=_("Evidence is a JPEG photo or a PDF."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.activity}"

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class VisitorCount(models.Model):
    """Visitors of one library in one month (the first day of the month stands for it)."""

    SCOPE_PATHS = LIBRARY_SCOPE_PATHS

    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="visitor_counts", verbose_name=_("library")
    )
    month = models.DateField(_("month"), help_text=_("Any day of the month; stored as the 1st."))
    visitors = models.PositiveIntegerField(_("visitors"))
    recorded_by = models.ForeignKey(
        "libraries.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReportingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["library", "-month"]
        verbose_name = _("monthly visitor count")
        verbose_name_plural = _("monthly visitor counts")
        constraints = [
            # Its index (library, month) also serves the report cards' sums of a period's
            # visitors by library ids (``indicators.library_figures``).
            models.UniqueConstraint(
                fields=["library", "month"],
                name="visitor_count_one_per_month",
                violation_error_message=_("This month's visitors are already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="visitor_count_month_is_first_day",
                violation_error_message=_("A month is stored as its first day."),
            ),
            models.CheckConstraint(
                condition=Q(visitors__gte=0),
                name="visitor_count_not_negative",
                violation_error_message=_("The number of visitors cannot be negative."),
            ),
        ]
        indexes = [
            # Indicators sum the visitors of a period across many libraries.
            models.Index(fields=["month", "library"], name="visitor_count_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.library} · {self.month:%m-%Y}: {self.visitors}"


def _document_path(instance, filename: str) -> str:
    return f"documents/{uuid.uuid4().hex}.pdf"


class Agreement(models.Model):
    """An MoU or cooperation agreement (PKS) between a library and a partner."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding (MoU)")
        COOPERATION = "cooperation", _("Cooperation agreement (PKS)")

    SCOPE_PATHS = LIBRARY_SCOPE_PATHS

    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("library")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("partner")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MOU)
    number = models.CharField(_("number"), max_length=100, blank=True)
    title = models.CharField(_("subject"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty if open-ended.")
    )
    document = models.FileField(
        _("document (PDF)"), storage=private_storage, upload_to=_document_path, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReportingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("signed_on")),
                name="agreement_ends_after_signing",
                violation_error_message=_("An agreement cannot end before it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["mou", "cooperation"]), name="agreement_kind_known"
            ),
        ]
        indexes = [
            # Indicators count agreements signed in a period.
            models.Index(fields=["signed_on"], name="agreement_signed_idx"),
            # The report cards sum the agreements of a period for a province's or a kab/kota's
            # libraries by their ids (``indicators.library_figures``).
            models.Index(fields=["library", "signed_on"], name="agreement_library_signed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def clean(self) -> None:
        if self.valid_until and self.signed_on and self.valid_until < self.signed_on:
            raise ValidationError({"valid_until": _("It cannot end before it is signed.")})
        if self.partner_id and self.library_id and self.partner.library_id != self.library_id:
            raise ValidationError({"partner": _("Choose a partner of this library.")})


class Regulation(models.Model):
    """A regulation won through advocacy: a Perda, a village regulation, a decree."""

    class Kind(models.TextChoices):
        PERDA = "perda", _("Regional regulation (Perda)")
        HEAD_REGULATION = "perkada", _("Regent or mayor regulation (Perbup/Perwal)")
        PERDES = "perdes", _("Village regulation (Perdes)")
        DECREE = "sk", _("Decree (SK)")
        CIRCULAR = "circular", _("Circular letter")
        OTHER = "other", _("Other")

    SCOPE_PATHS = LIBRARY_SCOPE_PATHS

    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="regulations", verbose_name=_("library")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    document = models.FileField(
        _("document (PDF)"), storage=private_storage, upload_to=_document_path, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReportingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["perda", "perkada", "perdes", "sk", "circular", "other"]),
                name="regulation_kind_known",
            ),
        ]
        indexes = [
            # Indicators count regulations issued in a period.
            models.Index(fields=["issued_on"], name="regulation_issued_idx"),
            # The report cards sum the regulations of a period for a province's or a kab/kota's
            # libraries by their ids (``indicators.library_figures``).
            models.Index(fields=["library", "issued_on"], name="regulation_library_issued_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class BudgetAllocation(models.Model):
    """Money a regional or village budget allocated to the library, in whole rupiah."""

    class Source(models.TextChoices):
        APBD_REGENCY = "apbd_regency", _("APBD kabupaten/kota")
        APBD_PROVINCE = "apbd_province", _("APBD provinsi")
        DANA_DESA = "dana_desa", _("Dana Desa")
        CSR = "csr", _("Company CSR")
        OTHER = "other", _("Other")

    SCOPE_PATHS = LIBRARY_SCOPE_PATHS

    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        related_name="budget_allocations",
        verbose_name=_("library"),
    )
    source = models.CharField(_("source"), max_length=15, choices=Source.choices)
    amount = models.PositiveBigIntegerField(
        _("amount (Rp)"), validators=[MinValueValidator(1)], help_text=_("In whole rupiah.")
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    decided_on = models.DateField(
        _("decided on"), help_text=_("Date of the budget decision (DPA, APBDes).")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReportingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("budget allocation")
        verbose_name_plural = _("budget allocations")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=1),
                name="budget_amount_positive",
                violation_error_message=_("The amount is at least Rp 1."),
            ),
            models.CheckConstraint(
                condition=Q(
                    source__in=["apbd_regency", "apbd_province", "dana_desa", "csr", "other"]
                ),
                name="budget_source_known",
            ),
        ]
        indexes = [
            # Indicators sum allocations decided in a period.
            models.Index(fields=["decided_on"], name="budget_decided_idx"),
            # The report cards sum the budget allocations of a period for a province's or a
            # kab/kota's libraries by their ids (``indicators.library_figures``).
            models.Index(fields=["library", "decided_on"], name="budget_library_decided_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {format_rupiah(self.amount)}"


class Indicator(models.TextChoices):
    """What the programme measures; each can carry targets and colour thresholds."""

    ACTIVITIES = "activities", _("Activities")
    ENGAGEMENT = "engagement", _("Community-engagement activities")
    ADVOCACY = "advocacy", _("Advocacy activities")
    PARTICIPANTS = "participants", _("Participants")
    VISITORS = "visitors", _("Visitors")
    AGREEMENTS = "agreements", _("MoUs and agreements signed")
    REGULATIONS = "regulations", _("Regulations issued")
    BUDGET = "budget", _("Budget allocated (Rp)")
    PUBLICATIONS = "publications", _("Publications (posts, news, web pages)")


class Target(models.Model):
    """How much each library of a level (and cohort) should achieve per month in a year.

    A target for a particular cohort overrides the one for all cohorts of the same level.
    """

    indicator = models.CharField(_("indicator"), max_length=15, choices=Indicator.choices)
    level = models.CharField(_("library level"), max_length=10, choices=Library.Level.choices)
    cohort_year = models.PositiveSmallIntegerField(
        _("cohort"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_COHORT_YEAR)],
        help_text=_("Empty for every cohort of this level."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_COHORT_YEAR)]
    )
    per_month = models.DecimalField(
        _("target per library per month"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    set_by = models.ForeignKey(
        "libraries.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-year", "indicator", "level", "cohort_year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "level", "year", "cohort_year"],
                condition=Q(cohort_year__isnull=False),
                name="target_unique_per_cohort",
                violation_error_message=_(
                    "A target for this indicator, level, cohort and year already exists."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "level", "year"],
                condition=Q(cohort_year__isnull=True),
                name="target_unique_all_cohorts",
                violation_error_message=_(
                    "A target for this indicator, level and year (all cohorts) already exists."
                ),
            ),
            models.CheckConstraint(
                condition=Q(per_month__gte=0),
                name="target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(cohort_year__isnull=True) | Q(cohort_year__lte=F("year")),
                name="target_cohort_not_after_year",
                violation_error_message=_("A cohort has no target before the year it joins."),
            ),
        ]

    def __str__(self) -> str:
        cohort = self.cohort_year or _("all cohorts")
        return (
            f"{self.get_indicator_display()} · {self.get_level_display()} · {cohort} · {self.year}"
        )

    def clean(self) -> None:
        if self.cohort_year and self.year and self.cohort_year > self.year:
            raise ValidationError(
                {"cohort_year": _("A cohort has no target before the year it joins.")}
            )


DEFAULT_GREEN_FROM = 100
DEFAULT_YELLOW_FROM = 75


class Threshold(models.Model):
    """Percent of target from which an indicator shows yellow and green (below: red)."""

    indicator = models.CharField(
        _("indicator"), max_length=15, choices=Indicator.choices, unique=True
    )
    yellow_from = models.PositiveSmallIntegerField(
        _("yellow from (percent of target)"), default=DEFAULT_YELLOW_FROM
    )
    green_from = models.PositiveSmallIntegerField(
        _("green from (percent of target)"), default=DEFAULT_GREEN_FROM
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["indicator"]
        verbose_name = _("colour threshold")
        verbose_name_plural = _("colour thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(yellow_from__gt=0) & Q(green_from__gt=F("yellow_from")),
                name="threshold_yellow_below_green",
                violation_error_message=_(
                    "Yellow starts above 0% and below the percentage where green starts."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.yellow_from}% / {self.green_from}%"

    def clean(self) -> None:
        both = self.yellow_from is not None and self.green_from is not None
        if both and not 0 < self.yellow_from < self.green_from:
            raise ValidationError(
                _("Yellow starts above 0% and below the percentage where green starts.")
            )
