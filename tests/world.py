"""One object of every kind, in Kalimantan Timur, made through the portal's own services.

The guards use it: every URL is requested with these real ids (``test_guard_urls``), every form
is posted as its rightful user (``test_guard_forms``, ``test_guard_uploads``), and a backup
must bring every row and file of it back (``test_backup``). :func:`missing_models` names any
model of the project that has no row here, so a new model cannot slip past the guards.

Words that must never reach someone outside the scope carry the marker ``Rahasia`` (secret):
names of people, story text, reports and agreements.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from events import services as event_services
from events.certificates.services import certificate_issue
from events.models import (
    Attendance,
    Award,
    Certificate,
    Event,
    EventSession,
    Facilitator,
    Participant,
    Problem,
)
from impact import services as story_services
from impact.models import (
    Consent,
    Notice,
    Photo,
    Product,
    ProductConsent,
    ProductExhibition,
    ProductOffer,
    SelectionDecision,
    Story,
    Testimony,
)
from impact.products import services as product_services
from impact.testimonies import services as testimony_services
from libraries.models import (
    Activity,
    ActivityEvidence,
    Agreement,
    AidItem,
    BudgetAllocation,
    Library,
    LibraryManager,
    Partner,
    Province,
    Publication,
    Regulation,
    ReportCardSettings,
    Skill,
    Strategy,
    Target,
    Threshold,
    User,
    VisitorCount,
)
from libraries.reporting import services as reporting_services
from libraries.uploads import check_pdf, process_image
from tests import factories, hostile_files
from tpbis_portal.exports.models import ExportJob
from tpbis_portal.exports.services import export_job_produce

SECRET = "Rahasia"


@dataclass
class World:
    perpusnas: User
    consultant: User
    district_librarian: User
    village_librarian: User
    outsider: User
    provincial_library: Library
    district_library: Library
    library: Library
    kepri_library: Library
    aid_item: AidItem
    manager: LibraryManager
    event: Event
    session: EventSession
    participant: Participant
    facilitator: Facilitator
    attendance: Attendance
    problem: Problem
    award: Award
    activity: Activity
    photo_evidence: ActivityEvidence
    sheet_evidence: ActivityEvidence
    partner: Partner
    visitor_count: VisitorCount
    agreement: Agreement
    regulation: Regulation
    budget: BudgetAllocation
    publication: Publication
    target: Target
    threshold: Threshold
    report_card_settings: ReportCardSettings
    story: Story
    photo: Photo
    consent: Consent
    selection: SelectionDecision
    certificate: Certificate
    notice: Notice
    group: Group
    shm: Event
    product: Product
    public_product: Product
    product_consent: ProductConsent
    exhibition: ProductExhibition
    offer: ProductOffer
    skill: Skill
    tbm: Library
    tbm_manager: User
    testimony: Testimony
    testimony_consent: Consent
    export_job: ExportJob

    @property
    def province(self) -> Province:
        return self.library.province

    def object_of(self, model):
        """This world's object of ``model`` (a concrete model or a historical one)."""
        from libraries.models import District, Regency, Village

        regions = {
            Province: self.library.province,
            Regency: self.library.regency,
            District: self.library.village.district,
            Village: self.library.village,
        }
        if model in regions:
            return regions[model]
        for value in vars(self).values():
            if type(value) is model:
                return value
        instance = getattr(model, "instance_type", None)  # simple_history's HistoricalX
        if instance is not None:
            return self.object_of(instance).history.order_by("history_id").first()
        return model._default_manager.order_by("pk").first()


