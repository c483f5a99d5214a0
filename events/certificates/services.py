"""Issuing and revoking attendance certificates. The rules live here.

Issuing is safe to repeat: the event's row is locked while certificates are made, and a person
who already has a valid certificate for the event is skipped (the database refuses a second
valid one anyway). A revoked certificate stays on record; issuing again makes a new one, with
a new number and a new verification code.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from events.models import Attendance, Certificate, Event, EventSession, Facilitator, Participant
from events.models.certificates import new_code
from events.services import check_manages
from libraries.models import User


@dataclass(frozen=True)
class IssueResult:
    issued: int
    already: int


def attended_sessions(event: Event) -> dict[int, list[EventSession]]:
    """The sessions each person was marked present at (active marks), oldest first."""
    sessions = {session.pk: session for session in event.sessions.all()}
    attended: dict[int, list[EventSession]] = defaultdict(list)
    marks = (
        Attendance.objects.active()
        .filter(session__event=event)
        .values_list("participant_id", "session_id")
    )
    for participant_id, session_id in marks:
        attended[participant_id].append(sessions[session_id])
    for person_sessions in attended.values():
        person_sessions.sort(
            key=lambda session: (session.date, session.start_time or datetime.time.min, session.pk)
        )
    return dict(attended)


def issuing_open(event: Event) -> bool:
    """Certificates are issued from the event's last (local) day on: not before people
    could have attended it all."""
    return timezone.localdate(timezone=event.tz) >= event.local_end.date()


def _check_issuable(event: Event) -> None:
    if not issuing_open(event):
        raise ValidationError(
            _("Certificates can be issued from the last day of the event (%(date)s).")
            % {"date": f"{event.local_end:%d-%m-%Y}"}
        )


def _session_entry(session: EventSession) -> dict:
    return {
        "date": session.date.isoformat(),
        "name": session.name,
        "start": f"{session.start_time:%H:%M}" if session.start_time else "",
        "end": f"{session.end_time:%H:%M}" if session.end_time else "",
        "minutes": session.minutes or 0,
    }


def _build(
    *,
    event: Event,
    participant: Participant,
    sessions: list[EventSession],
    role: str,
    number: int,
    actor: User,
    now,
) -> Certificate:
    certificate = Certificate(
        event=event,
        participant=participant,
        number=f"TPBIS/{event.local_start.year}/{event.pk}/{number:04d}",
        code=new_code(),
        name=participant.name,
        affiliation=participant.affiliation,
        role=role,
        sessions=[_session_entry(session) for session in sessions],
        days=len({session.date for session in sessions}),
        minutes=sum(session.minutes or 0 for session in sessions),
        issued_at=now,
        issued_by=actor,
    )
    # The related rows were just read and the database enforces the uniques.
    certificate.full_clean(
        exclude=["event", "participant", "issued_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    return certificate


def _roles(event: Event) -> dict[int, str]:
    """The facilitator role of each person who led part of the event (the first, if several)."""
    order = {role: index for index, role in enumerate(Facilitator.Role.values)}
    roles: dict[int, str] = {}
    for participant_id, role in event.facilitators.values_list("participant_id", "role"):
        if participant_id not in roles or order[role] < order[roles[participant_id]]:
            roles[participant_id] = role
    return roles


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("province").get(pk=event.pk)


@transaction.atomic
def certificates_issue(*, actor: User, event: Event) -> IssueResult:
    """A certificate for everyone marked present at the event who has no valid one yet."""
    check_manages(actor, event)
    event = _locked(event)
    _check_issuable(event)
    attended = attended_sessions(event)
    have = set(event.certificates.valid().values_list("participant_id", flat=True))
    people = Participant.objects.filter(pk__in=set(attended) - have).select_related("library")
    roles = _roles(event)
    count = event.certificates.count()
    now = timezone.now()
    new = [
        _build(
            event=event,
            participant=person,
            sessions=attended[person.pk],
            role=roles.get(person.pk, ""),
            number=count + index,
            actor=actor,
            now=now,
        )
        for index, person in enumerate(sorted(people, key=lambda p: (p.name, p.pk)), start=1)
    ]
    bulk_create_with_history(new, Certificate, default_user=actor)
    return IssueResult(issued=len(new), already=len(have & set(attended)))


@transaction.atomic
def certificate_issue(
    *, actor: User, event: Event, participant: Participant
) -> tuple[Certificate, bool]:
    """The person's valid certificate for the event, made now if they have none."""
    check_manages(actor, event)
    event = _locked(event)
    existing = event.certificates.valid().filter(participant=participant).first()
    if existing is not None:
        return existing, False
    _check_issuable(event)
    sessions = attended_sessions(event).get(participant.pk)
    if not sessions:
        raise ValidationError(
            _("%(name)s was not marked present at any session: there is nothing to certify.")
            % {"name": participant.name}
        )
    certificate = _build(
        event=event,
        participant=participant,
        sessions=sessions,
        role=_roles(event).get(participant.pk, ""),
        number=event.certificates.count() + 1,
        actor=actor,
        now=timezone.now(),
    )
    certificate.save()
    return certificate, True


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Mark the certificate revoked, with who, when and why. The verification page says so
    from now on; the record stays."""
    check_manages(actor, certificate.event)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    current = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not current.is_valid:
        raise ValidationError(_("This certificate was already revoked."))
    current.revoked_at = timezone.now()
    current.revoked_by = actor
    current.revoked_reason = reason
    current.full_clean(exclude=["event", "participant", "issued_by", "revoked_by"])
    current.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    return current
