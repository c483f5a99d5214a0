"""The national-scale data generator and its per-app hooks."""

import sys
import types

import pytest
from django.core.management import CommandError, call_command

from libraries.models import Library
from tpbis_portal.national_data import generate_national_data


def test_generator_fills_every_level_within_the_registry_rules(regions):
    generated = generate_national_data(libraries=8, regions=False, write=lambda line: None)

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
    generate_national_data(libraries=5, regions=False, write=lambda line: None)

    again = generate_national_data(libraries=5, regions=False, write=lambda line: None)

    assert again.provincial == 0
    assert Library.objects.count() == 5 + again.total


def test_each_app_with_a_generators_module_adds_its_volume(regions, monkeypatch):
    calls = []

    def generate(*, rng, scale, write):
        calls.append((Library.objects.count(), scale))

    monkeypatch.setitem(sys.modules, "events.generators", types.SimpleNamespace(generate=generate))

    generate_national_data(libraries=4, scale=0.5, regions=False, write=lambda line: None)

    # Called once, after the libraries exist, with the requested scale.
    assert calls == [(Library.objects.count(), 0.5)]
    assert calls[0][0] >= 4


@pytest.mark.django_db
def test_command_refuses_outside_local_development(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="pengembangan lokal"):
        call_command("generate_national_data", "--skip-regions")
