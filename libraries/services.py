"""Writes to the library registry. Views and commands call these; rules live here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from libraries.data_version import province_data_changed
from libraries.models import AidItem, Library, LibraryManager, Province, User, Village
from libraries.scope import Scope
from libraries.versioning import EditConflict, edit_versioned

__all__ = [
    "EditConflict",
    "aid_item_add",
    "aid_item_delete",
    "aid_item_update",
    "library_create",
    "library_delete",
    "library_manager_add",
    "library_manager_delete",
    "library_manager_update",
    "library_update",
]


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


@transaction.atomic
def library_delete(*, actor: User, library: Library) -> None:
    """Delete a library registered by mistake. One with anything recorded against it
    (reports, events, participants) is protected by the database; its aid items and
    managers go with it."""
    scope = Scope.for_user(actor)
    scope.require(scope.manages_province(library.province_id))
    library.delete()
    province_data_changed(library.province_id)


# A library's aid package and managers (the admin's inlines on the library). Whoever manages
# the library's province keeps them; each change is kept in the row's history.


def _check_library_manager(actor: User, library: Library) -> None:
    scope = Scope.for_user(actor)
    scope.require(scope.manages_province(library.province_id))


# What each support tier receives from the programme: books-only support is a books package,
# a self-funded replication pays for its own equipment (see the programme's tiers).
AID_KINDS_BY_TIER: dict[str, set[str]] = {
    Library.SupportTier.FULL: set(AidItem.Kind.values),
    Library.SupportTier.BOOKS: {AidItem.Kind.BOOKS},
    Library.SupportTier.REPLICATION: set(),
}


def _check_aid_item(item: AidItem) -> None:
    library = item.library
    if item.kind not in AID_KINDS_BY_TIER.get(library.support_tier, set(AidItem.Kind.values)):
        raise ValidationError(
            {
                "kind": _(
                    "%(library)s has %(tier)s: the programme gives it no %(item)s. "
                    "Correct the library's support tier first if it changed."
                )
                % {
                    "library": library.name,
                    "tier": library.get_support_tier_display().lower(),
                    "item": item.get_kind_display().lower(),
                }
            }
        )
    item.full_clean()


AID_ITEM_FIELDS = ("kind", "description", "quantity", "received_on")


@transaction.atomic
def aid_item_add(*, actor: User, library: Library, **fields) -> AidItem:
    """Record an item of the aid package ``library`` received."""
    _check_library_manager(actor, library)
    unknown = set(fields) - set(AID_ITEM_FIELDS)
    if unknown:
        raise ValueError(f"Not an aid item's field: {sorted(unknown)}")
    item = AidItem(library=library, **fields)
    _check_aid_item(item)
    item.save()
    return item


@transaction.atomic
def aid_item_update(*, actor: User, item: AidItem, **changes) -> AidItem:
    """Correct an aid item; it stays with its library."""
    _check_library_manager(actor, item.library)
    unknown = set(changes) - set(AID_ITEM_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    current = AidItem.objects.select_for_update().select_related("library").get(pk=item.pk)
    for name, value in changes.items():
        setattr(current, name, value)
    _check_aid_item(current)
    current.save()
    return current


@transaction.atomic
def aid_item_delete(*, actor: User, item: AidItem) -> None:
    _check_library_manager(actor, item.library)
    item.delete()


LIBRARY_MANAGER_FIELDS = ("name", "position", "phone", "email", "decree_number", "active")


def _check_manager(manager: LibraryManager) -> None:
    manager.name = " ".join(manager.name.split())
    manager.full_clean()
    if manager.active and manager.position == LibraryManager.Position.HEAD:
        # The head signs the library's reports and letters: one at a time.
        other = (
            LibraryManager.objects.filter(
                library=manager.library_id, position=LibraryManager.Position.HEAD, active=True
            )
            .exclude(pk=manager.pk)
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "active": _(
                        "%(name)s is the library's active head; mark them inactive before "
                        "naming another head."
                    )
                    % {"name": other.name}
                }
            )


@transaction.atomic
def library_manager_add(*, actor: User, library: Library, **fields) -> LibraryManager:
    """Name a manager (pengelola) of ``library``, appointed by the decree (SK) named."""
    _check_library_manager(actor, library)
    unknown = set(fields) - set(LIBRARY_MANAGER_FIELDS)
    if unknown:
        raise ValueError(f"Not a manager's field: {sorted(unknown)}")
    # Locks the library, so that two heads named at once do not both pass the check.
    Library.objects.select_for_update().filter(pk=library.pk).first()
    manager = LibraryManager(library=library, **fields)
    _check_manager(manager)
    manager.save()
    return manager


@transaction.atomic
def library_manager_update(*, actor: User, manager: LibraryManager, **changes) -> LibraryManager:
    """Correct a manager's record; they stay with their library."""
    _check_library_manager(actor, manager.library)
    unknown = set(changes) - set(LIBRARY_MANAGER_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    Library.objects.select_for_update().filter(pk=manager.library_id).first()
    current = LibraryManager.objects.select_for_update().get(pk=manager.pk)
    for name, value in changes.items():
        setattr(current, name, value)
    _check_manager(current)
    current.save()
    return current


@transaction.atomic
def library_manager_delete(*, actor: User, manager: LibraryManager) -> None:
    _check_library_manager(actor, manager.library)
    manager.delete()
