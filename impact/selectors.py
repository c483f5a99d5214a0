"""Reads that several views share."""

from django.db.models import Prefetch

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
    return list(Photo.objects.public().filter(story=story).order_by("uploaded_at", "pk"))


def story_shows_name(story) -> bool:
    """The name is public only with a standing consent to be named."""
    if story.anonymous or not story.storyteller_name:
        return False
    return story.consents.active().filter(kind="naming").exists()
