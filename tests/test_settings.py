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


def test_production_settings_pass_the_deployment_checklist():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" * 20 + "production-secret-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="tpbis.perpusnas.go.id",
        SITE_URL="https://tpbis.perpusnas.go.id",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deployment_checklist_asks_for_the_site_url_that_emails_link_to():
    result = _manage(
        "check",
        "--deploy",
        SECRET_KEY="k" * 20 + "production-secret-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="tpbis.perpusnas.go.id",
    )

    assert "SITE_URL" in result.stderr + result.stdout


def test_development_links_point_at_the_development_server():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        DEBUG="1",
    )

    assert result.stdout.strip() == "http://127.0.0.1:8000", result.stderr


def test_production_without_a_secret_key_fails_loudly():
    result = _manage("check", ALLOWED_HOSTS="tpbis.perpusnas.go.id")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
