import datetime
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from impact.forms import ConsentForm
from impact.models import Consent, Testimony
from impact.models.testimonies import QUOTE_LIMIT
from libraries.models import Activity, Library
from libraries.widgets import DatePickerInput

# Activities offered to attach a testimony to: those of the last year and a half.
ACTIVITY_WINDOW = datetime.timedelta(days=550)


class TestimonyForm(forms.ModelForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Testimony
        fields = ["library", *Testimony.CONTENT_FIELDS]
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 4}),
            "given_on": DatePickerInput,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        libraries = (
            Library.objects.visible_to(user)
            .exclude(level=Library.Level.PROVINCE)
            .select_related("province")
            .order_by("level", "name")
        )
        self.fields["library"].queryset = libraries
        self.fields["library"].empty_label = None
        since = datetime.date.today() - ACTIVITY_WINDOW
        self.fields["activity"].queryset = (
            Activity.objects.visible_to(user)
            .filter(date__gte=since)
            .select_related("library")
            .order_by("-date", "-pk")
        )
        self.fields["activity"].label_from_instance = lambda activity: (
            f"{activity.date:%d-%m-%Y} · {activity.title} ({activity.library})"
        )
        self.fields["quote"].widget.attrs["maxlength"] = QUOTE_LIMIT
        if self.instance.pk:
            # A testimony stays with its library; a retried edit needs no key.
            del self.fields["library"]
            del self.fields["idempotency_key"]
            return
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            first = libraries.first()
            if first is not None:
                self.initial.setdefault("library", first.pk)
                self.initial.setdefault(
                    "given_on", Testimony(library=first).local_today().isoformat()
                )

    def _post_clean(self):
        # The service validates the whole record; the form only parses the fields.
        pass

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in Testimony.CONTENT_FIELDS}


class TestimonyConsentForm(ConsentForm):
    """The consent form of stories, for the two purposes a testimony has."""

    class Meta(ConsentForm.Meta):
        fields = [name for name in ConsentForm.Meta.fields if name != "photo"]

    def __init__(self, *args, testimony: Testimony, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
        self.fields["kind"].choices = [
            (kind, Consent.Kind(kind).label) for kind in Consent.TESTIMONY_KINDS
        ]
        self.start_on(testimony.local_today())
        if testimony.is_minor:
            self.fields["given_by"].label = _("Parent or guardian's name")
            self.fields["guardian_relation"].required = True


class PublishForm(forms.Form):
    publish = forms.TypedChoiceField(
        choices=[("1", _("Publish")), ("0", _("Take off the public pages"))],
        coerce=lambda value: value == "1",
    )
