"""Attendance exports. Callers pass querysets already limited to what the user may see."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.models import Event
from libraries.exports import stream_csv, xlsx_response


def _header() -> list[str]:
    return [
        _("Date"),
        _("Session"),
        _("Name"),
        _("Gender"),
        _("Role"),
        _("Position"),
        _("Library"),
        _("Kabupaten/kota"),
        _("Institution"),
        _("Marked by"),
        _("Marked at"),
        _("Tapped on the device at"),
    ]


def _rows(event: Event, marks, roles: dict[int, str]) -> Iterator[list]:
    tz = event.tz
    abbreviation = event.time_zone_abbreviation
    for mark in marks.iterator(chunk_size=2000):
        participant = mark.participant
        library = participant.library
        yield [
            mark.session.date.isoformat(),
            mark.session.name,
            participant.name,
            participant.get_gender_display(),
            roles.get(participant.pk, ""),
            participant.position,
            library.name if library else "",
            library.regency.name if library and library.regency_id else "",
            participant.institution,
            str(mark.marked_by) if mark.marked_by_id else "",
            f"{timezone.localtime(mark.marked_at, tz):%Y-%m-%d %H:%M} {abbreviation}",
            (
                f"{timezone.localtime(mark.marked_on_device_at, tz):%Y-%m-%d %H:%M} {abbreviation}"
                if mark.marked_on_device_at
                else ""
            ),
        ]


def _filename(event: Event, extension: str) -> str:
    return f"daftar-hadir-{slugify(event.title)[:60]}-{event.local_start:%Y%m%d}.{extension}"


def attendance_csv(event: Event, marks, roles):
    return stream_csv(_filename(event, "csv"), _header(), _rows(event, marks, roles))


def attendance_xlsx(event: Event, marks, roles):
    return xlsx_response(
        _filename(event, "xlsx"), _("Attendance"), _header(), _rows(event, marks, roles)
    )
