"""National-scale impact stories for ``manage.py generate_national_data``.

At scale 1.0: 20,000 stories of the active libraries, each written by a librarian of its
library, at every stage of moderation. About a third are published, each with the consents
publishing requires (use of the story; being named where the storyteller is named; a parent's
or guardian's for a minor). Some published stories have a small generated photo, with the
face consent where it shows a face. Some stories were withdrawn with their consent, and
unpublished ones may carry an unconsented face photo: neither may ever reach a public page.
"""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from impact.models import Consent, Photo, Story
from libraries.models import Library, User

STORIES = 20_000
_BATCH = 1_000
STATUS_WEIGHTS = {
    Story.Status.PUBLISHED: 35,
    Story.Status.DRAFT: 28,
    Story.Status.SUBMITTED: 15,
    Story.Status.VERIFIED: 10,
    Story.Status.NEEDS_REVISION: 7,
    Story.Status.WITHDRAWN: 5,
}
PHOTO_SHARE = 0.25
TITLES = [
    ("Dari {} rumahan menjadi usaha desa", Story.Domain.ECONOMIC),
    ("Belajar {} lewat internet perpustakaan", Story.Domain.DIGITAL),
    ("Anak-anak kembali gemar membaca berkat {}", Story.Domain.EDUCATION),
    ("Ibu-ibu posyandu belajar {} di perpustakaan", Story.Domain.HEALTH),
    ("Mengurus {} tanpa ke kota", Story.Domain.PUBLIC_SERVICES),
]
PRODUCTS = ["keripik pisang", "anyaman pandan", "kopi bubuk", "kain tenun", "madu hutan"]
NAMES = ["Sumiati", "Rahmah", "Yohanes", "Wayan", "Siti", "Darto", "Maria", "Ahmad", "Nur"]


def generate(*, rng: random.Random, scale: float, write: Callable[[str], None]) -> None:
    libraries = list(
        Library.objects.active()
        .exclude(level=Library.Level.PROVINCE)
        .values_list("pk", "level", "village_id")
        .order_by("pk")
    )
    count = round(STORIES * scale)
    if not libraries or not count:
        write("Impact stories: nothing to add.")
        return
    authors = _authors(libraries)
    now = timezone.now()
    stories = []
    for _number in range(count):
        library, _level, village = rng.choice(libraries)
        stories.append(_story(rng, library, village, authors[library], now))
    created = []
    for start in range(0, len(stories), _BATCH):
        created += Story.objects.bulk_create(stories[start : start + _BATCH])
    consents, photos = _consents_and_photos(rng, created, now)
    published = sum(story.status == Story.Status.PUBLISHED for story in created)
    write(
        f"Impact stories: {len(created)} stories ({published} published), {consents} consents, "
        f"{photos} photos."
    )


def _authors(libraries) -> dict[int, int]:
    """One librarian account per library (made once; without a usable password)."""
    existing = dict(
        User.objects.filter(username__startswith="penulis-cerita-").values_list("library_id", "pk")
    )
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                username=f"penulis-cerita-{pk}",
                role=User.Role.VILLAGE_LIBRARIAN
                if level == Library.Level.VILLAGE
                else User.Role.DISTRICT_LIBRARIAN,
                library_id=pk,
                password=unusable,
            )
            for pk, level, _village in libraries
            if pk not in existing
        ],
        batch_size=_BATCH,
    )
    return dict(
        User.objects.filter(username__startswith="penulis-cerita-").values_list("library_id", "pk")
    )


