"""The admin shows and takes times in the place's own zone, and names it (WIB, WITA, WIT).

The PLM Kalimantan Timur starts at 08:00 WITA on 4 July 2022 (00:00 UTC). The Bimtek in
Kepulauan Riau starts at 08:00 WIB on 5 June 2023.
"""

import datetime
import re
import uuid

import pytest
from django.urls import reverse

from events.models import Event
from events.services import attendance_mark
from impact.models import Story
from tests import factories
from tests.factories import StoryFactory

UTC = datetime.UTC


def _words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize(
    ("language", "plm_start", "bimtek_start"),
    [
        ("id", "4 Juli 2022, 08.00 WITA", "5 Juni 2023, 08.00 WIB"),
        ("en", "July 4, 2022, 8 a.m. WITA", "June 5, 2023, 8 a.m. WIB"),
    ],
)
def test_event_list_shows_each_event_in_its_own_zone_with_the_zone_named(
    client_for, perpusnas, plm, kepri_bimtek, language, plm_start, bimtek_start
):
    client = client_for(perpusnas)
    client.cookies["tpbis_language"] = language

    words = _words(client.get(reverse("admin:events_event_changelist")))

    assert plm_start in words
    assert bimtek_start in words
    # Jakarta's clock would have read 07.00 for the WITA event.
    assert "07.00" not in words and "7 a.m." not in words


def test_event_page_shows_and_takes_times_in_the_province_s_zone(client_for, perpusnas, plm):
    client = client_for(perpusnas)
    url = reverse("admin:events_event_change", args=[plm.pk])

    page = client.get(url)

    form = page.context["adminform"].form
    assert form["starts_at"].value() == datetime.datetime(
        2022, 7, 4, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
    )
    assert 'value="08.00.00"' in page.text and 'value="07.00.00"' not in page.text
    assert "WITA" in str(form.fields["starts_at"].help_text)

    data = {
        "kind": plm.kind,
        "title": plm.title,
        "province": plm.province_id,
        "venue": plm.venue,
        "status": plm.status,
        "starts_at_0": "04-07-2022",
        "starts_at_1": "09.00",
        "ends_at_0": "06-07-2022",
        "ends_at_1": "16.00",
        "seen_version": plm.version,
        **_empty_inlines(page),
    }
    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    plm.refresh_from_db()
    assert plm.starts_at == datetime.datetime(2022, 7, 4, 1, 0, tzinfo=UTC)
    assert plm.ends_at == datetime.datetime(2022, 7, 6, 8, 0, tzinfo=UTC)


def test_new_event_times_are_read_in_the_chosen_province_s_zone(client_for, perpusnas, regions):
    client = client_for(perpusnas)
    url = reverse("admin:events_event_add")

    page = client.get(url)

    help_text = str(page.context["adminform"].form.fields["starts_at"].help_text)
    assert "provinsi yang dipilih" in help_text and "WITA" in help_text
    response = client.post(
        url,
        {
            "kind": "plm_province",
            "title": "PLM Provinsi Papua",
            "province": "91",
            "venue": "Hotel Jayapura",
            "status": Event.Status.choices[0][0],
            "starts_at_0": "01-08-2024",
            "starts_at_1": "08.00",
            "ends_at_0": "02-08-2024",
            "ends_at_1": "16.00",
            **_empty_inlines(page),
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    event = Event.objects.get(title="PLM Provinsi Papua")
    # 08:00 WIT is 23:00 UTC the day before.
    assert event.starts_at == datetime.datetime(2024, 7, 31, 23, 0, tzinfo=UTC)


def test_attendance_and_sessions_show_marks_in_the_event_s_zone(
    client_for, perpusnas, consultant, plm, village_library
):
    person = factories.participant("Siti Aminah", village_library, event=plm)
    mark, _new = attendance_mark(
        actor=consultant, session=plm.sessions.first(), participant=person, client_id=uuid.uuid4()
    )
    local = mark.marked_at.astimezone(plm.tz)
    client = client_for(perpusnas)

    listing = _words(client.get(reverse("admin:events_attendance_changelist")))
    page = _words(client.get(reverse("admin:events_attendance_change", args=[mark.pk])))

    assert f"{local:%H.%M} WITA" in listing
    assert f"{local:%H.%M} WITA" in page


def test_story_admin_names_the_library_s_zone_everywhere_a_time_is_shown(
    client_for, perpusnas, regions
):
    library = factories.village_library("91.03.01.3007")
    story = StoryFactory(library=library, status=Story.Status.DRAFT)
    client = client_for(perpusnas)

    listing = _words(client.get(reverse("admin:impact_story_changelist")))
    page = _words(client.get(reverse("admin:impact_story_change", args=[story.pk])))

    assert re.search(r"\d{2}\.\d{2} WIT\b", listing)
    # The story's own times (started, last changed), in WIT.
    assert len(re.findall(r"\d{2}\.\d{2} WIT\b", page)) == 2
    assert "WIB" not in page and "WITA" not in page


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:libraries_activity_changelist",
        "admin:libraries_library_changelist",
        "admin:events_participant_changelist",
        "admin:impact_consent_changelist",
        "admin:impact_reviewevent_changelist",
    ],
)
def test_every_time_in_an_admin_list_names_its_zone(client_for, perpusnas, one_of_each, changelist):
    words = _words(client_for(perpusnas).get(reverse(changelist)))

    times = re.findall(r"\d{1,2}\.\d{2}(?: [A-Z]{3,4})?", words)
    assert all(time.endswith(("WIB", "WITA", "WIT")) for time in times), times


def _empty_inlines(page) -> dict:
    """The management forms of the page's inlines, with no row changed."""
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[f"{prefix}-{name}"] = management.initial.get(name, field.initial) or 0
        for index, form in enumerate(formset.formset.initial_forms):
            for name in form.fields:
                value = form[name].value()
                if value is not None:
                    data[f"{prefix}-{index}-{name}"] = getattr(value, "pk", value)
    return data
