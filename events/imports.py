"""Participant lists from XLSX or CSV, through the one import engine (``libraries.imports``).

The dry run saves nothing. It returns plain rows with a status for each: new person, already
known person, or an error with the reason; the good ones wait in the session for the
confirmation, the refused ones can be downloaded with their reasons.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from events.models import Attendance, Event, Participant, Registration, normalise_name
from events.models.people import normalise_institution
from events.services import attendance_mark_many, check_manages
from libraries.imports import Refused, UnreadableFile, read_table, row_cells
from libraries.models import Library

__all__ = [
    "UnreadableFile",
    "from_session",
    "participants_import",
    "preview",
    "refused",
    "to_session",
]

MAX_ROWS = 2000
MAX_IMPORT_BYTES = 2 * 1024 * 1024
# Namespace of the mark ids of imported attendance: the same row imported twice is one mark.
IMPORT_NAMESPACE = uuid.UUID("8f6f1c52-3c1e-4f0b-9a57-5d1f0c6c2b11")

HEADERS = {
    "name": {"nama", "name", "nama lengkap", "nama peserta"},
    "gender": {"jenis kelamin", "jk", "l/p", "gender", "sex", "kelamin"},
    "library": {"perpustakaan", "library", "nama perpustakaan"},
    "institution": {"instansi", "institution", "lembaga", "asal instansi", "asal"},
    "position": {"jabatan", "position"},
    "role": {"peran", "role"},
    "phone": {"telepon", "phone", "hp", "no hp", "no. hp", "nomor hp", "telp"},
    "email": {"email", "e-mail", "surel"},
    "attended": {"hadir", "attended", "kehadiran", "hari hadir"},
}
GENDERS = {
    "l": "M",
    "laki-laki": "M",
    "laki laki": "M",
    "pria": "M",
    "m": "M",
    "male": "M",
    "p": "F",
    "perempuan": "F",
    "wanita": "F",
    "f": "F",
    "female": "F",
}


@dataclass
class Row:
    number: int
    cells: list[str] = field(default_factory=list)
    name: str = ""
    gender: str = ""
    library_id: int | None = None
    library_name: str = ""
    institution: str = ""
    position: str = ""
    role: str = Registration.Role.OTHER
    phone: str = ""
    email: str = ""
    days: list[int] = field(default_factory=list)
    status: str = "new"  # new | known | error
    reason: str = ""
    participant_id: int | None = None


def _columns(header: list[str]) -> dict[str, int]:
    columns = {}
    for index, title in enumerate(header):
        key = title.strip().lower().rstrip(":*").strip()
        for name, aliases in HEADERS.items():
            if key in aliases and name not in columns:
                columns[name] = index
    return columns


def _roles() -> dict[str, str]:
    lookup = {}
    for value, label in Registration.Role.choices:
        lookup[value] = value
        lookup[str(label).lower()] = value
    return lookup


def preview(*, upload, event: Event, libraries) -> tuple[list[str], list[Row]]:
    """Read and check every row; nothing is saved. Returns the header and the rows."""
    table = read_table(upload, max_rows=MAX_ROWS, max_bytes=MAX_IMPORT_BYTES)
    columns = _columns(table.header)
    missing = [name for name in ("name", "gender") if name not in columns]
    if missing or not ({"library", "institution"} & set(columns)):
        raise UnreadableFile(
            _(
                "The first row must name the columns: Nama, Jenis kelamin, and Perpustakaan or "
                "Instansi."
            )
        )
    by_name = {library.name.strip().lower(): library for library in libraries}
    roles = _roles()
    day_count = event.sessions.count()
    rows: list[Row] = []
    for number, raw in table.rows:
        values = row_cells(table.header, raw)

        def cell(name, values=values):
            index = columns.get(name)
            return values[index] if index is not None else ""

        row = Row(number=number, cells=values)
        row.name = cell("name")
        row.position, row.phone, row.email = cell("position"), cell("phone"), cell("email")
        row.institution = cell("institution")
        problems = []
        if not normalise_name(row.name):
            problems.append(_("the name is empty"))
        gender = GENDERS.get(cell("gender").lower())
        if gender is None:
            problems.append(_("gender must be L or P"))
        else:
            row.gender = gender
        library_name = cell("library")
        if library_name:
            library = by_name.get(library_name.lower())
            if library is None:
                problems.append(
                    _("library “%(name)s” is not among the libraries of this event's province")
                    % {"name": library_name}
                )
            else:
                row.library_id, row.library_name = library.pk, library.name
        elif not row.institution:
            problems.append(_("give the library or the institution"))
        role = cell("role")
        if role:
            if role.lower() not in roles:
                problems.append(_("unknown role “%(role)s”") % {"role": role})
            else:
                row.role = roles[role.lower()]
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                problems.append(_("the email address is not valid"))
        attended = cell("attended")
        if attended:
            try:
                row.days = sorted({int(part) for part in attended.replace(";", ",").split(",")})
            except ValueError:
                problems.append(_("Hadir must list day numbers such as 1,2"))
            else:
                if any(day < 1 or day > day_count for day in row.days):
                    problems.append(
                        _("the event has days 1 to %(count)d only") % {"count": day_count}
                    )
        if problems:
            row.status, row.reason = "error", "; ".join(problems)
        rows.append(row)
    _classify(rows)
    return table.header, rows


def refused(rows: list[Row]) -> list[Refused]:
    return [
        Refused(number=row.number, cells=row.cells, reasons=[row.reason])
        for row in rows
        if row.status == "error"
    ]


def _key(row: Row) -> tuple:
    if row.library_id:
        return (normalise_name(row.name), row.library_id, "")
    return (normalise_name(row.name), None, normalise_institution(row.institution))


def _classify(rows: list[Row]) -> None:
    """Mark rows of people already in the register, and repeats within the file."""
    valid = [row for row in rows if row.status != "error"]
    names = {normalise_name(row.name) for row in valid}
    known = {}
    for participant in Participant.objects.filter(normalised_name__in=names).order_by("-pk"):
        known[_participant_key(participant)] = participant.pk
    seen: dict[tuple, int] = {}
    for row in valid:
        key = _key(row)
        if key in seen:
            row.status = "error"
            row.reason = _("same person as row %(row)d") % {"row": seen[key]}
            continue
        seen[key] = row.number
        if key in known:
            row.status, row.participant_id = "known", known[key]


def to_session(rows: list[Row]) -> list[dict]:
    """The good rows, in a form a session holds."""
    return [asdict(row) for row in rows if row.status != "error"]


def from_session(data: list[dict]) -> list[Row]:
    return [Row(**item) for item in data]


@transaction.atomic
def participants_import(*, actor, event: Event, rows: list[Row], token: str) -> dict[str, int]:
    """Register every valid row's person for the event and record the attendance listed.

    Works in a few bulk queries whatever the length of the list. The mark ids derive from
    the import token and the row, so confirming twice adds nothing.
    """
    check_manages(actor, event)
    valid = [row for row in rows if row.status != "error"]
    counts = {"new": 0, "known": 0, "marks": 0}
    sessions = list(event.sessions.order_by("date", "pk"))
    libraries = Library.objects.in_bulk({row.library_id for row in valid if row.library_id})
    existing = {}
    names = {normalise_name(row.name) for row in valid}
    for participant in Participant.objects.filter(normalised_name__in=names).order_by("-pk"):
        existing[_participant_key(participant)] = participant
    people: dict[int, Participant] = {}
    fresh, filled = [], []
    for row in valid:
        participant = existing.get(_key(row))
        if participant is not None:
            counts["known"] += 1
            changed = False
            for name in ("phone", "email", "position"):
                if getattr(row, name) and not getattr(participant, name):
                    setattr(participant, name, getattr(row, name))
                    changed = True
            if changed and participant not in filled:
                filled.append(participant)
        else:
            library = libraries.get(row.library_id)
            if row.library_id and library is None:
                raise ValidationError(_("A library of the list no longer exists; check again."))
            participant = Participant(
                name=" ".join(row.name.split()),
                normalised_name=normalise_name(row.name),
                gender=row.gender,
                library=library,
                institution="" if library else row.institution,
                normalised_institution="" if library else normalise_institution(row.institution),
                province_id=library.province_id if library else event.province_id,
                position=row.position,
                phone=row.phone,
                email=row.email,
            )
            # The library and province were checked in the preview and just fetched.
            participant.full_clean(exclude=["library", "province"], validate_constraints=False)
            existing[_key(row)] = participant
            fresh.append(participant)
            counts["new"] += 1
        people[row.number] = participant
    if fresh:
        bulk_create_with_history(fresh, Participant, batch_size=500, default_user=actor)
        # Not every database hands back the new ids: read them by their duplicate keys.
        if any(participant.pk is None for participant in fresh):
            stored = {
                _participant_key(participant): participant
                for participant in Participant.objects.filter(
                    normalised_name__in={participant.normalised_name for participant in fresh}
                ).order_by("pk")
            }
            for number, participant in people.items():
                if participant.pk is None:
                    people[number] = stored[_participant_key(participant)]
    if filled:
        Participant.objects.bulk_update(filled, ["phone", "email", "position"])
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                participant=people[row.number],
                role=row.role,
                source=Registration.Source.IMPORT,
            )
            for row in valid
        ],
        ignore_conflicts=True,
    )
    counts["marks"] = attendance_mark_many(
        actor=actor,
        event=event,
        marks=[
            (
                sessions[day - 1],
                people[row.number],
                uuid.uuid5(IMPORT_NAMESPACE, f"{token}:{row.number}:{sessions[day - 1].pk}"),
            )
            for row in valid
            for day in row.days
        ],
        source=Attendance.Source.IMPORT,
    )
    return counts


def _participant_key(participant: Participant) -> tuple:
    return (
        participant.normalised_name,
        participant.library_id,
        "" if participant.library_id else participant.normalised_institution,
    )
