"""Date, time and number inputs carry values the browser's pickers accept, in both languages.

A ``type=date`` input given ``04-07-2022`` (or a ``type=time`` input given ``08.00.00``, the
Indonesian ways) opens empty: whoever edits the form must type the value again, and may not
notice. Every form of the portal and every admin form is rendered here with a value in each of
its fields, in Indonesian and in English, and every picker and number input must carry the
machine format of the HTML standard.
"""

import datetime
import importlib
import pkgutil
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import override

from events import forms as event_forms
from events.certificates import views as certificate_views
from events.filters import EventFilter, RosterFilter
from impact import forms as impact_forms
from impact.filters import StoryFilter
from impact.models import Product
from impact.products import forms as product_forms
from impact.products.filters import OfferFilter, ProductFilter
from impact.testimonies import forms as testimony_forms
from libraries import forms as library_forms
from libraries.admin import LibraryAdminForm
from libraries.filters import LibraryFilter
from libraries.models import Library
from libraries.reporting import forms as reporting_forms
from libraries.reporting.filters import ActivityFilter
from libraries.scope import Scope
from libraries.versioning import VersionedAdminForm
from tpbis_portal import forms as portal_forms
from tpbis_portal.exports import forms as export_forms
from tpbis_portal.overview import dashboards
from tpbis_portal.overview.aggregates import province_summary
from tpbis_portal.overview.filters import LibraryDirectoryFilter

MACHINE_FORMATS = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "time": re.compile(r"\d{2}:\d{2}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "datetime-local": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"),
    "number": re.compile(r"-?\d+(\.\d+)?"),
}
PROJECT_APPS = ("libraries", "events", "impact", "tpbis_portal")
#: Forms that only the admin builds; the admin pages are checked below.
ADMIN_ONLY = {LibraryAdminForm, VersionedAdminForm}


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in MACHINE_FORMATS:
            self.found.append((attrs.get("name"), attrs["type"], attrs.get("value")))


def picker_inputs(html: str) -> list[tuple[str, str, str | None]]:
    parser = _Inputs()
    parser.feed(html)
    return parser.found


def wrong_values(html: str) -> list:
    return [
        (name, kind, value)
        for name, kind, value in picker_inputs(html)
        if value is not None and not MACHINE_FORMATS[kind].fullmatch(value)
    ]


def _sample(field: forms.Field):
    """A value for a field, large enough that a thousands separator would show."""
    if isinstance(field, forms.DateTimeField):
        return datetime.datetime(2022, 7, 4, 8, 30)
    if isinstance(field, forms.DateField):
        return datetime.date(2022, 7, 4)
    if isinstance(field, forms.TimeField):
        return datetime.time(8, 30)
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return Decimal("5198.5")
    if isinstance(field, forms.IntegerField):
        return 5408
    return None


def _with_values(form: forms.BaseForm) -> forms.BaseForm:
    """Fill every date, time and number field that has no initial value yet."""
    for name, field in form.fields.items():
        if form.is_bound or form.initial.get(name) is not None:
            continue
        value = _sample(field)
        if value is not None:
            form.initial[name] = value
    return form


def _project_form_classes() -> set[type]:
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {
        cls for cls in subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in PROJECT_APPS
    }


