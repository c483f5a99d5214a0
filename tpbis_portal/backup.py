"""Backup and restore of everything a deployment holds: every table and every uploaded file.

A backup is one zip file:

- ``manifest.json``: when and from which database it was made, the migrations it was made
  with, and how many rows of each model and files of each storage it holds;
- ``data.jsonl``: every row of every model (as ``dumpdata`` writes them, one object a line,
  primary keys kept, times to the microsecond), history, consents, accounts and sessions
  included;
- ``files/<storage>/<name>``: every file of every storage the models use (private evidence,
  photos and signed forms) and of the default (public) storage, read and written through
  Django's storage API only, so that it works the same once uploads live in object storage.

The rows are plain JSON: a backup made on SQLite restores into PostgreSQL and the other way.
A restore goes into an empty database and empty storages (``replace=True`` empties them first),
and only with the same migrations as the backup: restore with the version that made it, then
upgrade with ``migrate``.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
FILES = "files/"
CHUNK = 1024 * 1024
# Rows that ``migrate`` itself creates; an empty database has them.
CREATED_BY_MIGRATE = (ContentType, Permission)


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why, in the user's language."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    vendor: str
    migrations: list[list[str]]
    rows: dict[str, int]
    files: dict[str, int]

    def as_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "created_at": self.created_at,
                "vendor": self.vendor,
                "migrations": self.migrations,
                "rows": self.rows,
                "files": self.files,
            },
            indent=2,
            sort_keys=True,
        )


# Storages ------------------------------------------------------------------------------------


def _location(storage: Storage) -> str | None:
    """Where a storage keeps its files, when it keeps them on this machine's disk."""
    try:
        return os.path.abspath(storage.path(""))
    except NotImplementedError:
        return None


def storages() -> dict[str, Storage]:
    """Every storage that holds uploads, by a stable name: ``default`` and the storages of the
    models' file fields (by class), one each where several share a place."""
    found: dict[str, Storage] = {"default": default_storage}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                storage = field.storage
                key = f"{type(storage).__module__}.{type(storage).__qualname__}"
                found.setdefault(key, storage)
    unique: dict[str, Storage] = {}
    places: set[str] = set()
    for key, storage in sorted(found.items(), key=lambda item: item[0] != "default"):
        place = _location(storage)
        if place is not None and place in places:
            continue
        if place is not None:
            places.add(place)
        unique[key] = storage
    return unique


def _walk(storage: Storage, skip: set[str], folder: str = ""):
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}{name}"
    for directory in sorted(directories):
        path = f"{folder}{directory}/"
        if path.rstrip("/") not in skip:
            yield from _walk(storage, skip, path)


def stored_files() -> dict[str, list[str]]:
    """The names of every file of every storage (a storage nested in another counts once)."""
    every = storages()
    result = {}
    for key, storage in every.items():
        place = _location(storage)
        skip = set()
        if place is not None:
            for other in every.values():
                inner = _location(other)
                if inner and inner != place and inner.startswith(place + os.sep):
                    skip.add(os.path.relpath(inner, place).replace(os.sep, "/"))
        try:
            result[key] = list(_walk(storage, skip))
        except FileNotFoundError:  # a storage folder not created yet holds nothing
            result[key] = []
    return result


# Backup --------------------------------------------------------------------------------------


def _applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Keeps the microseconds of times, which Django's encoder (and so dumpdata) cuts."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _dumped_models() -> list[type[models.Model]]:
    # Many-to-many rows travel with the model that declares them, as in dumpdata.
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and not model._meta.auto_created
    ]


def _dump_rows(path: Path) -> None:
    """Every row, one JSON object a line (what loaddata reads), in primary-key order."""
    with path.open("w", encoding="utf-8") as stream:
        for model in _dumped_models():
            rows = model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)
            serializers.serialize("jsonl", rows, stream=stream, cls=_ExactJSONEncoder)


