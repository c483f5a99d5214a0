"""The one stale-edit check: a version column that every edit names and every save raises.

A model that can be edited by two people at once (libraries, activities, events, PLM problems,
stories) has ``version = PositiveIntegerField(default=1, editable=False)``. An edit form
carries the version it was read at; the write locks the row, compares, and refuses with
:class:`EditConflict` when somebody saved in between, instead of silently overwriting them.

- Services call :func:`edit_versioned` (lock, compare, apply, validate, save with the next
  version) or, when they need to look at the row between the check and the save,
  :func:`lock_at_version` (or :func:`check_version` on a row they locked) and
  :func:`save_next_version`. A write that changes what others read (a story's status, its
  photos) saves with :func:`save_next_version` even when it checked no version (a withdrawal
  of consent is never refused), so that a decision taken on the old page is refused.
- The admin saves through the same services (:class:`ServiceAdminMixin`): its form carries the
  version as a hidden field and hands it to the service, whose refusal (a stale save, a broken
  rule) is shown on the form with nothing written; the service raises the version, so the
  portal's edit forms see the admin's change and the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=models.Model)

STALE_MESSAGE = _(
    "Somebody else saved this %(object)s while you were editing. Your changes were not saved: "
    "reload the page to see the current data, then edit again."
)


REFUSED_MESSAGE = _("Your role may not make this change.")


class EditConflict(Exception):
    """Somebody else saved the object after this edit began."""


def check_version(current: models.Model, version: int | None) -> None:
    """Refuse (:class:`EditConflict`) a write to ``current``, a row locked for this
    transaction, decided on an earlier ``version`` than the stored one."""
    if current.version != version:  # type: ignore[attr-defined]
        raise EditConflict


def lock_at_version(queryset: models.QuerySet[M], *, pk: Any, version: int | None) -> M:
    """The row, locked until the end of the transaction, if it is still at ``version``."""
    current = queryset.select_for_update().get(pk=pk)
    check_version(current, version)
    return current


def next_version(obj: models.Model, fields: Iterable[str]) -> list[str]:
    """Put ``obj`` one version on; the fields to save (``fields``, the version, the time)."""
    obj.version += 1  # type: ignore[attr-defined]
    update = [*fields, "version"]
    if any(field.name == "updated_at" for field in obj._meta.concrete_fields):
        update.append("updated_at")
    return list(dict.fromkeys(update))


def save_next_version(obj: models.Model, fields: Iterable[str]) -> None:
    """Save ``fields`` of a row checked with :func:`lock_at_version`, one version on."""
    obj.save(update_fields=next_version(obj, fields))


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
        if self.instance.pk and not self.is_bound and hasattr(self.instance, "version"):
            self.initial["seen_version"] = self.instance.version

    #: A service's refusal of the previous attempt at this save, shown by its fields (those
    #: the form lacks above the form). Set on the class the admin builds for one request.
    refusal: ValidationError | None = None

    def clean(self):
        cleaned = super().clean()
        if self.refusal is not None:
            by_field = getattr(self.refusal, "error_dict", None) or {None: self.refusal.error_list}
            for name, errors in by_field.items():
                field = name if name in self.fields else None
                for each in errors:
                    self.add_error(field, each)
        return cleaned


class AdminRefusal(Exception):
    """A service refused the admin's save; the page is shown again with ``error`` on it."""

    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


def _differences(stored: models.Model, cleaned: dict, fields: dict) -> dict:
    """The form's values that differ from the stored row (a revert from the history page
    posts the old values, which the form itself sees as unchanged)."""
    changes = {}
    for name, value in cleaned.items():
        field = fields.get(name)
        if field is None:
            continue
        if field.many_to_many:
            old = set(getattr(stored, name).values_list("pk", flat=True))
            if old != {each.pk for each in value}:
                changes[name] = value
        elif getattr(stored, name) != value:
            changes[name] = value
    return changes


