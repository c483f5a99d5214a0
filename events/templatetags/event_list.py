"""The rows of the event list, written in one pass (see roster.py for why): the same markup as
the template wrote, every value escaped by ``format_html``."""

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from events.models import Event

register = template.Library()

_PK = 2_147_483_647  # stands for each row's key in the address
_ROW = (
    '<tr><td><a href="{url}">{title}</a><div class="small text-body-secondary">{venue}</div></td>'
    '<td data-label="{type_label}">{kind}</td>'
    '<td data-label="{region_label}">{region}</td>'
    '<td data-label="{dates_label}">{dates}</td>'
    '<td data-label="{status_label}">{status}</td>'
    '<td data-label="{participants_label}" class="text-end">{participants}</td></tr>'
)


def event_dates(event: Event) -> str:
    """Start and end in the province's own time, its zone named: one day or a span."""
    start, end = event.local_start, event.local_end
    if start.date() == end.date():
        dates = f"{date_format(start, 'j M Y')}, {start:%H:%M}–{end:%H:%M}"
    else:
        dates = f"{date_format(start, 'j M Y H:i')} – {date_format(end, 'j M Y H:i')}"
    return f"{dates} {event.time_zone_abbreviation}"


@register.simple_tag
def event_rows(events) -> SafeString:
    labels = {
        "type_label": _("Type"),
        "region_label": _("Region"),
        "dates_label": _("Dates"),
        "status_label": _("Status"),
        "participants_label": _("Participants"),
    }
    kinds = {value: str(label) for value, label in Event.Kind.choices}
    detail = reverse("events:detail", args=[_PK])
    rows = (
        format_html(
            _ROW,
            **labels,
            url=detail.replace(str(_PK), str(event.pk)),
            title=event.title,
            venue=event.venue,
            kind=kinds.get(event.kind, event.kind),
            region=(f"{event.regency.name}, " if event.regency_id else "") + event.province.name,
            dates=event_dates(event),
            status=event.get_status_display(),
            participants=event.participant_count,
        )
        for event in events
    )
    return mark_safe("".join(rows))  # noqa: S308
