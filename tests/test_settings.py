import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    # A production environment: nothing of the test run's own settings comes along.
    environment = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    environment.update(env, DJANGO_SETTINGS_MODULE="tpbis_portal.settings")
    # No .env file of a developer's checkout may leak into these checks.
    environment["TPBIS_IGNORE_DOTENV"] = "1"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "production-secret-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "tpbis.perpusnas.go.id",
    "SITE_URL": "https://tpbis.perpusnas.go.id",
    "DATABASE_URL": "postgres://tpbis:secret@db.internal:5432/tpbis",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "AWS_STORAGE_BUCKET_NAME": "tpbis-uploads",
    "AWS_S3_ENDPOINT_URL": "https://s3.internal",
    "AWS_ACCESS_KEY_ID": "tpbis-portal",
    "AWS_SECRET_ACCESS_KEY": "object-storage-secret",
}


def _settings(*expressions: str, **env) -> list[str]:
    """``repr`` of each expression over ``settings``, as a process with ``env`` sees them."""
    script = "from django.conf import settings\n" + "\n".join(
        f"print(repr({expression}))" for expression in expressions
    )
    result = _manage("shell", "--no-imports", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_production_settings_pass_the_deployment_checklist():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deployment_checklist_asks_for_redis_shared_by_every_process():
    without_redis = {key: value for key, value in PRODUCTION.items() if key != "REDIS_URL"}

    result = _manage("check", "--deploy", **without_redis)

    assert "REDIS_URL is not set" in result.stderr + result.stdout


def test_production_shares_cache_sessions_and_uploads_across_hosts():
    cache, sessions, storage, location = _settings(
        "settings.CACHES['default']['BACKEND']",
        "settings.SESSION_ENGINE",
        "settings.STORAGES['private']['BACKEND']",
        "settings.STORAGES['private']['OPTIONS']['location']",
        **PRODUCTION,
    )

    assert cache == "'tpbis_portal.cache.ResilientRedisCache'"
    assert sessions == "'django.contrib.sessions.backends.cached_db'"
    # The bucket is never public; the portal's files live under a prefix of their own.
    assert (storage, location) == ("'storages.backends.s3.S3Storage'", "'private'")


def test_without_redis_or_a_bucket_everything_stays_on_the_host():
    cache, sessions, storage = _settings(
        "settings.CACHES['default']['BACKEND']",
        "settings.SESSION_ENGINE",
        "settings.STORAGES['private']['BACKEND']",
        DEBUG="1",
    )

    assert cache == "'django.core.cache.backends.locmem.LocMemCache'"
    # A signed-out session must not live on in another process's memory.
    assert sessions == "'django.contrib.sessions.backends.db'"
    assert storage == "'libraries.storage.PrivateFileSystemStorage'"


def test_a_bucket_without_its_endpoint_and_keys_fails_loudly():
    result = _manage(
        "check",
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
        ALLOWED_HOSTS="tpbis.perpusnas.go.id",
        AWS_STORAGE_BUCKET_NAME="tpbis-uploads",
    )

    assert result.returncode != 0
    assert "AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY" in result.stderr


def test_migrations_do_not_change_with_the_storage_settings():
    local = _manage("makemigrations", "--check", "--dry-run", DEBUG="1")
    bucket = _manage(
        "makemigrations",
        "--check",
        "--dry-run",
        **{**PRODUCTION, "DATABASE_URL": "sqlite:///:memory:"},
    )

    assert local.returncode == 0, local.stdout + local.stderr
    assert bucket.returncode == 0, bucket.stdout + bucket.stderr


def test_postgresql_connections_are_pooled_per_process():
    pool, max_age = _settings(
        "settings.DATABASES['default']['OPTIONS']['pool']",
        "settings.DATABASES['default']['CONN_MAX_AGE']",
        **PRODUCTION,
    )
    unpooled_options, unpooled_max_age = _settings(
        "settings.DATABASES['default']['OPTIONS']",
        "settings.DATABASES['default']['CONN_MAX_AGE']",
        **PRODUCTION,
        DATABASE_POOL="0",
    )

    assert pool == "{'min_size': 2, 'max_size': 4, 'timeout': 10}"
    assert max_age == "0"  # Django refuses persistent connections beside a pool
    assert (unpooled_options, unpooled_max_age) == ("{}", "600")
