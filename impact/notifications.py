"""Emails to a story's author when its status changes (console email in development)."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


def status_changed(story, event, *, link: str) -> None:
    """Tell the author; ``link`` is the story's absolute address."""
    author = story.author
    if not author.email or event.actor_id == author.pk:
        return
    # The portal speaks Indonesian by default; so do its emails.
    with translation.override("id"):
        subject = _("Your story “%(title)s”: %(status)s") % {
            "title": str(story),
            "status": event.get_to_status_display(),
        }
        body = render_to_string(
            "impact/email/status_changed.txt",
            {"story": story, "event": event, "author": author, "link": link},
        )
    send_mail(subject, body, None, [author.email], fail_silently=True)
