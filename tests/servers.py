"""Local stand-ins for the services of a production deployment, on addresses the OS picks.

- ``s3_endpoint``: moto's S3 in server mode (a thread of the test process), for the object
  storage tests and the multi-host check; skipped where moto is not installed.
- ``redis_server``: a private ``redis-server`` on a socket of its own, which a test may stop and
  start again, from a snapshot if it took one (never the machine's Redis); skipped where
  redis-server is missing.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
import redis

S3_ACCESS_KEY = "tpbis-test-access"
S3_SECRET_KEY = "tpbis-test-secret"


@dataclass
class S3Endpoint:
    url: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=S3_ACCESS_KEY,
            aws_secret_access_key=S3_SECRET_KEY,
            region_name="us-east-1",
        )

    def new_bucket(self) -> str:
        name = f"tpbis-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> set[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return {item["Key"] for item in listing.get("Contents", [])}

    def environment(self, bucket: str) -> dict[str, str]:
        """The variables that put a portal process on this endpoint (README, "Deployment")."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY,
        }


@pytest.fixture(scope="session")
def s3_endpoint():
    server_module = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Endpoint(f"http://{host}:{port}")
    finally:
        server.stop()


class RedisServer:
    """A redis-server of the test's own on a Unix socket, saving only when asked to."""

    def __init__(self):
        # Short path: Unix socket addresses are limited to about 100 characters.
        self.directory = Path(tempfile.mkdtemp(prefix="tpbis-redis-"))
        self.socket = self.directory / "redis.sock"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}?db=0"

    def client(self):
        return redis.Redis(unix_socket_path=str(self.socket), socket_timeout=5)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("redis-server stopped while starting")
            try:
                if self.client().ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)  # not listening yet
        raise RuntimeError("redis-server did not answer within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None
        self.socket.unlink(missing_ok=True)

    def snapshot(self) -> None:
        """Save every key now; the next start loads them again (like a restore)."""
        self.client().save()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def redis_server():
    if not RedisServer.available():
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.close()
