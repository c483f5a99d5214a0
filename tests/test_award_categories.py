"""PLM awards: the programme's categories, winners who are people or stories, and the report
card's suggestion for the community-engagement award."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from events.models import Award
from events.services import award_add
from libraries.models import Activity, Strategy, Target
from tests import factories


def test_best_master_trainer_names_the_person(consultant, plm):
    with pytest.raises(ValidationError) as refused:
        award_add(actor=consultant, event=plm, category=Award.Category.MASTER_TRAINER, rank=1)
    assert "winner" in refused.value.message_dict

    award = award_add(
        actor=consultant,
        event=plm,
        category=Award.Category.MASTER_TRAINER,
        rank=1,
        winner="Pak Sutrisno (Boyolali)",
    )
    with translation.override("en"):
        assert str(award) == "Best Master Trainer #1: Pak Sutrisno (Boyolali)"
    with translation.override("id"):
        assert str(award) == "Master Trainer terbaik #1: Pak Sutrisno (Boyolali)"


def test_story_contest_winner_is_a_story_of_a_library(consultant, plm, village_library):
    award = award_add(
        actor=consultant,
        event=plm,
        category=Award.Category.STORY_VIDEO,
        rank=2,
        library=village_library,
        winner="Keripik pisang Bu Sari",
    )

    assert award.winner_label == "Keripik pisang Bu Sari (Perpustakaan Kelurahan Rawa Makmur)"


def test_an_award_without_any_winner_is_refused(consultant, plm):
    with pytest.raises(ValidationError):
        award_add(actor=consultant, event=plm, category=Award.Category.STORY_WRITTEN, rank=1)
    assert not Award.objects.exists()


def test_award_form_records_a_person(client_for, consultant, plm):
    response = client_for(consultant).post(
        reverse("events:award-add", args=[plm.pk]),
        {"category": "best_pic", "rank": 1, "winner": "Ibu Rina, PIC Kota Samarinda"},
    )

    assert response.status_code == 302
    assert Award.objects.get().winner == "Ibu Rina, PIC Kota Samarinda"


def _engagement(library, count):
    Activity.objects.bulk_create(
        Activity(
            library=library,
            strategy=Strategy.ENGAGEMENT,
            title="Pelatihan",
            date=datetime.date(2022, 3, 1),
            participants_male=5,
            participants_female=5,
            idempotency_key=uuid.uuid4(),
        )
        for _ in range(count)
    )


def test_plm_page_suggests_the_best_engagement_by_report_card(
    client_for, consultant, plm, village_library, regions
):
    # PLM Kaltim, July 2022: January to July is 7 months, a target of 1 activity a month.
    Target.objects.create(indicator="engagement", level="village", year=2022, per_month=1)
    other = factories.village_library("64.72.01.1002", name="Perpustakaan Kelurahan Lain")
    kepri = factories.village_library("21.72.01.1001", name="Perpustakaan Tanjung Pinang Barat")
    _engagement(village_library, 7)
    _engagement(other, 3)
    _engagement(kepri, 10)

    response = client_for(consultant).get(reverse("events:detail", args=[plm.pk]))

    suggestion = response.context["award_suggestion"]
    assert [library.name for library in suggestion.libraries] == [
        "Perpustakaan Kelurahan Rawa Makmur",
        "Perpustakaan Kelurahan Lain",
    ]
    assert suggestion.libraries[0].sub_scores["engagement"] == Decimal("100.00")
    assert suggestion.libraries[1].sub_scores["engagement"] == Decimal("42.86")
    assert "Tanjung Pinang" not in response.content.decode()


def test_librarians_do_not_see_the_suggestion(client_for, village_librarian, plm):
    from events.services import invitations_set

    invitations_set(actor=plm.created_by, event=plm, libraries=[village_librarian.library])
    response = client_for(village_librarian).get(reverse("events:detail", args=[plm.pk]))

    assert response.status_code == 200
    assert response.context["award_suggestion"] is None