def _all_forms(world, consultant) -> list[forms.BaseForm]:
    """Every form of the portal, as its views build it (new and editing where both exist)."""
    library, event = world["Library"], world["Event"]
    libraries = Library.objects.filter(pk=library.pk)
    story, activity = world["Story"], world["Activity"]
    context = {"user": consultant, "event": event}
    made = [
        portal_forms.LoginForm(),
        portal_forms.QueuedPasswordResetForm(),
        export_forms.ExportForm(user=consultant),
        LibraryDirectoryFilter(
            None, queryset=libraries, summary=province_summary(library.province)
        ).form,
        dashboards.DashboardYearForm(None, current_year=2025),
        impact_forms.StoryForm(user=world["User"]),
        impact_forms.StoryForm(instance=story, user=world["User"]),
        impact_forms.PhotoForm(),
        impact_forms.StoryPhotoForm(prefix="photo-0"),
        impact_forms.StoryConsentForm(library=library),
        impact_forms.ConsentForm(story=story),
        impact_forms.WithdrawForm(),
        impact_forms.TransitionForm(),
        impact_forms.SelectionForm(),
        impact_forms.BulkActionForm(user=consultant),
        StoryFilter(scope=Scope.for_user(consultant)).form,
        StoryFilter({"cohort": "2022"}, scope=Scope.for_user(consultant)).form,
        testimony_forms.TestimonyForm(user=consultant),
        testimony_forms.TestimonyForm(instance=world["Testimony"], user=consultant),
        testimony_forms.TestimonyConsentForm(testimony=world["Testimony"]),
        testimony_forms.PublishForm(),
        reporting_forms.ActivityForm(libraries=libraries),
        reporting_forms.ActivityForm(instance=activity, libraries=libraries),
        reporting_forms.EvidenceForm(),
        reporting_forms.VisitorCountForm(libraries=libraries),
        reporting_forms.PartnerForm(libraries=libraries),
        reporting_forms.AgreementForm(libraries=libraries),
        reporting_forms.AgreementForm(instance=world["Agreement"], libraries=libraries),
        reporting_forms.RegulationForm(libraries=libraries),
        reporting_forms.BudgetAllocationForm(libraries=libraries),
        reporting_forms.BudgetAllocationForm(
            instance=world["BudgetAllocation"], libraries=libraries
        ),
        reporting_forms.ImportForm(libraries=libraries),
        reporting_forms.TargetForm(),
        reporting_forms.TargetForm(instance=world["Target"]),
        reporting_forms.ThresholdForm(),
        reporting_forms.PublicationForm(libraries=libraries),
        reporting_forms.PublicationForm(instance=world["Publication"], libraries=libraries),
        reporting_forms.ReportCardSettingsForm(),
        reporting_forms.PeriodForm({"tahun": "2024"}),
        reporting_forms.RankingForm({"tahun": "2024"}),
        library_forms.LibraryEditForm(instance=library),
        LibraryFilter({"cohort_year": "2022"}, scope=Scope.for_user(consultant)).form,
        event_forms.EventForm(user=consultant),
        event_forms.EventForm(instance=event, user=consultant),
        event_forms.InvitationsForm(**context),
        event_forms.SessionForm(),
        event_forms.SessionTimesForm(),
        certificate_views.RevokeForm(),
        certificate_views.LookupForm(),
        event_forms.SessionForm(initial={"date": world["EventSession"].date}),
        event_forms.PersonFields(**context),
        event_forms.WalkInForm(**context),
        event_forms.FacilitatorForm(**context),
        event_forms.MarkForm(),
        event_forms.ImportUploadForm(),
        event_forms.ProblemForm(**context),
        event_forms.ProblemFollowUpForm(instance=world["Problem"]),
        event_forms.AwardForm(**context),
        EventFilter().form,
        ActivityFilter(user=consultant).form,
        ActivityFilter({"tahun": "2024", "strategi": "engagement"}, user=consultant).form,
        EventFilter({"year": "2022"}).form,
        RosterFilter({"q": "Siti"}, session=world["EventSession"]).form,
        product_forms.ProductForm(user=world["User"]),
        product_forms.ProductForm(instance=world["Product"], user=world["User"]),
        product_forms.ProductPhotoForm(),
        product_forms.ProductConsentForm(product=world["Product"], today=datetime.date(2024, 5, 2)),
        product_forms.ExhibitionForm(candidates=Product.objects.all()),
        product_forms.OfferForm(),
        product_forms.OfferFollowUpForm(instance=world["ProductOffer"]),
        ProductFilter({"kind": "food"}, scope=Scope.for_user(consultant)).form,
        OfferFilter({"status": "done"}, scope=Scope.for_user(consultant)).form,
    ]
    return [_with_values(form) for form in made]


