from .accounts import User
from .regions import District, Province, Regency, TimeZone, Village, time_zone_for_province
from .registry import FIRST_COHORT_YEAR, AidItem, Library, LibraryManager

__all__ = [
    "FIRST_COHORT_YEAR",
    "AidItem",
    "District",
    "Library",
    "LibraryManager",
    "Province",
    "Regency",
    "TimeZone",
    "User",
    "Village",
    "time_zone_for_province",
]
