"""What each kind of export holds: its rows inside the owner's scope, with the chosen filters.

Each dataset gives a header, a queryset read in chunks (its related rows fetched with it, never
one query a row) and a function that turns one object into one row. The filters are those of
:class:`~tpbis_portal.exports.forms.ExportForm`, as stored on the job (plain JSON values).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Attendance, Event, Participant
from impact.models import Story
from libraries.exports import library_header, library_row
from libraries.models import Activity, Library, Partner, TimeZone
from libraries.reporting.exports import activity_header, activity_row

CHUNK = 2000


@dataclass(frozen=True)
class Dataset:
    title: str
    header: list[str]
    rows: QuerySet
    row: Callable[[object], list]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _period(queryset: QuerySet, field: str, filters: dict) -> QuerySet:
    if start := _date(filters.get("start")):
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end := _date(filters.get("end")):
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset


def _places(queryset: QuerySet, province: str, regency: str, filters: dict) -> QuerySet:
    if filters.get("province"):
        queryset = queryset.filter(**{province: filters["province"]})
    if filters.get("regency"):
        queryset = queryset.filter(**{regency: filters["regency"]})
    return queryset


def _attendance(user, filters: dict) -> Dataset:
    # Plain values, not model instances: 150,000 marks with four related rows each would
    # otherwise build 750,000 objects.
    marks = (
        Attendance.objects.active().visible_to(user).order_by("session__date", "session_id", "pk")
    )
    marks = _places(marks, "session__event__province", "session__event__regency", filters)
    marks = _period(marks, "session__date", filters)
    if filters.get("type"):
        marks = marks.filter(session__event__kind=filters["type"])
    marks = marks.values_list(
        "session__event__title",
        "session__event__kind",
        "session__event__province__name",
        "session__event__province__time_zone",
        "session__event__regency__name",
        "session__date",
        "session__name",
        "participant__name",
        "participant__gender",
        "participant__position",
        "participant__library__name",
        "participant__library__regency__name",
        "participant__institution",
        "marked_by__first_name",
        "marked_by__last_name",
        "marked_by__username",
        "marked_at",
    )
    # The labels translated once, in the job's language, not once a row.
    kinds = {value: str(label) for value, label in Event.Kind.choices}
    genders = {value: str(label) for value, label in Participant.Gender.choices}
    zones: dict[str, tuple[zoneinfo.ZoneInfo, str]] = {}

    def zone(name: str) -> tuple[zoneinfo.ZoneInfo, str]:
        if name not in zones:
            zones[name] = (zoneinfo.ZoneInfo(name), TimeZone(name).label.split(" ")[0])
        return zones[name]

    def row(values) -> list:
        (
            title,
            kind,
            province,
            time_zone,
            regency,
            date,
            session,
            name,
            gender,
            position,
            library,
            library_regency,
            institution,
            first,
            last,
            username,
            marked_at,
        ) = values
        tz, abbreviation = zone(time_zone)
        marked_by = f"{first or ''} {last or ''}".strip() or username or ""
        return [
            title,
            kinds.get(kind, kind),
            province,
            regency or "",
            date.isoformat(),
            session,
            name,
            genders.get(gender, gender),
            position,
            library or "",
            library_regency or "",
            institution,
            marked_by,
            f"{marked_at.astimezone(tz):%Y-%m-%d %H:%M} {abbreviation}",
        ]

    header = [
        _("Event"),
        _("Type"),
        _("Province"),
        _("Kabupaten/kota"),
        _("Date"),
        _("Session"),
        _("Name"),
        _("Gender"),
        _("Position"),
        _("Library"),
        _("Kabupaten/kota of the library"),
        _("Institution"),
        _("Marked by"),
        _("Marked at"),
    ]
    return Dataset(_("Attendance"), header, marks, row)


def _activities(user, filters: dict) -> Dataset:
    activities = (
        Activity.objects.visible_to(user)
        .with_library()
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.only("pk", "name")))
        .order_by("date", "pk")
    )
    activities = _places(activities, "library__province", "library__regency", filters)
    activities = _period(activities, "date", filters)
    if filters.get("type"):
        activities = activities.filter(kind=filters["type"])
    return Dataset(_("Activities"), activity_header(), activities, activity_row)


def _stories(user, filters: dict) -> Dataset:
    stories = (
        Story.objects.visible_to(user)
        .select_related("library__province", "library__regency")
        .order_by("created_at", "pk")
    )
    stories = _places(stories, "library__province", "library__regency", filters)
    stories = _period(stories, "created_at__date", filters)
    if filters.get("type"):
        stories = stories.filter(domain=filters["type"])

    # No storyteller's name, age or income: the export names the story, not the person (UU PDP).
    def row(story) -> list:
        library = story.library
        return [
            timezone.localtime(story.created_at).date().isoformat(),
            library.name,
            library.province.name,
            library.regency.name if library.regency_id else "",
            str(story),
            story.get_status_display(),
            story.get_domain_display(),
            story.get_involvement_display(),
            story.jobs_created if story.jobs_created is not None else "",
        ]

    header = [
        _("Date"),
        _("Library"),
        _("Province"),
        _("Kabupaten/kota"),
        _("Title"),
        _("Status"),
        _("Domain"),
        _("Involvement"),
        _("Jobs created"),
    ]
    return Dataset(_("Impact stories"), header, stories, row)


def _libraries(user, filters: dict) -> Dataset:
    libraries = (
        Library.objects.visible_to(user)
        .select_related("province", "regency", "village")
        .annotate(aid_item_count=Count("aid_items"))
        .order_by("province", "regency", "name", "pk")
    )
    libraries = _places(libraries, "province", "regency", filters)
    if filters.get("type"):
        libraries = libraries.filter(level=filters["type"])
    return Dataset(str(Library._meta.verbose_name_plural), library_header(), libraries, library_row)


DATASETS: dict[str, Callable[..., Dataset]] = {
    "attendance": _attendance,
    "activities": _activities,
    "stories": _stories,
    "libraries": _libraries,
}

#: The "type" each kind is filtered by, with its choices.
TYPES = {
    "attendance": Event.Kind,
    "activities": Activity.Kind,
    "stories": Story.Domain,
    "libraries": Library.Level,
}


def dataset(kind: str, user, filters: dict) -> Dataset:
    return DATASETS[kind](user, filters)
