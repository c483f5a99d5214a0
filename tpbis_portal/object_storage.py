"""The uploads' storages on S3-compatible object storage (django-storages), for ``STORAGES``.

One bucket, never public: the private files (``STORAGES["private"]``, see libraries.storage)
under ``private/``, anything given to Django's default storage under ``media/``. Only the
portal's views read the files, after checking the reader's scope.
"""

from __future__ import annotations

from botocore.config import Config

BACKEND = "storages.backends.s3.S3Storage"


def s3_storages(
    *,
    bucket: str,
    endpoint_url: str,
    access_key: str,
    secret_key: str,
    region_name: str | None = None,
    addressing_style: str = "path",
) -> dict:
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url,
        "access_key": access_key,
        "secret_key": secret_key,
        "region_name": region_name,
        # No ACL on objects: the bucket's own policy (never public) decides, as it must on
        # providers that refuse ACLs.
        "default_acl": None,
        # A second upload under a taken name gets a name of its own, as on the local disk.
        "file_overwrite": False,
        # A signed URL, should one ever be made, expires after five minutes.
        "querystring_auth": True,
        "querystring_expire": 300,
        # A file read whole (e.g. into Pillow) spools to disk above this size.
        "max_memory_size": 2_621_440,
        "client_config": Config(
            # Path-style addresses work with every S3-compatible service (MinIO, Ceph, ...).
            s3={"addressing_style": addressing_style},
            signature_version="s3v4",
            # A storage that does not answer fails a request in seconds, not minutes.
            connect_timeout=3,
            read_timeout=20,
            retries={"mode": "standard", "max_attempts": 3},
        ),
    }
    return {
        "default": {"BACKEND": BACKEND, "OPTIONS": {**options, "location": "media"}},
        "private": {"BACKEND": BACKEND, "OPTIONS": {**options, "location": "private"}},
    }
