"""Reads that several views share."""

from django.db.models import Count, OuterRef, Prefetch, Subquery, Window

from impact.models import Photo, Story


def stories_with_thumbnails(queryset):
    """Stories with their library's region and their photos, in a fixed number of queries."""
    return queryset.select_related(
        "library__province", "library__regency", "author"
    ).prefetch_related(
        Prefetch("photos", queryset=Photo.objects.current().order_by("uploaded_at", "pk"))
    )


def public_stories():
    return (
        Story.objects.public()
        .select_related("library__province", "library__regency", "village", "event__province")
        .order_by("-published_at", "-pk")
    )


def public_photos(story):
    """The photos the public may see of ``story``, a story from ``public_stories()``.

    The story is known to be public, so only each photo's own consent is checked: testing
    the story again against every public story costs a scan of them all.
    """
    return list(Photo.objects.filter(story=story).consented().order_by("uploaded_at", "pk"))


def story_shows_name(story) -> bool:
    """The name is public only with a standing consent to be named."""
    if story.anonymous or not story.storyteller_name:
        return False
    return story.consents.active().filter(kind="naming").exists()


def story_shows_video(story) -> bool:
    """The video link is public only with a standing consent to publish the video, given by a
    parent or guardian for a minor (the video shows the person)."""
    if not story.video_url:
        return False
    consent = story.consents.active().filter(kind="video", photo__isnull=True).first()
    return consent is not None and (not story.is_minor or consent.by_guardian)


def public_story_cards(
    *,
    province_code: str,
    library_id: int | None = None,
    regency_code: str | None = None,
    limit: int = 6,
):
    """The newest public stories of a province (or of one kab/kota or library) and how many
    there are.

    One query: each story carries the id and description of its first public photo (a
    thumbnail for the card), and ``total`` counts every public story of the place. No name of
    a storyteller is read.
    """
    first_photo = (
        Photo.objects.filter(story=OuterRef("pk")).consented().order_by("uploaded_at", "pk")
    )
    stories = Story.objects.public().filter(library__province=province_code)
    if library_id is not None:
        stories = stories.filter(library=library_id)
    if regency_code is not None:
        stories = stories.filter(library__regency=regency_code)
    stories = (
        stories.select_related("library__regency", "village")
        .only(
            "pk",
            "title",
            "domain",
            "what_changed",
            "published_at",
            "library__name",
            "library__regency__name",
            "village__name",
            "village__kind",
        )
        .annotate(
            photo_id=Subquery(first_photo.values("pk")[:1]),
            photo_alt=Subquery(first_photo.values("alt_text")[:1]),
            total=Window(Count("pk")),
        )
        .order_by("-published_at", "-pk")
    )
    cards = list(stories[:limit])
    return cards, (cards[0].total if cards else 0)


def public_story_counts(province_code: str) -> dict[str | None, int]:
    """Public stories of a province per kab/kota of their library (None: provincial library)."""
    rows = (
        Story.objects.public()
        .filter(library__province=province_code)
        .values("library__regency")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["library__regency"]: row["n"] for row in rows}


def public_story_counts_by_region() -> tuple[dict[str, int], dict[str, int]]:
    """Public stories of the whole country per province and per kab/kota (one query)."""
    rows = (
        Story.objects.public()
        .values("library__province", "library__regency")
        .annotate(n=Count("pk"))
        .order_by()
    )
    provinces: dict[str, int] = {}
    regencies: dict[str, int] = {}
    for row in rows:
        code = row["library__province"]
        provinces[code] = provinces.get(code, 0) + row["n"]
        if row["library__regency"]:
            regencies[row["library__regency"]] = row["n"]
    return provinces, regencies
