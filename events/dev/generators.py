"""National-scale events for ``manage.py generate_national_data``.

At scale 1.0: 3,000 Bimtek, PLM, SHM and Sosialisasi events in the provinces that have
libraries, from 2019 to three months ahead, one session per local day, and 150,000 attendance
marks of people from the province's libraries (and some from partner institutions) who were
on each event's list. Past events are held or reported; future ones are planned and have no
marks yet.
"""

from __future__ import annotations

import datetime
import random
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Attendance, Event, EventSession, Participant, Registration
from events.models.people import normalise_institution, normalise_name
from libraries.models import Library, Province, User

EVENTS = 3_000
MARKS = 150_000
_BATCH = 2_000
KIND_WEIGHTS = {
    Event.Kind.BIMTEK: 35,
    Event.Kind.SHM_REGENCY: 22,
    Event.Kind.PLM_PROVINCE: 18,
    Event.Kind.SHM_PROVINCE: 12,
    Event.Kind.SOSIALISASI: 13,
}
DAYS = {
    Event.Kind.BIMTEK: (3, 5),
    Event.Kind.PLM_PROVINCE: (2, 3),
    Event.Kind.SHM_PROVINCE: (1, 2),
    Event.Kind.SHM_REGENCY: (1, 1),
    Event.Kind.SOSIALISASI: (1, 1),
}
TITLES = {
    Event.Kind.BIMTEK: "Bimtek SPP-TIK {place} {year}",
    Event.Kind.PLM_PROVINCE: "Peer Learning Meeting {place} {year}",
    Event.Kind.SHM_PROVINCE: "Stakeholder Meeting Provinsi {place} {year}",
    Event.Kind.SHM_REGENCY: "Stakeholder Meeting {place} {year}",
    Event.Kind.SOSIALISASI: "Sosialisasi TPBIS {place} {year}",
}
VENUES = ["Hotel Grand", "Aula Dinas Perpustakaan", "Gedung Serbaguna", "Hotel Santika"]
FIRST_NAMES = ["Siti", "Ahmad", "Dewi", "Budi", "Ketut", "Maria", "Yusuf", "Rina", "Agus", "Nur"]
LAST_NAMES = ["Aminah", "Saputra", "Lestari", "Santoso", "Wijaya", "Hasibuan", "Pardede", "Rahayu"]


def generate(*, rng: random.Random, scale: float, write: Callable[[str], None]) -> None:
    libraries = defaultdict(list)
    for pk, province, regency in (
        Library.objects.active().values_list("pk", "province_id", "regency_id").order_by("pk")
    ):
        libraries[province].append((pk, regency))
    count = round(EVENTS * scale)
    if not libraries or not count:
        write("Events: nothing to add.")
        return
    provinces = {p.code: p for p in Province.objects.filter(code__in=list(libraries))}
    people = _participants(rng, libraries)
    events, sessions = _events(rng, count, libraries, provinces)
    per_event = round(MARKS * scale) / max(sum(len(s) for s in sessions.values()), 1)
    # The imported lists are on record as taken by one Perpusnas account (no usable password).
    recorder, _created = User.objects.get_or_create(
        username="pencatat-kehadiran-nasional",
        defaults={"role": User.Role.PERPUSNAS, "password": make_password(None)},
    )
    registrations, marks = _attendance(rng, events, sessions, people, per_event, recorder)
    write(
        f"Events: {len(events)} events, {sum(len(s) for s in sessions.values())} sessions, "
        f"{registrations} people on lists, {marks} attendance marks."
    )


def _participants(rng: random.Random, libraries) -> dict[str, list[int]]:
    """Two or three people per library, and a few from partner institutions per province."""
    rows = []
    for province, members in libraries.items():
        for library, _regency in members:
            for _person_number in range(rng.randint(2, 3)):
                rows.append(_person(rng, province, library=library))
        for number in range(10):
            rows.append(_person(rng, province, institution=f"Bappeda mitra {number + 1}"))
    created = Participant.objects.bulk_create(rows, batch_size=_BATCH)
    pool = defaultdict(list)
    for person in created:
        pool[person.province_id].append(person.pk)
    return pool


