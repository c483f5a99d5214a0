from .certificates import Certificate
from .events import Event, EventSession, Facilitator, Invitation
from .outcomes import Award, Problem
from .people import Attendance, Participant, Registration, normalise_name

__all__ = [
    "Attendance",
    "Award",
    "Certificate",
    "Event",
    "EventSession",
    "Facilitator",
    "Invitation",
    "Participant",
    "Problem",
    "Registration",
    "normalise_name",
]
