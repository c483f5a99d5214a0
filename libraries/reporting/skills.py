"""Activities and participants by the skill taught (jenis keterampilan), for an area and period.

An activity counts once under every skill of the catalogue it names, once under "other skills"
when its free text names something the catalogue lacks, and under "no skill recorded" when it
names none. So the rows do not add up to the area's total when an activity taught several
skills; the total is given apart. Two grouped queries, whatever the number of activities.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from libraries.models import Activity
from libraries.reporting.indicators import Area, Period


@dataclass(frozen=True)
class SkillRow:
    #: The catalogue skill's id; None for the "other" and "none" rows.
    skill_id: int | None
    name: str
    activities: int
    participants: int


@dataclass(frozen=True)
class SkillCounts:
    #: One row per catalogue skill taught in the period, most activities first.
    skills: list[SkillRow]
    #: Activities whose free text names a skill the catalogue lacks.
    other: SkillRow
    #: Activities that name no skill at all.
    unrecorded: SkillRow
    #: Every activity of the area and period, each counted once.
    total: SkillRow

    @property
    def has_rows(self) -> bool:
        return bool(self.skills) or self.other.activities > 0


def skill_counts(area: Area, period: Period) -> SkillCounts:
    """Activities and participants of ``area`` in ``period``, by skill taught (two queries)."""
    activities = Activity.objects.filter(area.library_q("library__")).between(
        period.start, period.end
    )
    by_skill = (
        activities.filter(catalogue_skills__isnull=False)
        .values("catalogue_skills", "catalogue_skills__name")
        .annotate(count=Count("pk"), people=Coalesce(Sum("participants_total"), 0))
        .order_by("-count", "catalogue_skills__name")
    )
    skills = [
        SkillRow(
            row["catalogue_skills"], row["catalogue_skills__name"], row["count"], row["people"]
        )
        for row in by_skill
    ]
    has_other = ~Q(skills="")
    # One row per activity: the catalogue's links are only tested, never joined in.
    links = Activity.catalogue_skills.through.objects.filter(activity=OuterRef("pk"))
    names_none = Q(in_catalogue=False, skills="")
    sums = activities.annotate(in_catalogue=Exists(links)).aggregate(
        count=Count("pk"),
        people=Coalesce(Sum("participants_total"), 0),
        other=Count("pk", filter=has_other),
        other_people=Coalesce(Sum("participants_total", filter=has_other), 0),
        none=Count("pk", filter=names_none),
        none_people=Coalesce(Sum("participants_total", filter=names_none), 0),
    )
    return SkillCounts(
        skills=skills,
        other=SkillRow(None, "", sums["other"], sums["other_people"]),
        unrecorded=SkillRow(None, "", sums["none"], sums["none_people"]),
        total=SkillRow(None, "", sums["count"], sums["people"]),
    )
