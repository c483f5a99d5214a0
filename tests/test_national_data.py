"""The national-scale data generator and its per-app hooks."""

import pytest
from django.core.management import CommandError, call_command

from events.dev import generators as events_generators
from events.models import Attendance, Event
from impact.models import Consent, Photo, Story
from impact.services import publish_blockers
from libraries.models import Activity, Library
from tpbis_portal.dev.national_data import generate_national_data


def test_generator_fills_every_level_within_the_registry_rules(regions):
    generated = generate_national_data(libraries=8, scale=0, regions=False, write=lambda line: None)

    libraries = Library.objects.all()
    # The small register has few villages per kab/kota, so fewer than 8 may fit.
    assert generated.total == libraries.count() <= 8
    assert libraries.filter(level="province").count() == 3  # one per province of the register
    assert libraries.filter(level="regency").count() == 1
    assert libraries.filter(level="village").count() >= 1
    for library in libraries:
        library.full_clean()
        if library.level == "village":
            district = libraries.filter(level="regency", regency=library.regency_id).first()
            assert district is not None
            assert library.cohort_year >= district.cohort_year


def test_a_second_run_adds_libraries_where_there_were_none(regions):
    generate_national_data(libraries=5, scale=0, regions=False, write=lambda line: None)

    again = generate_national_data(libraries=5, scale=0, regions=False, write=lambda line: None)

    assert again.provincial == 0
    assert Library.objects.count() == 5 + again.total


def test_each_listed_app_generator_adds_its_volume(regions, monkeypatch):
    calls = []

    def generate(*, rng, scale, write):
        calls.append((Library.objects.count(), scale))

    monkeypatch.setattr(events_generators, "generate", generate)

    generate_national_data(libraries=4, scale=0.001, regions=False, write=lambda line: None)

    # Called once, after the libraries exist, with the requested scale.
    assert calls == [(Library.objects.count(), 0.001)]
    assert calls[0][0] >= 4


@pytest.mark.django_db
def test_command_refuses_outside_local_development(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="pengembangan lokal"):
        call_command("generate_national_data", "--skip-regions")


def test_app_generators_add_reporting_stories_and_events_that_keep_the_rules(regions):
    lines = []

    generate_national_data(libraries=8, scale=0.002, regions=False, write=lines.append)

    # 0.2% of national scale: 200 activities, 40 stories, 6 events, about 300 marks.
    assert Activity.objects.count() == 200
    assert Story.objects.count() == 40
    assert Event.objects.count() == 6
    assert 100 <= Attendance.objects.count() <= 600
    assert any(line.startswith("Reporting: 200 activities") for line in lines)
    for model in (Activity, Story, Event, Attendance, Consent, Photo):
        for row in model.objects.all()[:20]:
            row.full_clean()
    published = Story.objects.filter(status=Story.Status.PUBLISHED)
    # Every published story carries its consents, so every one of them is public...
    assert Story.objects.public().count() == published.count() > 0
    for story in published:
        assert publish_blockers(story) == []
    # ...and a withdrawn story never is.
    assert not Story.objects.public().filter(status=Story.Status.WITHDRAWN).exists()
    for event in Event.objects.select_related("province"):
        dates = event.local_dates()
        assert all(session.date in dates for session in event.sessions.all())
        if event.status == Event.Status.PLANNED:
            assert not Attendance.objects.filter(session__event=event).exists()
