from .consent import Consent
from .notices import Notice
from .products import Product, ProductConsent, ProductExhibition, ProductOffer
from .review import ReviewEvent, SelectionDecision
from .stories import Photo, Story
from .testimonies import Testimony

__all__ = [
    "Consent",
    "Notice",
    "Photo",
    "Product",
    "ProductConsent",
    "ProductExhibition",
    "ProductOffer",
    "ReviewEvent",
    "SelectionDecision",
    "Story",
    "Testimony",
]
