"""Demo events of the programme: the PLM Kalimantan Timur, a Bimtek in Kepulauan Riau and an SHM
in Sumatera Utara, with invitations, attendance, facilitators, a problem, awards and the PLM's
attendance certificates.

Used by ``manage.py load_demo_data`` (local development only); idempotent.
"""

import datetime
import uuid
import zoneinfo

from events.certificates.services import certificates_issue
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
from libraries.models import Library, Province, Regency, User


def create_demo_events() -> int:
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
        # Village libraries and TBM send their managers to Bimtek and PLM alike.
        villages = Library.objects.filter(
            province=plan["province"], level__in=Library.VILLAGE_LEVELS
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
        for district_library in Library.objects.filter(province="64", level=Library.Level.REGENCY):
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
            award_add(actor=actor, event=plm, category="most_active", rank=rank, library=library)
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
    create_demo_certificates(actor)
    return created


def create_demo_certificates(actor: User) -> int:
    """Attendance certificates for everyone who came to the PLM Kalimantan Timur."""
    plm = Event.objects.get(title="PLM Provinsi Kalimantan Timur")
    return certificates_issue(actor=actor, event=plm).issued
