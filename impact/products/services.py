"""Every write to community products, their consents, exhibitions and offers.

Librarians record the products of the libraries they write for (``Scope.reports_for``);
consultants and Perpusnas staff mark exhibitions at a PLM and record offers at an SHM of the
provinces they manage. Any change that may show on a public page renews the province's data
version, so that the public pages show it in the same request.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from events.services import check_manages
from impact import consents
from impact.models import Product, ProductConsent, ProductExhibition, ProductOffer
from libraries.data_version import province_data_changed
from libraries.models import Library, User
from libraries.scope import Scope
from libraries.uploads import ProcessedImage
from libraries.versioning import EditConflict, lock_at_version, next_version, save_next_version

__all__ = ["EditConflict"]

OFFER_FOLLOW_UP_FIELDS = ("status", "follow_up")


def _check_writer(actor: User, library: Library) -> None:
    if not Scope.for_user(actor).reports_for(library):
        raise PermissionDenied


def _public_products_changed(product: Product) -> None:
    # The province page, its product page and the dashboards count and show products.
    province_data_changed(product.library.province_id)


def _delete_files(*names: str | None) -> None:
    storage = Product._meta.get_field("photo").storage
    for name in names:
        if name:
            storage.delete(name)


@transaction.atomic
def product_create(
    *,
    actor: User,
    library: Library,
    create_key: uuid.UUID | None = None,
    photo: ProcessedImage | None = None,
    photo_alt: str = "",
    **content,
) -> Product:
    """Record a product. The same ``create_key`` twice (a double tap, a retried request)
    returns the product the first request made."""
    _check_writer(actor, library)
    unknown = set(content) - set(Product.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not product content: {sorted(unknown)}")
    if create_key is not None:
        existing = _product_with_key(create_key, actor)
        if existing is not None:
            return existing
    product = Product(library=library, recorded_by=actor, create_key=create_key, **content)
    if photo is not None:
        product.photo_alt = (photo_alt or "").strip()
        # Checked before the files are written: a refused product leaves no files behind.
        product.photo = "pending.jpg"
    product.full_clean(exclude=["photo", "thumbnail"])
    if photo is not None:
        _attach_photo(product, photo)
    try:
        with transaction.atomic():
            _save_or_clean_up(product)
    except IntegrityError:
        # The same form sent twice at once: the other request saved it first.
        existing = _product_with_key(create_key, actor) if create_key else None
        if existing is None:
            raise
        return existing
    _public_products_changed(product)
    return product


def _product_with_key(create_key: uuid.UUID, actor: User) -> Product | None:
    existing = Product.objects.filter(create_key=create_key).first()
    if existing is not None and existing.recorded_by_id != actor.pk:
        raise ValidationError(_("This form was already used. Reload the page and try again."))
    return existing


def _attach_photo(product: Product, photo: ProcessedImage) -> None:
    product.photo.save("photo.jpg", photo.image, save=False)
    product.thumbnail.save("thumbnail.jpg", photo.thumbnail, save=False)


def _save_or_clean_up(product: Product, **kwargs) -> None:
    try:
        product.save(**kwargs)
    except Exception:
        # Nothing half-saved: no files without their row.
        _delete_files(product.photo.name, product.thumbnail.name)
        raise


@transaction.atomic
def product_update(*, product: Product, actor: User, version: int, **content) -> Product:
    """Save the product's content if nobody saved it since ``version`` was read."""
    unknown = set(content) - set(Product.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not product content: {sorted(unknown)}")
    current = lock_at_version(
        Product.objects.select_related("library"), pk=product.pk, version=version
    )
    _check_writer(actor, current.library)
    changed = [name for name, value in content.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, content[name])
    current.full_clean()
    save_next_version(current, changed)
    _public_products_changed(current)
    return current


@transaction.atomic
def product_delete(*, product: Product, actor: User) -> None:
    """Delete a product recorded by mistake. One that has a consent on record (kept as proof
    under UU PDP), an exhibition or an offer (records of the events) stays."""
    current = Product.objects.select_for_update().select_related("library").get(pk=product.pk)
    _check_writer(actor, current.library)
    if current.consents.exists() or current.exhibitions.exists() or current.offers.exists():
        raise ValidationError(
            _(
                "This product has a consent, an exhibition or an offer on record, which must "
                "be kept; it cannot be deleted."
            )
        )
    names = (current.photo.name, current.thumbnail.name)
    current.delete()
    transaction.on_commit(lambda: _delete_files(*names))
    _public_products_changed(current)


@transaction.atomic
def product_photo_set(
    *, product: Product, actor: User, photo: ProcessedImage, photo_alt: str
) -> Product:
    """Put a new photo on the product (the earlier one, if any, is deleted)."""
    current = Product.objects.select_for_update().select_related("library").get(pk=product.pk)
    _check_writer(actor, current.library)
    photo_alt = (photo_alt or "").strip()
    if not photo_alt:
        raise ValidationError({"photo_alt": _("Describe the photo in a few words.")})
    old = (current.photo.name, current.thumbnail.name)
    current.photo_alt = photo_alt
    _attach_photo(current, photo)
    _save_or_clean_up(
        current, update_fields=next_version(current, ["photo", "thumbnail", "photo_alt"])
    )
    transaction.on_commit(lambda: _delete_files(*old))
    _public_products_changed(current)
    return current


@transaction.atomic
def product_photo_remove(*, product: Product, actor: User) -> Product:
    current = Product.objects.select_for_update().select_related("library").get(pk=product.pk)
    _check_writer(actor, current.library)
    if not current.photo:
        return current
    old = (current.photo.name, current.thumbnail.name)
    current.photo = ""
    current.thumbnail = ""
    current.photo_alt = ""
    save_next_version(current, ["photo", "thumbnail", "photo_alt"])
    transaction.on_commit(lambda: _delete_files(*old))
    _public_products_changed(current)
    return current


@transaction.atomic
def product_consent_record(
    *,
    product: Product,
    actor: User,
    given_by: str,
    method: str,
    given_on: datetime.date,
    witness: str = "",
    signed_form: File | None = None,
) -> ProductConsent:
    """Record the producer's consent to be named and shown. One stands at a time: a
    repeated record (a double tap) returns the one that stands."""
    current = (
        Product.objects.select_for_update().select_related("library__province").get(pk=product.pk)
    )
    _check_writer(actor, current.library)
    # Today where the library is: a consent given just after midnight in Jayapura is given
    # on the WIT date.
    today = timezone.localdate(timezone=ZoneInfo(current.library.province.time_zone))
    if given_on > today:
        raise ValidationError({"given_on": _("Consent cannot be given in the future.")})
    standing = current.consents.active().first()
    if standing is not None:
        return standing
    consent = ProductConsent(
        product=current,
        given_by=given_by,
        method=method,
        witness=witness,
        given_on=given_on,
        recorded_by=actor,
    )
    consents.consent_save(consent, signed_form=signed_form)
    _public_products_changed(current)
    return consent


@transaction.atomic
def product_consent_withdraw(
    *, consent: ProductConsent, actor: User, reason: str
) -> ProductConsent:
    """Record a withdrawal and take the product off the public pages at once. The consent
    record stays, with the reason, as proof that the withdrawal was honoured."""
    reason = consents.withdrawal_reason(reason)
    consent = ProductConsent.objects.select_for_update().get(pk=consent.pk)
    product = Product.objects.select_related("library").get(pk=consent.product_id)
    consents.check_withdrawer(actor, product.library)
    consents.withdrawal_record(consent, actor=actor, reason=reason)
    _public_products_changed(product)
    return consent


@transaction.atomic
def exhibitions_set(
    *, actor: User, event: Event, products: Iterable[Product], shown: Iterable[Product]
) -> tuple[int, int]:
    """Mark, among ``shown`` (the products the page listed), which were exhibited at the PLM:
    ``products``. Returns (added, removed). Setting the same marks twice changes nothing."""
    check_manages(actor, event)
    if not event.is_plm:
        raise ValidationError(_("Products are exhibited at a PLM."))
    wanted = {product.pk: product for product in products}
    listed = {product.pk for product in shown} | set(wanted)
    existing = set(
        ProductExhibition.objects.filter(event=event, product__in=listed).values_list(
            "product_id", flat=True
        )
    )
    added = 0
    for pk, product in wanted.items():
        if pk in existing:
            continue
        exhibition = ProductExhibition(event=event, product=product, recorded_by=actor)
        exhibition.full_clean()
        exhibition.save()
        added += 1
    removed, _detail = ProductExhibition.objects.filter(
        event=event, product__in=listed - set(wanted)
    ).delete()
    if added or removed:
        province_data_changed(event.province_id)
    return added, removed


@transaction.atomic
def offer_record(
    *,
    actor: User,
    event: Event,
    product: Product,
    kind: str,
    stakeholder: str,
    organisation: str,
    detail: str = "",
    status: str = ProductOffer.Status.OFFERED,
    follow_up: str = "",
    create_key: uuid.UUID | None = None,
) -> ProductOffer:
    """Record a stakeholder's offer for a product at an SHM; a repeated ``create_key``
    returns the offer the first request recorded."""
    check_manages(actor, event)
    if not event.is_shm:
        raise ValidationError(_("Offers are recorded at a Stakeholder Meeting."))
    if create_key is not None:
        existing = _offer_with_key(create_key, event, product)
        if existing is not None:
            return existing
    if not Product.objects.for_shm(event).filter(pk=product.pk).exists():
        raise ValidationError(
            _("This product was not exhibited at a PLM of the meeting's province before it.")
        )
    offer = ProductOffer(
        product=product,
        event=event,
        kind=kind,
        detail=(detail or "").strip(),
        stakeholder=(stakeholder or "").strip(),
        organisation=(organisation or "").strip(),
        status=status,
        follow_up=(follow_up or "").strip(),
        recorded_by=actor,
        create_key=create_key,
    )
    offer.full_clean()
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        # The same form sent twice at once: the other request saved it first.
        existing = _offer_with_key(create_key, event, product) if create_key else None
        if existing is None:
            raise
        return existing
    province_data_changed(event.province_id)
    return offer


def _offer_with_key(create_key: uuid.UUID, event: Event, product: Product) -> ProductOffer | None:
    existing = ProductOffer.objects.filter(create_key=create_key).first()
    if existing is not None and (existing.event_id, existing.product_id) != (event.pk, product.pk):
        raise ValidationError(_("This form was already used. Reload the page and try again."))
    return existing


@transaction.atomic
def offer_update(*, actor: User, offer: ProductOffer, version: int, **changes) -> ProductOffer:
    unknown = set(changes) - set(OFFER_FOLLOW_UP_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    current = lock_at_version(
        ProductOffer.objects.select_related("event"), pk=offer.pk, version=version
    )
    check_manages(actor, current.event)
    changed = [name for name, value in changes.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, changes[name])
    current.full_clean()
    save_next_version(current, changed)
    province_data_changed(current.event.province_id)
    return current
