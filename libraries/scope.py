"""The one rule that decides what each user may see and change.

Every query that serves a user goes through :class:`Scope`: lists, detail pages, exports,
dashboards and the admin. A model opts in by naming, in ``SCOPE_PATHS``, the lookups from
itself to its province, its kabupaten/kota and its library, for example::

    class Library(models.Model):
        SCOPE_PATHS = {"province": "province", "regency": "regency", "library": "pk"}

and by using :class:`ScopedQuerySet` (``Model.objects.visible_to(user)``). A path a model does
not have is left out; a user whose scope needs that path then sees none of its rows.

- Perpusnas staff (and superusers) see everything.
- A consultant sees the provinces they are assigned to.
- A kabupaten/kota librarian sees the kab/kota of their library (its own and its villages').
- A desa/kelurahan librarian, and a Pengelola TBM (manager of a Taman Bacaan Masyarakat),
  sees their own library only.
- Anyone else (anonymous visitors, unassigned accounts) sees nothing private.

Inside the scope, what a person may do is one vocabulary, used by views, services, templates
(``scope`` is in every template's context) and the admin:

- ``can_manage``: change programme data (libraries, events, attendance, certificates);
- ``can_review``: review, verify and select impact stories and other submitted records;
- ``can_report``: record activities, visitor counts, partnerships and stories;
- ``can_set_targets``: set national targets, thresholds and weights (national staff only);
- ``sees_provinces``: reads whole provinces (consultants and national staff), as opposed to
  librarians who read their kab/kota or their library;
- ``covers_province(code)``, ``covers_regency(code)``, ``covers_library(library)``: whether an
  object lies inside the scope; ``manages_province(code)`` and ``reports_for(library)`` combine
  a permission with a place.

Outside the scope the answer is always 404 (the object does not exist for this person); inside
it, a role that may only read gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

_NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    national: bool = False
    province_codes: frozenset[str] = field(default_factory=frozenset)
    regency_codes: frozenset[str] = field(default_factory=frozenset)
    library_ids: frozenset[int] = field(default_factory=frozenset)
    #: May change programme data (libraries, events, reviews) inside the scope.
    can_manage: bool = False
    #: Records reports and stories for the libraries inside the scope (librarians).
    can_report: bool = False

    @classmethod
    def for_user(cls, user) -> Scope:
        """The scope of ``user``, computed once per user object (one query at most)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        cached = getattr(user, "_tpbis_scope", None)
        if cached is not None:
            return cached
        scope = cls._compute(user)
        user._tpbis_scope = scope
        return scope

    @classmethod
    def _compute(cls, user) -> Scope:
        from libraries.models import User

        if user.is_superuser or user.role == User.Role.PERPUSNAS:
            return cls(national=True, can_manage=True)
        if user.role == User.Role.CONSULTANT:
            codes = frozenset(user.provinces.values_list("code", flat=True))
            return cls(province_codes=codes, can_manage=bool(codes))
        if user.library_id is None:
            return cls()
        if user.role == User.Role.DISTRICT_LIBRARIAN:
            regency_code = user.library.regency_id
            if not regency_code:
                return cls()
            return cls(regency_codes=frozenset({regency_code}), can_report=True)
        if user.role in (User.Role.VILLAGE_LIBRARIAN, User.Role.TBM_MANAGER):
            return cls(library_ids=frozenset({user.library_id}), can_report=True)
        return cls()

    @property
    def is_empty(self) -> bool:
        return not (self.national or self.province_codes or self.regency_codes or self.library_ids)

    def q(
        self, *, province: str | None = None, regency: str | None = None, library: str | None = None
    ) -> Q:
        """A filter for rows inside this scope, given each model's lookup paths."""
        if self.national:
            return Q()
        if self.province_codes:
            return Q(**{f"{province}__in": self.province_codes}) if province else _NOTHING
        if self.regency_codes:
            return Q(**{f"{regency}__in": self.regency_codes}) if regency else _NOTHING
        if self.library_ids:
            return Q(**{f"{library}__in": self.library_ids}) if library else _NOTHING
        return _NOTHING

    def filter(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.filter(self.q(**queryset.model.SCOPE_PATHS))

    @property
    def can_review(self) -> bool:
        """Consultants and national staff review what librarians submit in their scope."""
        return self.can_manage

    @property
    def can_set_targets(self) -> bool:
        return self.national

    @property
    def can_publish(self) -> bool:
        """Publishes impact stories on the public site and administers accounts: national staff."""
        return self.national

    @property
    def sees_several_provinces(self) -> bool:
        """Choosing a province comes before choosing among its kab/kota."""
        return self.national or len(self.province_codes) > 1

    @property
    def home_area(self) -> tuple[str, str | int] | None:
        """The widest area the scope reads, as (kind, key), for a page's default view."""
        if self.national:
            return ("nation", "")
        if self.province_codes:
            return ("province", min(self.province_codes))
        if self.regency_codes:
            return ("regency", min(self.regency_codes))
        if self.library_ids:
            return ("library", min(self.library_ids))
        return None

    def provinces(self):
        """The provinces the scope reaches, wholly or in part (for choices in forms)."""
        from libraries.models import Province

        return Province.objects.filter(
            self.q(province="code", regency="regencies__code", library="libraries")
        ).distinct()

    def regencies(self):
        """The kab/kota the scope reaches, wholly or in part (for choices in forms)."""
        from libraries.models import Regency

        return Regency.objects.filter(
            self.q(province="province", regency="code", library="libraries")
        ).distinct()

    @property
    def reach(self) -> str:
        """What the scope reaches, as a stable string: part of the key of anything cached for
        one reader's eyes (two readers with the same reach may share it)."""
        if self.national:
            return "all"
        return "|".join(
            ",".join(sorted(str(value) for value in values))
            for values in (self.province_codes, self.regency_codes, self.library_ids)
        )

    @property
    def sees_provinces(self) -> bool:
        """Reads whole provinces: national staff and consultants with provinces."""
        return self.national or bool(self.province_codes)

    def covers_province(self, code: str | None) -> bool:
        if not code:
            return False
        return self.national or code in self.province_codes

    def covers_regency(self, code: str | None) -> bool:
        if not code:
            return False
        return self.covers_province(code[:2]) or code in self.regency_codes

    def covers_library(self, library) -> bool:
        """Whether ``library`` (a Library) lies inside the scope."""
        return (
            self.covers_province(library.province_id)
            or (library.regency_id is not None and library.regency_id in self.regency_codes)
            or library.pk in self.library_ids
        )

    def manages_province(self, code: str | None) -> bool:
        return self.can_manage and self.covers_province(code)

    def reports_for(self, library) -> bool:
        return self.can_report and self.covers_library(library)

    def reviews_for(self, library) -> bool:
        """Reviews, corrects and selects what ``library`` submitted."""
        return self.can_review and self.covers_library(library)

    def selects_at(self, level: str, library) -> bool:
        """Sits on the selection panel of ``level`` for the stories of ``library``: the nation
        names (national staff), the province picks (its reviewers), the kab/kota shortlist
        (its reviewers, or the kab/kota library that convenes it)."""
        if level == "national":
            return self.can_publish
        if level == "province":
            return self.reviews_for(library)
        return self.reviews_for(library) or (
            self.can_report and library.regency_id in self.regency_codes
        )

    def require(self, allowed: bool, message: str | None = None) -> None:
        """Refuse a write the role may not make: 403 inside the scope (see module docstring)."""
        if not allowed:
            raise PermissionDenied(message)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return Scope.for_user(user).filter(self)


def get_in_scope_or_404(user, queryset, *, manage: bool = False, **lookup):
    """Fetch one object the user may reach: 404 outside their scope, 403 if read-only.

    ``queryset`` may be a model or a queryset of a model that declares ``SCOPE_PATHS``.
    With ``manage=True`` the user must also be allowed to change it.
    """
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    scope = Scope.for_user(user)
    # A model's own ``visible_to`` may widen the scope rule (events a librarian attended
    # elsewhere, for example); honour it so that pages and lists agree.
    visible = (
        queryset.visible_to(user) if hasattr(queryset, "visible_to") else scope.filter(queryset)
    )
    obj = get_object_or_404(visible, **lookup)
    if manage and not scope.can_manage:
        raise PermissionDenied
    return obj
