import datetime
import uuid
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from events.models import Event
from impact.models import Consent, Product, SelectionDecision, Story
from impact.models.consent import ConsentRecord
from libraries.held_files import KeepsChosenFiles
from libraries.models import Library, Village
from libraries.uploads import PdfUpload, SafeImageField, check_image_or_pdf
from libraries.widgets import DatePickerInput

CONSENT_FORM_MAX_BYTES = 5 * 1024 * 1024


def _event_label(event) -> str:
    return f"{event.title} ({event.local_start:%d/%m/%Y})"


class StoryForm(forms.ModelForm):
    """The guided Most Significant Change form. A draft may be incomplete."""

    # The version the writer started from; a stale one means somebody saved in between.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    video_url = forms.URLField(
        label=Story._meta.get_field("video_url").verbose_name,
        help_text=Story._meta.get_field("video_url").help_text,
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )
    # Identifies this "new story" page, so that a repeated first save makes one draft.
    draft_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Story
        fields = ["library", *Story.CONTENT_FIELDS]
        widgets = {
            "life_before": forms.Textarea(attrs={"rows": 4}),
            "involvement_detail": forms.Textarea(attrs={"rows": 2}),
            "what_changed": forms.Textarea(attrs={"rows": 4}),
            "why_it_matters": forms.Textarea(attrs={"rows": 3}),
            "income_before": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "income_after": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "jobs_created": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        libraries = Library.objects.visible_to(user).exclude(level=Library.Level.PROVINCE)
        self.fields["library"].queryset = libraries.select_related("village")
        self.fields["library"].empty_label = None
        if self.instance.pk:
            # The library of a saved story does not move; its region decides its reviewers.
            del self.fields["library"]
            del self.fields["draft_key"]
            library = self.instance.library
            if not self.is_bound:
                self.initial["version"] = self.instance.version
        else:
            library = user.library
            if not self.is_bound:
                self.initial["draft_key"] = uuid.uuid4()
        # Only events the writer can see: those of their kab/kota and province, and the ones
        # their library was invited to or attended.
        self.fields["event"].queryset = (
            Event.objects.visible_to(user).with_regions().order_by("-starts_at")
        )
        self.fields["event"].label_from_instance = _event_label
        regency = library.regency_id if library else None
        villages = Village.objects.filter(district__regency=regency).select_related("district")
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda v: f"{v} (Kec. {v.district.name})"
        # A story points at a product of the libraries the writer sees (the service checks
        # that it is the story's own library's).
        self.fields["community_product"].queryset = (
            Product.objects.visible_to(user).select_related("library").order_by("name", "pk")
        )
        self.fields["community_product"].label_from_instance = lambda p: f"{p.name} ({p.library})"
        if not self.instance.pk and library and library.village_id:
            self.initial.setdefault("village", library.village_id)
        for name in Story.REQUIRED_TO_SUBMIT:
            # Not required for a draft; marked so the writer knows what submission needs.
            field = self.fields[name]
            field.label = f"{field.label} *"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("anonymous"):
            cleaned["storyteller_name"] = ""
        return cleaned

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in Story.CONTENT_FIELDS}


