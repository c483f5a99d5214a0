"""Demo libraries, accounts and activity reports in the provinces the programme documents.

Used by ``manage.py load_demo_data`` for local development only: the demo accounts share a
published password. Every function is idempotent.
"""

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from libraries.models import (
    Activity,
    Agreement,
    AidItem,
    BudgetAllocation,
    Indicator,
    Library,
    LibraryManager,
    Partner,
    Province,
    Publication,
    Regency,
    Regulation,
    Skill,
    Strategy,
    Target,
    User,
    Village,
    VisitorCount,
)

DEMO_PASSWORD = "tpbis-demo-2024"  # noqa: S105 - local demo accounts only, refused in production

# Province -> (cohort of its district libraries, kab/kota codes taking part).
PROVINCES = {
    "64": (2022, ["64.72", "64.71", "64.74", "64.01", "64.08", "64.02", "64.03"]),
    "21": (2022, ["21.72", "21.71", "21.01", "21.02", "21.03", "21.04"]),
    "33": (2019, ["33.74", "33.09", "33.29", "33.22"]),
    "12": (2021, ["12.71", "12.07"]),
}
VILLAGES_PER_REGENCY = 3
TIERS = [Library.SupportTier.FULL, Library.SupportTier.BOOKS, Library.SupportTier.REPLICATION]

# The 2023 full-support package of the Kepri kelurahan cohort. Descriptions are demo data,
# written in Indonesian as a librarian would type them.
FULL_PACKAGE = [
    (AidItem.Kind.COMPUTER, "", 3),
    (AidItem.Kind.EBOOK_SERVER, "", 1),
    (AidItem.Kind.BOOKSHELF, "", 2),
    (AidItem.Kind.PRINTER, "", 1),
    (AidItem.Kind.SMART_TV, "", 1),
    (AidItem.Kind.MODEM, "Modem dan paket internet 12 bulan", 1),
    (AidItem.Kind.BOOKS, "350 judul", 700),
]
BOOKS_PACKAGE = [(AidItem.Kind.BOOKS, "Bantuan buku bermutu", 300)]

# Targets per library per month (all cohorts), set for the current and the previous year.
DEMO_TARGETS = [
    (Indicator.ACTIVITIES, Library.Level.VILLAGE, 2),
    (Indicator.ACTIVITIES, Library.Level.TBM, 2),
    (Indicator.ACTIVITIES, Library.Level.REGENCY, 3),
    (Indicator.PARTICIPANTS, Library.Level.VILLAGE, 30),
    (Indicator.VISITORS, Library.Level.VILLAGE, 150),
    (Indicator.PUBLICATIONS, Library.Level.VILLAGE, 1),
    (Indicator.PUBLICATIONS, Library.Level.REGENCY, 2),
    (Indicator.ADVOCACY, Library.Level.REGENCY, 1),
    (Indicator.AGREEMENTS, Library.Level.REGENCY, Decimal("0.1")),
]
# Where a library's publicity appears: channel and address pattern.
DEMO_PUBLICATIONS = [
    (Publication.Channel.SOCIAL_MEDIA, "https://www.instagram.com/p/demo-{library}-{month}/"),
    (Publication.Channel.VILLAGE_WEBSITE, "https://desa.example.id/{library}/berita/{month}"),
    (Publication.Channel.NEWS, "https://berita.example.id/perpustakaan-{library}-{month}"),
]
# Title, kind, strategy, other skills (what the catalogue lacks): in Indonesian, as a
# librarian would type them.
DEMO_ACTIVITIES = [
    ("Pelatihan membuat keripik pisang", "training", Strategy.ENGAGEMENT, "Mengemas produk"),
    (
        "Kelas literasi digital untuk ibu-ibu PKK",
        "digital_literacy",
        Strategy.ENGAGEMENT,
        "",
    ),
    ("Mendongeng untuk anak-anak", "storytelling", Strategy.INFORMATION, ""),
    ("Pameran produk UMKM desa", "exhibition", Strategy.ENGAGEMENT, "Menata stan pameran"),
    (
        "Pemasaran daring produk anyaman",
        "product_marketing",
        Strategy.ENGAGEMENT,
        "",
    ),
    ("Audiensi dengan Kepala Desa tentang Dana Desa", "advocacy_meeting", Strategy.ADVOCACY, ""),
    ("Layanan informasi harga pupuk", "information_service", Strategy.INFORMATION, ""),
    ("Pelatihan budidaya lele", "training", Strategy.ENGAGEMENT, ""),
]

