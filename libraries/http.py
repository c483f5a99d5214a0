"""What the portal's own scripts ask for, read the same way by every view and middleware."""

from django.http import HttpRequest


def wants_json(request: HttpRequest) -> bool:
    """A script (fetch or XHR) asking, not a browser navigating: it cannot read an HTML page."""
    return (
        "application/json" in request.headers.get("Accept", "")
        or "X-Requested-With" in request.headers
    )
