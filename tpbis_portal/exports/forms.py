from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from libraries.models import Province, Regency
from libraries.scope import Scope
from libraries.widgets import DatePickerInput
from tpbis_portal.exports.datasets import TYPES
from tpbis_portal.exports.models import ExportJob


def _type_choices():
    groups = [(ExportJob.Kind(kind).label, choices.choices) for kind, choices in TYPES.items()]
    return [("", _("All types")), *groups]


class ExportForm(forms.Form):
    """What to export: the data, its format and the filters, inside the user's scope."""

    kind = forms.ChoiceField(label=_("Data"), choices=ExportJob.Kind.choices)
    format = forms.ChoiceField(
        label=_("Format"), choices=ExportJob.Format.choices, initial=ExportJob.Format.CSV
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("All provinces"),
    )
    regency = forms.ModelChoiceField(
        label=_("Kabupaten/kota"),
        queryset=Regency.objects.none(),
        required=False,
        empty_label=_("All kabupaten/kota"),
        help_text=_("The kabupaten/kota of the chosen province."),
    )
    start = forms.DateField(label=_("From"), required=False, widget=DatePickerInput)
    end = forms.DateField(label=_("Until"), required=False, widget=DatePickerInput)
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=_type_choices,
        help_text=_(
            "The type of event, the kind of activity, the domain of a story or the level of a "
            "library, matching the data chosen."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = Scope.for_user(user)
        provinces = scope.provinces().order_by("name")
        regencies = scope.regencies().order_by("name")
        # Only the kab/kota of the chosen province, never all 514 in one list.
        province_code = (self.data or self.initial).get("province")
        if province_code:
            regencies = regencies.filter(province=province_code)
        elif scope.sees_several_provinces:
            regencies = regencies.none()
        self.fields["province"].queryset = provinces
        self.fields["regency"].queryset = regencies
        self.helper = FormHelper()
        self.helper.add_input(Submit("start-export", _("Start the export")))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        province, regency = cleaned.get("province"), cleaned.get("regency")
        if province and regency and regency.province_id != province.pk:
            self.add_error("regency", _("This kabupaten/kota is not in the chosen province."))
        kind, kind_type = cleaned.get("kind"), cleaned.get("type")
        if kind and kind_type and kind_type not in TYPES[kind].values:
            self.add_error("type", _("This type does not belong to the data chosen."))
        if kind == ExportJob.Kind.LIBRARIES and (start or end):
            raise ValidationError(_("Libraries are exported as they are now, without a period."))
        return cleaned

    def filters(self) -> dict:
        """The filters as plain JSON values, in the shape the datasets read."""
        data = self.cleaned_data
        return {
            key: value
            for key, value in {
                "province": data["province"].pk if data.get("province") else "",
                "regency": data["regency"].pk if data.get("regency") else "",
                "start": data["start"].isoformat() if data.get("start") else "",
                "end": data["end"].isoformat() if data.get("end") else "",
                "type": data.get("type") or "",
            }.items()
            if value
        }