def _pdf_upload(name="dokumen.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return check_pdf(SimpleUploadedFile(name, hostile_files.pdf()))


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return process_image(SimpleUploadedFile("foto.jpg", hostile_files.jpeg((320, 240))))


def build_world() -> World:
    from libraries.regions_loader import load_regions
    from tests.conftest import DATA

    load_regions(path=DATA / "regions_small.csv")
    perpusnas = factories.UserFactory(username="perpusnas", role=User.Role.PERPUSNAS, is_staff=True)
    consultant = factories.consultant("konsultan.kaltim", "64")
    outsider = factories.consultant("konsultan.kepri", "21")
    provincial = factories.provincial_library("64")
    district = factories.district_library("64.72", phone="0541-4242-00")
    library = factories.village_library("64.72.01.1001", name="Perpustakaan Kelurahan Rawa Makmur")
    kepri = factories.village_library("21.72.01.1001", name="Perpustakaan Tanjung Pinang Barat")
    district_librarian = factories.librarian("pustakawan.samarinda", district)
    village_librarian = factories.librarian("pustakawan.rawamakmur", library)
    # A Taman Bacaan Masyarakat in the same village, with its manager.
    tbm = factories.tbm_library("64.72.01.1001", name="TBM Cahaya Rawa Makmur")
    tbm_manager = factories.librarian("pengelola.tbm", tbm)
    aid_item = factories.AidItemFactory(library=library)
    manager = factories.LibraryManagerFactory(
        library=library, name=f"Bu {SECRET}wati", phone="0812-4242-4242"
    )

    # Events and attendance
    event = factories.event(actor=perpusnas)
    session = event.sessions.order_by("date").first()
    event_services.invitations_set(actor=consultant, event=event, libraries=[library])
    participant = factories.participant(f"Siti {SECRET}wati", library, event=event)
    facilitator = event_services.facilitator_add(
        actor=consultant,
        event=event,
        role=Facilitator.Role.NARASUMBER,
        name=f"Narasumber {SECRET}",
        gender="M",
        library=None,
        institution="Perpustakaan Kabupaten Sukabumi",
        position="",
    )
    attendance, _created = event_services.attendance_mark(
        actor=consultant, session=session, participant=participant, client_id=uuid.uuid4()
    )
    problem = event_services.problem_add(
        actor=consultant,
        event=event,
        description=f"Masalah {SECRET}: blank spot internet di Berau",
        stakeholder="Dinas Kominfo",
        library=library,
    )
    award = event_services.award_add(
        actor=consultant, event=event, category=Award.Category.ENGAGEMENT, rank=1, library=library
    )

    # Activity reporting
    skill = Skill.objects.create(name="Pengolahan pangan", description="Keripik, abon, sambal")
    partner = reporting_services.partner_create(
        actor=village_librarian, library=library, name=f"Bank {SECRET} Kaltim", kind="bank"
    )
    activity, _created = reporting_services.activity_record(
        actor=village_librarian,
        library=library,
        idempotency_key=uuid.uuid4(),
        partners=[partner],
        catalogue_skills=[skill],
        photos=[_photo()],
        attendance=_pdf_upload("daftar-hadir.pdf"),
        strategy=Strategy.ENGAGEMENT,
        kind=Activity.Kind.TRAINING,
        title=f"Pelatihan {SECRET} keripik pisang",
        date=datetime.date(2024, 1, 15),
        participants_male=4,
        participants_female=9,
    )
    photo_evidence = activity.evidence.get(kind=ActivityEvidence.Kind.PHOTO)
    sheet_evidence = activity.evidence.get(kind=ActivityEvidence.Kind.ATTENDANCE)
    visitor_count, _created = reporting_services.visitor_count_record(
        actor=village_librarian, library=library, month=datetime.date(2024, 1, 1), visitors=120
    )
    agreement = reporting_services.agreement_create(
        actor=village_librarian,
        library=library,
        partner=partner,
        document=_pdf_upload(),
        kind=Agreement.Kind.MOU,
        number="001/MOU/2024",
        title=f"MoU {SECRET} literasi keuangan",
        signed_on=datetime.date(2024, 1, 10),
    )
    regulation = reporting_services.regulation_create(
        actor=village_librarian,
        library=library,
        document=_pdf_upload(),
        kind=Regulation.Kind.PERDES,
        number="7/2024",
        title=f"Perdes {SECRET} perpustakaan",
        issued_on=datetime.date(2024, 1, 5),
    )
    budget = reporting_services.budget_allocation_create(
        actor=village_librarian,
        library=library,
        source=BudgetAllocation.Source.DANA_DESA,
        amount=15_000_000,
        purpose=f"Buku {SECRET}",
        decided_on=datetime.date(2024, 1, 3),
    )
    publication, _created = reporting_services.publication_record(
        actor=village_librarian,
        library=library,
        idempotency_key=uuid.uuid4(),
        channel="news",
        url="https://kaltim.example.id/berita/perpustakaan-rawa-makmur",
        published_on=datetime.date(2024, 1, 20),
        title=f"Berita {SECRET} perpustakaan",
    )
    target = reporting_services.target_save(
        actor=perpusnas, indicator="activities", level="village", year=2024, per_month=2
    )
    threshold = reporting_services.threshold_save(
        actor=perpusnas, indicator="activities", yellow_from=50, green_from=75
    )
    report_card_settings = reporting_services.report_card_settings_save(
        actor=perpusnas, weight_engagement=50, weight_publication=30, weight_advocacy=20
    )

    # Impact stories: verified (so reviews and a selection exist), not published.
    story = factories.StoryFactory(
        library=library,
        author=village_librarian,
        title=f"Kisah {SECRET} penjahit",
        storyteller_name=f"Ibu {SECRET}",
    )
    photo = story_services.photo_add(
        story=story,
        actor=village_librarian,
        processed=_photo(),
        alt_text=f"Foto {SECRET}",
        shows_face=True,
    )
    consent = story_services.consent_record(
        story=story,
        actor=village_librarian,
        kind=Consent.Kind.STORY_USE,
        given_by=f"Ibu {SECRET}",
        method=Consent.Method.SIGNED_FORM,
        signed_form=ContentFile(hostile_files.pdf(), name="form.pdf"),
        given_on=datetime.date(2024, 5, 2),
    )
    story.refresh_from_db()
    story = story_services.story_transition(
        story=story, actor=village_librarian, to_status=Story.Status.SUBMITTED
    )
    story = story_services.story_transition(
        story=story, actor=consultant, to_status=Story.Status.VERIFIED
    )
    selection = story_services.selection_record(
        story=story, actor=consultant, level=SelectionDecision.Level.DISTRICT, reason="Kuat"
    )
    notice = Notice.objects.get(decision=selection, recipient=village_librarian)
    # A testimony about the activity, with the speaker's consent, not yet published.
    testimony, _created = testimony_services.testimony_create(
        actor=village_librarian,
        library=library,
        quote=f"Testimoni {SECRET}: keripik saya laku",
        speaker_name=f"Pak {SECRET}",
        age_group=Story.AgeGroup.ADULT,
        given_on=datetime.date(2024, 5, 2),
        activity=activity,
    )
    testimony_consent = testimony_services.testimony_consent_record(
        testimony=testimony,
        actor=village_librarian,
        kind=Consent.Kind.STORY_USE,
        given_by=f"Pak {SECRET}",
        method=Consent.Method.SIGNED_FORM,
        signed_form=ContentFile(hostile_files.pdf(), name="form.pdf"),
        given_on=datetime.date(2024, 5, 2),
    )
    certificate, _created = certificate_issue(
        actor=consultant, event=event, participant=participant
    )

    # Community products: one whose producer did not consent (secret), one shown publicly,
    # both exhibited at the PLM; an offer for the first at the province's SHM.
    shm = factories.event(
        actor=perpusnas,
        kind=Event.Kind.SHM_PROVINCE,
        title="SHM Provinsi Kalimantan Timur",
        first_day=datetime.date(2022, 9, 12),
        days=1,
    )
    product = product_services.product_create(
        actor=village_librarian,
        library=library,
        photo=_photo(),
        photo_alt=f"Foto produk {SECRET}",
        name=f"Keripik {SECRET}",
        kind=Product.Kind.FOOD,
        producer_name=f"Ibu {SECRET}",
        sold_where="Pasar Segiri",
    )
    public_product = product_services.product_create(
        actor=village_librarian,
        library=library,
        name="Amplang Samarinda",
        kind=Product.Kind.FOOD,
        producer_name="KWT Melati",
    )
    product_consent = product_services.product_consent_record(
        product=public_product,
        actor=village_librarian,
        given_by="Ketua KWT Melati",
        method=ProductConsent.Method.SIGNED_FORM,
        signed_form=ContentFile(hostile_files.pdf(), name="form.pdf"),
        given_on=datetime.date(2024, 5, 2),
    )
    product_services.exhibitions_set(
        actor=consultant, event=event, products=[product, public_product], shown=[]
    )
    exhibition = ProductExhibition.objects.get(product=product)
    offer = product_services.offer_record(
        actor=consultant,
        event=shm,
        product=product,
        kind=ProductOffer.Kind.LOAN,
        stakeholder=f"Pak {SECRET}",
        organisation=f"Bank {SECRET}",
    )

    # Django's own tables, so that a backup has to carry them too.
    group = Group.objects.create(name="Tim konsultan")
    group.permissions.add(Permission.objects.get(codename="view_library"))
    consultant.groups.add(group)
    perpusnas.user_permissions.add(Permission.objects.get(codename="view_library"))
    LogEntry.objects.log_actions(
        user_id=perpusnas.pk, queryset=[library], action_flag=ADDITION, change_message="[]"
    )
    session_store = SessionStore()
    session_store["tpbis"] = "world"
    session_store.create()
    attempt = AccessAttempt.objects.create(
        username="tamu", ip_address="192.0.2.1", user_agent="x", failures_since_start=1
    )
    AccessAttemptExpiration.objects.create(
        access_attempt=attempt, expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    AccessLog.objects.create(username="perpusnas", ip_address="192.0.2.2", user_agent="x")
    AccessFailureLog.objects.create(username="tamu", ip_address="192.0.2.1", user_agent="x")
    from tpbis_portal.overview.models import OpenDataLicence

    OpenDataLicence.objects.create(pk=OpenDataLicence.SINGLETON)

    # An export of the consultant's, produced, and a task as the database backend queues it.
    export_job = ExportJob.objects.create(
        owner=consultant, kind="attendance", format="csv", fingerprint="world"
    )
    export_job_produce(job_id=export_job.pk)
    export_job.refresh_from_db()
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"job_id": export_job.pk}},
        task_path="tpbis_portal.exports.tasks.produce_export",
        backend_name="default",
        run_after=timezone.now(),
    )

    return World(
        perpusnas=perpusnas,
        consultant=consultant,
        district_librarian=district_librarian,
        village_librarian=village_librarian,
        outsider=outsider,
        provincial_library=provincial,
        district_library=district,
        library=library,
        kepri_library=kepri,
        aid_item=aid_item,
        manager=manager,
        event=event,
        session=session,
        participant=participant,
        facilitator=facilitator,
        attendance=attendance,
        problem=problem,
        award=award,
        activity=activity,
        photo_evidence=photo_evidence,
        sheet_evidence=sheet_evidence,
        partner=partner,
        visitor_count=visitor_count,
        agreement=agreement,
        regulation=regulation,
        budget=budget,
        publication=publication,
        target=target,
        threshold=threshold,
        report_card_settings=report_card_settings,
        story=story,
        photo=photo,
        consent=consent,
        selection=selection,
        certificate=certificate,
        notice=notice,
        group=group,
        shm=shm,
        product=product,
        public_product=public_product,
        product_consent=product_consent,
        exhibition=exhibition,
        offer=offer,
        skill=skill,
        tbm=tbm,
        tbm_manager=tbm_manager,
        testimony=testimony,
        testimony_consent=testimony_consent,
        export_job=export_job,
    )


def missing_models() -> list[str]:
    """Models (many-to-many tables included) without a single row."""
    return [
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if not model._default_manager.exists()
    ]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def count_rows() -> dict[str, int]:
    """The number of rows of every table, in one query (sessions and sign-in logs left out:
    they change with every request of a signed-in client)."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.db_table not in ("django_session", "axes_accesslog")
    ]
    # The table names come from the models, quoted: nothing typed by anyone.
    sql = " UNION ALL ".join(
        f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}"  # noqa: S608
        for model in models
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = [row[0] for row in cursor.fetchall()]
    return {model._meta.label: count for model, count in zip(models, counts, strict=True)}


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()