def _person(rng, province: str, *, library: int | None = None, institution: str = ""):
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return Participant(
        name=name,
        normalised_name=normalise_name(name),
        gender=rng.choice([Participant.Gender.FEMALE, Participant.Gender.MALE]),
        library_id=library,
        institution=institution,
        normalised_institution=normalise_institution(institution),
        province_id=province,
    )


def _events(rng, count: int, libraries, provinces):
    now = timezone.now()
    first = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    span = (now + datetime.timedelta(days=90) - first).days
    # Provinces with more libraries hold more events.
    codes = list(libraries)
    weights = [len(libraries[code]) for code in codes]
    events = []
    for _number in range(count):
        code = rng.choices(codes, weights=weights)[0]
        province = provinces[code]
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        regencies = [regency for _pk, regency in libraries[code] if regency]
        regency = rng.choice(regencies) if regencies and kind == Event.Kind.SHM_REGENCY else None
        if kind == Event.Kind.SHM_REGENCY and regency is None:
            kind = Event.Kind.SHM_PROVINCE
        zone = zoneinfo.ZoneInfo(province.time_zone)
        day = (first + datetime.timedelta(days=rng.randrange(span))).date()
        start = datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=zone)
        days = rng.randint(*DAYS[kind])
        end = datetime.datetime.combine(
            day + datetime.timedelta(days=days - 1), datetime.time(16, 0), tzinfo=zone
        )
        past = end < now
        events.append(
            Event(
                kind=kind,
                title=TITLES[kind].format(place=province.name, year=day.year),
                province_id=code,
                regency_id=regency,
                venue=f"{rng.choice(VENUES)} {province.name}",
                starts_at=start,
                ends_at=end,
                status=rng.choice([Event.Status.HELD, Event.Status.REPORTED])
                if past
                else Event.Status.PLANNED,
            )
        )
    events = Event.objects.bulk_create(events, batch_size=_BATCH)
    rows = []
    for event in events:
        local_start = event.starts_at.astimezone(
            zoneinfo.ZoneInfo(provinces[event.province_id].time_zone)
        )
        local_end = event.ends_at.astimezone(
            zoneinfo.ZoneInfo(provinces[event.province_id].time_zone)
        )
        for number in range((local_end.date() - local_start.date()).days + 1):
            rows.append(
                EventSession(
                    event=event,
                    date=local_start.date() + datetime.timedelta(days=number),
                    name=_("Day %(number)d") % {"number": number + 1},
                )
            )
    created = EventSession.objects.bulk_create(rows, batch_size=_BATCH)
    sessions = defaultdict(list)
    for session in created:
        sessions[session.event_id].append(session)
    return events, sessions


def _attendance(rng, events, sessions, people, per_session: float, recorder) -> tuple[int, int]:
    """Lists of people per event, and marks at its sessions (none for planned events)."""
    registrations, marks = [], []
    now = timezone.now()
    for event in events:
        pool = people[event.province_id]
        event_sessions = sessions[event.pk]
        size = min(len(pool), max(1, round(per_session * rng.uniform(0.8, 1.3) / 0.85)))
        chosen = rng.sample(pool, size)
        registrations += [
            Registration(
                event=event,
                participant_id=person,
                role=Registration.Role.LIBRARY_MANAGER,
                source=Registration.Source.IMPORT,
            )
            for person in chosen
        ]
        if event.status == Event.Status.PLANNED:
            continue
        for index, session in enumerate(event_sessions):
            marked_at = min(event.starts_at + datetime.timedelta(days=index, hours=1), now)
            for person in chosen:
                if rng.random() < 0.85:
                    marks.append(
                        Attendance(
                            session=session,
                            participant_id=person,
                            client_id=uuid.uuid4(),
                            source=Attendance.Source.IMPORT,
                            marked_by=recorder,
                            marked_at=marked_at,
                        )
                    )
    Registration.objects.bulk_create(registrations, batch_size=_BATCH)
    Attendance.objects.bulk_create(marks, batch_size=_BATCH)
    return len(registrations), len(marks)
