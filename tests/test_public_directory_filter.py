"""The search of a province's public library directory as a FilterSet of the one filter
mechanism: an unreadable value is left out with the form's notice, the rest still applies."""

import pytest

from libraries.models import Library, Province
from tests import factories
from tpbis_portal.overview.aggregates import province_summary
from tpbis_portal.overview.filters import PARAMETERS, LibraryDirectoryFilter


@pytest.fixture
def kepri(regions):
    factories.kepri_registry()
    return Province.objects.get(code="21")


def _names(data, province) -> set[str]:
    directory = LibraryDirectoryFilter(
        data,
        queryset=Library.objects.active().filter(province=province),
        summary=province_summary(province),
    )
    return {library.name for library in directory.qs}


def test_directory_searches_by_village_or_kab_kota_name_and_by_level(kepri):
    assert _names({"q": "pinang barat"}, kepri) == {"Perpustakaan Kelurahan Tanjung Pinang Barat"}
    assert _names({"q": "kota tanjung"}, kepri) == {
        "Perpustakaan Kelurahan Tanjung Pinang Barat",
        "Dinas Perpustakaan Kota Tanjung Pinang",
    }
    assert _names({"level": "province"}, kepri) == {"Dinas Perpustakaan Provinsi Kepulauan Riau"}
    assert _names({"cohort": "2022", "regency": "21.72"}, kepri) == {
        "Dinas Perpustakaan Kota Tanjung Pinang"
    }


def test_an_unreadable_value_is_left_out_with_a_notice_and_the_rest_still_applies(kepri):
    directory = LibraryDirectoryFilter(
        {"cohort": "dua ribu", "level": "province"},
        queryset=Library.objects.active().filter(province=kepri),
        summary=province_summary(kepri),
    )

    assert {library.name for library in directory.qs} == {
        "Dinas Perpustakaan Provinsi Kepulauan Riau"
    }
    assert "cohort" in directory.form.errors
    assert directory.searching


def test_nothing_readable_asked_lists_every_library_as_no_search(kepri):
    everything = _names(None, kepri)
    directory = LibraryDirectoryFilter(
        {"cohort": "dua ribu", "level": "planet"},
        queryset=Library.objects.active().filter(province=kepri),
        summary=province_summary(kepri),
    )

    assert {library.name for library in directory.qs} == everything
    assert len(everything) == 3
    assert not directory.searching


def test_the_page_cache_keys_the_directory_on_its_own_parameters():
    assert set(PARAMETERS) == {"q", "regency", "level", "cohort", "page"}
