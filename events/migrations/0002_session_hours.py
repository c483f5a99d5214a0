import zoneinfo

import django.db.models.expressions
from django.db import migrations, models


def fill_session_hours(apps, schema_editor):
    """Existing sessions get the event's daily hours (its start time to its end time, in
    the province's zone), as new sessions do."""
    Event = apps.get_model("events", "Event")
    EventSession = apps.get_model("events", "EventSession")
    for event in Event.objects.select_related("province").iterator():
        tz = zoneinfo.ZoneInfo(event.province.time_zone)
        start = event.starts_at.astimezone(tz).time().replace(second=0, microsecond=0)
        end = event.ends_at.astimezone(tz).time().replace(second=0, microsecond=0)
        if end > start:
            EventSession.objects.filter(event=event, start_time__isnull=True).update(
                start_time=start, end_time=end
            )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_events_sessions_attendance_problems_awards"),
    ]

    operations = [
        migrations.AddField(
            model_name="eventsession",
            name="end_time",
            field=models.TimeField(
                blank=True,
                help_text="Local time of the province (WIB, WITA or WIT).",
                null=True,
                verbose_name="ends at",
            ),
        ),
        migrations.AddField(
            model_name="eventsession",
            name="start_time",
            field=models.TimeField(
                blank=True,
                help_text="Local time of the province (WIB, WITA or WIT).",
                null=True,
                verbose_name="starts at",
            ),
        ),
        migrations.RunPython(fill_session_hours, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="eventsession",
            constraint=models.CheckConstraint(
                condition=models.Q(("start_time__isnull", True), ("end_time__isnull", True))
                | models.Q(
                    ("start_time__isnull", False),
                    ("end_time__isnull", False),
                    ("end_time__gt", django.db.models.expressions.F("start_time")),
                ),
                name="event_session_times_in_order",
                violation_error_message="Give both times of the session, the end after the start (or neither).",
            ),
        ),
    ]
