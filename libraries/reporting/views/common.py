"""What the reporting pages share: permission checks, form errors, paging, file answers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse

from libraries.scope import Scope
from libraries.storage import file_response

PAGE_SIZE = 50


def require_reporter(request):
    scope = Scope.for_user(request.user)
    scope.require(scope.can_report)


def require_perpusnas(request):
    scope = Scope.for_user(request.user)
    scope.require(scope.can_set_targets)


def add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_errors_json(form) -> JsonResponse:
    """A refused form as the offline queue reads it: one sentence to show, and by field."""
    errors = {
        name: [str(message) for message in messages] for name, messages in form.errors.items()
    }
    labels = []
    for name, messages in errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        labels.append(label + " ".join(messages))
    return JsonResponse(
        {"ok": False, "status": 400, "error": " ".join(labels), "errors": errors}, status=400
    )


def serve_file(field, content_type: str, filename: str):
    return file_response(
        field,
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=filename,
        # Evidence can show people and their names: never kept by shared caches.
        cache_control="private, max-age=3600",
    )
