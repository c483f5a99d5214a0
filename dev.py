#!/usr/bin/env python3
"""Set up and run TPBIS Portal on a fresh machine with nothing but Python 3.11+.

    python3 dev.py start   # install, prepare SQLite with regions and demo data, serve :8000
    python3 dev.py test    # install, then run the whole test suite (pytest arguments pass on)

Both create the virtual environment in .venv and install the pinned dependencies the first
time, and again whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".tpbis-installed"
CHROMIUM = Path("/usr/bin/chromium")


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str | Path, env: dict | None = None) -> None:
    subprocess.run([str(arg) for arg in args], cwd=ROOT, check=True, env=env)


def install() -> None:
    if sys.version_info < (3, 11):
        sys.exit("TPBIS Portal needs Python 3.11 or newer.")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        run(sys.executable, "-m", "venv", VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        say("Installing the pinned dependencies")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--editable", ".[dev]")
        STAMP.write_text(wanted)
    say("Compiling the translation catalogues")
    run(
        PYTHON,
        "-m",
        "babel.messages.frontend",
        "compile",
        "--directory",
        "locale",
        "--domain",
        "django",
        "--statistics",
    )


def local_env() -> dict:
    """Settings for local development, kept in .env (never committed)."""
    dotenv = ROOT / ".env"
    if not dotenv.exists():
        dotenv.write_text(
            "# Local development settings, written by dev.py. Not for production.\n"
            "DEBUG=1\n"
            f"SECRET_KEY=dev-{secrets.token_urlsafe(40)}\n"
        )
    return dict(os.environ)


def start() -> None:
    install()
    env = local_env()
    manage = (PYTHON, "manage.py")
    say("Preparing the database")
    run(*manage, "migrate", "--no-input", env=env)
    say("Loading the region register (38 provinces, 83,762 desa/kelurahan)")
    run(*manage, "load_regions", env=env)
    say("Loading demo libraries and accounts")
    run(*manage, "load_demo_data", env=env)
    say("Serving TPBIS Portal at http://127.0.0.1:8000 (Ctrl+C to stop)")
    os.chdir(ROOT)
    os.execve(PYTHON, [str(PYTHON), "manage.py", "runserver", "127.0.0.1:8000"], env)


def ensure_chromium() -> None:
    """Browser tests drive Debian's Chromium; install it where we can."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("Installing Chromium for the browser tests")
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "chromium")
    else:
        say("Chromium is not installed at /usr/bin/chromium: browser tests will be skipped.")


def test(args: list[str]) -> None:
    install()
    ensure_chromium()
    env = dict(os.environ)
    database = env.get("DATABASE_URL", "SQLite")
    say(f"Running the test suite on {database.split('@')[-1]}")
    # Two workers: the suite is mostly waiting on the database and the browser.
    parallel = [] if any(arg.startswith("-n") for arg in args) else ["-n", "2"]
    completed = subprocess.run([str(PYTHON), "-m", "pytest", *parallel, *args], cwd=ROOT, env=env)
    sys.exit(completed.returncode)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "start":
        start()
    elif command == "test":
        test(sys.argv[2:])
    elif command == "install":
        install()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
