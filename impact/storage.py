"""Where story photos and signed consent forms live: the private storage of ``libraries.storage``.

Nothing here has a public URL. Files are handed out only by the views in ``impact.views``
after checking the reader's scope, or publication and consent for the public.
"""

from libraries import storage


class PrivateStorage(storage.PrivateStorage):
    """The shared private storage, under the name impact's migrations refer to."""


private_storage = PrivateStorage()


def signed_form_response(consent, filename_stem: str):
    """A consent's signed form (PDF or photo), for a reader whose scope the view has checked."""
    from django.http import Http404

    from libraries.storage import file_response

    if not consent.signed_form:
        raise Http404
    is_pdf = consent.signed_form.name.endswith(".pdf")
    return file_response(
        consent.signed_form,
        content_type="application/pdf" if is_pdf else "image/jpeg",
        as_attachment=is_pdf,
        filename=f"{filename_stem}-{consent.pk}.{'pdf' if is_pdf else 'jpg'}",
        cache_control="private, no-store",
    )
