"""Writes of activity reporting. Views, the importer and commands call these; rules live here.

Who may write what:

- Librarians record their own reports: a desa/kelurahan librarian for their library, a
  kab/kota librarian for their library and the village libraries of their kab/kota (the same
  libraries the scope rule shows them).
- Consultants and Perpusnas staff read every report in their scope; they correct a report in
  the administration, where every change is kept in its history. The reports stay the
  libraries' own, which is what the awards rank; the portal offers them no edit buttons.
- Perpusnas staff alone set targets and colour thresholds.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from libraries.data_version import province_data_changed
from libraries.models import (
    Activity,
    ActivityEvidence,
    Agreement,
    BudgetAllocation,
    Library,
    Partner,
    Province,
    Publication,
    Regulation,
    ReportCardSettings,
    Skill,
    Target,
    Threshold,
    User,
    VisitorCount,
)
from libraries.reporting.tasks import report_cards_warm_after_commit
from libraries.scope import Scope, get_in_scope_or_404
from libraries.storage import private_storage
from libraries.uploads import PdfUpload, ProcessedImage
from libraries.versioning import EditConflict, edit_versioned

__all__ = ["EditConflict"]

ACTIVITY_EDITABLE_FIELDS = (
    "strategy",
    "kind",
    "title",
    "date",
    "skills",
    "participants_male",
    "participants_female",
    *Activity.AGE_FIELDS,
    "notes",
)


# Who may write


def reporting_libraries(user):
    """Libraries ``user`` may record reports for (none for read-only roles)."""
    if not Scope.for_user(user).can_report:
        return Library.objects.none()
    return Library.objects.visible_to(user)


def get_for_report_or_404(user, queryset, **lookup):
    """An object the user may change as a reporter: 404 outside the scope, 403 if read-only."""
    obj = get_in_scope_or_404(user, queryset, **lookup)
    Scope.for_user(user).require(Scope.for_user(user).can_report)
    return obj


def _check_reporter(actor: User, library: Library) -> None:
    Scope.for_user(actor).require(Scope.for_user(actor).reports_for(library))


def _check_corrector(actor: User, library: Library) -> None:
    """A reporter of ``library``, or a consultant or Perpusnas staff correcting its reports
    (in the admin, where every change is kept in the history; the portal's pages open to
    reporters only)."""
    scope = Scope.for_user(actor)
    scope.require(scope.reports_for(library) or scope.reviews_for(library))


def _indicators_changed(*libraries: Library) -> None:
    # Public pages and dashboards cache indicators per province; refresh them after commit.
    province_data_changed(*{library.province_id for library in libraries})


def _targets_changed() -> None:
    # Targets and thresholds colour the indicators of every province, and targets and the
    # report card settings weigh on every library's score: the cards of the whole country
    # are recomputed in the background rather than on the next reader's request.
    codes = list(Province.objects.values_list("code", flat=True))
    province_data_changed(*codes)
    report_cards_warm_after_commit(codes)


# Files

# Evidence and documents carry personal data (UU PDP): no file may outlive its row, nor be
# left behind by a write that failed.


def _delete_files(names: Iterable[str | None]) -> None:
    for name in names:
        if name:
            private_storage.delete(name)


def _delete_files_on_commit(names: Iterable[str | None]) -> None:
    # Only once the rows are gone for good: a rolled-back delete keeps its files.
    kept = [name for name in names if name]
    if kept:
        transaction.on_commit(lambda: _delete_files(kept))


@contextmanager
def _files_removed_on_failure() -> Iterator[list[str | None]]:
    """Collects the names of files written inside the block; deletes them if it fails.

    Put it outside the transaction, so that a failing commit removes the files as well.
    """
    written: list[str | None] = []
    try:
        yield written
    except BaseException:
        _delete_files(written)
        raise


# Evidence


def _evidence(activity, kind, upload, actor, written: list[str | None]) -> ActivityEvidence:
    """Write the files, then the row; ``written`` collects the names of the files written."""
    evidence = ActivityEvidence(activity=activity, kind=kind, uploaded_by=actor)
    if isinstance(upload, ProcessedImage):
        evidence.content_type = "image/jpeg"
        evidence.file.save("evidence.jpg", upload.image, save=False)
        written.append(evidence.file.name)
        evidence.thumbnail.save("evidence.jpg", upload.thumbnail, save=False)
        written.append(evidence.thumbnail.name)
    elif isinstance(upload, PdfUpload):
        evidence.content_type = "application/pdf"
        evidence.file.save("evidence.pdf", upload.as_file("evidence.pdf"), save=False)
        written.append(evidence.file.name)
    else:
        raise TypeError("Evidence must come through the safe upload fields.")
    evidence.full_clean()
    evidence.save()
    return evidence


def evidence_add(
    *, actor: User, activity: Activity, kind: str, upload: ProcessedImage | PdfUpload
) -> ActivityEvidence:
    _check_reporter(actor, activity.library)
    if kind == ActivityEvidence.Kind.PHOTO and isinstance(upload, PdfUpload):
        raise ValidationError(_("A photo must be an image; send the PDF as an attendance sheet."))
    with _files_removed_on_failure() as written, transaction.atomic():
        return _evidence(activity, kind, upload, actor, written)


@transaction.atomic
def evidence_delete(*, actor: User, evidence: ActivityEvidence) -> None:
    """Remove evidence, in the portal or the admin; its files go once the row is gone."""
    _check_corrector(actor, evidence.activity.library)
    names = [evidence.file.name, evidence.thumbnail.name]
    evidence.delete()
    _delete_files_on_commit(names)


# Activities


def _check_partners(library: Library, partners: Iterable[Partner]) -> list[Partner]:
    partners = list(partners)
    others = [partner.name for partner in partners if partner.library_id != library.pk]
    if others:
        raise ValidationError(
            {
                "partners": _(
                    "%(names)s work with another library; choose partners of this library."
                )
                % {"names": ", ".join(others)}
            }
        )
    return partners


def _check_move(actor: User, current: Library, library: Library | None) -> Library:
    """The library a record is to belong to: ``library`` when a corrector moves it there."""
    if library is None or library.pk == current.pk:
        return current
    _check_corrector(actor, library)
    return library


def _check_skills(skills: Iterable[Skill], *, kept: Iterable[Skill] = ()) -> list[Skill]:
    """Skills offered in the catalogue, or already named by the activity (``kept``)."""
    skills, kept_ids = list(skills), {skill.pk for skill in kept}
    retired = [skill.name for skill in skills if not skill.active and skill.pk not in kept_ids]
    if retired:
        raise ValidationError(
            {
                "catalogue_skills": _("No longer offered in the catalogue: %(names)s.")
                % {"names": ", ".join(retired)}
            }
        )
    return skills


def activity_record(
    *,
    actor: User,
    library: Library,
    idempotency_key: uuid.UUID,
    partners: Iterable[Partner] = (),
    catalogue_skills: Iterable[Skill] = (),
    photos: Iterable[ProcessedImage] = (),
    attendance: ProcessedImage | PdfUpload | None = None,
    **fields,
) -> tuple[Activity, bool]:
    """Record an activity once. Returns ``(activity, created)``.

    The same ``idempotency_key`` from the same person again (a double tap, a retried request,
    the offline queue sending after a lost answer) returns the activity recorded the first time
    instead of a second one. Reporters record in the portal; correctors may add a missing
    report in the admin.
    """
    _check_corrector(actor, library)
    sent_before = Activity.objects.filter(recorded_by=actor, idempotency_key=idempotency_key)
    existing = sent_before.first()
    if existing is not None:
        return existing, False
    partners = _check_partners(library, partners)
    catalogue_skills = _check_skills(catalogue_skills)
    activity = Activity(
        library=library, idempotency_key=idempotency_key, recorded_by=actor, **fields
    )
    activity.full_clean()
    try:
        with _files_removed_on_failure() as written, transaction.atomic():
            activity.save()
            activity.partners.set(partners)
            activity.catalogue_skills.set(catalogue_skills)
            for photo in photos:
                _evidence(activity, ActivityEvidence.Kind.PHOTO, photo, actor, written)
            if attendance is not None:
                _evidence(activity, ActivityEvidence.Kind.ATTENDANCE, attendance, actor, written)
    except IntegrityError:
        # Two identical submissions raced each other; the other one won.
        existing = sent_before.first()
        if existing is None:
            raise
        return existing, False
    _indicators_changed(library)
    return activity, True


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: Activity,
    version: int,
    library: Library | None = None,
    partners: Iterable[Partner] | None = None,
    catalogue_skills: Iterable[Skill] | None = None,
    **changes,
) -> Activity:
    """Apply ``changes`` unless somebody saved the activity since ``version`` was read.

    A corrector (in the admin) may move the activity to another ``library`` they cover; its
    partners must then be the new library's.
    """
    unknown = set(changes) - set(ACTIVITY_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    _check_corrector(actor, activity.library)
    moved_to = _check_move(actor, activity.library, library)
    if moved_to != activity.library:
        changes["library"] = moved_to
        if partners is None:
            partners = activity.partners.all()
    current = edit_versioned(
        Activity.objects.all(), pk=activity.pk, version=version, changes=changes
    )
    if partners is not None:
        current.partners.set(_check_partners(current.library, partners))
    if catalogue_skills is not None:
        kept = current.catalogue_skills.all()
        current.catalogue_skills.set(_check_skills(catalogue_skills, kept=kept))
    _indicators_changed(activity.library, current.library)
    return current


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity) -> None:
    """Delete an activity, in the portal or the admin; its evidence files go after commit."""
    _check_corrector(actor, activity.library)
    names = [name for pair in activity.evidence.values_list("file", "thumbnail") for name in pair]
    activity.delete()
    _delete_files_on_commit(names)
    _indicators_changed(activity.library)


# Visitors


@transaction.atomic
def visitor_count_record(
    *, actor: User, library: Library, month: datetime.date, visitors: int
) -> tuple[VisitorCount, bool]:
    """Record (or correct) the visitors of one month. Returns ``(count, created)``."""
    _check_corrector(actor, library)
    month = month.replace(day=1)
    # Locks the row, if any, so that two corrections of one month do not interleave.
    existing = VisitorCount.objects.select_for_update().filter(library=library, month=month).first()
    created = existing is None
    count = VisitorCount(library=library, month=month) if existing is None else existing
    count.visitors = visitors
    count.recorded_by = actor
    count.full_clean(validate_constraints=not created)
    try:
        with transaction.atomic():
            count.save()
    except IntegrityError:
        # Created by a simultaneous request a moment ago: correct that one instead.
        VisitorCount.objects.filter(library=library, month=month).update(
            visitors=visitors, recorded_by=actor
        )
        count = VisitorCount.objects.get(library=library, month=month)
        created = False
    _indicators_changed(library)
    return count, created


@transaction.atomic
def visitor_count_delete(*, actor: User, count: VisitorCount) -> None:
    _check_corrector(actor, count.library)
    count.delete()
    _indicators_changed(count.library)


# Publication

PUBLICATION_EDITABLE_FIELDS = ("channel", "url", "published_on", "title")


def publication_record(
    *, actor: User, library: Library, idempotency_key: uuid.UUID, **fields
) -> tuple[Publication, bool]:
    """Record a publication once. Returns ``(publication, created)``.

    The same ``idempotency_key`` again (a double tap, a retried request) returns the record of
    the first time; the same link for the same library is refused with a clear message.
    """
    _check_corrector(actor, library)
    existing = Publication.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    publication = Publication(
        library=library, idempotency_key=idempotency_key, recorded_by=actor, **fields
    )
    publication.full_clean()
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError:
        # Two identical submissions raced each other; the other one won.
        existing = Publication.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise ValidationError(_("This library has already recorded this link.")) from None
        return existing, False
    _indicators_changed(library)
    return publication, True


@transaction.atomic
def publication_update(
    *,
    actor: User,
    publication: Publication,
    version: int,
    library: Library | None = None,
    **changes,
) -> Publication:
    """Apply ``changes`` unless somebody saved the record since ``version`` was read; a
    corrector (in the admin) may move it to another ``library`` they cover."""
    unknown = set(changes) - set(PUBLICATION_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    _check_corrector(actor, publication.library)
    moved_to = _check_move(actor, publication.library, library)
    if moved_to != publication.library:
        changes["library"] = moved_to
    current = edit_versioned(
        Publication.objects.all(), pk=publication.pk, version=version, changes=changes
    )
    _indicators_changed(publication.library, current.library)
    return current


@transaction.atomic
def publication_delete(*, actor: User, publication: Publication) -> None:
    """Delete a publication, in the portal (its library's reporter) or the admin."""
    _check_corrector(actor, publication.library)
    publication.delete()
    _indicators_changed(publication.library)


# Partnerships and advocacy


def _save_with_document(record, upload: PdfUpload | None) -> None:
    with _files_removed_on_failure() as written, transaction.atomic():
        if upload is not None:
            record.document.save("document.pdf", upload.as_file("document.pdf"), save=False)
            written.append(record.document.name)
        record.save()


@transaction.atomic
def partner_create(*, actor: User, library: Library, **fields) -> Partner:
    _check_corrector(actor, library)
    partner = Partner(library=library, **fields)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def agreement_create(
    *, actor: User, library: Library, partner: Partner, document: PdfUpload | None = None, **fields
) -> Agreement:
    _check_corrector(actor, library)
    agreement = Agreement(library=library, partner=partner, **fields)
    agreement.full_clean()
    _save_with_document(agreement, document)
    _indicators_changed(library)
    return agreement


@transaction.atomic
def regulation_create(
    *, actor: User, library: Library, document: PdfUpload | None = None, **fields
) -> Regulation:
    _check_corrector(actor, library)
    regulation = Regulation(library=library, **fields)
    regulation.full_clean()
    _save_with_document(regulation, document)
    _indicators_changed(library)
    return regulation


@transaction.atomic
def budget_allocation_create(*, actor: User, library: Library, **fields) -> BudgetAllocation:
    _check_corrector(actor, library)
    allocation = BudgetAllocation(library=library, **fields)
    allocation.full_clean()
    allocation.save()
    _indicators_changed(library)
    return allocation


# What an edit may change of each record (its document is replaced in the portal, where the
# upload is checked); a corrector may also move a record to another ``library`` they cover.
PARTNERSHIP_EDITABLE_FIELDS = {
    Partner: ("name", "kind", "contact"),
    Agreement: ("partner", "kind", "number", "title", "signed_on", "valid_until"),
    Regulation: ("kind", "number", "title", "issued_on"),
    BudgetAllocation: ("source", "amount", "purpose", "decided_on"),
}


@transaction.atomic
def partnership_record_update(*, actor: User, record, library: Library | None = None, **changes):
    """Correct a partner, agreement, regulation or budget allocation (in the admin)."""
    model = type(record)
    unknown = set(changes) - set(PARTNERSHIP_EDITABLE_FIELDS[model])
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    _check_corrector(actor, record.library)
    current = model.objects.select_for_update().select_related("library").get(pk=record.pk)
    moved_to = _check_move(actor, current.library, library)
    if (
        moved_to != current.library
        and isinstance(current, Partner)
        and (current.agreements.exists() or current.activities.exists())
    ):
        # Their agreements and activities would name another library's partner.
        raise ValidationError(
            {
                "library": _(
                    "This partner appears in agreements or activities of %(library)s; it "
                    "stays with that library. Add the partner to the other library instead."
                )
                % {"library": current.library.name}
            }
        )
    previous = current.library
    current.library = moved_to
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    _indicators_changed(previous, current.library)
    return current


@transaction.atomic
def partnership_record_delete(*, actor: User, record) -> None:
    """Delete a partner, agreement, regulation or budget allocation (portal or admin)."""
    _check_corrector(actor, record.library)
    if isinstance(record, Partner) and (record.agreements.exists() or record.activities.exists()):
        raise ValidationError(
            _("This partner appears in agreements or activities; remove those first.")
        )
    document = getattr(record, "document", None)
    record.delete()
    if document:
        _delete_files_on_commit([document.name])
    _indicators_changed(record.library)


# Targets and thresholds


def _check_perpusnas(actor: User) -> None:
    Scope.for_user(actor).require(Scope.for_user(actor).can_set_targets)


@transaction.atomic
def target_save(*, actor: User, target: Target | None = None, **fields) -> Target:
    """Create a target, or change ``target``; only Perpusnas staff set targets."""
    _check_perpusnas(actor)
    target = target or Target()
    for name, value in fields.items():
        setattr(target, name, value)
    target.set_by = actor
    target.full_clean()
    target.save()
    _targets_changed()
    return target


@transaction.atomic
def target_delete(*, actor: User, target: Target) -> None:
    _check_perpusnas(actor)
    target.delete()
    _targets_changed()


@transaction.atomic
def threshold_save(*, actor: User, indicator: str, yellow_from: int, green_from: int) -> Threshold:
    _check_perpusnas(actor)
    threshold = Threshold.objects.select_for_update().filter(indicator=indicator).first()
    threshold = threshold or Threshold(indicator=indicator)
    threshold.yellow_from, threshold.green_from = yellow_from, green_from
    threshold.full_clean()
    threshold.save()
    _targets_changed()
    return threshold


@transaction.atomic
def threshold_delete(*, actor: User, threshold: Threshold) -> None:
    _check_perpusnas(actor)
    threshold.delete()
    _targets_changed()


@transaction.atomic
def report_card_settings_save(*, actor: User, **fields) -> ReportCardSettings:
    """Change the report card's weights and cut-offs; only Perpusnas staff set them."""
    _check_perpusnas(actor)
    settings = (
        ReportCardSettings.objects.select_for_update().filter(pk=1).first()
        or ReportCardSettings.current()
    )
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.updated_by = actor
    settings.full_clean()
    settings.save()
    _targets_changed()
    return settings
