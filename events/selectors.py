"""Reads behind the event pages: each takes the user, so every list stays in scope."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Attendance, Event, EventSession, Registration
from libraries.models import Library
from libraries.scope import Scope


def event_for(user, pk: int, *, manage: bool = False) -> Event:
    """An event the user may see (404 otherwise); with ``manage``, may change (403)."""
    event = get_object_or_404(Event.objects.visible_to(user).with_regions(), pk=pk)
    if manage:
        Scope.for_user(user).require(Scope.for_user(user).manages_province(event.province_id))
    return event


def session_for(user, pk: int, *, manage: bool = False) -> EventSession:
    session = get_object_or_404(
        EventSession.objects.select_related("event__province", "event__regency").filter(
            event__in=Event.objects.visible_to(user)
        ),
        pk=pk,
    )
    if manage:
        scope = Scope.for_user(user)
        scope.require(scope.manages_province(session.event.province_id))
    return session


def participant_library_filter(user, event: Event):
    """People of an event the user may see: all of them for its managers, otherwise only
    the people of the user's own libraries (a librarian reading their participation)."""
    if Scope.for_user(user).manages_province(event.province_id):
        return {}
    return {"participant__library__in": Library.objects.visible_to(user).values("pk")}


class RosterRow:
    """One person of the attendance page, with the strings the page shows worked out once
    (the page lists up to a few hundred people and is re-rendered after every mark without
    JavaScript)."""

    __slots__ = (
        "affiliation",
        "client_id",
        "mark",
        "marked_by",
        "marked_time",
        "participant",
        "regency_name",
        "registration",
        "search_text",
        "undo_client_id",
    )

    def __init__(self, registration: Registration, mark: Attendance | None, tz, abbreviation):
        participant = registration.participant
        library = participant.library
        self.registration = registration
        self.participant = participant
        self.mark = mark
        self.affiliation = library.name if library else participant.institution
        self.regency_name = library.regency.name if library and library.regency_id else ""
        self.search_text = f"{participant.name} {self.affiliation}".lower()
        self.client_id = None
        self.undo_client_id = None
        self.marked_by = ""
        self.marked_time = ""
        if mark is not None:
            self.marked_by = str(mark.marked_by) if mark.marked_by_id else "-"
            self.marked_time = mark_time_text(mark, tz, abbreviation)


def mark_time_text(mark: Attendance, tz, abbreviation: str) -> str:
    """When the mark arrived, in the event's zone, and when it was tapped on the device if a
    queued mark arrived a minute or more later."""
    arrived = f"{mark.marked_at.astimezone(tz):%H:%M} {abbreviation}"
    device = mark.marked_on_device_at
    if device is None or (mark.marked_at - device).total_seconds() < 60:
        return arrived
    return _("%(arrived)s (tapped at %(device)s on the device)") % {
        "arrived": arrived,
        "device": f"{device.astimezone(tz):%H:%M}",
    }


@dataclass
class Counts:
    total: int = 0
    female: int = 0
    male: int = 0
    by_library: list[tuple[str, int]] = field(default_factory=list)
    by_regency: list[tuple[str, int]] = field(default_factory=list)


def roster(session: EventSession, registrations=None) -> list[RosterRow]:
    """Everyone on the event's list (or the filtered ``registrations`` of it) with their active
    mark at this session (two queries)."""
    if registrations is None:
        registrations = Registration.objects.filter(event_id=session.event_id)
    registrations = registrations.select_related("participant__library__regency").order_by(
        "participant__name", "participant_id"
    )
    marks = {
        mark.participant_id: mark
        for mark in Attendance.objects.active().filter(session=session).select_related("marked_by")
    }
    tz, abbreviation = session.event.tz, session.event.time_zone_abbreviation
    return [
        RosterRow(registration, marks.get(registration.participant_id), tz, abbreviation)
        for registration in registrations
    ]


def counts(rows: list[RosterRow]) -> Counts:
    present = [row for row in rows if row.mark is not None]
    genders = Counter(row.participant.gender for row in present)
    libraries = Counter(row.affiliation for row in present)
    regencies = Counter(row.regency_name or _("Other institutions") for row in present)
    return Counts(
        total=len(present),
        female=genders.get("F", 0),
        male=genders.get("M", 0),
        by_library=sorted(libraries.items()),
        by_regency=sorted(regencies.items()),
    )


PUBLIC_KINDS = (
    Event.Kind.BIMTEK,
    Event.Kind.PLM_PROVINCE,
    Event.Kind.PLM_NATIONAL,
    Event.Kind.SHM_REGENCY,
    Event.Kind.SHM_PROVINCE,
)


def public_event_summaries(
    *, province_code: str, regency_code: str | None = None, limit: int = 10
) -> tuple[list[Event], int]:
    """The latest Bimtek, PLM and SHM of a province (or held in one of its kab/kota), with
    attendance as counts only.

    One query. Each event carries ``upcoming``, ``people`` (different people marked present
    at any of its sessions) and ``libraries`` (libraries those people came from); ``total``
    counts every such event of the province. No participant's name is read.
    """
    present = Attendance.objects.active().filter(session__event=OuterRef("pk"))
    people = present.values("session__event").annotate(n=Count("participant", distinct=True))
    libraries = present.values("session__event").annotate(
        n=Count("participant__library", distinct=True)
    )
    events = Event.objects.filter(province=province_code, kind__in=PUBLIC_KINDS)
    if regency_code is not None:
        events = events.filter(regency=regency_code)
    events = (
        events.select_related("regency")
        .only("pk", "kind", "title", "venue", "starts_at", "ends_at", "status", "regency__name")
        .annotate(
            people=Coalesce(Subquery(people.values("n")[:1]), 0),
            libraries=Coalesce(Subquery(libraries.values("n")[:1]), 0),
            total=Window(Count("pk")),
        )
        .order_by("-starts_at", "-pk")
    )
    found = list(events[:limit])
    now = timezone.now()
    for event in found:
        event.upcoming = event.starts_at > now
    return found, (found[0].total if found else 0)


@dataclass(frozen=True)
class AwardSuggestion:
    """The report card's ranking for a PLM's community-engagement award."""

    period: object
    libraries: list


def engagement_award_suggestion(event: Event, limit: int = 3) -> AwardSuggestion | None:
    """The libraries of the PLM's province (every province for a national PLM) with the best
    community-engagement strand of the report card, from January to the PLM's month.

    Libraries the consultant does not cover never appear: a provincial PLM ranks its own
    province, and only those who manage the event see the suggestion.
    """
    from libraries.models import Province
    from libraries.reporting.indicators import Period
    from libraries.reporting.reportcard import library_scores, rank_by_engagement

    if not event.is_plm:
        return None
    day = timezone.localtime(event.starts_at).date()
    period = Period.between(day.replace(month=1), day)
    if event.kind == Event.Kind.PLM_NATIONAL:
        codes = list(Province.objects.values_list("code", flat=True))
    else:
        codes = [event.province_id]
    ranked = rank_by_engagement(library_scores(period, codes), limit=limit)
    return AwardSuggestion(period, ranked)
