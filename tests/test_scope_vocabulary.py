"""The one vocabulary of what each person may do, on the scope every view and service reads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from events.models import Event
from libraries.scope import Scope, get_in_scope_or_404
from tests import factories


def test_perpusnas_may_do_everything_everywhere(perpusnas, village_library, kepri_library):
    scope = Scope.for_user(perpusnas)

    assert scope.can_manage and scope.can_review and scope.can_set_targets
    assert scope.sees_provinces
    assert not scope.can_report
    assert scope.covers_library(village_library) and scope.covers_library(kepri_library)


def test_consultant_manages_and_reviews_only_their_province(
    consultant, village_library, kepri_library
):
    scope = Scope.for_user(consultant)

    assert scope.can_manage and scope.can_review and scope.sees_provinces
    assert not scope.can_set_targets and not scope.can_report
    assert scope.manages_province("64") and not scope.manages_province("21")
    assert scope.covers_library(village_library) and not scope.covers_library(kepri_library)


def test_district_librarian_reports_for_their_kab_kota_only(
    district_librarian, village_library, berau_village_library
):
    scope = Scope.for_user(district_librarian)

    assert scope.can_report and not scope.can_manage and not scope.can_review
    assert not scope.sees_provinces
    assert scope.reports_for(village_library)
    assert not scope.reports_for(berau_village_library)


def test_village_librarian_reports_for_their_own_library_only(
    village_librarian, village_library, samarinda_library
):
    scope = Scope.for_user(village_librarian)

    assert scope.reports_for(village_library)
    assert not scope.covers_library(samarinda_library)
    assert not scope.covers_province("64") and not scope.covers_regency("64.72")


def test_anonymous_visitor_may_do_nothing(village_library):
    scope = Scope.for_user(None)

    assert scope.is_empty
    assert not (scope.can_manage or scope.can_review or scope.can_report or scope.sees_provinces)
    assert not scope.covers_library(village_library)
    assert not scope.covers_province(None) and not scope.covers_regency("")


def test_get_in_scope_or_404_honours_a_models_own_visible_to(
    perpusnas, village_librarian, village_library
):
    """A librarian reaches an event in another province that their library was invited to:
    the event's own ``visible_to`` widens the rule, and the one helper agrees with the lists."""
    from events.services import invitations_set

    invited = factories.event(actor=perpusnas, province_code="21", title="PLM Nasional")
    elsewhere = factories.event(actor=perpusnas, province_code="21", title="Bimtek Kepri")
    invitations_set(actor=perpusnas, event=invited, libraries=[village_library])

    assert get_in_scope_or_404(village_librarian, Event, pk=invited.pk) == invited
    with pytest.raises(Http404):
        get_in_scope_or_404(village_librarian, Event, pk=elsewhere.pk)
    with pytest.raises(PermissionDenied):
        get_in_scope_or_404(village_librarian, Event, manage=True, pk=invited.pk)


def test_selection_panels_follow_the_scope(
    perpusnas, consultant, district_librarian, village_librarian, village_library, kepri_library
):
    national, province = Scope.for_user(perpusnas), Scope.for_user(consultant)
    district, village = Scope.for_user(district_librarian), Scope.for_user(village_librarian)

    assert national.selects_at("national", kepri_library)
    assert not province.selects_at("national", village_library)
    assert province.selects_at("province", village_library)
    assert not province.selects_at("province", kepri_library)
    # The kab/kota library convenes the shortlist of its kab/kota; a village library does not.
    assert district.selects_at("district", village_library)
    assert not district.selects_at("province", village_library)
    assert not village.selects_at("district", village_library)


def test_choices_of_provinces_follow_the_scope(
    perpusnas, consultant, district_librarian, village_librarian
):
    assert Scope.for_user(perpusnas).provinces().count() > 1
    assert list(Scope.for_user(consultant).provinces().values_list("code", flat=True)) == ["64"]
    for librarian in (district_librarian, village_librarian):
        assert list(Scope.for_user(librarian).provinces().values_list("code", flat=True)) == ["64"]
    assert not Scope.for_user(None).provinces().exists()


def test_require_answers_403_for_a_write_the_role_may_not_make(consultant):
    scope = Scope.for_user(consultant)
    scope.require(scope.can_review)
    with pytest.raises(PermissionDenied):
        scope.require(scope.can_report)


def test_readers_share_what_is_cached_for_them_only_when_they_reach_the_same(
    perpusnas, consultant, outsider, district_librarian
):
    reaches = {
        name: Scope.for_user(user).reach
        for name, user in [
            ("perpusnas", perpusnas),
            ("consultant", consultant),
            ("outsider", outsider),
            ("district", district_librarian),
        ]
    }

    assert len(set(reaches.values())) == 4
    second_consultant = factories.UserFactory(role=consultant.role)
    second_consultant.provinces.set(consultant.provinces.all())
    assert Scope.for_user(second_consultant).reach == reaches["consultant"]
