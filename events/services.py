"""Writes to events, participants and attendance. Views, the import, the offline sync and the
admin call these; the rules live here."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import (
    Attendance,
    Award,
    Certificate,
    Event,
    EventSession,
    Facilitator,
    Invitation,
    Participant,
    Problem,
    Registration,
    normalise_name,
)
from events.models.people import normalise_institution
from libraries.data_version import province_data_changed
from libraries.models import Library, Province, Regency, User
from libraries.scope import Scope
from libraries.versioning import EditConflict as EditConflict
from libraries.versioning import edit_versioned


def check_manages(actor, event: Event) -> None:
    """Refuse (403) a change to ``event`` by someone who does not manage its province."""
    scope = Scope.for_user(actor)
    scope.require(
        scope.manages_province(event.province_id),
        _("You cannot change events in this province."),
    )


# Events


def _public_figures_changed(*codes: str) -> None:
    # Province pages cache their events and attendance counts; refresh them after commit.
    province_data_changed(*codes)


def _session_name(number: int) -> str:
    return _("Day %(number)d") % {"number": number}


def _sync_day_sessions(event: Event) -> None:
    """At least one session per local day; empty sessions outside the dates go away."""
    dates = event.local_dates()
    existing = list(event.sessions.all())
    outside = [session for session in existing if session.date not in dates]
    marked = [
        session
        for session in outside
        if Attendance.objects.filter(session=session).exists()  # revoked ones too: history
    ]
    if marked:
        raise ValidationError(
            _(
                "Attendance was taken on %(dates)s, outside the new dates. Keep those days in "
                "the event."
            )
            % {"dates": ", ".join(f"{session.date:%d-%m-%Y}" for session in marked)}
        )
    EventSession.objects.filter(pk__in=[session.pk for session in outside]).delete()
    covered = {session.date for session in existing if session.date in dates}
    start_time, end_time = event.daily_times()
    for number, date in enumerate(dates, start=1):
        if date not in covered:
            session = EventSession(
                event=event,
                date=date,
                name=_session_name(number),
                start_time=start_time,
                end_time=end_time,
            )
            session.full_clean()
            session.save()


@transaction.atomic
def event_create(
    *,
    actor: User,
    kind: str,
    title: str,
    province: Province,
    venue: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    regency: Regency | None = None,
    status: str = Event.Status.PLANNED,
    description: str = "",
) -> Event:
    """Create an event with one attendance session for each of its local days."""
    scope = Scope.for_user(actor)
    scope.require(
        scope.manages_province(province.code), _("You cannot create events in this province.")
    )
    event = Event(
        kind=kind,
        title=title,
        province=province,
        regency=regency,
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
        description=description,
        created_by=actor,
    )
    event.full_clean()
    event.save()
    _sync_day_sessions(event)
    _public_figures_changed(event.province_id)
    return event


EVENT_EDITABLE_FIELDS = (
    "kind",
    "title",
    "regency",
    "venue",
    "starts_at",
    "ends_at",
    "status",
    "description",
)


@transaction.atomic
def event_update(
    *, actor: User, event: Event, version: int, province: Province | None = None, **changes
) -> Event:
    """Apply ``changes`` unless somebody saved the event since ``version`` was read.

    Moving the event to another ``province`` (a correction in the admin) needs the right to
    manage both.
    """
    unknown = set(changes) - set(EVENT_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    check_manages(actor, event)
    if province is not None and province.code != event.province_id:
        scope = Scope.for_user(actor)
        scope.require(
            scope.manages_province(province.code),
            _("You cannot move events into this province."),
        )
        changes["province"] = province
    current = edit_versioned(
        Event.objects.select_related("province"), pk=event.pk, version=version, changes=changes
    )
    _sync_day_sessions(current)
    _public_figures_changed(event.province_id, current.province_id)
    return current


@transaction.atomic
def event_delete(*, actor: User, event: Event) -> None:
    """Delete an event entered by mistake; one with attendance recorded stays (its marks
    are the programme's record of who was trained)."""
    check_manages(actor, event)
    marks = Attendance.objects.filter(session__event=event).count()
    if marks:
        raise ValidationError(
            _(
                "%(count)d attendance marks are recorded at %(event)s; an event with "
                "attendance is not deleted. Correct its details instead."
            )
            % {"count": marks, "event": event.title}
        )
    event.delete()
    _public_figures_changed(event.province_id)


@transaction.atomic
def session_add(
    *,
    actor: User,
    event: Event,
    date: datetime.date,
    name: str,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
) -> EventSession:
    check_manages(actor, event)
    session = EventSession(
        event=event, date=date, name=name.strip(), start_time=start_time, end_time=end_time
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: EventSession,
    name: str,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
) -> EventSession:
    """Rename a session or correct its hours (the hours certificates count from now on)."""
    check_manages(actor, session.event)
    session.name = name.strip()
    session.start_time = start_time
    session.end_time = end_time
    session.full_clean()
    session.save(update_fields=["name", "start_time", "end_time"])
    return session


@transaction.atomic
def session_delete(*, actor: User, session: EventSession) -> None:
    """Delete a session nobody was marked in (marks, undone ones too, are the event's record)."""
    check_manages(actor, session.event)
    if Attendance.objects.filter(session=session).exists():
        raise ValidationError(
            _("Attendance was taken in the session “%(name)s” of %(date)s; it is kept.")
            % {"name": session.name, "date": f"{session.date:%d-%m-%Y}"}
        )
    session.delete()


@transaction.atomic
def invitations_set(*, actor: User, event: Event, libraries: Iterable[Library]) -> None:
    """Make the invited libraries exactly ``libraries`` (each must be in the actor's scope)."""
    check_manages(actor, event)
    wanted = {library.pk: library for library in libraries}
    visible = set(
        Library.objects.visible_to(actor).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if set(wanted) - visible:
        raise ValidationError(_("You can only invite libraries in your provinces."))
    current = set(event.invitations.values_list("library_id", flat=True))
    event.invitations.filter(library_id__in=current - set(wanted)).delete()
    Invitation.objects.bulk_create(
        [Invitation(event=event, library_id=pk) for pk in set(wanted) - current],
        ignore_conflicts=True,
    )


# People


def participant_find_or_create(
    *,
    name: str,
    gender: str,
    province: Province,
    library: Library | None = None,
    institution: str = "",
    position: str = "",
    phone: str = "",
    email: str = "",
) -> tuple[Participant, bool]:
    """The existing record of this person (same normalised name and library), or a new one.

    Blank contact details of an existing record are filled in; nothing known is overwritten.
    """
    name = " ".join(name.split())
    if not normalise_name(name):
        raise ValidationError({"name": _("Give the person's name.")})
    existing = (
        Participant.objects.same_person(name=name, library=library, institution=institution)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        filled = []
        for field, value in (("phone", phone), ("email", email), ("position", position)):
            if value and not getattr(existing, field):
                setattr(existing, field, value)
                filled.append(field)
        if filled:
            existing.full_clean()
            existing.save(update_fields=filled)
        return existing, False
    participant = Participant(
        name=name,
        normalised_name=normalise_name(name),
        gender=gender,
        library=library,
        institution="" if library else institution.strip(),
        normalised_institution="" if library else normalise_institution(institution),
        province=library.province if library else province,
        position=position.strip(),
        phone=phone.strip(),
        email=email.strip(),
    )
    participant.full_clean()
    participant.save()
    return participant, True


PARTICIPANT_FIELDS = (
    "name",
    "gender",
    "position",
    "library",
    "institution",
    "province",
    "phone",
    "email",
)


def _check_person_keeper(actor: User, participant: Participant) -> None:
    """Whoever manages the person's province (or their library's) keeps their record."""
    scope = Scope.for_user(actor)
    scope.require(
        scope.manages_province(participant.province_id)
        and (participant.library is None or scope.covers_library(participant.library)),
        _("You cannot change the records of people outside your provinces."),
    )


def _keep_person_in_step(participant: Participant, *, identity_changed: bool = True) -> None:
    """The duplicate-detection keys and the province follow the name, library, institution;
    a new or re-identified record is refused when it would describe a person already on
    record (duplicates found before are merged, not refused on every small correction)."""
    participant.name = " ".join(participant.name.split())
    if not normalise_name(participant.name):
        raise ValidationError({"name": _("Give the person's name.")})
    participant.normalised_name = normalise_name(participant.name)
    if participant.library is not None:
        participant.institution = ""
        participant.province = participant.library.province
    participant.institution = participant.institution.strip()
    participant.normalised_institution = (
        "" if participant.library is not None else normalise_institution(participant.institution)
    )
    participant.full_clean()
    if not identity_changed:
        return
    twin = (
        Participant.objects.same_person(
            name=participant.name,
            library=participant.library,
            institution=participant.institution,
        )
        .exclude(pk=participant.pk)
        .order_by("pk")
        .first()
    )
    if twin is not None:
        raise ValidationError(
            {
                "name": _(
                    "%(name)s of %(affiliation)s is already on record (number %(number)d): "
                    "merge the two records instead of keeping two."
                )
                % {"name": twin.name, "affiliation": twin.affiliation, "number": twin.pk}
            }
        )


@transaction.atomic
def participant_add(*, actor: User, **fields) -> Participant:
    """Record a person (in the admin); refused when they are already on record."""
    unknown = set(fields) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise ValueError(f"Not a participant's field: {sorted(unknown)}")
    participant = Participant(**fields)
    _keep_person_in_step(participant)
    _check_person_keeper(actor, participant)
    participant.save()
    return participant


@transaction.atomic
def participant_update(*, actor: User, participant: Participant, **changes) -> Participant:
    """Correct a person's record: the keys of duplicate detection follow, and a correction
    that would make it a second record of somebody on record is refused (merge them)."""
    unknown = set(changes) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    _check_person_keeper(actor, participant)
    current = Participant.objects.select_for_update().get(pk=participant.pk)
    previous_province = current.province_id
    identity = (current.normalised_name, current.library_id, current.normalised_institution)
    for name, value in changes.items():
        setattr(current, name, value)
    _keep_person_in_step(current, identity_changed=False)
    if identity != (current.normalised_name, current.library_id, current.normalised_institution):
        _keep_person_in_step(current)
    # Moved to a library or province the editor does not keep: refused like the old one.
    _check_person_keeper(actor, current)
    current.save()
    # Province pages count people by gender and affiliation.
    _public_figures_changed(previous_province, current.province_id)
    return current


@transaction.atomic
def participant_delete(*, actor: User, participant: Participant) -> None:
    """Delete a person's record; one with attendance marks stays (merge a duplicate into the
    person's other record instead, which keeps the marks)."""
    _check_person_keeper(actor, participant)
    marks = participant.attendances.count()
    if marks:
        raise ValidationError(
            _(
                "%(name)s has %(count)d attendance marks; a record with attendance is not "
                "deleted. If it is a duplicate, merge it into the person's other record."
            )
            % {"name": participant.name, "count": marks}
        )
    participant.delete()
    _public_figures_changed(participant.province_id)


def registration_ensure(
    *,
    event: Event,
    participant: Participant,
    role: str = Registration.Role.OTHER,
    source: str = Registration.Source.MANUAL,
) -> Registration:
    registration, _created = Registration.objects.get_or_create(
        event=event, participant=participant, defaults={"role": role, "source": source}
    )
    return registration


@transaction.atomic
def facilitator_add(
    *,
    actor: User,
    event: Event,
    role: str,
    topic: str = "",
    participant: Participant | None = None,
    **person,
) -> Facilitator:
    """Name a facilitator of ``event``: a ``participant`` on record (as the admin picks one),
    or the person described by ``person``, found or recorded."""
    check_manages(actor, event)
    if participant is None:
        participant, _created = participant_find_or_create(province=event.province, **person)
    facilitator = Facilitator(event=event, participant=participant, role=role, topic=topic)
    facilitator.full_clean()
    facilitator.save()
    registration_ensure(event=event, participant=participant, role=Registration.Role.FACILITATOR)
    return facilitator


@transaction.atomic
def facilitator_update(
    *, actor: User, facilitator: Facilitator, role: str, topic: str, participant: Participant
) -> Facilitator:
    """Correct a facilitator's role or topic, or name another person in their place."""
    check_manages(actor, facilitator.event)
    current = Facilitator.objects.select_for_update().get(pk=facilitator.pk)
    current.role, current.topic, current.participant = role, topic, participant
    current.full_clean()
    current.save()
    registration_ensure(
        event=current.event, participant=participant, role=Registration.Role.FACILITATOR
    )
    return current


@transaction.atomic
def facilitator_remove(*, actor: User, facilitator: Facilitator) -> None:
    check_manages(actor, facilitator.event)
    facilitator.delete()


# Attendance


def _coerce_uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(_("The mark has no valid id; reload the page.")) from exc


#: A device clock may run a little fast; beyond this it is wrong, and the arrival time is kept.
DEVICE_CLOCK_AHEAD = datetime.timedelta(minutes=5)


def device_time(
    value: datetime.datetime | None, *, now: datetime.datetime, session: EventSession
) -> datetime.datetime | None:
    """The device's time of a tap, if it is believable against the server's clock.

    A few minutes later than the arrival (a clock running a little fast): the arrival time.
    Further in the future, or before the session's day began in the event's zone (a clock set
    wrongly): not kept, the arrival time stands alone.
    """
    if value is None:
        return None
    if timezone.is_naive(value):
        return None
    if value > now:
        return now if value - now <= DEVICE_CLOCK_AHEAD else None
    day_start = datetime.datetime.combine(session.date, datetime.time.min, tzinfo=session.event.tz)
    if value < day_start:
        return None
    return value


@transaction.atomic
def attendance_mark(
    *,
    actor: User,
    session: EventSession,
    participant: Participant,
    client_id,
    source: str = Attendance.Source.PAGE,
    marked_on_device_at: datetime.datetime | None = None,
) -> tuple[Attendance, bool]:
    """Mark ``participant`` present at ``session``; returns the mark and whether it is new.

    ``marked_on_device_at`` is the device's time of the tap, for a mark sent later from the
    offline queue; see :func:`device_time`.

    Safe to repeat: a retry with the same ``client_id``, a double tap or a colleague marking
    the same person at the same moment all end with the one active mark, which keeps the
    name of whoever made it first.
    """
    check_manages(actor, session.event)
    client_id = _coerce_uuid(client_id)
    known = Attendance.objects.filter(client_id=client_id).first()
    if known is not None:
        if known.session_id != session.pk or known.participant_id != participant.pk:
            raise ValidationError(_("This mark id was already used for someone else."))
        return known, False
    active = Attendance.objects.active().filter(session=session, participant=participant).first()
    if active is not None:
        return active, False
    if not Registration.objects.filter(event_id=session.event_id, participant=participant).exists():
        raise ValidationError(_("This person is not on the participant list of the event."))
    now = timezone.now()
    attendance = Attendance(
        session=session,
        participant=participant,
        client_id=client_id,
        source=source,
        marked_by=actor,
        marked_at=now,
        marked_on_device_at=device_time(marked_on_device_at, now=now, session=session),
    )
    # The related rows were just read and the database enforces the uniques: skip the
    # lookups full_clean would repeat for them (this is the hot path of the attendance page).
    attendance.full_clean(
        exclude=["session", "participant", "marked_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        # The database decides between two simultaneous marks; the loser reads the winner's.
        with transaction.atomic():
            attendance.save()
    except IntegrityError:
        winner = (
            Attendance.objects.filter(client_id=client_id).first()
            or Attendance.objects.active().filter(session=session, participant=participant).first()
        )
        if winner is None:
            raise
        return winner, False
    _public_figures_changed(session.event.province_id)
    return attendance, True


@transaction.atomic
def attendance_mark_many(
    *,
    actor: User,
    event: Event,
    marks: Iterable[tuple[EventSession, Participant, uuid.UUID]],
    source: str = Attendance.Source.IMPORT,
) -> int:
    """Many marks at once (an imported list), under the rules of :func:`attendance_mark`.

    Marks whose id is already known, or whose person is already marked at that session, are
    left alone; the database settles any race with a mark made on the page meanwhile.
    Returns the number of new marks.
    """
    check_manages(actor, event)
    marks = [
        (session, participant, _coerce_uuid(client_id)) for session, participant, client_id in marks
    ]
    if any(session.event_id != event.pk for session, _p, _c in marks):
        raise ValidationError(_("A mark belongs to another event."))
    people = {participant.pk for _s, participant, _c in marks}
    listed = set(
        Registration.objects.filter(event=event, participant__in=people).values_list(
            "participant_id", flat=True
        )
    )
    if people - listed:
        raise ValidationError(_("This person is not on the participant list of the event."))
    ids = [client_id for _s, _p, client_id in marks]
    known_ids = set(
        Attendance.objects.filter(client_id__in=ids).values_list("client_id", flat=True)
    )
    present = set(
        Attendance.objects.active()
        .filter(session__event=event, participant__in=people)
        .values_list("session_id", "participant_id")
    )
    now = timezone.now()
    new = []
    for session, participant, client_id in marks:
        if client_id in known_ids or (session.pk, participant.pk) in present:
            continue
        present.add((session.pk, participant.pk))
        new.append(
            Attendance(
                session=session,
                participant=participant,
                client_id=client_id,
                source=source,
                marked_by=actor,
                marked_at=now,
            )
        )
    before = Attendance.objects.filter(client_id__in=[mark.client_id for mark in new]).count()
    Attendance.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    after = Attendance.objects.filter(client_id__in=[mark.client_id for mark in new]).count()
    if after > before:
        _public_figures_changed(event.province_id)
    return after - before


@transaction.atomic
def attendance_unmark(
    *, actor: User, session: EventSession, participant: Participant, client_id
) -> Attendance | None:
    """Undo the active mark, keeping it in the history; repeating it changes nothing.

    Like ``attendance_mark``, a retry is recognised by its id only for the same person at the
    same session: an id already spent on someone else's undo is refused, never answered with
    (or applied to) that other mark.
    """
    check_manages(actor, session.event)
    client_id = _coerce_uuid(client_id)

    def earlier_undo() -> Attendance | None:
        undone = Attendance.objects.filter(revoke_client_id=client_id).first()
        if undone is not None and (
            undone.session_id != session.pk or undone.participant_id != participant.pk
        ):
            raise ValidationError(_("This undo id was already used for someone else."))
        return undone

    if (undone := earlier_undo()) is not None:
        return undone
    active = (
        Attendance.objects.active()
        .select_for_update()
        .filter(session=session, participant=participant)
        .first()
    )
    if active is None:
        return None
    active.revoked_at = max(timezone.now(), active.marked_at)
    active.revoked_by = actor
    active.revoke_client_id = client_id
    try:
        # The database keeps undo ids unique: a simultaneous undo with the same id loses here.
        with transaction.atomic():
            active.save(update_fields=["revoked_at", "revoked_by", "revoke_client_id"])
    except IntegrityError:
        if (undone := earlier_undo()) is None:
            raise
        return undone
    _public_figures_changed(session.event.province_id)
    return active


@transaction.atomic
def walk_in_register(
    *,
    actor: User,
    session: EventSession,
    client_id,
    role: str,
    marked_on_device_at: datetime.datetime | None = None,
    **person,
) -> tuple[Participant, Attendance]:
    """Someone not on the list turns up: find or record the person, list them and mark them.

    The same ``client_id`` again (an offline replay, a double tap) adds and marks them once."""
    event = session.event
    check_manages(actor, event)
    library = person.get("library")
    if library is not None and not Library.objects.visible_to(actor).filter(pk=library.pk).exists():
        raise ValidationError({"library": _("Choose a library of your provinces.")})
    participant, _created = participant_find_or_create(province=event.province, **person)
    registration_ensure(
        event=event, participant=participant, role=role, source=Registration.Source.WALK_IN
    )
    attendance, _new = attendance_mark(
        actor=actor,
        session=session,
        participant=participant,
        client_id=client_id,
        source=Attendance.Source.WALK_IN,
        marked_on_device_at=marked_on_device_at,
    )
    return participant, attendance


@transaction.atomic
def participant_merge(
    *, actor: User, keep: Participant, duplicates: Iterable[Participant]
) -> dict[str, int]:
    """Fold duplicate person records into ``keep`` without losing or doubling attendance.

    Where both records were marked at the same session, the earlier mark stays active and the
    other is kept as an undone mark, so the history still shows both.
    """
    Scope.for_user(actor).require(Scope.for_user(actor).can_manage)
    moved = {"attendances": 0, "doubles_undone": 0, "registrations": 0, "deleted": 0}
    now = timezone.now()
    keep = Participant.objects.select_for_update().get(pk=keep.pk)
    for duplicate in duplicates:
        if duplicate.pk == keep.pk:
            continue
        for attendance in Attendance.objects.select_for_update().filter(participant=duplicate):
            if attendance.revoked_at is None:
                rival = (
                    Attendance.objects.active()
                    .filter(session=attendance.session_id, participant=keep)
                    .first()
                )
                if rival is not None:
                    later = attendance if attendance.marked_at >= rival.marked_at else rival
                    later.revoked_at = max(now, later.marked_at)
                    later.revoked_by = actor
                    later.save(update_fields=["revoked_at", "revoked_by"])
                    moved["doubles_undone"] += 1
            attendance.refresh_from_db(fields=["revoked_at", "revoked_by"])
            attendance.participant = keep
            attendance.save(update_fields=["participant"])
            moved["attendances"] += 1
        for registration in Registration.objects.filter(participant=duplicate):
            if Registration.objects.filter(event=registration.event_id, participant=keep).exists():
                registration.delete()
            else:
                registration.participant = keep
                registration.save(update_fields=["participant"])
                moved["registrations"] += 1
        for facilitation in Facilitator.objects.filter(participant=duplicate):
            if Facilitator.objects.filter(
                event=facilitation.event_id, participant=keep, role=facilitation.role
            ).exists():
                facilitation.delete()
            else:
                facilitation.participant = keep
                facilitation.save(update_fields=["participant"])
        for certificate in Certificate.objects.select_for_update().filter(participant=duplicate):
            if (
                certificate.is_valid
                and Certificate.objects.valid()
                .filter(event=certificate.event_id, participant=keep)
                .exists()
            ):
                # One valid certificate per person and event: the kept record's stays.
                certificate.revoked_at = max(now, certificate.issued_at)
                certificate.revoked_by = actor
                certificate.revoked_reason = _(
                    "Two records of one person were merged; the certificate of the record "
                    "kept stays valid."
                )
                certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
            certificate.participant = keep
            certificate.save(update_fields=["participant"])
        filled = []
        for field in ("phone", "email", "position"):
            if not getattr(keep, field) and getattr(duplicate, field):
                setattr(keep, field, getattr(duplicate, field))
                filled.append(field)
        if filled:
            keep.save(update_fields=filled)
        duplicate.delete()
        moved["deleted"] += 1
    # Merged people may have been counted twice at the same event.
    _public_figures_changed(keep.province_id)
    return moved


# PLM problems and awards


@transaction.atomic
def problem_add(*, actor: User, event: Event, **fields) -> Problem:
    check_manages(actor, event)
    problem = Problem(event=event, **fields)
    problem.full_clean()
    problem.save()
    return problem


PROBLEM_FOLLOW_UP_FIELDS = ("status", "follow_up", "discussed_at")
# What the admin may correct besides the follow-up (the event a problem was raised at stays).
PROBLEM_EDITABLE_FIELDS = (
    "description",
    "stakeholder",
    "regency",
    "library",
    *PROBLEM_FOLLOW_UP_FIELDS,
)


@transaction.atomic
def problem_update(*, actor: User, problem: Problem, version: int, **changes) -> Problem:
    unknown = set(changes) - set(PROBLEM_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    check_manages(actor, problem.event)
    current = edit_versioned(Problem.objects.all(), pk=problem.pk, version=version, changes=changes)
    return current


@transaction.atomic
def problem_delete(*, actor: User, problem: Problem) -> None:
    check_manages(actor, problem.event)
    problem.delete()


@transaction.atomic
def award_add(
    *,
    actor: User,
    event: Event,
    category: str,
    rank: int,
    library=None,
    winner: str = "",
    note: str = "",
) -> Award:
    check_manages(actor, event)
    award = Award(
        event=event, category=category, rank=rank, library=library, winner=winner, note=note
    )
    award.full_clean()
    award.save()
    return award


AWARD_EDITABLE_FIELDS = ("category", "rank", "library", "winner", "note")


@transaction.atomic
def award_update(*, actor: User, award: Award, **changes) -> Award:
    """Correct an award; it stays with the PLM that gave it."""
    unknown = set(changes) - set(AWARD_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    check_manages(actor, award.event)
    current = Award.objects.select_for_update().get(pk=award.pk)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def award_delete(*, actor: User, award: Award) -> None:
    check_manages(actor, award.event)
    award.delete()