class ServiceAdminMixin:
    """An admin whose saves go through the app's services, so that their rules hold here too.

    A subclass names its services in :meth:`create_through_service`,
    :meth:`update_through_service` and :meth:`delete_through_service` (where an app has no
    service for a write, the admin saves the row itself). A refusal (a broken rule, a role
    that may not, a stale edit) shows the page again with the service's message by its
    field; the admin's transaction is rolled back, so nothing of the save (inlines included)
    is written.
    """

    form = VersionedAdminForm

    def create_through_service(self, request, *, values: dict) -> models.Model | None:
        """The new row, saved by the app's service; None where no service creates one."""
        return None

    def update_through_service(
        self, request, obj, *, version: int | None, changes: dict
    ) -> models.Model | None:
        """``obj`` changed by the app's service; None where no service changes one."""
        return None

    #: What a bulk delete reads with each row for its service (``select_related`` names).
    delete_related: tuple[str, ...] = ()

    def delete_through_service(self, request, obj) -> None:
        """Delete ``obj`` through the app's service. Not overridden: the admin deletes."""
        raise NotImplementedError

    @property
    def _deletes_through_service(self) -> bool:
        return type(self).delete_through_service is not ServiceAdminMixin.delete_through_service

    def delete_model(self, request, obj):
        if self._deletes_through_service:
            self.delete_through_service(request, obj)
        else:
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request, queryset):
        if not self._deletes_through_service:
            return super().delete_queryset(request, queryset)  # type: ignore[misc]
        if self.delete_related:
            queryset = queryset.select_related(*self.delete_related)
        # One row refused keeps them all (see _deletes_refused).
        with transaction.atomic():
            for obj in queryset:
                self.delete_through_service(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        versioned = any(field.name == "version" for field in self.model._meta.fields)  # type: ignore[attr-defined]
        if not versioned or "seen_version" in flatten_fieldsets(fieldsets):
            return fieldsets
        *head, (name, options) = fieldsets
        return [*head, (name, {**options, "fields": [*options["fields"], "seen_version"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The admin builds a new form class for each request: the refusal stays with this one.
        form = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        form.refusal = getattr(request, "admin_refusal", None)
        return form

    def _refusals_shown(self, request, view):
        try:
            return view()
        except AdminRefusal as refusal:
            # The transaction of the first attempt is rolled back; the second one validates
            # the same post with the refusal added, so the form shows it and saves nothing.
            request.admin_refusal = refusal.error
            return view()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        parent = super()
        return self._refusals_shown(
            request,
            lambda: parent.changeform_view(request, object_id, form_url, extra_context),  # type: ignore[misc]
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        parent = super()

        def revert():
            with transaction.atomic():
                return parent.history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]

        return self._refusals_shown(request, revert)

    def _deletes_refused(self, request, view, *, back: str):
        """A delete the service refuses (a partner still named in activities, say) leaves
        everything as it was and says why, on the page the editor came from."""
        if request.method != "POST":
            return view()  # only a post deletes (or runs an action)
        try:
            with transaction.atomic():
                return view()
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)  # type: ignore[attr-defined]
            return HttpResponseRedirect(back)

    def delete_view(self, request, object_id, extra_context=None):
        parent = super()
        opts = self.model._meta  # type: ignore[attr-defined]
        return self._deletes_refused(
            request,
            lambda: parent.delete_view(request, object_id, extra_context),  # type: ignore[misc]
            back=reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[object_id],
                current_app=self.admin_site.name,  # type: ignore[attr-defined]
            ),
        )

    def changelist_view(self, request, extra_context=None):
        # The bulk delete runs here: one refused row keeps every selected row.
        parent = super()
        return self._deletes_refused(
            request,
            lambda: parent.changelist_view(request, extra_context),  # type: ignore[misc]
            back=request.get_full_path(),
        )

    @contextmanager
    def _refusals(self, obj):
        """A service's refusal as an :class:`AdminRefusal`, to be shown on the form."""
        try:
            yield
        except EditConflict:
            raise AdminRefusal(
                ValidationError(STALE_MESSAGE % {"object": obj._meta.verbose_name}, code="stale")
            ) from None
        except ValidationError as error:
            raise AdminRefusal(error) from None
        except PermissionDenied as denied:
            raise AdminRefusal(
                ValidationError(str(denied) or REFUSED_MESSAGE, code="permission")
            ) from None

    def save_model(self, request, obj, form, change):
        fields = {field.name: field for field in obj._meta.get_fields()}
        with self._refusals(obj):
            if change:
                # The service checks the row as it is stored (``obj`` carries the form's
                # values already).
                stored = type(obj)._default_manager.get(pk=obj.pk)
                saved = self.update_through_service(
                    request,
                    stored,
                    version=form.cleaned_data.get("seen_version"),
                    changes=_differences(stored, form.cleaned_data, fields),
                )
            else:
                saved = self.create_through_service(
                    request,
                    values={
                        name: value
                        for name, value in form.cleaned_data.items()
                        if name in fields and value is not None
                    },
                )
        if saved is None:
            # The admin names no service for this write: its own save.
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            return
        form.saved_by_service = True
        # The admin goes on with its own object (log entry, inlines, redirect): give it the
        # row the service saved.
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding, obj._state.db = False, saved._state.db

    def save_related(self, request, form, formsets, change):
        # An admin's save_formset may call services too: their refusals show on the form.
        with self._refusals(form.instance):
            if not getattr(form, "saved_by_service", False):
                super().save_related(request, form, formsets, change)  # type: ignore[misc]
                return
            # The service set the form's many-to-many fields with its checks; inlines remain.
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
