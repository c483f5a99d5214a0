"""Public story pages: the provinces with stories, a province's stories, one story.

Only published stories whose consent to be used stands, only their consented photos, and the
storyteller's name only with a standing consent to be named (``impact.selectors``). The pages
are cached like the province pages, under the data version of the province in the address:
publishing, withdrawing a consent or removing a photo renews it, so the change shows at once.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from impact import cards, selectors
from impact.models import Photo, Story
from libraries.models import Province
from tpbis_portal.overview.addresses import (
    canonical,
    province_stories_url,
    story_card_url,
    story_url,
)
from tpbis_portal.overview.cache import cached_public_page, render_public

PAGE_SIZE = 12


@require_GET
@cached_public_page()
def story_index(request):
    provinces = (
        Province.objects.annotate(
            story_count=Count(
                "libraries__stories",
                filter=Q(libraries__stories__in=Story.objects.public()),
            )
        )
        .filter(story_count__gt=0)
        .order_by("name")
    )
    return render_public(
        request, "public/story_index.html", {"provinces": provinces, "as_of": timezone.now()}
    )


@require_GET
@cached_public_page(reads=["page"])
def province_stories(request, code: str, slug: str = ""):
    province = get_object_or_404(Province, code=code)
    if response := canonical(request, province_stories_url(province)):
        return response
    stories = (
        selectors.public_stories()
        .filter(library__province=province)
        .prefetch_related(
            Prefetch("photos", queryset=Photo.objects.public().order_by("uploaded_at", "pk"))
        )
    )
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_public(
        request,
        "public/province_stories.html",
        {"province": province, "page": page, "as_of": timezone.now()},
    )


@require_GET
@cached_public_page()
def story_detail(request, code: str, pk: int, slug: str = ""):
    story = get_object_or_404(
        selectors.public_stories().select_related("village__district__regency"), pk=pk
    )
    if response := canonical(request, story_url(story)):
        return response
    photos = selectors.public_photos(story)
    # The first consented photo is the preview image when the story is shared.
    preview = (
        request.build_absolute_uri(reverse("impact:photo-file", args=[photos[0].pk, "full"]))
        if photos
        else ""
    )
    return render_public(
        request,
        "public/story_detail.html",
        {
            "story": story,
            "photos": photos,
            "preview_image": preview,
            "show_name": selectors.story_shows_name(story),
            "show_video": selectors.story_shows_video(story),
            "selections": story.selections.all(),
            "tz": story.library.province.time_zone,
            # The cached copy shows the story as it stood when it was rendered.
            "as_of": timezone.now(),
        },
    )


def _public_story(code: str, pk: int) -> Story:
    return get_object_or_404(
        Story.objects.public()
        .filter(library__province_id=code)
        .select_related("library__province", "library__regency"),
        pk=pk,
    )


def _no_cache(response):
    # A withdrawn consent takes a public card down at once: shared caches revalidate.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def story_card(request, code: str, pk: int, slug: str = ""):
    """The printable card of a public story, with only what its public page shows."""
    story = _public_story(code, pk)
    if response := canonical(request, story_card_url(story)):
        return response
    return _no_cache(
        cards.render_card(
            request,
            cards.story_card(story, public=True),
            pdf_url=story_card_url(story, pdf=True),
            back_url=story_url(story),
        )
    )


@require_GET
def story_card_pdf(request, code: str, pk: int, slug: str = ""):
    story = _public_story(code, pk)
    if response := canonical(request, story_card_url(story, pdf=True)):
        return response
    content = cards.story_card(story, public=True)
    if content.unavailable:
        return redirect(story_card_url(story))
    return _no_cache(cards.card_pdf_response(content))