def _story(rng: random.Random, library: int, village: str | None, author: int, now) -> Story:
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    title, domain = rng.choice(TITLES)
    product = rng.choice(PRODUCTS)
    anonymous = rng.random() < 0.4
    age_group = rng.choices(
        [
            Story.AgeGroup.ADULT,
            Story.AgeGroup.YOUNG_ADULT,
            Story.AgeGroup.SENIOR,
            Story.AgeGroup.TEEN,
        ],
        weights=[55, 25, 12, 8],
    )[0]
    written = now - datetime.timedelta(days=rng.randint(1, 3 * 365), minutes=rng.randint(0, 1440))
    return Story(
        library_id=library,
        author_id=author,
        status=status,
        title=title.format(product),
        storyteller_name="" if anonymous else f"Ibu/Bapak {rng.choice(NAMES)}",
        anonymous=anonymous,
        gender=rng.choice([Story.Gender.FEMALE, Story.Gender.MALE]),
        age_group=age_group,
        village_id=village,
        domain=domain,
        life_before="Penghasilan tidak menentu dan jarang ke perpustakaan.",
        involvement=Story.Involvement.TRAINING,
        what_changed=f"Setelah pelatihan di perpustakaan, kini membuat dan menjual {product}.",
        why_it_matters="Keluarga punya penghasilan tetap dan tetangga ikut bekerja.",
        product=product,
        submitted_at=written if status != Story.Status.DRAFT else None,
        published_at=written + datetime.timedelta(days=7)
        if status == Story.Status.PUBLISHED
        else None,
    )


def _tiny_jpeg(rng: random.Random, size: tuple[int, int]) -> bytes:
    colour = (rng.randint(0, 200), rng.randint(60, 200), rng.randint(60, 220))
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _consents_and_photos(rng: random.Random, stories: list[Story], now) -> tuple[int, int]:
    consents: list[Consent] = []
    photos: list[Photo] = []
    # A published story's face photo always has its consent; an unpublished one may not yet.
    needs_face_consent: list[Photo] = []
    storage = Photo._meta.get_field("image").storage

    def consent(story, kind, photo=None, **extra):
        minor = story.age_group in Story.MINOR_AGE_GROUPS
        return Consent(
            story=story,
            kind=kind,
            photo=photo,
            given_by=story.storyteller_name or "Penutur",
            guardian_relation="Orang tua" if minor else "",
            method=Consent.Method.VERBAL,
            witness="Kepala perpustakaan",
            given_on=(story.submitted_at or now).date(),
            recorded_by_id=story.author_id,
            **extra,
        )

    for story in stories:
        if story.status in (Story.Status.PUBLISHED, Story.Status.VERIFIED):
            consents.append(consent(story, Consent.Kind.STORY_USE))
            if story.storyteller_name:
                consents.append(consent(story, Consent.Kind.NAMING))
        elif story.status == Story.Status.WITHDRAWN:
            consents.append(
                consent(
                    story,
                    Consent.Kind.STORY_USE,
                    withdrawn_at=now,
                    withdrawn_reason="Penutur meminta ceritanya tidak dipakai lagi.",
                    withdrawn_recorded_by_id=story.author_id,
                )
            )
        if rng.random() < PHOTO_SHARE and story.status != Story.Status.DRAFT:
            published = story.status == Story.Status.PUBLISHED
            full = storage.save(
                "impact/photos/generated.jpg", ContentFile(_tiny_jpeg(rng, (160, 120)))
            )
            thumb = storage.save(
                "impact/thumbnails/generated.jpg", ContentFile(_tiny_jpeg(rng, (80, 60)))
            )
            photos.append(
                Photo(
                    story=story,
                    image=full,
                    thumbnail=thumb,
                    width=160,
                    height=120,
                    alt_text=f"Produk {story.product} buatan penutur",
                    shows_face=rng.random() < 0.3,
                    uploaded_by_id=story.author_id,
                )
            )
            if published and photos[-1].shows_face:
                needs_face_consent.append(photos[-1])
    Photo.objects.bulk_create(photos, batch_size=_BATCH)
    for photo in needs_face_consent:
        consents.append(consent(photo.story, Consent.Kind.PHOTO_FACE, photo=photo))
    Consent.objects.bulk_create(consents, batch_size=_BATCH)
    return len(consents), len(photos)
