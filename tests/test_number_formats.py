"""Numbers are written the way of the page's language: 5,408 and 519.8 in English, 5.408 and
519,8 in Indonesian, never the two ways side by side."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from libraries.models import BudgetAllocation, Indicator, Library, reporting
from libraries.templatetags.numbers import rupiah, thousands
from tests import factories
from tests.factories import published_story
from tpbis_portal.overview.addresses import story_url

THIS_YEAR = timezone.localdate().year
#: Grouping of the other language: Indonesian 5.408 on an English page, English 5,408 on an
#: Indonesian one. (Times are written 08.00 or 8 a.m., never with three digits after a dot.)
FOREIGN_GROUPING = {
    "en": re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d.])"),
    "id": re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])"),
}


@pytest.mark.parametrize(
    ("value", "english", "indonesian"),
    [
        (5408, "5,408", "5.408"),
        (3_200_000, "3,200,000", "3.200.000"),
        (12, "12", "12"),
        (Decimal("519.80"), "519.8", "519,8"),
        (Decimal("98.95"), "99.0", "99,0"),
        (Decimal("600.00"), "600", "600"),
        (2.5, "2.5", "2,5"),
        (None, "-", "-"),
    ],
)
def test_numbers_follow_the_active_language(value, english, indonesian):
    with override("en"):
        assert thousands(value) == english
    with override("id"):
        assert thousands(value) == indonesian


def test_rupiah_follows_the_active_language():
    with override("en"):
        assert rupiah(3_200_000) == "Rp 3,200,000"
    with override("id"):
        assert rupiah(3_200_000) == "Rp 3.200.000"


def test_budget_allocation_is_named_with_the_amount_in_the_reader_s_language(village_library):
    allocation = BudgetAllocation(
        library=village_library, source=BudgetAllocation.Source.choices[0][0], amount=3_200_000
    )

    with override("en"):
        assert str(allocation).endswith("Rp 3,200,000")
    with override("id"):
        assert str(allocation).endswith("Rp 3.200.000")


class _Text(HTMLParser):
    """The text a reader sees (not attributes, scripts or styles)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def big_numbers(regions, perpusnas):
    """A Kepulauan Riau village library with figures in the thousands and millions."""
    kepri = factories.kepri_registry()
    library = kepri["barat"]
    today = timezone.localdate()
    factories.ActivityFactory(
        library=library,
        date=today.replace(day=1),
        participants_male=1_200,
        participants_female=1_500,
    )
    reporting.VisitorCount.objects.create(
        library=library, month=today.replace(day=1), visitors=5_408
    )
    BudgetAllocation.objects.create(
        library=library,
        source=BudgetAllocation.Source.choices[0][0],
        amount=3_200_000,
        purpose="Buku bacaan",
        decided_on=today.replace(day=1),
    )
    factories.TargetFactory(
        indicator=Indicator.VISITORS,
        level=Library.Level.VILLAGE,
        year=THIS_YEAR,
        per_month=Decimal("1000"),
    )
    story = published_story(library=library, income_before=1_500_000, income_after=3_200_000)
    return {"library": library, "story": story}


def _pages(big_numbers) -> dict[str, str]:
    library, story = big_numbers["library"], big_numbers["story"]
    activity = library.activities.get()
    return {
        "public province": "/provinsi/21-kepulauan-riau/",
        "public library": reverse(
            "public:library",
            kwargs={
                "code": "21",
                "slug": "kepulauan-riau",
                "pk": library.pk,
                "library_slug": "perpustakaan-kelurahan-tanjung-pinang-barat",
            },
        ),
        "public story": story_url(story),
        "dashboard": reverse("dashboard:province", args=["21"]) + f"?tahun={THIS_YEAR}",
        "indicators": reverse("reporting:indicators-province", kwargs={"key": "21"}),
        "ranking": reverse("reporting:ranking", args=["21"]),
        "partnerships": reverse("reporting:partnerships"),
        "activity": reverse("reporting:activity-detail", args=[activity.pk]),
        "story": reverse("impact:detail", args=[story.pk]),
        "admin budgets": reverse("admin:libraries_budgetallocation_changelist"),
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["5,408", "2,700", "3,200,000"]),
        ("id", ["5.408", "2.700", "3.200.000"]),
    ],
)
def test_pages_write_numbers_the_way_of_their_language(
    client_for, perpusnas, big_numbers, language, expected
):
    client = client_for(perpusnas)
    client.cookies["tpbis_language"] = language
    seen, foreign = set(), []

    for name, url in _pages(big_numbers).items():
        response = client.get(url)
        assert response.status_code == 200, name
        text = visible_text(response.content.decode())
        seen |= {number for number in expected if number in text}
        foreign += [(name, found) for found in FOREIGN_GROUPING[language].findall(text)]
        for raw in ("5408", "2700", "3200000"):
            assert raw not in text, (name, raw)

    assert foreign == []
    assert seen == set(expected)