def test_every_form_of_the_portal_is_checked(one_of_each, consultant):
    # A FilterSet builds its form as a subclass of its Meta.form: that base is checked too.
    checked = {base for form in _all_forms(one_of_each, consultant) for base in type(form).__mro__}

    assert _project_form_classes() - checked - ADMIN_ONLY == set()


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_form_writes_dates_times_and_numbers_in_the_pickers_format(
    one_of_each, consultant, language
):
    wrong, seen = [], set()
    with override(language):
        for form in _all_forms(one_of_each, consultant):
            html = str(form)
            wrong += [(type(form).__name__, *found) for found in wrong_values(html)]
            seen |= {kind for _name, kind, value in picker_inputs(html) if value}

    assert wrong == []
    # The check above saw a value of every kind the portal uses.
    assert seen == {"date", "time", "month", "number"}


@pytest.mark.parametrize("language", ["id", "en"])
def test_event_edit_form_opens_with_its_dates_and_times(consultant, plm, language):
    with override(language):
        html = str(event_forms.EventForm(instance=plm, user=consultant))

    values = {name: value for name, _kind, value in picker_inputs(html)}
    assert values == {
        "start_date": "2022-07-04",
        "start_time": "08:00",
        "end_date": "2022-07-06",
        "end_time": "16:00",
    }


@pytest.mark.parametrize("language", ["id", "en"])
def test_new_event_form_shows_its_default_times(consultant, language):
    with override(language):
        html = str(event_forms.EventForm(user=consultant))

    values = {name: value for name, kind, value in picker_inputs(html) if kind == "time"}
    assert values == {"start_time": "08:00", "end_time": "16:00"}


@pytest.mark.parametrize("language", ["id", "en"])
def test_event_edit_page_and_session_form_in_the_browser_format(
    client_for, consultant, plm, language
):
    client = client_for(consultant)
    client.cookies["tpbis_language"] = language

    page = client.get(reverse("events:edit", args=[plm.pk]))

    assert page.status_code == 200
    assert ("start_date", "date", "2022-07-04") in picker_inputs(page.text)
    assert ("start_time", "time", "08:00") in picker_inputs(page.text)
    assert wrong_values(page.text) == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_admin_form_writes_numbers_and_dates_in_the_machine_format(
    client_for, perpusnas, one_of_each, language
):
    client = client_for(perpusnas)
    client.cookies["tpbis_language"] = language
    wrong = []
    request = _request_for(perpusnas)
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages = []
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        row = model._default_manager.order_by("pk").first()
        if row is not None and model_admin.has_view_or_change_permission(request, row):
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            wrong += [(url, *found) for found in wrong_values(response.text)]

    assert wrong == []


class _FormValues(HTMLParser):
    """What a browser would send back from a page's form without any change."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        kind = attrs.get("type")
        if tag == "input" and name and kind not in ("submit", "checkbox", "radio"):
            value = attrs.get("value") or ""
            # A browser empties a picker whose value is not in the machine format.
            if kind in MACHINE_FORMATS and not MACHINE_FORMATS[kind].fullmatch(value):
                value = ""
            self.data[name] = value
        elif tag == "input" and name and "checked" in attrs:
            self.data[name] = attrs.get("value", "on")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def test_event_edit_sent_back_unchanged_keeps_the_dates_and_times(client_for, consultant, plm):
    client = client_for(consultant)
    url = reverse("events:edit", args=[plm.pk])
    parser = _FormValues()
    parser.feed(client.get(url).text)
    starts, ends = plm.starts_at, plm.ends_at

    response = client.post(url, {**parser.data, "description": "Dengan pameran produk."})

    assert response.status_code == 302
    plm.refresh_from_db()
    assert (plm.starts_at, plm.ends_at) == (starts, ends)
    assert plm.description == "Dengan pameran produk."


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request
