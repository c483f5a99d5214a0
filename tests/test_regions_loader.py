from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from libraries.models import District, Province, Regency, TimeZone, Village
from libraries.regions_loader import DEFAULT_REGISTER, RegionFileError, load_regions

DATA = Path(__file__).resolve().parent / "data"
SMALL = DATA / "regions_small.csv"


def _counts():
    return (
        Province.objects.count(),
        Regency.objects.count(),
        District.objects.count(),
        Village.objects.count(),
    )


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "regions.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_small_register_loads_every_level_with_kinds_and_time_zones():
    report = load_regions(path=SMALL)

    assert _counts() == (3, 4, 5, 7)
    assert report.levels["villages"].created == 7
    assert Province.objects.get(code="64").time_zone == TimeZone.WITA
    assert Province.objects.get(code="21").time_zone == TimeZone.WIB
    assert Province.objects.get(code="91").time_zone == TimeZone.WIT
    assert Regency.objects.get(code="64.72").kind == Regency.Kind.KOTA
    assert Regency.objects.get(code="64.03").kind == Regency.Kind.KABUPATEN
    assert Village.objects.get(code="64.72.01.1001").kind == Village.Kind.KELURAHAN
    assert Village.objects.get(code="64.03.01.2001").kind == Village.Kind.DESA
    assert Village.objects.get(code="91.03.01.3007").kind == Village.Kind.DESA_ADAT
    assert Village.objects.get(code="64.72.01.1001").district.regency.province.code == "64"


@pytest.mark.django_db
def test_second_run_of_the_same_file_changes_nothing():
    load_regions(path=SMALL)
    report = load_regions(path=SMALL)

    assert not report.changed
    assert report.levels["villages"].unchanged == 7
    assert _counts() == (3, 4, 5, 7)


@pytest.mark.django_db
def test_renamed_region_is_updated_not_duplicated(tmp_path):
    load_regions(path=SMALL)
    renamed = SMALL.read_text(encoding="utf-8").replace("Rawa Makmur", "Rawa Makmur Baru")

    report = load_regions(path=_write(tmp_path, renamed))

    assert report.levels["villages"].updated == 1
    assert report.levels["villages"].created == 0
    assert Village.objects.get(code="64.72.01.1001").name == "Rawa Makmur Baru"
    assert _counts() == (3, 4, 5, 7)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_line", "line_number", "fragment"),
    [
        ("64.72.01.99,Salah Kode", 21, "is not a Kemendagri region code"),
        ("64.72.09.1001,Yatim", 21, "parent"),
        ("64.72.01.1001,Dua Kali", 21, "appears twice"),
        ("64.72.01.1003,Satu,Dua", 21, "expected 2 columns"),
        ("64.72.01.1003,", 21, "has no name"),
        ("64.72.01.4001,Jenis Tak Dikenal", 21, "is not a Kemendagri region code"),
    ],
)
def test_malformed_file_is_refused_naming_the_line_and_changes_nothing(
    tmp_path, bad_line, line_number, fragment
):
    load_regions(path=SMALL)
    before = _counts()
    # A rename above the bad line must not be applied either.
    text = SMALL.read_text(encoding="utf-8").replace("Rawa Makmur", "Nama Baru")
    path = _write(tmp_path, text.rstrip("\n") + "\n" + bad_line + "\n")

    with translation.override("en"), pytest.raises(RegionFileError) as error:
        load_regions(path=path)

    assert error.value.line == line_number
    assert f"{line_number}" in str(error.value)
    assert fragment in str(error.value)
    assert _counts() == before
    assert Village.objects.get(code="64.72.01.1001").name == "Rawa Makmur"


@pytest.mark.django_db
def test_file_without_the_expected_header_is_refused(tmp_path):
    with translation.override("en"), pytest.raises(RegionFileError, match="header"):
        load_regions(path=_write(tmp_path, "code,name\n64,Kalimantan Timur\n"))
    assert _counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_command_reports_what_it_did_and_how_long_it_took(capsys):
    call_command("load_regions", str(SMALL))

    out = capsys.readouterr().out
    assert "desa/kelurahan: 7 dibuat, 0 diperbarui, 0 tetap" in out
    assert "Daftar wilayah dimuat dalam" in out


@pytest.mark.django_db
def test_command_refuses_a_malformed_file_with_an_error_naming_the_line(tmp_path):
    path = _write(tmp_path, "kode,nama\n64,Kalimantan Timur\n64.72.01,Tanpa Induk\n")

    with translation.override("en"), pytest.raises(CommandError, match="Line 3: the parent"):
        call_command("load_regions", str(path))
    assert Province.objects.count() == 0


@pytest.mark.slow
@pytest.mark.django_db
def test_full_register_has_every_official_region():
    report = load_regions(path=DEFAULT_REGISTER)

    assert _counts() == (38, 514, 7285, 83762)
    assert Regency.objects.filter(kind=Regency.Kind.KOTA).count() == 98
    assert Village.objects.filter(kind=Village.Kind.DESA_ADAT).count() == 14
    assert Province.objects.get(code="96").name == "Papua Barat Daya"
    assert Province.objects.get(code="96").time_zone == TimeZone.WIT
    assert Province.objects.get(code="51").time_zone == TimeZone.WITA
    assert Province.objects.get(code="61").time_zone == TimeZone.WIB
    assert report.levels["villages"].created == 83762
    assert not load_regions(path=DEFAULT_REGISTER).changed
