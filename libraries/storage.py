"""Where files that carry personal data live, and how they leave it.

Attendance sheets carry names and signatures; photos show people; agreements are signed. They go
to the storage named ``private`` in ``settings.STORAGES``: a private folder under ``MEDIA_ROOT``
on one host, or a private prefix of the object storage bucket when the portal runs on several.
Nothing here has a public URL: files are handed out only by views that first check the reader's
scope (for example ``reporting:evidence-file``), with ``file_response``.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404
from django.utils.functional import LazyObject, cached_property

PRIVATE = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """The private folder on the local disk (the default without object storage)."""

    @cached_property
    def base_location(self):
        # Follows MEDIA_ROOT when it changes (tests), like the default storage does.
        return os.path.join(settings.MEDIA_ROOT, "private")

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view.")


class PrivateStorage(LazyObject):
    """The storage ``STORAGES["private"]`` names, looked up at each use.

    Model fields hold this stand-in, so that their migrations say ``PrivateStorage()`` whatever
    the settings choose (disk or object storage), and so that a test can switch the backend.
    """

    @property
    def _wrapped(self):
        # Always the configured backend (Django renews ``storages`` when STORAGES changes). The
        # property hides the "not set up" marker that LazyObject.__init__ stores.
        return storages[PRIVATE]

    def deconstruct(self):
        return f"{type(self).__module__}.{type(self).__qualname__}", (), {}

    def url(self, name):
        # Also on object storage, where the backend could sign a URL that anyone could use.
        raise ValueError("Private files have no public URL; serve them through a view.")


private_storage = PrivateStorage()


def open_stream(file):
    """``(readable, size)`` of a stored file, read in blocks while it is sent.

    On object storage, django-storages' file would first copy the whole object into memory or a
    temporary file; its boto3 object streams instead. Raises ``FileNotFoundError``.
    """
    handle = file.storage.open(file.name, "rb")
    s3_object = getattr(handle, "obj", None)  # django-storages' S3File, already checked to exist
    if s3_object is None:
        return handle, handle.size
    answer = s3_object.get()
    return answer["Body"], answer["ContentLength"]


def file_response(
    file,
    *,
    content_type: str,
    cache_control: str,
    filename: str = "",
    as_attachment: bool = False,
) -> FileResponse:
    """Stream a private file to a reader whose scope the caller has checked; 404 if it is gone."""
    if not file:
        raise Http404
    try:
        stream, size = open_stream(file)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        stream,
        content_type=content_type,
        as_attachment=as_attachment,
        filename=filename or os.path.basename(file.name),
    )
    response["Content-Length"] = str(size)
    response["Cache-Control"] = cache_control
    return response
