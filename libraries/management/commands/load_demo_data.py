"""Demo libraries and one login per role, in the provinces the programme documents.

Only for local development (DEBUG=1): the demo accounts share a published password.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from libraries.models import AidItem, Library, LibraryManager, Province, Regency, User, Village

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


class Command(BaseCommand):
    help = "Create demo libraries and one demo login per role (local development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_("Demo data is only for local development (DEBUG=1)."))
        if not Village.objects.exists():
            raise CommandError(_("Load the region register first: manage.py load_regions"))
        with transaction.atomic():
            created = self._libraries()
            logins = self._users()
            events = self._events()
        self.stdout.write(_("Demo libraries: %(count)d new.") % {"count": created})
        self.stdout.write(_("Demo events: %(count)d new.") % {"count": events})
        self.stdout.write(
            _("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for username, description in logins:
            self.stdout.write(f"  {username:<24} {description}")

    def _libraries(self) -> int:
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
                    self._managers(district_library, names, facilitator=True)
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
                        self._aid(library, tier, year=library.cohort_year)
                        self._managers(library, names)
        return created

    def _aid(self, library: Library, tier: str, *, year: int) -> None:
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

    def _managers(self, library: Library, names, *, facilitator: bool = False) -> None:
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

    def _users(self) -> list[tuple[str, str]]:
        samarinda = Library.objects.get(level=Library.Level.REGENCY, regency="64.72")
        samarinda_village = (
            Library.objects.filter(level=Library.Level.VILLAGE, regency="64.72")
            .order_by("village")
            .first()
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

    # Events and attendance (the events app); idempotent like the rest.

    def _events(self) -> int:
        import uuid
        import zoneinfo

        from events.models import Event, Facilitator, Problem
        from events.services import (
            attendance_mark,
            award_add,
            event_create,
            facilitator_add,
            invitations_set,
            participant_find_or_create,
            problem_add,
            registration_ensure,
        )

        actor = User.objects.get(username="admin")
        demo = uuid.UUID("0b7c5d8e-2f4a-4c1b-9e3d-6a5f4b3c2d1e")
        female = {
            "Siti",
            "Dewi",
            "Nur",
            "Rina",
            "Sri",
            "Maria",
            "Fitri",
            "Lina",
            "Yuliana",
            "Ratna",
        }

        def gender(name):
            return "F" if name.split()[0] in female else "M"

        def when(province_code, day, hour):
            tz = zoneinfo.ZoneInfo(Province.objects.get(code=province_code).time_zone)
            return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)

        plans = [
            {
                "kind": Event.Kind.PLM_PROVINCE,
                "title": "PLM Provinsi Kalimantan Timur",
                "province": "64",
                "venue": "Hotel Harris Samarinda",
                "first": datetime.date(2022, 7, 4),
                "last": datetime.date(2022, 7, 6),
                "status": Event.Status.REPORTED,
            },
            {
                "kind": Event.Kind.BIMTEK,
                "title": "Bimtek SPP-TIK Provinsi Kepulauan Riau",
                "province": "21",
                "venue": "CK Hotel Tanjungpinang",
                "first": datetime.date(2023, 6, 5),
                "last": datetime.date(2023, 6, 9),
                "status": Event.Status.HELD,
            },
            {
                "kind": Event.Kind.SHM_PROVINCE,
                "title": "Stakeholder Meeting Provinsi Sumatera Utara",
                "province": "12",
                "venue": "Medan",
                "first": datetime.date(2022, 8, 9),
                "last": datetime.date(2022, 8, 11),
                "status": Event.Status.HELD,
            },
        ]
        created = 0
        for plan in plans:
            event = Event.objects.filter(title=plan["title"]).first()
            if event is None:
                event = event_create(
                    actor=actor,
                    kind=plan["kind"],
                    title=plan["title"],
                    province=Province.objects.get(code=plan["province"]),
                    venue=plan["venue"],
                    starts_at=when(plan["province"], plan["first"], 8),
                    ends_at=when(plan["province"], plan["last"], 16),
                    status=plan["status"],
                )
                created += 1
            villages = Library.objects.filter(
                province=plan["province"], level=Library.Level.VILLAGE
            ).order_by("regency", "name")
            invitations_set(
                actor=actor,
                event=event,
                libraries=Library.objects.filter(
                    province=plan["province"], level=Library.Level.REGENCY
                ),
            )
            people = []
            for library in villages:
                manager = library.managers.order_by("position", "name").first()
                if manager is None:
                    continue
                person, _new = participant_find_or_create(
                    name=manager.name,
                    gender=gender(manager.name),
                    province=library.province,
                    library=library,
                    position=manager.get_position_display(),
                )
                registration_ensure(event=event, participant=person, role="library_manager")
                people.append(person)
            sessions = list(event.sessions.order_by("date"))
            for index, person in enumerate(people):
                for number, session in enumerate(sessions):
                    # Most come every day; a few miss the last day.
                    if number == len(sessions) - 1 and index % 5 == 4:
                        continue
                    attendance_mark(
                        actor=actor,
                        session=session,
                        participant=person,
                        client_id=uuid.uuid5(demo, f"{event.title}:{person.pk}:{session.date}"),
                    )
        plm = Event.objects.get(title="PLM Provinsi Kalimantan Timur")
        if not plm.facilitators.exists():
            facilitator_add(
                actor=actor,
                event=plm,
                role=Facilitator.Role.MASTER_TRAINER,
                name="Sri Wahyuni",
                gender="F",
                library=None,
                institution="Perpustakaan Kabupaten Boyolali",
                topic="Berbagi praktik baik pelibatan masyarakat",
            )
            for district_library in Library.objects.filter(
                province="64", level=Library.Level.REGENCY
            ):
                manager = district_library.managers.filter(position="facilitator").first()
                if manager is not None:
                    facilitator_add(
                        actor=actor,
                        event=plm,
                        role=Facilitator.Role.FASILITATOR_DAERAH,
                        name=manager.name,
                        gender=gender(manager.name),
                        library=district_library,
                    )
        if not Problem.objects.filter(event=plm).exists():
            problem_add(
                actor=actor,
                event=plm,
                description="Blank spot internet di desa-desa Kabupaten Berau menghambat "
                "layanan perpustakaan berbasis TIK.",
                stakeholder="Dinas Kominfo Kabupaten Berau",
                regency=Regency.objects.filter(code="64.03").first(),
            )
        if not plm.awards.exists():
            ranked = Library.objects.filter(province="64", level=Library.Level.VILLAGE).order_by(
                "name"
            )[:3]
            for rank, library in enumerate(ranked, start=1):
                award_add(
                    actor=actor, event=plm, category="most_active", rank=rank, library=library
                )
        bimtek = Event.objects.get(title="Bimtek SPP-TIK Provinsi Kepulauan Riau")
        if not bimtek.facilitators.exists():
            for name, sex, origin in [
                ("Hendra Gunawan", "M", "Perpustakaan Kabupaten Sukabumi"),
                ("Yuliana Sembiring", "F", "Perpustakaan Kabupaten Siak"),
            ]:
                facilitator_add(
                    actor=actor,
                    event=bimtek,
                    role=Facilitator.Role.NARASUMBER,
                    name=name,
                    gender=sex,
                    library=None,
                    institution=origin,
                )
        return created
