"""The files a refused form kept for its next submit (see ``libraries.held_files``)."""

from django import template

from libraries.uploads import SafeImageField

register = template.Library()


@register.filter
def held_files(bound_field) -> dict | None:
    """What the include ``includes/held_files.html`` shows for ``bound_field``, or None."""
    held = getattr(bound_field.form, "held_files", {}).get(bound_field.name)
    if not held:
        return None
    return {
        "files": held,
        "names": ", ".join(item.filename for item in held),
        "photo": isinstance(bound_field.field, SafeImageField),
    }
