"""With a task worker, a committed change rebuilds the dashboards' figures in the background:
the next reader gets them from the cache instead of scanning the tables on their request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from libraries import data_version
from libraries.data_version import NATIONAL, province_data_changed
from tests import factories
from tpbis_portal.overview import tasks

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_committed_change_rebuilds_the_national_dashboard_figures(
    client_for, perpusnas, village_library, monkeypatch, django_capture_on_commit_callbacks
):
    factories.ActivityFactory(library=village_library)
    client, url = client_for(perpusnas), reverse("dashboard:national")
    client.get(url)
    warm = _queries(client, url)

    # Without a worker, the first reader after a change computes the figures.
    monkeypatch.setattr(data_version, "_after_change", [])
    with django_capture_on_commit_callbacks(execute=True):
        province_data_changed("64")
    cold = _queries(client, url)

    # With one, the rebuild task has done it by the time the reader comes.
    monkeypatch.setattr(data_version, "_after_change", [tasks.queue_rebuild])
    with django_capture_on_commit_callbacks(execute=True):
        province_data_changed("64")
    rebuilt = _queries(client, url)

    # The figures come from the rebuilt aggregates; only the page around them is rendered.
    assert (warm, rebuilt) == (3, 4)
    assert rebuilt < cold


def _figures(client, url) -> str:
    """The dashboard's figures: the page's main part (the menu around it carries a token)."""
    page = client.get(url).content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_with_a_worker_the_first_reader_after_a_change_gets_the_figures_on_hand_at_once(
    client_for, perpusnas, village_library, monkeypatch, settings
):
    settings.TASKS_BACKEND = "database"
    monkeypatch.setattr(data_version, "_after_change", [])  # the worker has not run yet
    factories.ActivityFactory(library=village_library, participants_male=3)
    client, url = client_for(perpusnas), reverse("dashboard:national")
    before = _figures(client, url)
    warm = _queries(client, url)

    factories.ActivityFactory(library=village_library, participants_male=4000)
    province_data_changed(village_library.province_id)
    # No scan on this request: the figures rendered before the change, with their time.
    assert _queries(client, url) == warm == 3
    assert _figures(client, url) == before

    # Once the worker has rebuilt the aggregates, the next reader sees the new figures.
    current = data_version.data_version(NATIONAL)
    tasks.rebuild_aggregates.call(
        province_codes=[village_library.province_id], national_version=current
    )
    after = _figures(client, url)
    assert "4.003" not in before and "4.003" in after


def test_without_a_worker_a_change_shows_on_the_dashboard_at_once(
    client_for, perpusnas, village_library
):
    factories.ActivityFactory(library=village_library, participants_male=3)
    client, url = client_for(perpusnas), reverse("dashboard:national")
    before = _figures(client, url)
    factories.ActivityFactory(library=village_library, participants_male=4000)
    province_data_changed(village_library.province_id)
    after = _figures(client, url)
    assert "4.003" not in before and "4.003" in after


def test_a_rebuild_overtaken_by_a_newer_change_does_nothing(regions):
    old = data_version.data_version(NATIONAL)
    province_data_changed("64")
    assert tasks.rebuild_aggregates.call(province_codes=["64"], national_version=old) == 0
    current = data_version.data_version(NATIONAL)
    assert tasks.rebuild_aggregates.call(province_codes=["64"], national_version=current) == 8


def _kab_kota_page(samarinda_library) -> str:
    from libraries.models import Regency
    from tpbis_portal.overview.addresses import regency_url

    return regency_url(Regency.objects.select_related("province").get(code="64.72"))


@pytest.mark.parametrize("language", ["id", "en"])
def test_after_a_change_the_worker_renders_the_kab_kota_pages_of_the_province(
    client, village_library, monkeypatch, django_capture_on_commit_callbacks, language
):
    client.cookies["tpbis_language"] = language
    factories.ActivityFactory(library=village_library, date=timezone.localdate())
    url = _kab_kota_page(village_library)
    assert "Handil Bakti" not in client.get(url).content.decode()

    newcomer = factories.village_library("64.72.01.1002", name="Perpustakaan Handil Bakti")
    monkeypatch.setattr(data_version, "_after_change", [tasks.queue_rebuild])
    with django_capture_on_commit_callbacks(execute=True):
        province_data_changed(newcomer.province_id)

    # The page around the sections is rendered anew (the kab/kota is looked up); its figures,
    # report card and list were rendered by the worker, and show the change.
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    assert len(captured.captured_queries) == 1
    assert "Perpustakaan Handil Bakti" in page


def test_without_a_worker_a_change_shows_on_the_kab_kota_page_at_once(
    client, village_library, monkeypatch
):
    monkeypatch.setattr(data_version, "_after_change", [])
    url = _kab_kota_page(village_library)
    client.get(url)
    warm = _queries(client, url)

    factories.village_library("64.72.01.1002", name="Perpustakaan Handil Bakti")
    province_data_changed("64")

    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    assert "Perpustakaan Handil Bakti" in page
    assert warm == 0 < len(captured.captured_queries)


def test_a_change_in_another_province_leaves_the_kab_kota_page_as_rendered(
    client, village_library, berau_library, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(data_version, "_after_change", [tasks.queue_rebuild])
    url = _kab_kota_page(village_library)
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        province_data_changed("21")
    assert _queries(client, url) == 0
