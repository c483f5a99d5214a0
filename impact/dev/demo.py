"""Demo impact stories for local development, told through the real services so that their
history, consents and selections look like the portal's own."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from impact import services
from impact.models import Consent, SelectionDecision, Story
from impact.testimonies import services as testimony_services
from libraries.models import Library, User
from libraries.uploads import process_image

# (title, status, content). Written in Indonesian, as a librarian would.
STORIES = [
    (
        "Amplang Ibu Rahmah kini sampai ke Balikpapan",
        Story.Status.PUBLISHED,
        {
            "storyteller_name": "Rahmah",
            "gender": Story.Gender.FEMALE,
            "age_group": Story.AgeGroup.ADULT,
            "domain": Story.Domain.ECONOMIC,
            "life_before": (
                "Ibu Rahmah menggoreng amplang di dapur dan menitipkannya di warung tetangga. "
                "Dalam sebulan hanya laku beberapa bungkus."
            ),
            "involvement": Story.Involvement.TRAINING,
            "involvement_detail": (
                "Pelatihan pengemasan produk dan penjualan daring di perpustakaan kelurahan, "
                "lalu pendampingan dari pustakawan kota."
            ),
            "what_changed": (
                "Amplangnya kini berlabel dan punya izin PIRT. Ia menjual lewat marketplace dan "
                "menerima pesanan dari Balikpapan dan Bontang.\n\nDua tetangganya ikut bekerja "
                "membungkus pesanan."
            ),
            "why_it_matters": "“Sekarang saya bisa menabung untuk kuliah anak saya.”",
            "income_before": 600_000,
            "income_after": 3_200_000,
            "jobs_created": 2,
            "product": "Amplang ikan pipih",
            "sold_where": "Shopee, toko oleh-oleh Samarinda",
        },
    ),
    (
        "Anak-anak nelayan belajar membaca di pojok baca",
        Story.Status.VERIFIED,
        {
            "anonymous": True,
            "gender": Story.Gender.MALE,
            "age_group": Story.AgeGroup.SENIOR,
            "domain": Story.Domain.EDUCATION,
            "life_before": "Banyak anak nelayan di tepi sungai belum lancar membaca di kelas 3.",
            "involvement": Story.Involvement.ACTIVITY,
            "involvement_detail": "Kegiatan mendongeng dan les membaca setiap Sabtu sore.",
            "what_changed": (
                "Seorang pensiunan guru kini membimbing 25 anak setiap pekan; 18 di antaranya "
                "sudah lancar membaca."
            ),
            "why_it_matters": "Ia merasa ilmunya kembali berguna bagi kampungnya.",
        },
    ),
    (
        "Dari warnet mahal ke internet gratis untuk melamar kerja",
        Story.Status.SUBMITTED,
        {
            "storyteller_name": "Yusuf",
            "gender": Story.Gender.MALE,
            "age_group": Story.AgeGroup.YOUNG_ADULT,
            "domain": Story.Domain.DIGITAL,
            "life_before": "Yusuf harus ke warnet di kecamatan untuk mengirim lamaran kerja.",
            "involvement": Story.Involvement.SERVICE,
            "involvement_detail": "Layanan komputer dan internet perpustakaan kelurahan.",
            "what_changed": "Ia belajar membuat CV dan surel, lalu diterima di bengkel resmi.",
            "why_it_matters": "Pekerjaan tetap pertama dalam hidupnya.",
            "income_before": 0,
            "income_after": 3_500_000,
        },
    ),
    (
        "Posyandu memakai buku resep MPASI dari perpustakaan",
        Story.Status.DRAFT,
        {
            "gender": Story.Gender.FEMALE,
            "age_group": Story.AgeGroup.ADULT,
            "domain": Story.Domain.HEALTH,
            "life_before": "Kader posyandu kesulitan memberi contoh menu MPASI yang murah.",
        },
    ),
]


def _demo_photo(colour, label):
    image = Image.new("RGB", (1200, 800), colour)
    ImageDraw.Draw(image).rectangle((300, 200, 900, 600), outline=(255, 255, 255), width=12)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return process_image(SimpleUploadedFile(f"{label}.jpg", buffer.getvalue()))


def create_demo_stories() -> int:
    """Create the demo stories that do not exist yet; returns how many were made."""
    district = Library.objects.filter(level=Library.Level.REGENCY, regency="64.72").first()
    author = User.objects.filter(username="pustakawan.samarinda").first()
    consultant = User.objects.filter(username="konsultan.kaltim").first()
    staff = User.objects.filter(username="admin").first()
    if not (district and author and consultant and staff):
        return 0
    villages = list(
        Library.objects.filter(level=Library.Level.VILLAGE, regency="64.72").order_by("village")
    )
    created = 0
    for index, (title, status, content) in enumerate(STORIES):
        if Story.objects.filter(title=title).exists():
            continue
        library = villages[index % len(villages)] if villages else district
        story = services.story_create(
            actor=author, library=library, title=title, village=library.village, **content
        )
        created += 1
        if status == Story.Status.DRAFT:
            continue
        services.photo_add(
            story=story,
            actor=author,
            processed=_demo_photo((11, 79, 108), "produk"),
            alt_text="Produk yang dikemas di meja perpustakaan",
            shows_face=False,
        )
        given_by = content.get("storyteller_name") or "Penutur (anonim)"
        for kind in (Consent.Kind.STORY_USE, Consent.Kind.NAMING):
            if kind == Consent.Kind.NAMING and content.get("anonymous"):
                continue
            services.consent_record(
                story=story,
                actor=author,
                kind=kind,
                given_by=given_by,
                method=Consent.Method.VERBAL,
                witness="Lurah setempat",
                given_on=datetime.date(2024, 5, 2),
            )
        services.story_transition(story=story, actor=author, to_status=Story.Status.SUBMITTED)
        if status == Story.Status.SUBMITTED:
            continue
        services.story_transition(story=story, actor=consultant, to_status=Story.Status.VERIFIED)
        services.selection_record(
            story=story,
            actor=author,
            level=SelectionDecision.Level.DISTRICT,
            reason="Perubahan yang paling nyata di Kota Samarinda tahun ini.",
        )
        if status == Story.Status.PUBLISHED:
            services.story_transition(story=story, actor=staff, to_status=Story.Status.PUBLISHED)
            services.selection_record(
                story=story,
                actor=consultant,
                level=SelectionDecision.Level.PROVINCE,
                reason="Dipilih pada PLM Kalimantan Timur sebagai cerita ekonomi terbaik.",
            )
    return created


# Testimonies as librarians write them down: (library username, quote, speaker, who, anonymous,
# published).
TESTIMONIES = [
    (
        "pengelola.tbm",
        "Dulu anak-anak di gang kami bermain gawai saja. Sekarang tiap sore mereka berebut "
        "buku cerita di TBM, dan nilai membaca si bungsu naik.",
        "Ibu Wahyuni",
        "orang tua pengunjung TBM",
        False,
        True,
    ),
    (
        "pustakawan.desa",
        "Setelah kelas pemasaran daring, pesanan amplang saya datang dari Balikpapan dan "
        "Bontang, bukan hanya dari tetangga.",
        "",
        "pembuat amplang, peserta pelatihan",
        True,
        True,
    ),
    (
        "pustakawan.desa",
        "Saya belajar membuat surel di perpustakaan, sekarang bisa melamar kerja sendiri.",
        "Rizky Pratama",
        "pemuda pencari kerja",
        False,
        False,
    ),
]


def create_demo_testimonies() -> int:
    """Testimonies of a village library and of the demo TBM, most of them published."""
    consultant = User.objects.filter(username="konsultan.kaltim").first()
    created = 0
    for username, quote, speaker, who, anonymous, published in TESTIMONIES:
        author = User.objects.filter(username=username).first()
        if author is None or consultant is None or author.library is None:
            continue
        if author.library.testimonies.filter(quote=quote).exists():
            continue
        testimony, _new = testimony_services.testimony_create(
            actor=author,
            library=author.library,
            quote=quote,
            speaker_name=speaker,
            anonymous=anonymous,
            speaker_description=who,
            age_group=Story.AgeGroup.ADULT,
            given_on=datetime.date(2024, 6, 12),
            activity=author.library.activities.order_by("-date").first(),
        )
        created += 1
        kinds = [Consent.Kind.STORY_USE] + ([] if anonymous else [Consent.Kind.NAMING])
        for kind in kinds:
            testimony_services.testimony_consent_record(
                testimony=testimony,
                actor=author,
                kind=kind,
                given_by=speaker or "Penutur (anonim)",
                method=Consent.Method.VERBAL,
                witness="Kepala perpustakaan",
                given_on=datetime.date(2024, 6, 12),
            )
        if published:
            testimony_services.testimony_publish(actor=consultant, testimony=testimony)
    return created
