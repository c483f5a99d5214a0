"""factory_boy factories for the people and places of the programme.

Regions come from ``tests/data/regions_small.csv`` (loaded by the ``regions`` fixture): Kalimantan
Timur (64) with Kota Samarinda (64.72) and Kabupaten Berau (64.03), Kepulauan Riau (21) with
Kota Tanjung Pinang (21.72), and Papua (91) with a desa adat.
"""

import datetime
import uuid

import factory
from django.contrib.auth.hashers import make_password

from libraries.models import (
    AidItem,
    Library,
    LibraryManager,
    Province,
    Publication,
    Regency,
    ReportCardSettings,
    User,
    Village,
    reporting,
)

PASSWORD = "correct-horse-battery"


class LibraryFactory(factory.django.DjangoModelFactory):
    """A village library by default; pass ``village``."""

    class Meta:
        model = Library

    name = factory.LazyAttribute(lambda o: f"Perpustakaan {o.village}" if o.village else "Perpus")
    level = Library.Level.VILLAGE
    village = factory.LazyFunction(lambda: Village.objects.get(code="64.72.01.1001"))
    regency = factory.LazyAttribute(lambda o: o.village.district.regency if o.village else None)
    province = factory.LazyAttribute(lambda o: o.regency.province if o.regency else None)
    cohort_year = 2022
    support_tier = Library.SupportTier.FULL

    class Params:
        district = factory.Trait(
            level=Library.Level.REGENCY,
            village=None,
            name=factory.LazyAttribute(lambda o: f"Dinas Perpustakaan {o.regency.name}"),
        )
        provincial = factory.Trait(
            level=Library.Level.PROVINCE,
            village=None,
            regency=None,
            name=factory.LazyAttribute(lambda o: f"Dinas Perpustakaan Provinsi {o.province}"),
        )


def district_library(regency_code: str, **kwargs) -> Library:
    regency = Regency.objects.get(code=regency_code)
    return LibraryFactory(district=True, regency=regency, province=regency.province, **kwargs)


def village_library(village_code: str, **kwargs) -> Library:
    return LibraryFactory(village=Village.objects.get(code=village_code), **kwargs)


def tbm_library(village_code: str, **kwargs) -> Library:
    """A Taman Bacaan Masyarakat in the village ``village_code``."""
    village = Village.objects.get(code=village_code)
    kwargs.setdefault("name", f"TBM {village.name}")
    return LibraryFactory(level=Library.Level.TBM, village=village, **kwargs)


def provincial_library(province_code: str, **kwargs) -> Library:
    return LibraryFactory(
        provincial=True, province=Province.objects.get(code=province_code), **kwargs
    )


class AidItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidItem

    library = factory.SubFactory(LibraryFactory)
    kind = AidItem.Kind.COMPUTER
    quantity = 3


class LibraryManagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryManager

    library = factory.SubFactory(LibraryFactory)
    name = factory.Sequence(lambda n: f"Pengelola {n}")
    position = LibraryManager.Position.MANAGER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Nama"
    last_name = factory.Sequence(lambda n: f"Pengguna {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
    role = User.Role.CONSULTANT

    @factory.post_generation
    def provinces(self, create, extracted, **kwargs):
        if create and extracted:
            self.provinces.set(extracted)


def consultant(username: str, *province_codes: str) -> User:
    return UserFactory(
        username=username, role=User.Role.CONSULTANT, is_staff=True, provinces=province_codes
    )


def librarian(username: str, library: Library) -> User:
    role = {
        Library.Level.REGENCY: User.Role.DISTRICT_LIBRARIAN,
        Library.Level.TBM: User.Role.TBM_MANAGER,
    }.get(library.level, User.Role.VILLAGE_LIBRARIAN)
    return UserFactory(username=username, role=role, library=library)


def kepri_registry() -> dict[str, Library]:
    """Kepulauan Riau: a provincial, a kab/kota and a village library (cohorts 2018-2023), a
    withdrawn village library, and managers whose contact details must stay private."""
    provincial = provincial_library(
        "21", cohort_year=2018, phone="0771-111222", email="dispusip@kepriprov.go.id"
    )
    district = district_library("21.72", cohort_year=2022, address="Jl. Ahmad Yani No. 1")
    barat = village_library(
        "21.72.01.1001",
        name="Perpustakaan Kelurahan Tanjung Pinang Barat",
        cohort_year=2023,
        phone="0812-3456-7890",
        email="perpus.tpbarat@example.org",
    )
    withdrawn = village_library(
        "21.72.01.1002",
        name="Perpustakaan Kelurahan Kampung Baru",
        cohort_year=2023,
        status=Library.Status.WITHDRAWN,
    )
    LibraryManagerFactory(
        library=barat, name="Siti Aminah", phone="0813-1111-2222", email="siti@example.org"
    )
    LibraryManagerFactory(library=district, name="Raja Ali Haji", phone="0771-999888")
    AidItemFactory(library=barat, kind=AidItem.Kind.COMPUTER, quantity=3)
    return {
        "provincial": provincial,
        "district": district,
        "barat": barat,
        "withdrawn": withdrawn,
    }


# Impact stories -----------------------------------------------------------------------------


from django.utils import timezone  # noqa: E402

from impact.models import Consent, Story  # noqa: E402


class StoryFactory(factory.django.DjangoModelFactory):
    """A complete story, ready to submit; ``status`` and consents are up to the test."""

    class Meta:
        model = Story

    library = factory.SubFactory(LibraryFactory)
    author = factory.LazyAttribute(
        lambda o: UserFactory(
            role=User.Role.VILLAGE_LIBRARIAN
            if o.library.level == Library.Level.VILLAGE
            else User.Role.DISTRICT_LIBRARIAN,
            library=o.library,
        )
    )
    title = "Dari penjahit rumahan menjadi pemilik usaha"
    storyteller_name = "Ibu Sumiati"
    gender = Story.Gender.FEMALE
    age_group = Story.AgeGroup.ADULT
    village = factory.LazyAttribute(lambda o: o.library.village)
    domain = Story.Domain.ECONOMIC
    life_before = "Menjahit pesanan tetangga, penghasilan tidak menentu."
    involvement = Story.Involvement.TRAINING
    involvement_detail = "Pelatihan pemasaran daring di perpustakaan kelurahan."
    what_changed = "Kini menjual tas anyaman lewat marketplace."
    why_it_matters = "Anak-anak bisa terus sekolah."
    income_before = 800_000
    income_after = 2_500_000


def story_consent(story, kind=Consent.Kind.STORY_USE, *, photo=None, **kwargs) -> Consent:
    values = {
        "given_by": story.storyteller_name or "Penutur",
        "method": Consent.Method.VERBAL,
        "witness": "Kepala perpustakaan",
        "given_on": datetime.date(2024, 5, 2),
        "recorded_by": story.author,
    }
    values.update(kwargs)
    return Consent.objects.create(story=story, kind=kind, photo=photo, **values)


def published_story(**kwargs) -> Story:
    """A published story with the consents it needs (use and naming)."""
    story = StoryFactory(status=Story.Status.PUBLISHED, published_at=timezone.now(), **kwargs)
    story_consent(story)
    if story.storyteller_name:
        story_consent(story, Consent.Kind.NAMING)
    return story


# Activity reporting


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = reporting.Partner

    library = factory.SubFactory(LibraryFactory)
    name = factory.Sequence(lambda n: f"Bank Mitra {n}")
    kind = reporting.Partner.Kind.BANK


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = reporting.Activity

    library = factory.SubFactory(LibraryFactory)
    strategy = reporting.Strategy.ENGAGEMENT
    kind = reporting.Activity.Kind.TRAINING
    title = factory.Sequence(lambda n: f"Pelatihan {n}")
    date = datetime.date(2024, 1, 15)
    participants_male = 0
    participants_female = 0


class VisitorCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = reporting.VisitorCount

    library = factory.SubFactory(LibraryFactory)
    month = datetime.date(2024, 1, 1)
    visitors = 100


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = reporting.Target

    indicator = reporting.Indicator.ACTIVITIES
    level = Library.Level.VILLAGE
    year = 2024
    per_month = 2


# Events and attendance


def event(
    *,
    province_code: str = "64",
    kind: str = "plm_province",
    title: str = "PLM Provinsi Kalimantan Timur",
    venue: str = "Hotel Harris Samarinda",
    first_day=None,
    days: int = 3,
    actor=None,
    **fields,
):
    """An event created through the service, so that it has its daily sessions."""
    import datetime
    import zoneinfo

    from events.services import event_create

    province = Province.objects.get(code=province_code)
    tz = zoneinfo.ZoneInfo(province.time_zone)
    first_day = first_day or datetime.date(2022, 7, 4)
    starts = datetime.datetime.combine(first_day, datetime.time(8, 0), tzinfo=tz)
    ends = datetime.datetime.combine(
        first_day + datetime.timedelta(days=days - 1), datetime.time(16, 0), tzinfo=tz
    )
    actor = actor or UserFactory(username="events-admin", role=User.Role.PERPUSNAS)
    return event_create(
        actor=actor,
        kind=kind,
        title=title,
        province=province,
        venue=venue,
        starts_at=starts,
        ends_at=ends,
        **fields,
    )


def participant(name: str, library=None, *, gender: str = "F", event=None, **fields):
    """A person, put on the event's list when ``event`` is given."""
    from events.services import participant_find_or_create, registration_ensure

    province = library.province if library else Province.objects.get(code="64")
    person, _created = participant_find_or_create(
        name=name,
        gender=gender,
        province=province,
        library=library,
        institution=fields.pop("institution", "" if library else "Dinas Kominfo"),
        **fields,
    )
    if event is not None:
        registration_ensure(event=event, participant=person, role="library_manager")
    return person


# One row of every model


def one_of_each_model(*, perpusnas, library, event) -> dict:
    """One row of every model of the portal, with only its required fields filled in, keyed
    by model name (the library, event and Perpusnas user come from the caller)."""
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from events.models import (
        Attendance,
        Award,
        Facilitator,
        Invitation,
        Participant,
        Problem,
        Registration,
    )
    from impact.models import Photo, ReviewEvent, SelectionDecision

    Activity, ActivityEvidence, Agreement = (
        reporting.Activity,
        reporting.ActivityEvidence,
        reporting.Agreement,
    )
    Partner, Regulation, BudgetAllocation = (
        reporting.Partner,
        reporting.Regulation,
        reporting.BudgetAllocation,
    )
    Target, Threshold, VisitorCount = reporting.Target, reporting.Threshold, reporting.VisitorCount
    Indicator = reporting.Indicator

    made = {"Library": library, "Event": event, "User": perpusnas}
    author = librarian("penulis", library)
    made["AidItem"] = AidItem.objects.create(
        library=library, kind=AidItem.Kind.COMPUTER, quantity=3
    )
    made["LibraryManager"] = LibraryManager.objects.create(
        library=library, name="Siti", position=LibraryManager.Position.MANAGER
    )
    made["Partner"] = partner = Partner.objects.create(
        library=library, name="Bank", kind=Partner.Kind.BANK
    )
    made["Activity"] = activity = Activity.objects.create(
        library=library, title="Pelatihan", date=datetime.date(2024, 1, 15)
    )
    made["ActivityEvidence"] = ActivityEvidence.objects.create(
        activity=activity,
        kind=ActivityEvidence.Kind.PHOTO,
        file="evidence/x.jpg",
        content_type="image/jpeg",
    )
    made["VisitorCount"] = VisitorCount.objects.create(
        library=library, month=datetime.date(2024, 1, 1), visitors=5
    )
    made["Agreement"] = Agreement.objects.create(
        library=library, partner=partner, title="MoU", signed_on=datetime.date(2024, 1, 2)
    )
    made["Regulation"] = Regulation.objects.create(
        library=library,
        kind=Regulation.Kind.choices[0][0],
        title="Perdes",
        issued_on=datetime.date(2024, 1, 3),
    )
    made["BudgetAllocation"] = BudgetAllocation.objects.create(
        library=library,
        source=BudgetAllocation.Source.choices[0][0],
        amount=1_500_000,
        purpose="Buku",
        decided_on=datetime.date(2024, 1, 4),
    )
    made["Skill"] = skill = reporting.Skill.objects.create(name="Menjahit")
    activity.catalogue_skills.add(skill)
    made["Target"] = Target.objects.create(
        indicator=Indicator.ACTIVITIES, level=library.level, year=2024, per_month=2
    )
    made["Threshold"] = Threshold.objects.create(indicator=Indicator.ACTIVITIES)
    made["Publication"] = Publication.objects.create(
        library=library, url="https://desa.example.id/berita/1", published_on="2024-01-06"
    )
    made["ReportCardSettings"] = ReportCardSettings.objects.create(pk=1)
    session = event.sessions.first()
    made["Participant"] = person = Participant.objects.create(
        name="Budi", gender="M", province=library.province, library=library
    )
    made["Registration"] = Registration.objects.create(event=event, participant=person)
    made["Invitation"] = Invitation.objects.create(event=event, library=library)
    made["Facilitator"] = Facilitator.objects.create(
        event=event, participant=person, role=Facilitator.Role.choices[0][0]
    )
    made["Problem"] = Problem.objects.create(
        event=event, description="Internet putus", stakeholder="Kominfo"
    )
    made["Award"] = Award.objects.create(
        event=event, category=Award.Category.choices[0][0], rank=1, library=library
    )
    made["Attendance"] = Attendance.objects.create(
        session=session,
        participant=person,
        client_id=uuid.uuid4(),
        source=Attendance.Source.PAGE,
        marked_at=timezone.now(),
    )
    made["Story"] = story = Story.objects.create(library=library, author=author)
    made["Photo"] = Photo.objects.create(
        story=story, alt_text="Rak buku", uploaded_by=author, width=800, height=600
    )
    made["Consent"] = Consent.objects.create(
        story=story,
        kind=Consent.Kind.STORY_USE,
        given_by="Ibu Sumiati",
        method=Consent.Method.VERBAL,
        witness="Kepala perpustakaan",
        given_on=datetime.date(2024, 5, 2),
        recorded_by=author,
    )
    from impact.models import Testimony

    made["Testimony"] = testimony = Testimony.objects.create(
        library=library,
        author=author,
        quote="Perpustakaan mengubah hidup saya",
        age_group=Story.AgeGroup.ADULT,
        given_on=datetime.date(2024, 5, 2),
    )
    Consent.objects.create(
        testimony=testimony,
        kind=Consent.Kind.STORY_USE,
        given_by="Pak Darto",
        method=Consent.Method.VERBAL,
        witness="Kepala perpustakaan",
        given_on=datetime.date(2024, 5, 2),
        recorded_by=author,
    )
    made["ReviewEvent"] = ReviewEvent.objects.create(
        story=story, actor=author, from_status="draft", to_status="draft"
    )
    made["SelectionDecision"] = SelectionDecision.objects.create(
        story=story,
        level=SelectionDecision.Level.choices[0][0],
        reason="Perubahan besar",
        decided_by=perpusnas,
    )
    from impact.models import Product, ProductConsent, ProductExhibition, ProductOffer

    made["Product"] = product = Product.objects.create(
        library=library,
        name="Keripik pisang",
        kind=Product.Kind.FOOD,
        producer_name="KWT Melati",
        recorded_by=author,
    )
    made["ProductConsent"] = ProductConsent.objects.create(
        product=product,
        given_by="Ibu Ketua KWT",
        method=ProductConsent.Method.VERBAL,
        witness="Kepala perpustakaan",
        given_on=datetime.date(2024, 5, 2),
        recorded_by=author,
    )
    made["ProductExhibition"] = ProductExhibition.objects.create(
        product=product, event=event, recorded_by=perpusnas
    )
    made["ProductOffer"] = ProductOffer.objects.create(
        product=product,
        event=event,
        kind=ProductOffer.Kind.PACKAGING,
        stakeholder="Pak Andi",
        organisation="Bank Kaltimtara",
        recorded_by=perpusnas,
    )
    from events.certificates.services import certificate_issue
    from impact.models import Notice

    made["Certificate"], _new = certificate_issue(actor=perpusnas, event=event, participant=person)
    made["Notice"] = Notice.objects.create(recipient=author, decision=made["SelectionDecision"])
    made["Group"] = Group.objects.create(name="Tim konsultan")
    store = SessionStore()
    store["x"] = 1
    store.create()
    made["EventSession"] = session
    from tpbis_portal.overview.models import OpenDataLicence

    made["OpenDataLicence"] = OpenDataLicence.objects.create(pk=OpenDataLicence.SINGLETON)
    return made


# Community products


def product(library, *, author=None, consent: bool = False, **fields):
    """A product of ``library``; with ``consent`` the producer agreed to be named and shown."""
    from impact.models import Product, ProductConsent

    author = author or UserFactory(
        role=User.Role.VILLAGE_LIBRARIAN
        if library.level == Library.Level.VILLAGE
        else User.Role.DISTRICT_LIBRARIAN,
        library=library,
    )
    values = {
        "name": "Keripik pisang Rawa Makmur",
        "kind": Product.Kind.FOOD,
        "producer_name": "KWT Melati",
        "sold_where": "Pasar Segiri, Shopee",
        "price_min": 15_000,
        "price_max": 25_000,
        "recorded_by": author,
    }
    values.update(fields)
    made = Product.objects.create(library=library, **values)
    if consent:
        ProductConsent.objects.create(
            product=made,
            given_by=made.producer_name,
            method=ProductConsent.Method.VERBAL,
            witness="Kepala perpustakaan",
            given_on=datetime.date(2024, 5, 2),
            recorded_by=author,
        )
    return made
