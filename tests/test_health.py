"""Liveness (/health/, also the benchmark's trivial page) and readiness (/health/ready/) for the
load balancer: what this host reaches, named without secrets, never cached."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.servers import S3_ACCESS_KEY, S3_SECRET_KEY
from tpbis_portal.object_storage import s3_storages

ROOT = Path(__file__).resolve().parent.parent
READY = reverse("ready")


def test_liveness_page_stays_trivial(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.content.startswith(b"<!doctype html>")


def test_readiness_checks_the_database_and_skips_services_not_configured(client, db):
    response = client.get(READY)

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "skipped", "storage": "skipped"},
    }
    assert "no-store" in response["Cache-Control"]


def test_readiness_refuses_other_methods(client, db):
    assert client.post(READY).status_code == 405


def test_readiness_checks_redis_and_names_it_when_it_is_away(client, db, settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "tpbis_portal.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
        }
    }
    assert client.get(READY).json()["checks"]["cache"] == "ok"

    redis_server.stop()
    response = client.get(READY)

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "failed", "storage": "skipped"},
    }
    assert "redis.sock" not in response.text and "Error" not in response.text


def _storages(settings, endpoint_url: str, bucket: str, secret_key: str = S3_SECRET_KEY):
    return {
        **s3_storages(
            bucket=bucket,
            endpoint_url=endpoint_url,
            access_key=S3_ACCESS_KEY,
            secret_key=secret_key,
            region_name="us-east-1",
        ),
        "staticfiles": settings.STORAGES["staticfiles"],
    }


def test_readiness_checks_the_bucket(client, db, settings, s3_endpoint):
    settings.STORAGES = _storages(settings, s3_endpoint.url, s3_endpoint.new_bucket())

    response = client.get(READY)

    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == "ok"


def test_readiness_names_a_missing_bucket_without_its_address(client, db, settings, s3_endpoint):
    settings.STORAGES = _storages(settings, s3_endpoint.url, "tpbis-no-such-bucket")

    response = client.get(READY)

    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "failed"
    for secret in ("tpbis-no-such-bucket", s3_endpoint.url, S3_ACCESS_KEY, S3_SECRET_KEY):
        assert secret not in response.text


def test_readiness_names_a_database_it_cannot_open(tmp_path):
    # A real server process whose database file cannot be opened.
    script = (
        "from django.test import Client;"
        "r = Client().get('/health/ready/', HTTP_HOST='tpbis.example');"
        "print(r.status_code, r.content.decode())"
    )
    environment = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    environment.update(
        DJANGO_SETTINGS_MODULE="tpbis_portal.settings",
        TPBIS_IGNORE_DOTENV="1",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="tpbis.example",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body)["checks"] == {
        "database": "failed",
        "cache": "skipped",
        "storage": "skipped",
    }
    assert "missing" not in body


@pytest.mark.parametrize("path", ["/health/", READY])
def test_health_pages_answer_the_load_balancer_over_plain_http(client, db, settings, path):
    # Production redirects everything else to HTTPS.
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(path).status_code == 200
    assert client.get("/provinsi/").status_code == 301
