"""Files a user chose, kept for a while when the server refuses their form for another reason.

Browsers empty a file input whenever a page is rendered again, so a form refused for a missing
title would make a librarian on a phone find and pick the same photos again. A form that keeps
its files (``KeepsChosenFiles``) hands every upload its own checks accepted to the private
storage, under ``held/<user id>/``, and the page carries a signed token for each in a hidden
field (``<field>-held``), shown as "Foto tersimpan: ... (hapus)". The next submit that brings no
new file for that field takes the held one; ticking "hapus" drops it, choosing another file
replaces it.

A token names its user and expires after ``HOLD_HOURS``: nobody else can claim a file, and a
stale page cannot either. Held files are deleted when they are replaced or dropped, when their
time is up, and ``USED_GRACE`` after their form was saved (a second tap on the same page, sent
after the first was saved, still finds them and is recognised as the same submit instead of
being refused for a missing file). Each refusal sweeps the user's files that are due, and
``manage.py purge_held_files`` those of users who never came back.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from libraries.storage import private_storage

HOLD_HOURS = 24
FOLDER = "held"
_SALT = "libraries.held_files"
_MAX_AGE = datetime.timedelta(hours=HOLD_HOURS)
USED_GRACE = datetime.timedelta(minutes=15)
# Beside a held file whose form was saved: the time it was saved is this marker's.
_USED = ".used"

LOST_MESSAGE = _(
    "The file kept from your earlier attempt is no longer on the server (it is kept for "
    "%(hours)d hours): choose it again."
)


@dataclass(frozen=True)
class HeldFile:
    """A file waiting on the server for its form to be sent again."""

    token: str
    name: str  # where it is in the private storage
    filename: str  # as the user's device called it
    content_type: str


class HeldUpload(SimpleUploadedFile):
    """A held file handed back to its form as if it had just been uploaded."""

    held: HeldFile


def _user_folder(user) -> str:
    return f"{FOLDER}/{user.pk}/"


def hold(*, user, upload) -> HeldFile:
    """Keep ``upload`` (an uploaded file its form accepted) for ``user``; returns its token."""
    upload.seek(0)
    name = private_storage.save(f"{_user_folder(user)}{uuid.uuid4().hex}", upload)
    filename = (upload.name or "file").rsplit("/", 1)[-1][:200]
    content_type = getattr(upload, "content_type", None) or "application/octet-stream"
    token = signing.dumps(
        {"u": user.pk, "n": name, "f": filename, "t": content_type}, salt=_SALT, compress=True
    )
    return HeldFile(token=token, name=name, filename=filename, content_type=content_type)


def read_token(*, user, token: str) -> HeldFile | None:
    """The held file a token names, if the token is sound, the user's own and not expired."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=_MAX_AGE)
    except signing.BadSignature:
        return None
    name = str(data.get("n", ""))
    if data.get("u") != user.pk or not name.startswith(_user_folder(user)) or ".." in name:
        return None
    return HeldFile(
        token=token,
        name=name,
        filename=str(data.get("f", "file")),
        content_type=str(data.get("t", "application/octet-stream")),
    )


def claim(*, user, token: str) -> HeldUpload | None:
    """The held file as an upload, or None if it cannot be had (expired, swept, not theirs)."""
    held = read_token(user=user, token=token)
    if held is None or not private_storage.exists(held.name):
        return None
    with private_storage.open(held.name, "rb") as handle:
        content = handle.read()
    upload = HeldUpload(held.filename, content, held.content_type)
    upload.held = held
    return upload


def discard(*held: HeldFile) -> None:
    for item in held:
        private_storage.delete(item.name)
        private_storage.delete(item.name + _USED)


def mark_used(*held: HeldFile) -> None:
    """The form these files were kept for was saved: they go after ``USED_GRACE``."""
    for item in held:
        if not private_storage.exists(item.name + _USED):
            private_storage.save(item.name + _USED, ContentFile(b""))


