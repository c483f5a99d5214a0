import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events.models import Event
from impact.forms import CONSENT_FORM_MAX_BYTES, check_consent_form
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


class ProductConsentForm(forms.ModelForm):
    signed_form = forms.FileField(
        label=_("Signed form"),
        required=False,
        help_text=_("A PDF, or a photo of the signed form (JPEG, PNG, WebP, HEIC), up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )

    class Meta:
        model = ProductConsent
        fields = ["given_by", "method", "signed_form", "witness", "given_on"]
        widgets = {"given_on": DatePickerInput}

    def __init__(self, *args, product: Product, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["given_on"].initial = today
        self.fields["given_on"].widget.attrs["max"] = today.isoformat()
        if not self.is_bound:
            self.initial.setdefault("given_by", product.producer_name)

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > self.today:
            raise ValidationError(_("Consent cannot be given in the future."))
        return given_on

    def clean_signed_form(self):
        upload = self.cleaned_data.get("signed_form")
        if not upload:
            return None
        return check_consent_form(upload)

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("method")
        if (
            method == ProductConsent.Method.SIGNED_FORM
            and not cleaned.get("signed_form")
            and "signed_form" not in self.errors
        ):
            self.add_error("signed_form", _("Upload the signed consent form."))
        if method == ProductConsent.Method.VERBAL and not cleaned.get("witness"):
            self.add_error("witness", _("Name the person who witnessed the verbal consent."))
        return cleaned

    def _post_clean(self):
        # The service validates the whole record; the form only parses the fields.
        pass


class ProductWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Kept on record with the consent."),
    )


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