# Taman Bacaan Masyarakat beside a village library in these kab/kota (the demo Pengelola TBM
# runs the one in Samarinda).
TBM_REGENCIES = {"64.72", "64.02", "21.72", "33.74", "12.71"}
TBM_NAMES = [
    "TBM Cahaya Ilmu",
    "TBM Pelangi Nusantara",
    "TBM Rumah Baca Bersama",
    "TBM Lentera Desa",
]
# The library type letter in the demo NPP; the real layout is not published.
NPP_LETTER = {
    Library.Level.PROVINCE: "A",
    Library.Level.REGENCY: "B",
    Library.Level.VILLAGE: "C",
    Library.Level.TBM: "T",
}

# The demo catalogue of skills taught, and the ones each demo activity names from it (its
# free text above is what the catalogue lacks).
DEMO_SKILLS = {
    "Pengolahan pangan": "Mengolah hasil bumi menjadi makanan olahan",
    "Pemasaran daring": "Berjualan lewat media sosial dan lokapasar",
    "Literasi digital": "Surel, peramban, aplikasi perpesanan",
    "Kerajinan tangan": "Anyaman, jahit, batik",
    "Budidaya perikanan": "Ikan air tawar, bioflok",
    "Literasi keuangan": "Pembukuan usaha kecil, menabung",
}
DEMO_ACTIVITY_SKILLS = {
    "Pelatihan membuat keripik pisang": ["Pengolahan pangan"],
    "Kelas literasi digital untuk ibu-ibu PKK": ["Literasi digital"],
    "Pameran produk UMKM desa": ["Pemasaran daring", "Literasi keuangan"],
    "Pemasaran daring produk anyaman": ["Pemasaran daring", "Kerajinan tangan"],
    "Pelatihan budidaya lele": ["Budidaya perikanan"],
}

MANAGER_NAMES = [
    "Siti Rahmawati",
    "Ahmad Fauzi",
    "Dewi Lestari",
    "Budi Santoso",
    "Nur Aini",
    "Yohanes Tanggu",
    "Rina Marlina",
    "Hendra Gunawan",
    "Sri Wahyuni",
    "Agus Salim",
    "Maria Ulfa",
    "Rudi Hartono",
    "Fitri Handayani",
    "Joko Susilo",
    "Lina Marpaung",
    "Abdul Rahman",
    "Wayan Sudarta",
    "Yuliana Sembiring",
    "Eko Prasetyo",
    "Ratna Sari",
]


def create_demo_libraries() -> int:
    created = 0
    names = iter(MANAGER_NAMES * 20)
    for province_code, (cohort, regency_codes) in PROVINCES.items():
        province = Province.objects.get(code=province_code)
        _library, new = Library.objects.get_or_create(
            level=Library.Level.PROVINCE,
            province=province,
            defaults={
                "name": f"Dinas Perpustakaan dan Kearsipan Provinsi {province.name}",
                "cohort_year": 2018,
                "support_tier": Library.SupportTier.FULL,
            },
        )
        created += new
        for index, regency in enumerate(
            Regency.objects.filter(code__in=regency_codes).order_by("code")
        ):
            district_library, new = Library.objects.get_or_create(
                level=Library.Level.REGENCY,
                regency=regency,
                defaults={
                    "province": province,
                    "name": f"Dinas Perpustakaan dan Kearsipan {regency.name}",
                    "cohort_year": cohort,
                    "support_tier": Library.SupportTier.FULL,
                    "address": f"Jl. Pendidikan No. {index + 1}, {regency.name}",
                    "phone": f"0541-7{index:02d}123",
                },
            )
            if new:
                created += 1
                _managers(district_library, names, facilitator=True)
            villages = Village.objects.filter(district__regency=regency).order_by("code")
            for number, village in enumerate(villages[:VILLAGES_PER_REGENCY]):
                tier = TIERS[(index + number) % len(TIERS)]
                library, new = Library.objects.get_or_create(
                    level=Library.Level.VILLAGE,
                    village=village,
                    defaults={
                        "province": province,
                        "regency": regency,
                        "name": f"Perpustakaan {village.get_kind_display()} {village.name}",
                        "cohort_year": cohort + 1 + number % 2,
                        "support_tier": tier,
                        "address": f"Kantor {village.get_kind_display()} {village.name}",
                    },
                )
                if new:
                    created += 1
                    _aid(library, tier, year=library.cohort_year)
                    _managers(library, names)
            if regency.code in TBM_REGENCIES and villages:
                village = villages[0]
                name = TBM_NAMES[(int(province_code) + index) % len(TBM_NAMES)]
                tbm, new = Library.objects.get_or_create(
                    level=Library.Level.TBM,
                    village=village,
                    name=f"{name} {village.name}",
                    defaults={
                        "province": province,
                        "regency": regency,
                        "cohort_year": cohort + 1,
                        "support_tier": Library.SupportTier.BOOKS,
                        "address": f"Rumah warga RT 03, {village.get_kind_display()} "
                        f"{village.name}",
                    },
                )
                if new:
                    created += 1
                    _aid(tbm, Library.SupportTier.BOOKS, year=tbm.cohort_year)
                    _managers(tbm, names)
    _numbers()
    return created


