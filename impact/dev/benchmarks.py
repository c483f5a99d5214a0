"""Benchmarks of impact stories (see tpbis_portal/bench.py): the moderation queue and the
public province list, with 600 stories of which half are published."""

import datetime

from django.test import Client
from django.utils import timezone

from impact.models import Consent, Photo, Story
from libraries.models import Library, User, Village
from libraries.regions_loader import load_regions

STORIES = 600


def run(bench) -> None:
    if not Village.objects.exists():
        bench.once("load the full region register", load_regions)
    libraries = _libraries()
    author = User.objects.create_user(
        "bench-librarian", role=User.Role.VILLAGE_LIBRARIAN, library=libraries[0]
    )
    staff = User.objects.create_user("bench-impact-staff", role=User.Role.PERPUSNAS)
    now = timezone.now()
    statuses = [Story.Status.PUBLISHED, Story.Status.SUBMITTED, Story.Status.DRAFT]
    stories = Story.objects.bulk_create(
        Story(
            library=libraries[number % len(libraries)],
            author=author,
            title=f"Cerita perubahan {number}",
            status=statuses[number % 2 if number % 5 else 2],
            domain=Story.Domain.ECONOMIC,
            what_changed="Penghasilan naik setelah pelatihan. " * 20,
            published_at=now - datetime.timedelta(hours=number),
        )
        for number in range(STORIES)
    )
    Consent.objects.bulk_create(
        Consent(
            story=story,
            kind=Consent.Kind.STORY_USE,
            given_by="Penutur",
            method=Consent.Method.VERBAL,
            witness="Saksi",
            given_on=datetime.date(2024, 5, 1),
            recorded_by=author,
        )
        for story in stories
    )
    Photo.objects.bulk_create(
        Photo(
            story=story,
            image=f"impact/photos/bench-{story.pk}.jpg",
            thumbnail=f"impact/thumbnails/bench-{story.pk}.jpg",
            width=1600,
            height=1200,
            alt_text="Produk",
            shows_face=False,
            uploaded_by=author,
        )
        for story in stories
    )
    client = Client()
    client.force_login(staff)
    bench.page("moderation queue, 600 stories, first page", client, "/cerita/")
    bench.page("moderation queue, awaiting review", client, "/cerita/?status=submitted")
    province = libraries[0].province_id
    public = Client()
    bench.page("public province list of stories", public, f"/cerita/provinsi/{province}/")
    published = Story.objects.public().first()
    bench.page("public story page", public, f"/cerita/baca/{published.pk}/")
    bench.page("public index of provinces with stories", public, "/cerita/publik/")


def _libraries():
    libraries = list(Library.objects.filter(level=Library.Level.VILLAGE, province="64")[:20])
    if libraries:
        return libraries
    villages = Village.objects.filter(district__regency__province="64").select_related(
        "district__regency"
    )[:20]
    return Library.objects.bulk_create(
        Library(
            name=f"Perpustakaan {village.name}",
            level=Library.Level.VILLAGE,
            province_id="64",
            regency_id=village.district.regency_id,
            village=village,
            cohort_year=2022,
            support_tier=Library.SupportTier.FULL,
        )
        for village in villages
    )
