"""Forms of activity reporting: short, with sensible defaults, usable on a phone."""

from __future__ import annotations

import datetime
import uuid
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from libraries.held_files import KeepsChosenFiles
from libraries.models import (
    FIRST_COHORT_YEAR,
    Activity,
    ActivityEvidence,
    Agreement,
    BudgetAllocation,
    Indicator,
    Library,
    Partner,
    Publication,
    Regulation,
    ReportCardSettings,
    Skill,
    Target,
)
from libraries.reporting.indicators import Period
from libraries.reporting.rankings import RANKING_INDICATORS
from libraries.reporting.services import ACTIVITY_EDITABLE_FIELDS, PUBLICATION_EDITABLE_FIELDS
from libraries.uploads import (
    MAX_PDF_BYTES,
    PdfUpload,
    SafeImageField,
    check_image_or_pdf,
    check_pdf,
)
from libraries.widgets import DatePickerInput, MonthPickerInput

MAX_PHOTOS = 5


def library_today(library: Library | None) -> datetime.date:
    """Today where the library is: an activity at 23:30 WIT is not yesterday in Jakarta."""
    if library is None:
        return timezone.localdate()
    return timezone.localdate(timezone=ZoneInfo(library.province.time_zone))


class SafePdfField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("PDF, up to %(limit)s.") % {"limit": filesizeformat(MAX_PDF_BYTES)}
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "application/pdf")

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return check_pdf(upload) if upload else upload


class ImageOrPdfField(forms.FileField):
    """A scanned attendance sheet: a photo (through the safe image pipeline) or a PDF."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("A photo (JPEG, PNG, WebP, HEIC) or a PDF, up to %(limit)s.")
            % {"limit": filesizeformat(MAX_PDF_BYTES)},
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/*,application/pdf")

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        return check_image_or_pdf(upload)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(SafeImageField):
    widget = MultipleImageInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("Send at most %(count)d photos at once.") % {"count": MAX_PHOTOS}
            )
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(MultiplePhotoField, self).clean(upload, initial) for upload in files]


class _Helper:
    submit_label = _("Save")

    def _helper(self, *, multipart: bool = False) -> FormHelper:
        helper = FormHelper()
        helper.add_input(Submit("save", self.submit_label, css_class="btn-portal"))
        if multipart:
            helper.form_tag = True
            helper.attrs = {"enctype": "multipart/form-data"}
        return helper


class LibraryChoiceMixin:
    """A library field offering only the libraries the user reports for; hidden if one."""

    def _setup_library(self, libraries) -> list[Library]:
        """Limit the choice to ``libraries`` (a queryset); returns them as a list."""
        field = self.fields["library"]
        field.queryset = libraries
        field.empty_label = None
        choices = list(libraries)
        if len(choices) == 1:
            field.initial = choices[0].pk
            field.widget = forms.HiddenInput()
        return choices


class ActivityForm(KeepsChosenFiles, LibraryChoiceMixin, _Helper, forms.ModelForm):
    """Records or edits an activity. On a phone: strategy, kind, title, date and two numbers."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    photos = MultiplePhotoField(label=_("Photos"), required=False)
    attendance = ImageOrPdfField(label=_("Attendance sheet (daftar hadir)"), required=False)

    class Meta:
        model = Activity
        fields = ["library", *ACTIVITY_EDITABLE_FIELDS, "catalogue_skills", "partners"]
        widgets = {
            "date": DatePickerInput,
            "catalogue_skills": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    submit_label = _("Save activity")

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["library"]
            del self.fields["photos"]
            del self.fields["attendance"]
            del self.fields["idempotency_key"]
            self.initial["version"] = self.instance.version
            library = self.instance.library
            self.fields["partners"].queryset = Partner.objects.filter(library=library)
        else:
            libraries = self._setup_library(libraries.select_related("province"))
            del self.fields["version"]
            if not self.is_bound:
                self.initial["idempotency_key"] = uuid.uuid4()
                self.initial["date"] = library_today(libraries[0] if libraries else None)
            self.fields["partners"].queryset = Partner.objects.filter(
                library__in=libraries
            ).select_related("library")
            if len(libraries) > 1:
                self.fields["partners"].label_from_instance = lambda partner: (
                    f"{partner.name} ({partner.library.name})"
                )
        # Offered skills, and on an edit those the activity already names.
        offered = Q(active=True)
        if self.instance.pk:
            offered |= Q(activities=self.instance)
        self.fields["catalogue_skills"].queryset = Skill.objects.filter(offered).distinct()
        for name in ("participants_male", "participants_female", *Activity.AGE_FIELDS):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})
        self.fields["title"].widget.attrs["placeholder"] = _(
            "For example: Pelatihan keripik pisang"
        )
        self.helper = self._helper(multipart=not self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        library = cleaned.get("library") or getattr(self.instance, "library", None)
        partners = cleaned.get("partners") or []
        if library and any(partner.library_id != library.pk for partner in partners):
            self.add_error("partners", _("Choose partners of the library the activity was at."))
        return cleaned

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in ACTIVITY_EDITABLE_FIELDS}


