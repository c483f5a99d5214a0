import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event
from impact.forms import CONSENT_FORM_MAX_BYTES, ConsentProofChecks, signed_form_field
from impact.models import Product, ProductConsent, ProductOffer
from libraries.held_files import KeepsChosenFiles
from libraries.models import Library
from libraries.uploads import SafeImageField
from libraries.widgets import DatePickerInput

__all__ = ["CONSENT_FORM_MAX_BYTES"]

_NUMBER = {"inputmode": "numeric", "min": 0}


def _event_label(event) -> str:
    return f"{event.title} ({event.local_start:%d/%m/%Y})"


class ProductForm(KeepsChosenFiles, forms.ModelForm):
    """What a librarian records about a product, with an optional photo, on a phone."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Identifies this "new product" page, so that a double tap records one product.
    create_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    photo = SafeImageField(label=_("Photo of the product"), required=False)
    photo_alt = forms.CharField(
        label=_("Short description of the photo (alt text)"),
        max_length=250,
        required=False,
        help_text=_("What the photo shows, for people who cannot see it."),
    )

    class Meta:
        model = Product
        fields = ["library", *Product.CONTENT_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "price_min": forms.NumberInput(attrs=_NUMBER),
            "price_max": forms.NumberInput(attrs=_NUMBER),
            "income_before": forms.NumberInput(attrs=_NUMBER),
            "income_after": forms.NumberInput(attrs=_NUMBER),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs.update({"data-shrink": "1600", "capture": "environment"})
        libraries = Library.objects.visible_to(user).exclude(level=Library.Level.PROVINCE)
        self.fields["library"].queryset = libraries.select_related("regency")
        self.fields["library"].empty_label = None
        if self.instance.pk:
            # A product stays with its library; its region decides who sees it.
            del self.fields["library"]
            del self.fields["create_key"]
            del self.fields["photo"]
            del self.fields["photo_alt"]
            if not self.is_bound:
                self.initial["version"] = self.instance.version
        elif not self.is_bound:
            self.initial["create_key"] = uuid.uuid4()
            if user.library_id:
                self.initial["library"] = user.library_id
        self.fields["training_event"].queryset = (
            Event.objects.visible_to(user).with_regions().order_by("-starts_at")
        )
        self.fields["training_event"].label_from_instance = _event_label

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo") and not (cleaned.get("photo_alt") or "").strip():
            self.add_error("photo_alt", _("Describe the photo in a few words."))
        return cleaned

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in Product.CONTENT_FIELDS}


class ProductPhotoForm(forms.Form):
    photo = SafeImageField(label=_("Photo of the product"))
    photo_alt = forms.CharField(
        label=_("Short description of the photo (alt text)"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs.update({"data-shrink": "1600", "capture": "environment"})


class ProductConsentForm(ConsentProofChecks, forms.ModelForm):
    signed_form = signed_form_field()

    class Meta:
        model = ProductConsent
        fields = ["given_by", "method", "signed_form", "witness", "given_on"]
        widgets = {"given_on": DatePickerInput}

    def __init__(self, *args, product: Product, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_on(today)
        if not self.is_bound:
            self.initial.setdefault("given_by", product.producer_name)

    def clean(self):
        cleaned = super().clean()
        self.check_proof(cleaned)
        return cleaned


class ExhibitionForm(forms.Form):
    """The products of the PLM's province, ticked when they were exhibited."""

    products = forms.ModelMultipleChoiceField(
        label=_("Exhibited at this PLM"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shown = forms.ModelMultipleChoiceField(
        queryset=Product.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = candidates
        self.fields["shown"].queryset = candidates
        self.fields["products"].label_from_instance = lambda p: f"{p.name} ({p.library})"


class OfferForm(forms.ModelForm):
    create_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProductOffer
        fields = ["kind", "detail", "stakeholder", "organisation", "status", "follow_up"]
        widgets = {"follow_up": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["create_key"] = uuid.uuid4()

    def _post_clean(self):
        pass


class OfferFollowUpForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ProductOffer
        fields = ["status", "follow_up"]
        widgets = {"follow_up": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        pass
