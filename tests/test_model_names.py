"""Every model names its rows with a real string, even a row whose optional fields are empty.

The admin, the history pages, form choices and templates call ``str()`` on rows; a lazy
translation returned from ``__str__`` (or a format that fails on an empty field) turns every
page listing that row into a server error.
"""

import datetime
import uuid

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django.utils.translation import override

from events.models import (
    Attendance,
    Award,
    Facilitator,
    Invitation,
    Participant,
    Problem,
    Registration,
)
from impact.models import Consent, Photo, ReviewEvent, SelectionDecision, Story
from libraries.models import (
    Activity,
    ActivityEvidence,
    Agreement,
    AidItem,
    BudgetAllocation,
    Indicator,
    LibraryManager,
    Partner,
    Regulation,
    Target,
    Threshold,
    VisitorCount,
)
from tests import factories

PROJECT_APPS = {"libraries", "events", "impact"}


@pytest.fixture
def one_of_each(perpusnas, village_library, plm):
    """One row of every model of the portal, with only its required fields filled in."""
    library = village_library
    author = factories.librarian("penulis", library)
    AidItem.objects.create(library=library, kind=AidItem.Kind.COMPUTER, quantity=3)
    LibraryManager.objects.create(
        library=library, name="Siti", position=LibraryManager.Position.MANAGER
    )
    partner = Partner.objects.create(library=library, name="Bank", kind=Partner.Kind.BANK)
    activity = Activity.objects.create(
        library=library, title="Pelatihan", date=datetime.date(2024, 1, 15)
    )
    ActivityEvidence.objects.create(
        activity=activity,
        kind=ActivityEvidence.Kind.PHOTO,
        file="evidence/x.jpg",
        content_type="image/jpeg",
    )
    VisitorCount.objects.create(library=library, month=datetime.date(2024, 1, 1), visitors=5)
    Agreement.objects.create(
        library=library, partner=partner, title="MoU", signed_on=datetime.date(2024, 1, 2)
    )
    Regulation.objects.create(
        library=library,
        kind=Regulation.Kind.choices[0][0],
        title="Perdes",
        issued_on=datetime.date(2024, 1, 3),
    )
    BudgetAllocation.objects.create(
        library=library,
        source=BudgetAllocation.Source.choices[0][0],
        amount=1_500_000,
        purpose="Buku",
        decided_on=datetime.date(2024, 1, 4),
    )
    Target.objects.create(
        indicator=Indicator.ACTIVITIES, level=library.level, year=2024, per_month=2
    )
    Threshold.objects.create(indicator=Indicator.ACTIVITIES)
    session = plm.sessions.first()
    person = Participant.objects.create(
        name="Budi", gender="M", province=library.province, library=library
    )
    Registration.objects.create(event=plm, participant=person)
    Invitation.objects.create(event=plm, library=library)
    Facilitator.objects.create(event=plm, participant=person, role=Facilitator.Role.choices[0][0])
    Problem.objects.create(event=plm, description="Internet putus", stakeholder="Kominfo")
    Award.objects.create(event=plm, category=Award.Category.choices[0][0], rank=1, library=library)
    Attendance.objects.create(
        session=session,
        participant=person,
        client_id=uuid.uuid4(),
        source=Attendance.Source.PAGE,
        marked_at=timezone.now(),
    )
    story = Story.objects.create(library=library, author=author)
    Photo.objects.create(
        story=story, alt_text="Rak buku", uploaded_by=author, width=800, height=600
    )
    Consent.objects.create(
        story=story,
        kind=Consent.Kind.STORY_USE,
        given_by="Ibu Sumiati",
        method=Consent.Method.VERBAL,
        witness="Kepala perpustakaan",
        given_on=datetime.date(2024, 5, 2),
        recorded_by=author,
    )
    ReviewEvent.objects.create(story=story, actor=author, from_status="draft", to_status="draft")
    SelectionDecision.objects.create(
        story=story,
        level=SelectionDecision.Level.choices[0][0],
        reason="Perubahan besar",
        decided_by=perpusnas,
    )
    Group.objects.create(name="Tim konsultan")
    store = SessionStore()
    store["x"] = 1
    store.create()


def _with_optional_fields_emptied(instance):
    # A history row has every field nullable; what is optional is decided by its model.
    model = getattr(instance, "instance_type", type(instance))
    optional = {f.attname for f in model._meta.concrete_fields if f.null or f.blank}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.attname not in optional:
            continue
        if field.null:
            setattr(instance, field.attname, None)
        elif field.blank and field.empty_strings_allowed:
            setattr(instance, field.attname, "")
    return instance


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_model_names_a_row_with_empty_optional_fields_as_a_real_string(one_of_each, language):
    unnamed = []
    for model in apps.get_models():
        instance = model._default_manager.order_by("pk").first()
        if instance is None:
            # Every model of the portal has a row above, so that a new model is checked too.
            assert model._meta.app_label not in PROJECT_APPS, f"no sample of {model._meta.label}"
            instance = model()
        _with_optional_fields_emptied(instance)
        try:
            with override(language):
                name = str(instance)
        except Exception as exc:  # every failing model is listed at once
            name = exc
        if type(name) is not str or not name.strip():
            unnamed.append((model._meta.label, repr(name)))

    assert unnamed == []


def test_story_without_a_title_is_named_as_untitled_in_each_language(village_library):
    story = Story(library=village_library, title="")

    with override("id"):
        indonesian = str(story)
    with override("en"):
        english = str(story)

    assert (type(indonesian), indonesian) == (str, "(tanpa judul)")
    assert (type(english), english) == (str, "(untitled)")
