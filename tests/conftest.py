"""The people and places every test can ask for by name.

- ``perpusnas``: Perpusnas staff, national scope.
- ``consultant``: consultant for Kalimantan Timur.
- ``district_librarian``: librarian of the Kota Samarinda library.
- ``village_librarian``: librarian of the Kelurahan Rawa Makmur library (Samarinda).
- ``tbm_manager``: Pengelola TBM of a Taman Bacaan Masyarakat (``tbm``) in Rawa Makmur.
- ``outsider``: consultant for Kepulauan Riau, another province.
- ``client``: an anonymous visitor; ``client_for(user)`` signs a user in.
"""

import os
from pathlib import Path

import pytest
from django.test import Client

from libraries.models import User
from libraries.regions_loader import load_regions
from tests import factories

DATA = Path(__file__).resolve().parent / "data"

pytest_plugins = ["tests.browser", "tests.servers", "tests.world"]

# Playwright's sync API runs an event loop in the test thread; the live server and the
# test's own database calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def regions(db):
    load_regions(path=DATA / "regions_small.csv")


@pytest.fixture
def samarinda_library(regions):
    return factories.district_library("64.72")


@pytest.fixture
def berau_library(regions):
    return factories.district_library("64.03")


@pytest.fixture
def village_library(samarinda_library):
    return factories.village_library("64.72.01.1001", name="Perpustakaan Kelurahan Rawa Makmur")


@pytest.fixture
def berau_village_library(berau_library):
    return factories.village_library("64.03.01.2001", name="Perpustakaan Desa Merabu")


@pytest.fixture
def tbm(samarinda_library):
    """A Taman Bacaan Masyarakat in Kelurahan Rawa Makmur, beside its village library."""
    return factories.tbm_library("64.72.01.1001", name="TBM Cahaya Rawa Makmur")


@pytest.fixture
def tbm_manager(tbm):
    """The Pengelola TBM of ``tbm``."""
    return factories.librarian("pengelola.tbm", tbm)


@pytest.fixture
def kepri_library(regions):
    return factories.village_library("21.72.01.1001", name="Perpustakaan Tanjung Pinang Barat")


@pytest.fixture
def perpusnas(regions):
    return factories.UserFactory(username="perpusnas", role=User.Role.PERPUSNAS, is_staff=True)


@pytest.fixture
def consultant(regions):
    return factories.consultant("konsultan.kaltim", "64")


@pytest.fixture
def outsider(regions):
    return factories.consultant("konsultan.kepri", "21")


@pytest.fixture
def district_librarian(samarinda_library):
    return factories.librarian("pustakawan.samarinda", samarinda_library)


@pytest.fixture
def village_librarian(village_library):
    return factories.librarian("pustakawan.rawamakmur", village_library)


@pytest.fixture
def one_of_each(perpusnas, village_library, plm):
    """A row of every model of the portal (``factories.one_of_each_model``), by model name."""
    return factories.one_of_each_model(perpusnas=perpusnas, library=village_library, event=plm)


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached aggregates never leak from one test's database into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# Events and attendance


@pytest.fixture
def plm(perpusnas):
    """PLM Provinsi Kalimantan Timur, Hotel Harris Samarinda, 4-6 July 2022 (WITA)."""
    return factories.event(actor=perpusnas)


@pytest.fixture
def plm_day_one(plm):
    return plm.sessions.order_by("date").first()


@pytest.fixture
def kepri_bimtek(perpusnas):
    """Bimtek SPP-TIK at CK Hotel Tanjungpinang, 5-9 June 2023 (WIB)."""
    import datetime

    return factories.event(
        actor=perpusnas,
        province_code="21",
        kind="bimtek",
        title="Bimtek SPP-TIK Kepulauan Riau",
        venue="CK Hotel Tanjungpinang",
        first_day=datetime.date(2023, 6, 5),
        days=5,
    )
