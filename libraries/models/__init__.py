from .accounts import User
from .publicity import Publication
from .regions import District, Province, Regency, TimeZone, Village, time_zone_for_province
from .registry import FIRST_COHORT_YEAR, AidItem, Library, LibraryManager
from .reportcard import ReportCardSettings
from .reporting import (
    Activity,
    ActivityEvidence,
    Agreement,
    BudgetAllocation,
    Indicator,
    Partner,
    Regulation,
    Skill,
    Strategy,
    Target,
    Threshold,
    VisitorCount,
)

__all__ = [
    "FIRST_COHORT_YEAR",
    "Activity",
    "ActivityEvidence",
    "Agreement",
    "AidItem",
    "BudgetAllocation",
    "District",
    "Indicator",
    "Library",
    "LibraryManager",
    "Partner",
    "Province",
    "Publication",
    "Regency",
    "Regulation",
    "ReportCardSettings",
    "Skill",
    "Strategy",
    "Target",
    "Threshold",
    "TimeZone",
    "User",
    "Village",
    "VisitorCount",
    "time_zone_for_province",
]
