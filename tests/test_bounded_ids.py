"""An id too large (or too small) for the database is a form error or a 404, never a 500.

SQLite holds 64-bit integers and PostgreSQL's integer columns 32 or 64 bits; a form, a URL or
an admin filter can carry any number of digits.
"""

import pytest

from events.models import Invitation
from libraries.models import Activity, Library
from tests import factories

HUGE = "99999999999999999999"
TOO_SMALL = "-99999999999999999999"


@pytest.mark.parametrize("value", [HUGE, TOO_SMALL])
def test_values_out_of_the_columns_range_match_nothing_in_queries(village_library, value):
    other = factories.village_library("64.72.01.1002")

    assert list(Library.objects.filter(pk__in=[int(value), other.pk])) == [other]
    assert not Library.objects.filter(pk__in=[int(value)]).exists()
    assert not Activity.objects.filter(library=int(value)).exists()
    assert not Activity.objects.filter(library__in=[int(value)]).exists()
    assert Activity.objects.exclude(library__in=[int(value)]).count() == 0


def test_invitation_with_an_id_too_large_is_a_form_error(
    plm, consultant, village_library, client_for
):
    client = client_for(consultant)

    response = client.post(
        f"/acara/{plm.pk}/undangan/", {"libraries": [str(village_library.pk), HUGE]}
    )

    assert response.status_code == 200
    assert f"Masukkan pilihan yang valid. {HUGE} bukan salah satu" in response.content.decode()
    assert not Invitation.objects.exists()


def test_activity_list_filtered_by_an_id_too_large_is_empty(village_librarian, client_for):
    factories.ActivityFactory(library=village_librarian.library)

    response = client_for(village_librarian).get(f"/laporan/?perpustakaan={HUGE}")

    assert response.status_code == 200
    assert not response.context["page"].object_list


def test_admin_action_on_an_id_too_large_changes_nothing(perpusnas, village_library, client_for):
    response = client_for(perpusnas).post(
        "/admin/libraries/library/",
        {"action": "delete_selected", "_selected_action": [HUGE], "index": "0"},
    )

    assert response.status_code in (200, 302)
    assert Library.objects.filter(pk=village_library.pk).exists()


def test_admin_list_filtered_by_an_id_too_large_is_empty(perpusnas, plm, client_for):
    response = client_for(perpusnas).get(f"/admin/events/event/?id__in={HUGE}")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(
    "path",
    [
        "/acara/{huge}/",
        "/acara/sesi/{huge}/tandai/",
        "/laporan/acara/{huge}/",
        "/cerita/{huge}/",
        "/perpustakaan/{huge}/",
        "/provinsi/64-kalimantan-timur/{huge}-perpustakaan/",
        "/admin/libraries/library/{huge}/change/",
    ],
)
def test_an_id_too_large_in_the_address_is_not_found(perpusnas, client_for, path):
    client = client_for(perpusnas)

    response = client.get(path.format(huge=HUGE))

    assert response.status_code in (404, 405)