def backup_create(*, output: Path) -> Manifest:
    """Write every row and every stored file to the zip file ``output`` (not overwritten)."""
    output = Path(output)
    if output.exists():
        raise BackupError(_("%(path)s already exists; choose a new file name.") % {"path": output})
    partial = output.with_name(output.name + ".partial")
    files = stored_files()
    every = storages()
    try:
        with tempfile.TemporaryDirectory() as folder:
            dump = Path(folder) / DATA
            # One transaction, so that rows and counts are one consistent moment.
            with transaction.atomic():
                _dump_rows(dump)
                manifest = Manifest(
                    created_at=datetime.datetime.now(datetime.UTC).isoformat(),
                    vendor=connection.vendor,
                    migrations=_applied_migrations(),
                    rows=_row_counts(),
                    files={key: len(names) for key, names in files.items()},
                )
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                archive.writestr(MANIFEST, manifest.as_json())
                archive.write(dump, DATA)
                for key, names in files.items():
                    for name in names:
                        info = zipfile.ZipInfo(f"{FILES}{key}/{name}")
                        info.compress_type = zipfile.ZIP_DEFLATED
                        with (
                            every[key].open(name, "rb") as source,
                            archive.open(info, "w", force_zip64=True) as target,
                        ):
                            shutil.copyfileobj(source, target, CHUNK)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


# Restore -------------------------------------------------------------------------------------


def _read_manifest(archive: zipfile.ZipFile) -> Manifest:
    try:
        data = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError(_("This file is not a TPBIS Portal backup.")) from exc
    if data.get("format") != FORMAT:
        raise BackupError(_("This backup was written in a format this version cannot read."))
    return Manifest(
        created_at=data["created_at"],
        vendor=data["vendor"],
        migrations=data["migrations"],
        rows=data["rows"],
        files=data["files"],
    )


def database_is_empty() -> bool:
    """No row in any table but those ``migrate`` fills by itself."""
    return not any(
        model._base_manager.exists()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model not in CREATED_BY_MIGRATE
    )


def storages_are_empty() -> bool:
    return not any(stored_files().values())


def _empty_everything() -> None:
    call_command("flush", interactive=False, verbosity=0)
    every = storages()
    for key, names in stored_files().items():
        for name in names:
            every[key].delete(name)


def backup_restore(*, source: Path, replace: bool = False) -> Manifest:
    """Bring back every row and file of the backup ``source``.

    The database must have the backup's migrations (a brand-new one is migrated first) and,
    like the storages, be empty, unless ``replace`` is given: then what they hold is deleted
    first.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(_("This file is not a TPBIS Portal backup.")) from exc
    with archive:
        manifest = _read_manifest(archive)
        if not _applied_migrations():
            # A brand-new database: give it the tables first.
            call_command("migrate", interactive=False, verbosity=0)
        if manifest.migrations != _applied_migrations():
            raise BackupError(
                _(
                    "This backup was made with other migrations than this database has. "
                    "Restore it with the version of the portal that made it, then run migrate."
                )
            )
        every = storages()
        unknown = set(manifest.files) - set(every)
        if unknown:
            raise BackupError(
                _("This backup holds files of storages this version does not have: %(names)s.")
                % {"names": ", ".join(sorted(unknown))}
            )
        if not replace and not (database_is_empty() and storages_are_empty()):
            raise BackupError(
                _(
                    "The database or the file storage is not empty. Restore into an empty one, "
                    "or give --replace to delete what it holds first."
                )
            )
        written: list[tuple[Storage, str]] = []
        try:
            with tempfile.TemporaryDirectory() as folder, transaction.atomic():
                archive.extract(DATA, folder)
                if replace:
                    _empty_everything()
                # migrate made these with ids of its own; the backup's rows refer to theirs.
                for model in CREATED_BY_MIGRATE:
                    model._base_manager.all().delete()
                call_command("loaddata", str(Path(folder) / DATA), verbosity=0)
                # Inside the transaction: a file that cannot be written undoes the rows too.
                for info in archive.infolist():
                    if not info.filename.startswith(FILES) or info.is_dir():
                        continue
                    key, name = info.filename[len(FILES) :].split("/", 1)
                    with archive.open(info) as content:
                        saved = every[key].save(name, File(content, name=name))
                    written.append((every[key], saved))
                    if saved != name:
                        raise BackupError(
                            _("The file %(name)s could not be put back under its own name.")
                            % {"name": name}
                        )
        except BaseException:
            for storage, name in written:
                storage.delete(name)
            raise
    return manifest