def _numbers() -> None:
    """Give most demo libraries an NPP, so that search and public pages show one."""
    libraries = Library.objects.filter(npp="").select_related("village__district")
    for library in libraries:
        if library.pk % 5 == 0:
            continue  # some have none yet, as in real life
        region = (library.village_id or library.regency_id or library.province_id)[:8]
        digits = region.replace(".", "").ljust(7, "0")[:7]
        library.npp = f"{digits}{NPP_LETTER[library.level]}{library.pk:07d}"
    Library.objects.bulk_update(libraries, ["npp"])


def _aid(library: Library, tier: str, *, year: int) -> None:
    package = {Library.SupportTier.FULL: FULL_PACKAGE, Library.SupportTier.BOOKS: BOOKS_PACKAGE}
    AidItem.objects.bulk_create(
        AidItem(
            library=library,
            kind=kind,
            description=description,
            quantity=quantity,
            received_on=datetime.date(year, 8, 15),
        )
        for kind, description, quantity in package.get(tier, [])
    )


def _managers(library: Library, names, *, facilitator: bool = False) -> None:
    positions = [LibraryManager.Position.HEAD, LibraryManager.Position.MANAGER]
    if facilitator:
        positions.append(LibraryManager.Position.FACILITATOR)
    LibraryManager.objects.bulk_create(
        LibraryManager(
            library=library,
            name=next(names),
            position=position,
            decree_number=f"SK/{library.cohort_year}/{library.pk:03d}",
        )
        for position in positions
    )


def create_demo_users() -> list[tuple[str, str]]:
    samarinda = Library.objects.get(level=Library.Level.REGENCY, regency="64.72")
    samarinda_village = (
        Library.objects.filter(level=Library.Level.VILLAGE, regency="64.72")
        .order_by("village")
        .first()
    )
    samarinda_tbm = (
        Library.objects.filter(level=Library.Level.TBM, regency="64.72").order_by("pk").first()
    )
    accounts = [
        ("admin", "Admin Perpusnas", User.Role.PERPUSNAS, None, [], True),
        ("konsultan.kaltim", "Rahmat Hidayat", User.Role.CONSULTANT, None, ["64"], False),
        ("konsultan.kepri", "Dian Puspita", User.Role.CONSULTANT, None, ["21", "33"], False),
        (
            "pustakawan.samarinda",
            "Siti Rahmawati",
            User.Role.DISTRICT_LIBRARIAN,
            samarinda,
            [],
            False,
        ),
        (
            "pustakawan.desa",
            "Ahmad Fauzi",
            User.Role.VILLAGE_LIBRARIAN,
            samarinda_village,
            [],
            False,
        ),
        ("pengelola.tbm", "Nurul Hidayah", User.Role.TBM_MANAGER, samarinda_tbm, [], False),
    ]
    logins = []
    for username, full_name, role, library, provinces, superuser in accounts:
        first, _sep, last = full_name.partition(" ")
        user, new = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "library": library,
                "email": f"{username}@demo.tpbis.local",
                "is_staff": role in (User.Role.PERPUSNAS, User.Role.CONSULTANT),
                "is_superuser": superuser,
            },
        )
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.provinces.set(provinces)
        where = (
            library.name
            if library
            else ", ".join(
                Province.objects.filter(code__in=provinces).values_list("name", flat=True)
            )
            or _("all provinces")
        )
        logins.append((username, f"{user.get_role_display()} ({where})"))
    return logins


