"""The cache: public page copies keyed on what a page reads, Redis shared by every process, and
pages that keep working, uncached, while Redis is away."""

import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from libraries.data_version import data_version
from libraries.models import Library
from libraries.services import library_update
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
KEPRI = "/provinsi/21-kepulauan-riau/"
BARAT = "Perpustakaan Kelurahan Tanjung Pinang Barat"


@pytest.fixture
def kepri(regions):
    return factories.kepri_registry()


# Keys of the public page copies ---------------------------------------------------------------


def test_parameters_a_page_does_not_read_are_served_its_cached_copy(
    client, kepri, django_assert_num_queries
):
    client.get(KEPRI + "?q=barat")

    with django_assert_num_queries(0):
        response = client.get(KEPRI + "?utm_source=whatsapp&q=barat&fbclid=x1")

    assert response.status_code == 200
    assert BARAT in response.text
    # Nor do they leak into the copy's links (the language switch, the directory pages).
    assert "utm_source" not in response.text and "fbclid" not in response.text


def test_a_copy_rendered_for_an_unread_parameter_does_not_carry_it_to_other_visitors(client, kepri):
    client.get(KEPRI + "?utm_source=whatsapp")

    page = client.get(KEPRI).text

    assert "utm_source" not in page
    assert f'name="next" value="{KEPRI}"' in page


def test_parameters_a_page_reads_get_a_copy_of_their_own(client, kepri):
    everything = client.get(KEPRI).text

    searched = client.get(KEPRI + "?q=tidak-ada-yang-cocok").text

    assert BARAT in everything
    assert BARAT not in searched


def test_index_and_library_pages_ignore_every_parameter(client, kepri, django_assert_num_queries):
    library = reverse(
        "public:library",
        kwargs={
            "code": "21",
            "slug": "kepulauan-riau",
            "pk": kepri["barat"].pk,
            "library_slug": "perpustakaan-kelurahan-tanjung-pinang-barat",
        },
    )
    client.get("/provinsi/")
    client.get(library)

    with django_assert_num_queries(0):
        assert client.get("/provinsi/?ref=beranda").status_code == 200
        assert client.get(library + "?page=3").status_code == 200


# Redis -----------------------------------------------------------------------------------------


@pytest.fixture
def redis_cache(settings, redis_server):
    """The portal's cache and sessions on a private Redis that the test may stop; no pause
    between tries."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CACHES = {
        "default": {
            "BACKEND": "tpbis_portal.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "tpbis",
            "OPTIONS": {"retry_after": 0},
        }
    }
    return redis_server


def test_public_pages_and_data_versions_are_kept_in_redis(
    client, kepri, redis_cache, django_assert_num_queries
):
    client.get(KEPRI)

    keys = {key.decode() for key in redis_cache.client().keys("*")}
    assert any(":tpbis:page:" in key for key in keys)
    assert any(key.endswith(":tpbis:data-version:21") for key in keys)
    with django_assert_num_queries(0):
        assert BARAT in client.get(KEPRI).text


def test_pages_are_served_uncached_without_errors_while_redis_is_away(
    client, client_for, consultant, kepri, redis_cache, caplog, django_assert_max_num_queries
):
    signed_in = client_for(consultant)
    client.get(KEPRI)
    redis_cache.stop()

    with caplog.at_level(logging.WARNING, logger="tpbis_portal.cache"):
        pages = [client.get(url) for url in (KEPRI, "/provinsi/", KEPRI + "?q=barat")]
        # The session is read from the database: nobody is signed out.
        dashboard = signed_in.get(reverse("dashboard"))

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert BARAT in pages[0].text
    assert dashboard.status_code == 200 and "konsultan" in dashboard.text.lower()
    assert "cannot be reached" in caplog.text

    redis_cache.start()
    client.get(KEPRI)
    with django_assert_max_num_queries(0):
        assert client.get(KEPRI).status_code == 200  # cached again


def test_a_change_made_while_redis_was_away_shows_when_it_comes_back_from_a_snapshot(
    client, kepri, perpusnas, redis_cache, django_capture_on_commit_callbacks
):
    barat = Library.objects.get(pk=kepri["barat"].pk)
    assert BARAT in client.get(KEPRI).text
    before = data_version("21")
    redis_cache.snapshot()

    # The renewed data version is lost while Redis is away, and the snapshot brings back the
    # old one with the page copy made under it...
    redis_cache.stop()
    with django_capture_on_commit_callbacks(execute=True):
        library_update(
            actor=perpusnas, library=barat, version=barat.version, status=Library.Status.INACTIVE
        )
    redis_cache.start()
    assert redis_cache.client().dbsize() > 0

    # ...so the process that lost the write empties the cache rather than serve that copy.
    after = client.get(KEPRI).text
    assert BARAT not in after
    assert data_version("21") != before


def test_a_session_signed_out_while_redis_was_away_stays_dead_when_it_comes_back(
    client_for, consultant, redis_cache, settings
):
    browser = client_for(consultant)
    assert browser.get(reverse("dashboard")).status_code == 200
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    redis_cache.snapshot()

    redis_cache.stop()
    browser.post(reverse("logout"))
    redis_cache.start()

    # Someone who kept the cookie (a shared computer, a stolen cookie) is not let back in.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_cache_errors_count_as_misses_for_every_operation(redis_cache):
    redis_cache.stop()

    cache.set("a", 1)
    cache.set_many({"b": 2})
    assert cache.get("a", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("c", 3) is False
    assert "a" not in cache
    assert cache.delete("a") is False
    assert cache.touch("a") is False
    with pytest.raises(ValueError):
        cache.incr("a")
    assert data_version("21")  # a token of its own: every read misses


# The machine's Redis, over TCP as in production (.ci/run starts it) ---------------------------


@pytest.fixture
def machine_redis(settings):
    url = os.environ.get("TPBIS_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url} (.ci/run starts one)")
    settings.CACHES = {
        "default": {
            "BACKEND": "tpbis_portal.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "tpbis",
        }
    }
    return url


def _in_another_process(redis_url: str, code: str) -> str:
    """What a second app process sees of ``code``'s data version after renewing it."""
    script = (
        "from libraries.data_version import data_version, _renew\n"
        f"print(data_version({code!r}))\n"
        f"_renew([{code!r}])\n"
    )
    environment = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    environment.update(
        DJANGO_SETTINGS_MODULE="tpbis_portal.settings",
        TPBIS_IGNORE_DOTENV="1",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="tpbis.example",
        DATABASE_URL="sqlite:///:memory:",
        REDIS_URL=redis_url,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_data_versions_are_shared_by_the_processes_of_every_host(machine_redis):
    code = f"test-{uuid.uuid4().hex}"  # a key of this test's own in the shared Redis
    try:
        here = data_version(code)

        there = _in_another_process(machine_redis, code)

        assert there == here
        assert data_version(code) != here  # renewed by the other process
    finally:
        cache.delete(f"tpbis:data-version:{code}")