class PhotoForm(forms.Form):
    image = SafeImageField(label=_("Photo"))
    alt_text = forms.CharField(
        label=_("Short description (alt text)"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    shows_face = forms.BooleanField(
        label=_("The photo shows a recognisable face"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].widget.attrs.update({"data-shrink": "1600", "capture": "environment"})


#: Photo slots on the new-story form; more are added on the story's edit page.
FIRST_SCREEN_PHOTOS = 3


class StoryPhotoForm(KeepsChosenFiles, PhotoForm):
    """One photo slot of the new-story form: optional, but a photo needs its description."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].required = False
        self.fields["alt_text"].required = False

    def clean(self):
        cleaned = super().clean()
        image = cleaned.get("image")
        alt_text = (cleaned.get("alt_text") or "").strip()
        if image and not alt_text and "alt_text" not in self.errors:
            self.add_error(
                "alt_text", _("Describe what the photo shows, for people who cannot see it.")
            )
        if alt_text and not image and "image" not in self.errors:
            self.add_error("image", _("Choose the photo this description is for."))
        return cleaned

    def photo(self) -> dict | None:
        """The photo to add with the story, or None for an empty slot."""
        if not self.cleaned_data.get("image"):
            return None
        return {
            "processed": self.cleaned_data["image"],
            "alt_text": self.cleaned_data["alt_text"],
            "shows_face": self.cleaned_data["shows_face"],
        }


def story_photo_forms(data=None, files=None, *, user=None) -> list[StoryPhotoForm]:
    photo_forms = [
        StoryPhotoForm(data, files, prefix=f"photo-{index}") for index in range(FIRST_SCREEN_PHOTOS)
    ]
    if user is not None:
        for photo_form in photo_forms:
            photo_form.keep_files(user)
    return photo_forms


def check_consent_form(upload):
    """A scan or photo of the signed form (through the image pipeline) or a PDF."""
    checked = check_image_or_pdf(upload, max_bytes=CONSENT_FORM_MAX_BYTES)
    if isinstance(checked, PdfUpload):
        return checked.as_file("form.pdf")
    checked.image.name = "form.jpg"
    return checked.image


def signed_form_field() -> forms.FileField:
    """The upload of a signed consent form, on every consent form."""
    return forms.FileField(
        label=_("Signed form"),
        required=False,
        help_text=_("A PDF, or a photo of the signed form (JPEG, PNG, WebP, HEIC), up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )


class ConsentProofChecks:
    """What every consent form checks (a story's, a testimony's, a product's): the date is
    not after ``subject_today`` where the subject is, and the consent is proven (a signed
    form, or the witness of a verbal one). The services validate the whole record."""

    subject_today: datetime.date

    def start_on(self, today: datetime.date) -> None:
        self.subject_today = today
        given_on = self.fields["given_on"]  # type: ignore[attr-defined]
        given_on.initial = today
        given_on.widget.attrs["max"] = today.isoformat()

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]  # type: ignore[attr-defined]
        if given_on > self.subject_today:
            raise ValidationError(_("Consent cannot be given in the future."))
        return given_on

    def clean_signed_form(self):
        upload = self.cleaned_data.get("signed_form")  # type: ignore[attr-defined]
        if not upload:
            return None
        return check_consent_form(upload)

    def check_proof(self, cleaned: dict) -> None:
        method = cleaned.get("method")
        if (
            method == ConsentRecord.Method.SIGNED_FORM
            and not cleaned.get("signed_form")
            and "signed_form" not in self.errors  # type: ignore[attr-defined]
        ):
            self.add_error("signed_form", _("Upload the signed consent form."))  # type: ignore[attr-defined]
        if method == ConsentRecord.Method.VERBAL and not cleaned.get("witness"):
            self.add_error("witness", _("Name the person who witnessed the verbal consent."))  # type: ignore[attr-defined]

    def _post_clean(self):
        # The service validates the whole record; the form only parses the fields.
        pass


class ConsentForm(ConsentProofChecks, forms.ModelForm):
    signed_form = signed_form_field()
    replaces_reason = forms.CharField(
        label=_("Why this replaces the consent on record"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only to correct a consent already recorded (a wrong date or name, or a parent's "
            "consent for a minor): the earlier record is kept, marked as replaced, with this "
            "reason. If the person withdrew their consent, record a withdrawal instead."
        ),
    )

    class Meta:
        model = Consent
        fields = [
            "kind",
            "photo",
            "given_by",
            "guardian_relation",
            "method",
            "signed_form",
            "witness",
            "given_on",
        ]
        widgets = {"given_on": DatePickerInput}

    def __init__(self, *args, story: Story, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].queryset = story.photos.current()
        self.fields["photo"].label_from_instance = lambda photo: photo.alt_text
        self.start_on(story.local_today())
        if story.is_minor:
            self.fields["given_by"].label = _("Parent or guardian's name")
            self.fields["guardian_relation"].required = True

    def clean(self):
        cleaned = super().clean()
        self.check_proof(cleaned)
        kind = cleaned.get("kind")
        if kind == Consent.Kind.PHOTO_FACE and not cleaned.get("photo"):
            self.add_error("photo", _("Choose the photo this consent is for."))
        if kind and kind != Consent.Kind.PHOTO_FACE and "photo" in self.fields:
            cleaned["photo"] = None
        return cleaned


def _consent_label(name: str):
    return capfirst(Consent._meta.get_field(name).verbose_name)


class StoryConsentForm(KeepsChosenFiles, forms.Form):
    """The consents given with a new story, on its first screen: what the person consents to
    (each purpose, each photo of the same screen showing their face) and one proof for them all.

    Optional: left empty, the consents are recorded on the story's page later. The form reads
    the fields; ``services.story_create`` (through ``consent_record``) applies the rules.
    """

    PURPOSES = [
        (Consent.Kind.STORY_USE, _("Using the story")),
        (Consent.Kind.NAMING, _("Being named")),
        (Consent.Kind.VIDEO, _("Publishing the video")),
    ]

    purposes = forms.MultipleChoiceField(
        label=_("The storyteller consents to"),
        choices=PURPOSES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photos = forms.TypedMultipleChoiceField(
        label=_("Publishing the photos showing their face"),
        choices=[
            (index, _("Photo %(number)d") % {"number": index + 1})
            for index in range(FIRST_SCREEN_PHOTOS)
        ],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The photos above with this person's recognisable face."),
    )
    given_by = forms.CharField(
        label=_("Consent given by"),
        max_length=150,
        required=False,
        help_text=_("The storyteller, or for a child or teenager (under 18) a parent or guardian."),
    )
    guardian_relation = forms.CharField(
        label=_consent_label("guardian_relation"),
        max_length=60,
        required=False,
        help_text=_("Only for a minor: mother, father, guardian..."),
    )
    method = forms.ChoiceField(
        label=_consent_label("method"),
        choices=[("", "---------"), *Consent.Method.choices],
        required=False,
    )
    signed_form = forms.FileField(
        label=_("Signed form"),
        required=False,
        help_text=_("A PDF, or a photo of the signed form (JPEG, PNG, WebP, HEIC), up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )
    witness = forms.CharField(
        label=_consent_label("witness"),
        max_length=150,
        required=False,
        help_text=_("For a verbal consent: who heard it being given."),
    )
    given_on = forms.DateField(
        label=_consent_label("given_on"), required=False, widget=DatePickerInput
    )

    def __init__(self, *args, library: Library | None, **kwargs):
        super().__init__(*args, prefix="consent", **kwargs)
        zone = ZoneInfo(library.province.time_zone) if library else None
        today = timezone.localdate(timezone=zone) if zone else timezone.localdate()
        self.fields["given_on"].initial = today
        self.fields["given_on"].widget.attrs["max"] = today.isoformat()

    def clean_signed_form(self):
        upload = self.cleaned_data.get("signed_form")
        if not upload:
            return None
        return check_consent_form(upload)

    def clean(self):
        cleaned = super().clean()
        asked = cleaned.get("purposes") or cleaned.get("photos")
        given = any(
            cleaned.get(name) for name in ("given_by", "guardian_relation", "witness", "method")
        )
        if given and not asked and not self.errors:
            self.add_error("purposes", _("Tick what the consent is for."))
        return cleaned

    @property
    def is_used(self) -> bool:
        """Whether the section was filled in (else no consent is recorded now)."""
        return bool(self.cleaned_data.get("purposes") or self.cleaned_data.get("photos"))

    def consents(self, photo_slots: list[int]) -> list[dict]:
        """The consents to record; ``photo_slots`` are the slots that hold a photo, in the order
        the photos are added (a face consent points at its photo by that position)."""
        if not self.is_used:
            return []
        data = self.cleaned_data
        proof = {
            "given_by": data["given_by"],
            "guardian_relation": data["guardian_relation"],
            "method": data["method"],
            "signed_form": data["signed_form"],
            "witness": data["witness"],
            "given_on": data["given_on"],
        }
        wanted = [{"kind": kind, "photo": None, **proof} for kind in data["purposes"]]
        for slot in data["photos"]:
            wanted.append(
                {
                    "kind": Consent.Kind.PHOTO_FACE,
                    "photo": photo_slots.index(slot) if slot in photo_slots else None,
                    **proof,
                }
            )
        return wanted


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Kept on record with the consent."),
    )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Story.Status.choices, widget=forms.HiddenInput)
    # The version shown on the page: the decision is about what the reviewer read.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SelectionForm(forms.ModelForm):
    # The version shown on the page: the panel decides on what it read.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = SelectionDecision
        fields = ["level", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self):
        pass


class BulkActionForm(forms.Form):
    ACTIONS = [
        ("verified", _("Verify")),
        ("published", _("Publish")),
        ("needs_revision", _("Send back for revision")),
    ]
    action = forms.ChoiceField(label=_("With the selected stories"), choices=ACTIONS)
    stories = forms.ModelMultipleChoiceField(
        queryset=Story.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stories"].queryset = Story.objects.visible_to(user)

    def version_read(self, story: Story) -> int | None:
        """The version the queue showed next to the story's checkbox (``version-<pk>``)."""
        value = self.data.get(f"version-{story.pk}", "")
        return int(value) if value.isdigit() else None
