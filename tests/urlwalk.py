"""Every URL pattern of the portal, found by walking the resolver, with real ids filled in.

Shared by the guards: ``test_guard_urls`` requests each pattern as every role, the form and
upload guards post to the ones that take a POST. Views are named by their top package and
function (or class) name, e.g. ``events.event_detail``: moving a module inside its package
or renaming an address does not change the name.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

from django.contrib.admin import ModelAdmin
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from tests.world import World


@dataclass
class Pattern:
    route: str
    name: str  # namespace:name
    view: str  # top package + function or class name
    pattern: URLPattern
    prefixes: list = field(default_factory=list)
    model_admin: object | None = None
    admin_site: object | None = None
    in_admin: bool = False

    @property
    def positional(self) -> bool:
        """simple_history's admin pattern captures the object and the version unnamed."""
        regex = self.pattern.pattern.regex
        return regex.groups > len(regex.groupindex)

    @property
    def kwarg_names(self) -> list[str]:
        names = []
        for part in [*self.prefixes, self.pattern.pattern]:
            regex = part.regex
            names += list(regex.groupindex)
        if self.positional and self.in_admin:
            names += ["object_id", "version_id"][: self.pattern.pattern.regex.groups]
        return names

    @property
    def is_admin(self) -> bool:
        return self.in_admin

    def int_kwargs(self) -> list[str]:
        names = [
            name
            for part in [*self.prefixes, self.pattern.pattern]
            for name, converter in getattr(part, "converters", {}).items()
            if isinstance(converter, IntConverter)
        ]
        for part in [*self.prefixes, self.pattern.pattern]:
            for name in part.regex.groupindex:
                if re.search(rf"\(\?P<{name}>\\d\+\)", part.regex.pattern):
                    names.append(name)
        if "object_id" in self.kwarg_names:
            names.append("object_id")
        return names


def view_name(callback) -> str:
    view_class = getattr(callback, "view_class", None)
    function = inspect.unwrap(callback)
    name = view_class.__name__ if view_class else function.__name__
    module = (view_class or function).__module__
    return f"{module.split('.')[0]}.{name}"


def walk(resolver=None, prefixes=(), namespace="") -> list[Pattern]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            found += walk(entry, (*prefixes, entry.pattern), inner)
            continue
        assert isinstance(entry, URLPattern)
        callback = entry.callback
        bound = getattr(
            inspect.unwrap(callback, stop=lambda f: hasattr(f, "__self__")), "__self__", None
        )
        model_admin = getattr(callback, "model_admin", None)
        if model_admin is None and isinstance(bound, ModelAdmin):
            model_admin = bound  # a view an admin adds itself (history, password)
        in_admin = namespace.split(":")[0] == "admin"
        found.append(
            Pattern(
                route="".join(str(part) for part in (*prefixes, entry.pattern)),
                name=f"{namespace}:{entry.name}" if entry.name else "",
                view=view_name(callback),
                pattern=entry,
                prefixes=list(prefixes),
                model_admin=model_admin,
                admin_site=getattr(callback, "admin_site", None) if in_admin else None,
                in_admin=in_admin,
            )
        )
    return found


def build_url(pattern: Pattern, kwargs: dict) -> str:
    """The address of ``pattern`` with ``kwargs`` (path() routes are filled in directly, so
    that unnamed admin patterns work too; regular expressions go through reverse())."""
    parts = [*pattern.prefixes, pattern.pattern.pattern]
    if pattern.positional:
        return reverse(pattern.name, args=[kwargs[name] for name in pattern.kwarg_names])
    if all(isinstance(part, RoutePattern) for part in parts):
        route = "".join(str(part) for part in parts)
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
    if pattern.name:
        return reverse(pattern.name, kwargs=kwargs)
    # An unnamed regular expression (the admin's catch-all): fill its groups in place.
    route = "".join(
        re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), str(part))
        for part in parts
    )
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "")


# Filling the kwargs -----------------------------------------------------------------------------