def create_demo_reporting() -> int:
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        for indicator, level, per_month in DEMO_TARGETS:
            Target.objects.get_or_create(
                indicator=indicator,
                level=level,
                year=year,
                cohort_year=None,
                defaults={"per_month": per_month},
            )
    months = []
    month = today.replace(day=1)
    for _step in range(6):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    namespace = uuid.UUID("6f1c2a34-5b1e-4c8e-9a51-7d2f0e3b9c10")
    activities, counts, publications = [], [], []
    libraries = Library.objects.exclude(level=Library.Level.PROVINCE).order_by("pk")
    for index, library in enumerate(libraries):
        for number, month in enumerate(months):
            counts.append(
                VisitorCount(
                    library=library, month=month, visitors=80 + (index * 37 + number * 11) % 240
                )
            )
            if (index + number) % 3 and month.replace(day=10) <= today:
                channel, address = DEMO_PUBLICATIONS[(index + number) % len(DEMO_PUBLICATIONS)]
                publications.append(
                    Publication(
                        library=library,
                        channel=channel,
                        url=address.format(library=library.pk, month=f"{month:%Y%m}"),
                        published_on=month.replace(day=10),
                        title=DEMO_ACTIVITIES[(index + number) % len(DEMO_ACTIVITIES)][0],
                        idempotency_key=uuid.uuid5(namespace, f"pub-{library.pk}-{month:%Y%m}"),
                    )
                )
            # Some libraries report more than others, so that colours and ranks differ.
            for slot in range((index + number) % 4 + (library.level == Library.Level.REGENCY)):
                title, kind, strategy, skills = DEMO_ACTIVITIES[
                    (index + slot) % len(DEMO_ACTIVITIES)
                ]
                day = min(2 + slot * 6 + index % 5, 28)
                if month.replace(day=day) > today:
                    continue
                male = 3 + (index + slot) % 9
                female = 5 + (index * 3 + slot) % 14
                activities.append(
                    Activity(
                        library=library,
                        title=title,
                        kind=kind,
                        strategy=strategy,
                        skills=skills,
                        date=month.replace(day=day),
                        participants_male=male,
                        participants_female=female,
                        idempotency_key=uuid.uuid5(namespace, f"{library.pk}-{month:%Y%m}-{slot}"),
                    )
                )
    before = Activity.objects.count()
    # The idempotency keys are derived from library, month and slot: running the command
    # again adds nothing.
    Activity.objects.bulk_create(activities, ignore_conflicts=True)
    _skills_taught([activity.idempotency_key for activity in activities])
    VisitorCount.objects.bulk_create(counts, ignore_conflicts=True)
    Publication.objects.bulk_create(publications, ignore_conflicts=True)
    _partnership()
    return Activity.objects.count() - before


def _skills_taught(keys: list[uuid.UUID]) -> None:
    catalogue = {}
    for name, description in DEMO_SKILLS.items():
        catalogue[name], _new = Skill.objects.get_or_create(
            name=name, defaults={"description": description}
        )
    link = Activity.catalogue_skills.through
    untagged = Activity.objects.filter(idempotency_key__in=keys, catalogue_skills__isnull=True)
    link.objects.bulk_create(
        [
            link(activity_id=activity.pk, skill_id=catalogue[name].pk)
            for activity in untagged.only("pk", "title")
            for name in DEMO_ACTIVITY_SKILLS.get(activity.title, [])
        ],
        ignore_conflicts=True,
    )


def _partnership() -> None:
    samarinda = Library.objects.get(level=Library.Level.REGENCY, regency="64.72")
    bank, _new = Partner.objects.get_or_create(
        library=samarinda,
        name="Bank Kaltimtara Cabang Samarinda",
        defaults={"kind": Partner.Kind.BANK, "contact": "Kepala Cabang"},
    )
    Partner.objects.get_or_create(
        library=samarinda,
        name="Dinas Kominfo Kota Samarinda",
        defaults={"kind": Partner.Kind.KOMINFO},
    )
    year = timezone.localdate().year
    Agreement.objects.get_or_create(
        library=samarinda,
        partner=bank,
        title="Literasi keuangan bagi pelaku UMKM pengguna perpustakaan",
        defaults={
            "kind": Agreement.Kind.MOU,
            "number": f"001/MoU/DPK-SMR/{year}",
            "signed_on": datetime.date(year, 1, 15),
            "valid_until": datetime.date(year + 2, 1, 14),
        },
    )
    Regulation.objects.get_or_create(
        library=samarinda,
        kind=Regulation.Kind.HEAD_REGULATION,
        title="Peraturan Wali Kota tentang penyelenggaraan perpustakaan kelurahan",
        defaults={"number": f"12 Tahun {year}", "issued_on": datetime.date(year, 2, 20)},
    )
    BudgetAllocation.objects.get_or_create(
        library=samarinda,
        source=BudgetAllocation.Source.APBD_REGENCY,
        purpose="Pengadaan buku dan pendampingan perpustakaan kelurahan",
        defaults={"amount": 150_000_000, "decided_on": datetime.date(year, 1, 5)},
    )
