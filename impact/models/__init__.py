from .consent import Consent
from .review import ReviewEvent, SelectionDecision
from .stories import Photo, Story

__all__ = ["Consent", "Photo", "ReviewEvent", "SelectionDecision", "Story"]