#: What ``pk`` (or ``key``) names, view by view: an attribute of the world.
PK = {
    "tpbis_portal.export_detail": "export_job",
    "tpbis_portal.export_download": "export_job",
    "libraries.library_detail": "library",
    "libraries.library_edit": "library",
    "tpbis_portal.library_detail": "library",
    "tpbis_portal.library_moved": "library",
    "tpbis_portal.library": "library",
    "events.event_detail": "event",
    "events.event_edit": "event",
    "events.event_invitations": "event",
    "events.session_create": "event",
    "events.facilitator_create": "event",
    "events.facilitator_remove": "event",
    "events.session_edit": "session",
    "events.certificate_list": "event",
    "events.certificates_issue_view": "event",
    "events.certificate_issue_view": "event",
    "events.certificate_revoke_view": "event",
    "events.certificate_download": "event",
    "events.certificates_download": "event",
    "events.attendance_export": "event",
    "events.participant_import": "event",
    "events.participant_import_confirm": "event",
    "events.participant_import_refused": "event",
    "events.problem_create": "event",
    "events.problem_follow_up": "event",
    "events.award_create": "event",
    "events.award_delete": "event",
    "events.attendance": "session",
    "events.attendance_mark_view": "session",
    "events.walk_in": "session",
    "events.sign_sheet": "session",
    "impact.story_detail": "story",
    "impact.story_edit": "story",
    "impact.story_autosave": "story",
    "impact.story_transition": "story",
    "impact.photo_add": "story",
    "impact.consent_add": "story",
    "impact.selection_add": "story",
    "impact.card": "story",
    "impact.card_pdf": "story",
    "tpbis_portal.story_detail": "story",
    "tpbis_portal.story_card": "story",
    "tpbis_portal.story_card_pdf": "story",
    "tpbis_portal.story_moved": "story",
    "impact.notice_read": "notice",
    "impact.photo_remove": "photo",
    "impact.photo_file": "photo",
    "impact.consent_withdraw": "consent",
    "impact.testimony_detail": "testimony",
    "impact.testimony_edit": "testimony",
    "impact.testimony_consent_add": "testimony",
    "impact.testimony_publish": "testimony",
    "impact.testimony_promote": "testimony",
    "impact.consent_file": "consent",
    "libraries.activity_detail": "activity",
    "libraries.activity_edit": "activity",
    "libraries.activity_delete": "activity",
    "libraries.evidence_create": "activity",
    "libraries.evidence_file": "photo_evidence",
    "libraries.evidence_delete": "photo_evidence",
    "libraries.visitor_count_delete": "visitor_count",
    "libraries.publication_edit": "publication",
    "libraries.publication_delete": "publication",
    "libraries.target_edit": "target",
    "libraries.target_delete": "target",
    "impact.product_detail": "product",
    "impact.product_edit": "product",
    "impact.product_delete": "product",
    "impact.product_photo_set": "product",
    "impact.product_photo_remove": "product",
    "impact.product_photo": "product",
    "impact.product_consent_add": "product",
    "impact.product_consent_withdraw": "product_consent",
    "impact.product_consent_file": "product_consent",
    "impact.event_products": "event",
    "impact.exhibitions_save": "event",
    "impact.offer_add": "shm",
    "impact.offer_follow_up": "offer",
}

PARTNERSHIP_RECORDS = {
    "mitra": "partner",
    "kesepakatan": "agreement",
    "regulasi": "regulation",
    "anggaran": "budget",
}


def _admin_values(world: World, pattern: Pattern, name: str) -> list:
    model = pattern.model_admin.model if pattern.model_admin else None
    if name in ("object_id", "id") and model is not None:
        return [world.object_of(model).pk]
    if name == "version_id" and model is not None:
        record = world.object_of(model).history.order_by("history_id").first()
        return [record.history_id]
    if name == "app_label":
        return sorted({p.model_admin.model._meta.app_label for p in walk() if p.model_admin})
    return []


def kwarg_choices(world: World, pattern: Pattern) -> list[dict] | None:
    """Every combination of real values to try for ``pattern``; None if one cannot be filled."""
    names = pattern.kwarg_names
    defaults = pattern.pattern.default_args
    if pattern.view == "django.shortcut":  # the admin's "view on site"
        from django.contrib.contenttypes.models import ContentType

        return [
            {"content_type_id": ContentType.objects.get_for_model(obj).pk, "object_id": obj.pk}
            for obj in (world.library, world.story, world.activity, world.event)
        ]
    if pattern.view == "libraries.partnership_delete" or (
        pattern.view == "libraries.partnership_document"
    ):
        return [
            {"kind": kind, "pk": getattr(world, attribute).pk}
            for kind, attribute in PARTNERSHIP_RECORDS.items()
        ]
    if pattern.view == "events.certificates_download":
        return [{"pk": world.event.pk, "fmt": fmt} for fmt in ("zip", "pdf")]
    level = defaults.get("level")
    fixed = {
        "fmt": ["csv", "xlsx"],
        "code": [world.province.code],
        "slug": [slugify(world.province.name)],
        "library_slug": [slugify(world.library.name)],
        "regency_code": [world.library.regency_id],
        "regency_slug": [slugify(world.library.regency.name)],
        "kind": list(PARTNERSHIP_RECORDS),
        "dataset": ["kegiatan", "pengunjung", "mitra", "kesepakatan", "regulasi", "anggaran"],
        "size": ["full", "thumb"],
        "section": sorted(defaults.get("sitemaps", {})),
        "facilitator_pk": [world.facilitator.pk],
        "problem_pk": [world.problem.pk],
        "award_pk": [world.award.pk],
        "participant_pk": [world.participant.pk],
        "certificate_pk": [world.certificate.pk],
        "product_pk": [world.product.pk],
        "rest": [f"{world.event.pk}/"],
        "uidb64": [urlsafe_base64_encode(force_bytes(world.village_librarian.pk))],
        "token": [default_token_generator.make_token(world.village_librarian)],
        "url": ["tidak-ada/"],
        "key": [
            {
                "province": world.province.code,
                "regency": world.library.regency_id,
                "library": world.library.pk,
            }.get(level)
        ],
    }
    combinations: list[dict] = [{}]
    for name in names:
        if name == "pk" and pattern.view in PK:
            values = [getattr(world, PK[pattern.view]).pk]
        elif pattern.is_admin:
            values = _admin_values(world, pattern, name) or fixed.get(name, [])
        else:
            values = fixed.get(name, [])
        values = [value for value in values if value is not None]
        if not values:
            return None
        combinations = [{**combo, name: value} for combo in combinations for value in values]
    return combinations