class EvidenceForm(_Helper, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ActivityEvidence.Kind.choices, initial="photo"
    )
    file = ImageOrPdfField(label=_("File"))

    submit_label = _("Add evidence")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(multipart=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ActivityEvidence.Kind.PHOTO and isinstance(
            cleaned.get("file"), PdfUpload
        ):
            self.add_error("file", _("A photo must be an image; a PDF is an attendance sheet."))
        return cleaned


class PublicationForm(LibraryChoiceMixin, _Helper, forms.ModelForm):
    """Records or edits a publication: the link, its date and channel, a title if wanted."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    url = forms.URLField(
        label=_("Link"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The address of the post, article or page, starting with https://."),
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )

    class Meta:
        model = Publication
        fields = ["library", *PUBLICATION_EDITABLE_FIELDS]
        widgets = {"published_on": DatePickerInput}

    submit_label = _("Save publication")

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["library"]
            del self.fields["idempotency_key"]
            self.initial["version"] = self.instance.version
        else:
            choices = self._setup_library(libraries.select_related("province"))
            del self.fields["version"]
            if not self.is_bound:
                self.initial["idempotency_key"] = uuid.uuid4()
                self.initial["published_on"] = library_today(choices[0] if choices else None)
        self.helper = self._helper()

    def clean_url(self):
        return self.cleaned_data["url"].strip()

    def fields_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in PUBLICATION_EDITABLE_FIELDS}


class ReportCardSettingsForm(_Helper, forms.ModelForm):
    class Meta:
        model = ReportCardSettings
        fields = [
            "weight_engagement",
            "weight_publication",
            "weight_advocacy",
            "green_above",
            "yellow_from",
        ]

    submit_label = _("Save report card settings")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"inputmode": "numeric", "min": 0, "max": 100})
        self.helper = self._helper()


class MonthField(forms.DateField):
    """A month, typed as YYYY-MM (the browser's month picker) or MM-YYYY."""

    input_formats = ["%Y-%m", "%m-%Y", "%m/%Y", "%Y-%m-%d"]
    widget = MonthPickerInput


class VisitorCountForm(LibraryChoiceMixin, _Helper, forms.Form):
    library = forms.ModelChoiceField(label=_("Library"), queryset=Library.objects.none())
    month = MonthField(label=_("Month"))
    visitors = forms.IntegerField(
        label=_("Visitors"), min_value=0, max_value=10_000_000, widget=forms.NumberInput
    )

    submit_label = _("Save visitors")

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        libraries = self._setup_library(libraries.select_related("province"))
        self.fields["visitors"].widget.attrs["inputmode"] = "numeric"
        if not self.is_bound:
            self.initial["month"] = library_today(libraries[0] if libraries else None)
        self.helper = self._helper()

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        library = self.cleaned_data.get("library")
        if month > library_today(library).replace(day=1):
            raise ValidationError(_("Visitors cannot be recorded for a month still to come."))
        if month.year < FIRST_COHORT_YEAR:
            raise ValidationError(_("The programme's records start in 2018."))
        return month


class PartnerForm(LibraryChoiceMixin, _Helper, forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["library", "name", "kind", "contact"]

    submit_label = _("Add partner")

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_library(libraries)
        self.helper = self._helper()


class AgreementForm(LibraryChoiceMixin, _Helper, forms.ModelForm):
    document_file = SafePdfField(label=_("Document (PDF)"), required=False)

    class Meta:
        model = Agreement
        fields = ["library", "partner", "kind", "number", "title", "signed_on", "valid_until"]
        widgets = {
            "signed_on": DatePickerInput,
            "valid_until": DatePickerInput,
        }

    submit_label = _("Add agreement")

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_library(libraries)
        self.fields["partner"].queryset = Partner.objects.filter(library__in=libraries)
        self.helper = self._helper(multipart=True)


class RegulationForm(LibraryChoiceMixin, _Helper, forms.ModelForm):
    document_file = SafePdfField(label=_("Document (PDF)"), required=False)

    class Meta:
        model = Regulation
        fields = ["library", "kind", "number", "title", "issued_on"]
        widgets = {"issued_on": DatePickerInput}

    submit_label = _("Add regulation")

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_library(libraries)
        self.helper = self._helper(multipart=True)


class BudgetAllocationForm(LibraryChoiceMixin, _Helper, forms.ModelForm):
    class Meta:
        model = BudgetAllocation
        fields = ["library", "source", "amount", "purpose", "decided_on"]
        widgets = {"decided_on": DatePickerInput}

    submit_label = _("Add budget allocation")

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_library(libraries)
        self.fields["amount"].widget.attrs["inputmode"] = "numeric"
        self.helper = self._helper()


class ImportForm(LibraryChoiceMixin, _Helper, forms.Form):
    library = forms.ModelChoiceField(label=_("Library"), queryset=Library.objects.none())
    month = MonthField(label=_("Month of the activities"))
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Start from the template; one activity per row."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    submit_label = _("Check the file")

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        libraries = self._setup_library(libraries.select_related("province"))
        if not self.is_bound:
            self.initial["month"] = library_today(libraries[0] if libraries else None)
        self.helper = self._helper(multipart=True)


class TargetForm(_Helper, forms.ModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "level", "cohort_year", "year", "per_month"]

    submit_label = _("Save target")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            self.initial["year"] = timezone.localdate().year
        self.helper = self._helper()


class ThresholdForm(_Helper, forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    yellow_from = forms.IntegerField(
        label=_("Yellow from (percent of target)"), min_value=1, max_value=1000
    )
    green_from = forms.IntegerField(
        label=_("Green from (percent of target)"), min_value=1, max_value=1000
    )

    submit_label = _("Save thresholds")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()

    def clean(self):
        cleaned = super().clean()
        yellow, green = cleaned.get("yellow_from"), cleaned.get("green_from")
        if yellow and green and yellow >= green:
            raise ValidationError(_("Yellow must start below the percentage where green starts."))
        return cleaned


def _year_choices():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year, FIRST_COHORT_YEAR - 1, -1)]


class PeriodForm(forms.Form):
    """The period of an indicator page: a year, a quarter of it, or a month of it."""

    tahun = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)
    triwulan = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Whole year"))] + [(q, _("Quarter %(q)d") % {"q": q}) for q in range(1, 5)],
    )
    bulan = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("All months"))]
        + [(m, datetime.date(2000, m, 1).strftime("%m")) for m in range(1, 13)],
    )

    def __init__(self, data=None, *, all_years: bool = False, **kwargs):
        data = data.copy() if data else {}
        if not data.get("tahun") and not all_years:
            data["tahun"] = timezone.localdate().year
        super().__init__(data, **kwargs)
        if all_years:
            # Lists may span every year; indicator pages always cover one period.
            self.fields["tahun"].required = False
            self.fields["tahun"].empty_value = None
            self.fields["tahun"].choices = [("", _("All years")), *_year_choices()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("triwulan") and cleaned.get("bulan"):
            raise ValidationError(_("Choose a quarter or a month, not both."))
        return cleaned

    def period(self) -> Period | None:
        year = self.cleaned_data.get("tahun")
        if year is None:
            return None
        if self.cleaned_data.get("bulan"):
            return Period.for_month(year, self.cleaned_data["bulan"])
        if self.cleaned_data.get("triwulan"):
            return Period.for_quarter(year, self.cleaned_data["triwulan"])
        return Period.for_year(year)


#: The ranking measure that sorts libraries by their report card (see ``reportcard.py``).
REPORT_CARD = "rapor"


class RankingForm(PeriodForm):
    ukuran = forms.ChoiceField(
        label=_("Ranked by"),
        required=False,
        choices=[
            *[(value, Indicator(value).label) for value in RANKING_INDICATORS],
            (REPORT_CARD, _("Report card score")),
        ],
    )
    tingkat = forms.ChoiceField(
        label=_("Libraries"),
        required=False,
        choices=[
            (Library.Level.VILLAGE, _("Desa/kelurahan libraries")),
            (Library.Level.REGENCY, _("Kabupaten/kota libraries")),
            (Library.Level.TBM, _("Community reading spaces (TBM)")),
            ("all", _("All libraries")),
        ],
    )

    def indicator(self) -> str:
        return self.cleaned_data.get("ukuran") or Indicator.ACTIVITIES

    def level(self) -> str | None:
        level = self.cleaned_data.get("tingkat") or Library.Level.VILLAGE
        return None if level == "all" else level
