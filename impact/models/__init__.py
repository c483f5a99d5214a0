from .consent import Consent
from .notices import Notice
from .review import ReviewEvent, SelectionDecision
from .stories import Photo, Story
from .testimonies import Testimony

__all__ = ["Consent", "Notice", "Photo", "ReviewEvent", "SelectionDecision", "Story", "Testimony"]
