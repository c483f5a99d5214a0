"""National-scale activity reporting for ``manage.py generate_national_data``.

At scale 1.0: 100,000 activities of the libraries already generated, spread from each
library's cohort year to today, monthly visitor counts of the last twelve months for half of
the libraries, and targets for every year, so that indicators have something to colour.
Bulk inserts, no history rows: this is demo data, not a record of anyone's work.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from libraries.models import (
    Activity,
    Indicator,
    Library,
    Publication,
    Strategy,
    Target,
    VisitorCount,
)

ACTIVITIES = 100_000
PUBLICATIONS = 20_000
CHANNELS = [
    (Publication.Channel.SOCIAL_MEDIA, "https://www.instagram.com/p/{}/"),
    (Publication.Channel.NEWS, "https://berita.example.id/perpustakaan/{}"),
    (Publication.Channel.VILLAGE_WEBSITE, "https://desa.example.id/berita/{}"),
]
_BATCH = 2_000
STRATEGY_WEIGHTS = {Strategy.ENGAGEMENT: 70, Strategy.INFORMATION: 20, Strategy.ADVOCACY: 10}
KINDS = {
    Strategy.ENGAGEMENT: [
        (Activity.Kind.TRAINING, "Pelatihan {}"),
        (Activity.Kind.DIGITAL_LITERACY, "Literasi digital: {}"),
        (Activity.Kind.PRODUCT_MARKETING, "Pemasaran produk {}"),
        (Activity.Kind.STORYTELLING, "Mendongeng untuk anak"),
        (Activity.Kind.DISCUSSION, "Diskusi warga tentang {}"),
    ],
    Strategy.INFORMATION: [
        (Activity.Kind.INFORMATION_SERVICE, "Layanan informasi {}"),
        (Activity.Kind.READING, "Gerakan membaca bersama"),
    ],
    Strategy.ADVOCACY: [(Activity.Kind.ADVOCACY_MEETING, "Audiensi dengan mitra tentang {}")],
}
TOPICS = [
    "keripik pisang",
    "anyaman pandan",
    "jualan daring",
    "budidaya lele",
    "olahan rumput laut",
    "kopi bubuk",
    "batik tulis",
    "pupuk kompos",
]
# Per library per month, for every cohort of a level (see libraries.reporting.indicators).
TARGETS = {
    (Indicator.ACTIVITIES, Library.Level.VILLAGE): Decimal(2),
    (Indicator.ACTIVITIES, Library.Level.REGENCY): Decimal(3),
    (Indicator.ACTIVITIES, Library.Level.PROVINCE): Decimal(4),
    (Indicator.ENGAGEMENT, Library.Level.VILLAGE): Decimal("1.5"),
    (Indicator.PARTICIPANTS, Library.Level.VILLAGE): Decimal(25),
    (Indicator.VISITORS, Library.Level.VILLAGE): Decimal(150),
    (Indicator.PUBLICATIONS, Library.Level.VILLAGE): Decimal("0.5"),
    (Indicator.ADVOCACY, Library.Level.VILLAGE): Decimal("0.2"),
}


def generate(*, rng: random.Random, scale: float, write: Callable[[str], None]) -> None:
    libraries = list(
        Library.objects.active().values_list("pk", "cohort_year", "level").order_by("pk")
    )
    if not libraries:
        write("Reporting: no active library, nothing to add.")
        return
    today = timezone.localdate()
    targets = _targets(range(min(year for _pk, year, _level in libraries), today.year + 1))
    count = round(ACTIVITIES * scale)
    batch: list[Activity] = []
    for _number in range(count):
        pk, cohort, _level = rng.choice(libraries)
        batch.append(_activity(rng, pk, cohort, today))
        if len(batch) == _BATCH:
            Activity.objects.bulk_create(batch)
            batch = []
    Activity.objects.bulk_create(batch)
    visitors = _visitor_counts(rng, libraries, today, scale)
    publications = _publications(rng, libraries, today, round(PUBLICATIONS * scale))
    write(
        f"Reporting: {count} activities, {visitors} monthly visitor counts, "
        f"{publications} publications, {targets} targets."
    )


def _publications(rng: random.Random, libraries, today: datetime.date, count: int) -> int:
    rows = []
    for _number in range(count):
        pk, cohort, _level = rng.choice(libraries)
        start = datetime.date(cohort, 1, 1)
        channel, address = rng.choice(CHANNELS)
        rows.append(
            Publication(
                library_id=pk,
                channel=channel,
                url=address.format(uuid.uuid4().hex[:12]),
                published_on=start
                + datetime.timedelta(days=rng.randrange(max(1, (today - start).days))),
                title=f"Kegiatan perpustakaan: {rng.choice(TOPICS)}",
                idempotency_key=uuid.uuid4(),
            )
        )
    Publication.objects.bulk_create(rows, batch_size=_BATCH)
    return len(rows)


def _activity(rng: random.Random, library: int, cohort: int, today: datetime.date) -> Activity:
    start = datetime.date(cohort, 1, 1)
    # Later years weigh more: libraries record more as the programme matures.
    span = (today - start).days
    date = start + datetime.timedelta(days=int(span * rng.random() ** 0.7))
    strategy = rng.choices(list(STRATEGY_WEIGHTS), weights=list(STRATEGY_WEIGHTS.values()))[0]
    kind, title = rng.choice(KINDS[strategy])
    male, female = rng.randint(0, 25), rng.randint(0, 35)
    ages = {}
    if rng.random() < 0.4:
        total = male + female
        children = rng.randint(0, total)
        youth = rng.randint(0, total - children)
        adults = rng.randint(0, total - children - youth)
        ages = {
            "age_children": children,
            "age_youth": youth,
            "age_adults": adults,
            "age_elderly": total - children - youth - adults,
        }
    return Activity(
        library_id=library,
        strategy=strategy,
        kind=kind,
        title=title.format(rng.choice(TOPICS)),
        date=date,
        participants_male=male,
        participants_female=female,
        idempotency_key=uuid.uuid4(),
        **ages,
    )


def _visitor_counts(rng, libraries, today: datetime.date, scale: float) -> int:
    months = []
    month = today.replace(day=1)
    for _ in range(12):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    chosen = [pk for pk, _cohort, _level in libraries if rng.random() < 0.5 * min(scale, 1.0)]
    taken = set(
        VisitorCount.objects.filter(library__in=chosen, month__in=months).values_list(
            "library_id", "month"
        )
    )
    rows = [
        VisitorCount(library_id=pk, month=month, visitors=rng.randint(40, 400))
        for pk in chosen
        for month in months
        if (pk, month) not in taken
    ]
    VisitorCount.objects.bulk_create(rows, batch_size=_BATCH)
    return len(rows)


def _targets(years) -> int:
    existing = set(
        Target.objects.filter(cohort_year__isnull=True).values_list("indicator", "level", "year")
    )
    rows = [
        Target(indicator=indicator, level=level, year=year, per_month=per_month)
        for year in years
        for (indicator, level), per_month in TARGETS.items()
        if (indicator, level, year) not in existing
    ]
    Target.objects.bulk_create(rows)
    return len(rows)