def sweep(*, user=None, now: datetime.datetime | None = None) -> int:
    """Delete held files past their time: the user's, or everybody's. Returns how many."""
    now = now or timezone.now()
    cutoff = now - _MAX_AGE
    folders = [_user_folder(user)] if user is not None else []
    if user is None:
        try:
            users, _files = private_storage.listdir(FOLDER)
        except FileNotFoundError:
            return 0
        folders = [f"{FOLDER}/{name}/" for name in users]
    deleted = 0
    for folder in folders:
        try:
            _dirs, files = private_storage.listdir(folder)
        except FileNotFoundError:
            continue
        for filename in files:
            name = folder + filename
            try:
                modified = private_storage.get_modified_time(name)
            except FileNotFoundError:  # its marker's turn came first
                continue
            if filename.endswith(_USED):
                if modified < now - USED_GRACE:
                    private_storage.delete(name.removesuffix(_USED))
                    private_storage.delete(name)
                    deleted += 1
            elif modified < cutoff:
                private_storage.delete(name)
                private_storage.delete(name + _USED)
                deleted += 1
    return deleted


def _all_values(data, key: str) -> list:
    """Every value of ``key`` in the posted data (one per hidden field of the same name)."""
    if hasattr(data, "getlist"):
        return data.getlist(key)
    value = data.get(key)
    return [value] if value else []


class KeepsChosenFiles(forms.BaseForm):
    """A form whose accepted files survive a refusal (see the module's docstring).

    The view calls ``keep_files(user)`` once the bound form is made (before it is checked),
    ``hold_files()`` when it renders the form again after a refusal, and ``release_files()``
    once the form's content is saved. Templates show the held files with
    ``{% include "includes/held_files.html" with field=form.<name> %}``.
    """

    held_files: dict[str, list[HeldFile]]
    _held_lost: set[str]
    _held_user = None

    def _file_field_names(self) -> list[str]:
        return [name for name, field in self.fields.items() if isinstance(field, forms.FileField)]

    def keep_files(self, user) -> None:
        self._held_user = user
        self.held_files = {}
        self._held_lost = set()
        if not self.is_bound:
            return
        files: MultiValueDict = self.files.copy() if self.files is not None else MultiValueDict()
        for name in self._file_field_names():
            key = self.add_prefix(name)
            tokens = [token for token in _all_values(self.data, f"{key}-held") if token]
            given = [held for token in tokens if (held := read_token(user=user, token=token))]
            chosen = [upload for upload in files.getlist(key) if upload]
            if chosen or self.data.get(f"{key}-held-clear"):
                # A new choice replaces what was kept; "hapus" drops it.
                discard(*given)
                continue
            restored = [upload for token in tokens if (upload := claim(user=user, token=token))]
            if len(restored) < len(tokens):
                self._held_lost.add(name)
                discard(*(upload.held for upload in restored))
                continue
            if restored:
                files.setlist(key, restored)
                self.held_files[name] = [upload.held for upload in restored]
        self.files = files

    def clean(self):
        cleaned = super().clean()
        for name in getattr(self, "_held_lost", ()):
            self.add_error(name, LOST_MESSAGE % {"hours": HOLD_HOURS})
        return cleaned

    def hold_files(self) -> None:
        """Keep the files the form's checks accepted, for the page that shows it again."""
        user = self._held_user
        if user is None or not self.is_bound:
            return
        sweep(user=user)
        for name in self._file_field_names():
            key = self.add_prefix(name)
            uploads = [upload for upload in self.files.getlist(key) if upload]
            if name in self.errors or not uploads:
                # Refused files are not kept; nor what was kept for them.
                discard(*self.held_files.pop(name, []))
                continue
            self.held_files[name] = [
                upload.held if isinstance(upload, HeldUpload) else hold(user=user, upload=upload)
                for upload in uploads
            ]

    def release_files(self) -> None:
        """The form was saved: what was kept for it goes once a repeated submit is unlikely."""
        for held in getattr(self, "held_files", {}).values():
            mark_used(*held)
        self.held_files = {}
