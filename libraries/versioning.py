"""The one stale-edit check: a version column that every edit names and every save raises.

A model that can be edited by two people at once (libraries, activities, events, PLM problems,
stories) has ``version = PositiveIntegerField(default=1, editable=False)``. An edit form
carries the version it was read at; the write locks the row, compares, and refuses with
:class:`EditConflict` when somebody saved in between, instead of silently overwriting them.

- Services call :func:`edit_versioned` (lock, compare, apply, validate, save with the next
  version) or, when they need to look at the row between the check and the save,
  :func:`lock_at_version` and :func:`save_next_version`.
- The admin uses :class:`VersionedAdminMixin`: its form carries the version as a hidden field,
  refuses a stale save with a clear message (nothing is written), and the save raises the
  version, so the portal's edit forms see the admin's change and the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=models.Model)

STALE_MESSAGE = _(
    "Somebody else saved this %(object)s while you were editing. Your changes were not saved: "
    "reload the page to see the current data, then edit again."
)


class EditConflict(Exception):
    """Somebody else saved the object after this edit began."""


def lock_at_version(queryset: models.QuerySet[M], *, pk: Any, version: int | None) -> M:
    """The row, locked until the end of the transaction, if it is still at ``version``."""
    current = queryset.select_for_update().get(pk=pk)
    if current.version != version:  # type: ignore[attr-defined]
        raise EditConflict
    return current


def save_next_version(obj: models.Model, fields: Iterable[str]) -> None:
    """Save ``fields`` of a row checked with :func:`lock_at_version`, one version on."""
    obj.version += 1  # type: ignore[attr-defined]
    update = [*fields, "version"]
    if any(field.name == "updated_at" for field in obj._meta.concrete_fields):
        update.append("updated_at")
    obj.save(update_fields=update)


def edit_versioned(
    queryset: models.QuerySet[M], *, pk: Any, version: int | None, changes: dict
) -> M:
    """Apply ``changes`` to the row unless somebody saved it since ``version`` was read.

    Locks the row, compares versions (:class:`EditConflict`), validates with ``full_clean``
    and saves only the changed fields. Call inside ``transaction.atomic``.
    """
    current = lock_at_version(queryset, pk=pk, version=version)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    save_next_version(current, changes)
    return current


class VersionedAdminForm(forms.ModelForm):
    #: The version the editor started from, as in the portal's edit forms.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["seen_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The admin saves inside a transaction: locking the row here keeps a concurrent
            # save from slipping in between this check and the save.
            try:
                lock_at_version(
                    type(self.instance)._default_manager.all(),
                    pk=self.instance.pk,
                    version=cleaned.get("seen_version"),
                )
            except (EditConflict, self.instance.DoesNotExist):
                raise forms.ValidationError(
                    STALE_MESSAGE % {"object": self.instance._meta.verbose_name},
                    code="stale",
                ) from None
        return cleaned


class VersionedAdminMixin:
    """An admin whose saves are checked against the version the editor opened.

    Two editors open the same row; the first saves; the second gets the message above and
    nothing of theirs is written.
    """

    form = VersionedAdminForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if "seen_version" in flatten_fieldsets(fieldsets):
            return fieldsets
        *head, (name, options) = fieldsets
        return [*head, (name, {**options, "fields": [*options["fields"], "seen_version"]})]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = (form.cleaned_data.get("seen_version") or obj.version) + 1
        super().save_model(request, obj, form, change)  # type: ignore[misc]
