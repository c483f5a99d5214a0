"""A backup brings back every row of every table and every stored file, byte for byte."""

import datetime
import json
import zipfile

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder

from tests.world import missing_models
from tpbis_portal import backup


class _Exact(DjangoJSONEncoder):
    """Times to the microsecond: a backup that rounds them does not bring the rows back."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _rows() -> dict[str, list[str]]:
    """Every row of every table; many-to-many links by what they link (their own ids are
    surrogates nothing refers to, and come back new, as with loaddata)."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        serialised = serializers.serialize("python", model._base_manager.all())
        if model._meta.auto_created:
            serialised = [row["fields"] for row in serialised]
        rows[model._meta.label] = sorted(
            json.dumps(row, cls=_Exact, sort_keys=True) for row in serialised
        )
    return rows


def _files() -> dict[str, dict[str, bytes]]:
    every = backup.storages()
    content = {}
    for key, names in backup.stored_files().items():
        content[key] = {}
        for name in names:
            with every[key].open(name, "rb") as handle:
                content[key][name] = handle.read()
    return content


@pytest.fixture
def deployment(world):
    """The world, plus a file in the public (default) storage."""
    default_storage.save("publik/logo-perpustakaan.txt", ContentFile(b"logo"))
    return world


def _empty_database_and_media(settings, tmp_path):
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "media-baru"
    assert backup.database_is_empty()
    assert backup.storages_are_empty()


# Restores run in real transactions, as in production (PostgreSQL will not empty tables in
# the transaction that filled them): one test walks the whole life of a backup.
@pytest.mark.django_db(transaction=True)
def test_every_row_and_file_comes_back_from_a_backup(deployment, settings, tmp_path):
    assert missing_models() == []
    rows, files = _rows(), _files()
    assert files["default"]["publik/logo-perpustakaan.txt"] == b"logo"
    assert sum(len(names) for names in files.values()) >= 8  # evidence, documents, photos, form
    path = tmp_path / "cadangan.zip"

    call_command("backup_create", output=path, verbosity=0)
    _empty_database_and_media(settings, tmp_path)
    call_command("backup_restore", path, verbosity=0)

    assert _rows() == rows
    assert _files() == files

    # Not over what is there: neither a database nor a media folder that holds something.
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("backup_restore", path, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("backup_restore", path, verbosity=0)

    # Unless told to replace it.
    default_storage.save("publik/sisa.txt", ContentFile(b"sisa"))
    call_command("backup_restore", path, replace=True, verbosity=0)

    assert _rows() == rows
    assert _files() == files


def test_private_files_are_stored_once_though_two_storages_share_their_folder(deployment, tmp_path):
    path = tmp_path / "cadangan.zip"

    call_command("backup_create", output=path, verbosity=0)

    names = zipfile.ZipFile(path).namelist()
    assert not [name for name in names if name.startswith("files/default/private/")]
    assert [name for name in names if name.startswith("files/libraries.storage.")]


def test_restore_refuses_a_backup_of_other_migrations(deployment, settings, tmp_path):
    path = tmp_path / "cadangan.zip"
    call_command("backup_create", output=path, verbosity=0)
    altered = tmp_path / "lain.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(altered, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(content)
                manifest["migrations"].append(["impact", "9999_from_the_future"])
                content = json.dumps(manifest).encode()
            target.writestr(info, content)

    with pytest.raises(CommandError, match="migrasi"):
        call_command("backup_restore", altered, verbosity=0)


def test_backup_never_overwrites_a_file(deployment, tmp_path):
    path = tmp_path / "cadangan.zip"
    path.write_bytes(b"cadangan lama")

    with pytest.raises(CommandError):
        call_command("backup_create", output=path, verbosity=0)

    assert path.read_bytes() == b"cadangan lama"
