from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from libraries.models import Library
from libraries.services import LIBRARY_EDITABLE_FIELDS


class LibraryEditForm(forms.ModelForm):
    """Registry details a consultant or Perpusnas staff member may correct."""

    # The version the editor started from; a stale one means somebody saved in between.
    version = forms.IntegerField(widget=forms.HiddenInput)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Library
        fields = LIBRARY_EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save changes")))

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in LIBRARY_EDITABLE_FIELDS}
