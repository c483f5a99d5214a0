import datetime
import uuid
import zoneinfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Award, Event, Facilitator, Participant, Problem, Registration
from libraries.models import Library, Province, Regency
from libraries.scope import Scope
from libraries.widgets import DatePickerInput, InvalidMarkingBoundField, TimePickerInput

MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class RegencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.province.name})"


class LibraryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.regency.name})" if obj.regency_id else obj.name


class LibraryMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.regency.name})" if obj.regency_id else obj.name


def libraries_for(user, province_code: str | None):
    libraries = Library.objects.visible_to(user).select_related("regency")
    if province_code:
        libraries = libraries.filter(province=province_code)
    return libraries.order_by("regency_id", "level", "name")


class EventForm(forms.ModelForm):
    """Dates and times are typed in the province's local time and stored in UTC."""

    start_date = forms.DateField(label=_("First day"), widget=DatePickerInput)
    start_time = forms.TimeField(
        label=_("Starts at (local time)"),
        initial=datetime.time(8, 0),
        widget=TimePickerInput,
    )
    end_date = forms.DateField(label=_("Last day"), widget=DatePickerInput)
    end_time = forms.TimeField(
        label=_("Ends at (local time)"),
        initial=datetime.time(16, 0),
        widget=TimePickerInput,
    )
    regency = RegencyChoiceField(
        queryset=Regency.objects.none(),
        required=False,
        label=_("Kabupaten/kota"),
        help_text=_("Required for an SHM kabupaten/kota; optional otherwise."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = ["kind", "title", "province", "regency", "venue", "status", "description"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = Scope.for_user(user)
        # Events are created where the user manages: whole provinces.
        provinces = scope.provinces() if scope.can_manage else Province.objects.none()
        regencies = scope.regencies().select_related("province")
        if not scope.can_manage:
            regencies = regencies.none()
        editing = self.instance.pk is not None
        if editing:
            # The province decides scope and local time: it is fixed once the event exists.
            del self.fields["province"]
            regencies = regencies.filter(province=self.instance.province_id)
            tz = self.instance.tz
            self.initial.update(
                start_date=self.instance.local_start.date(),
                start_time=self.instance.local_start.time(),
                end_date=self.instance.local_end.date(),
                end_time=self.instance.local_end.time(),
            )
            if not self.is_bound:
                self.initial["version"] = self.instance.version
            self.fields["version"].required = True
            self._tz = tz
        else:
            self.fields["province"].queryset = provinces
            del self.fields["version"]
        self.fields["regency"].queryset = regencies
        self.helper = _helper(_("Save changes") if editing else _("Create the event"))

    def clean(self):
        cleaned = super().clean()
        province = cleaned.get("province") or (self.instance.province if self.instance.pk else None)
        parts = [cleaned.get(name) for name in ("start_date", "start_time", "end_date", "end_time")]
        if province is None or None in parts:
            return cleaned
        tz = zoneinfo.ZoneInfo(province.time_zone)
        starts = timezone.make_aware(datetime.datetime.combine(parts[0], parts[1]), tz)
        ends = timezone.make_aware(datetime.datetime.combine(parts[2], parts[3]), tz)
        if ends < starts:
            self.add_error("end_date", _("An event cannot end before it starts."))
        elif (parts[2] - parts[0]).days > 31:
            self.add_error("end_date", _("An event lasts at most 31 days."))
        regency = cleaned.get("regency")
        if regency is not None and regency.province_id != province.code:
            self.add_error("regency", _("This kabupaten/kota is not in the chosen province."))
        if cleaned.get("kind") == Event.Kind.SHM_REGENCY and regency is None:
            self.add_error("regency", _("An SHM kabupaten/kota needs its kabupaten/kota."))
        cleaned["starts_at"], cleaned["ends_at"] = starts, ends
        return cleaned

    def service_fields(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in ("kind", "title", "regency", "venue", "status", "description")
        }
        data["starts_at"] = self.cleaned_data["starts_at"]
        data["ends_at"] = self.cleaned_data["ends_at"]
        return data


class InvitationsForm(forms.Form):
    libraries = LibraryMultipleChoiceField(
        queryset=Library.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Invited libraries"),
    )

    def __init__(self, *args, user, event, **kwargs):
        super().__init__(*args, **kwargs)
        province = None if event.kind == Event.Kind.PLM_NATIONAL else event.province_id
        self.fields["libraries"].queryset = libraries_for(user, province)
        if not self.is_bound:
            self.initial["libraries"] = list(event.invitations.values_list("library", flat=True))
        self.helper = _helper(_("Save the invitations"))


class SessionTimesForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    start_time = forms.TimeField(
        label=_("Starts at"),
        required=False,
        widget=TimePickerInput,
        help_text=_("Local time of the province. The hours count on attendance certificates."),
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        required=False,
        widget=TimePickerInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the session"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if "start_time" in self.errors or "end_time" in self.errors:
            return cleaned
        if (start is None) != (end is None):
            self.add_error(
                "end_time" if end is None else "start_time",
                _("Give both times of the session, or neither."),
            )
        elif start is not None and end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
        return cleaned


class SessionForm(SessionTimesForm):
    date = forms.DateField(label=_("Date"), widget=DatePickerInput)

    field_order = ["date", "name", "start_time", "end_time"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the session"))


class PersonFields(forms.Form):
    """Who a person is: shared by the walk-in, facilitator and import paths."""

    name = forms.CharField(label=_("Name"), max_length=150)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Participant.Gender.choices, widget=forms.RadioSelect
    )
    library = LibraryChoiceField(
        queryset=Library.objects.none(),
        required=False,
        label=_("Library"),
        empty_label=_("(not from a programme library)"),
    )
    institution = forms.CharField(
        label=_("Institution"),
        max_length=200,
        required=False,
        help_text=_("If the person does not come from a programme library."),
    )
    position = forms.CharField(label=_("Position"), max_length=150, required=False)

    def __init__(self, *args, user, event, **kwargs):
        super().__init__(*args, **kwargs)
        province = None if event.kind == Event.Kind.PLM_NATIONAL else event.province_id
        self.fields["library"].queryset = libraries_for(user, province)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("library") and not (cleaned.get("institution") or "").strip():
            self.add_error("institution", _("Give the person's library or institution."))
        return cleaned

    def person(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("name", "gender", "library", "institution", "position")
        }


class WalkInForm(PersonFields):
    role = forms.ChoiceField(
        label=_("Role"), choices=Registration.Role.choices, initial=Registration.Role.OTHER
    )
    phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False)
    # Makes a retry (a double tap, an offline replay) add the person once.
    client_id = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The form could not be read; check the details and send it again."),
            "invalid": _("The form could not be read; check the details and send it again."),
        },
    )

    # Set by the offline queue: the device's time of the tap (ISO 8601).
    marked_on_device = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    field_order = ["name", "gender", "role", "library", "institution", "position", "phone"]
    # Rendered by hand on the attendance page (crispy would double its render time).
    bound_field_class = InvalidMarkingBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs["class"] = "form-control"

    def clean(self):
        cleaned = super().clean()
        if "client_id" in self._errors:
            # A hidden field's error would show nowhere: say it at the top of the form, and
            # give the form a sound id so that the corrected form can be sent.
            self.add_error(None, self._errors.pop("client_id").as_data())
            self.data = self.data.copy()
            self.data[self.add_prefix("client_id")] = str(uuid.uuid4())
        return cleaned

    def person(self) -> dict:
        return {**super().person(), "phone": self.cleaned_data["phone"]}


class FacilitatorForm(PersonFields):
    role = forms.ChoiceField(label=_("Role"), choices=Facilitator.Role.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)

    field_order = ["name", "gender", "role", "topic", "library", "institution", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add"))


class MarkForm(forms.Form):
    participant = forms.IntegerField(min_value=1)
    client_id = forms.UUIDField()
    action = forms.ChoiceField(choices=[("mark", "mark"), ("unmark", "unmark")], initial="mark")
    # Set by the offline queue: the mark was made while the connection was down.
    queued = forms.BooleanField(required=False)
    # The device's time of the tap (ISO 8601), checked against the server's clock.
    marked_on_device = forms.DateTimeField(required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Participant list (XLSX or CSV)"),
        help_text=_(
            "Columns: Nama, Jenis kelamin (L/P), Perpustakaan or Instansi; optional Jabatan, "
            "Peran, Telepon, Email, Hadir (day numbers, e.g. 1,2). At most 2 MB and 2,000 rows."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Check the list"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class ProblemForm(forms.ModelForm):
    regency = forms.ModelChoiceField(
        queryset=Regency.objects.none(), required=False, label=_("Kabupaten/kota concerned")
    )
    library = LibraryChoiceField(
        queryset=Library.objects.none(), required=False, label=_("Library that raised it")
    )

    class Meta:
        model = Problem
        fields = ["description", "stakeholder", "regency", "library"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, event, **kwargs):
        super().__init__(*args, **kwargs)
        province = None if event.kind == Event.Kind.PLM_NATIONAL else event.province_id
        regencies = Regency.objects.all()
        if province:
            regencies = regencies.filter(province=province)
        self.fields["regency"].queryset = Scope.for_user(user).filter(regencies)
        self.fields["library"].queryset = libraries_for(user, province)
        self.helper = _helper(_("Record the problem"))


class ProblemFollowUpForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Problem
        fields = ["status", "follow_up"]
        widgets = {"follow_up": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class AwardForm(forms.ModelForm):
    library = LibraryChoiceField(
        queryset=Library.objects.none(),
        label=_("Library"),
        required=False,
        help_text=_("The winning library, or the library of the winning person or story."),
    )

    class Meta:
        model = Award
        fields = ["category", "rank", "library", "winner", "note"]

    def __init__(self, *args, user, event, **kwargs):
        super().__init__(*args, **kwargs)
        province = None if event.kind == Event.Kind.PLM_NATIONAL else event.province_id
        self.fields["library"].queryset = libraries_for(user, province)
        self.helper = _helper(_("Record the award"))
