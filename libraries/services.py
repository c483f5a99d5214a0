"""Writes to the library registry. Views and commands call these; rules live here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from libraries.data_version import province_data_changed
from libraries.models import Library, Province, User, Village
from libraries.scope import Scope
from libraries.versioning import EditConflict, edit_versioned

__all__ = ["EditConflict", "library_create", "library_update"]


# Fields of a library that the registry edit form may change.
LIBRARY_EDITABLE_FIELDS = (
    "name",
    "npp",
    "address",
    "phone",
    "email",
    "website",
    "cohort_year",
    "support_tier",
    "status",
)


@transaction.atomic
def library_create(
    *,
    actor: User,
    level: str,
    name: str,
    cohort_year: int,
    support_tier: str,
    province: Province | None = None,
    regency=None,
    village: Village | None = None,
    **details,
) -> Library:
    """Register a library; its province and kab/kota follow from the region chosen."""
    if village is not None:
        regency = village.district.regency
    if regency is not None:
        province = regency.province
    if province is None:
        raise ValidationError(_("Choose the region of the library."))
    if not Scope.for_user(actor).manages_province(province.code):
        # The province is a choice on the form: refused as bad input, not as a 403.
        raise ValidationError(_("You cannot register libraries in this province."))
    library = Library(
        level=level,
        name=name,
        cohort_year=cohort_year,
        support_tier=support_tier,
        province=province,
        regency=regency,
        village=village,
        **details,
    )
    library.full_clean()
    library.save()
    province_data_changed(province.code)
    return library


# What the admin may correct besides: the library's level and region (a move).
LIBRARY_REGION_FIELDS = ("level", "province", "regency", "village")


@transaction.atomic
def library_update(*, actor: User, library: Library, version: int, **changes) -> Library:
    """Apply ``changes`` if nobody saved the library since ``version`` was read.

    Raises EditConflict otherwise, so that two consultants editing the same library do not
    silently overwrite each other, and PermissionDenied if ``actor`` may not change it. A
    move to another region (in the admin) needs the right to manage the new province too.
    """
    scope = Scope.for_user(actor)
    scope.require(scope.manages_province(library.province_id))
    unknown = set(changes) - set(LIBRARY_EDITABLE_FIELDS) - set(LIBRARY_REGION_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    province = changes.get("province")
    if province is not None and not scope.manages_province(province.code):
        # The province is a choice on the form: refused as bad input, as when registering.
        raise ValidationError({"province": _("You cannot register libraries in this province.")})
    current = edit_versioned(Library.objects.all(), pk=library.pk, version=version, changes=changes)
    province_data_changed(library.province_id, current.province_id)
    return current
