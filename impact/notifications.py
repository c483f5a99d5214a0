"""Telling librarians about their stories: emails when a story's status changes, and a notice
on the dashboard plus an email when a selection panel shortlists or selects it (console email
in development)."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from impact.models import Notice, SelectionDecision
from impact.models.notices import selection_message
from libraries.models import User
from libraries.tasks import email_later

# Unread notices shown on the dashboard; older ones wait until these are read.
DASHBOARD_NOTICES = 10


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
    email_later(subject=subject, body=body, recipients=[author.email])


def story_librarians(story) -> list[User]:
    """Who hears about a story: its author and the librarians of its library (active)."""
    librarians = User.objects.filter(
        library=story.library_id,
        role__in=User.LIBRARIAN_ROLES,
        is_active=True,
    )
    people = {user.pk: user for user in librarians}
    if story.author.is_active:
        people.setdefault(story.author_id, story.author)
    return sorted(people.values(), key=lambda user: user.pk)


def selection_made(decision: SelectionDecision, *, link: str, card_link: str) -> list[Notice]:
    """A notice on the dashboard of each of the story's librarians (now, in the caller's
    transaction) and an email to each (once that transaction commits). Whoever recorded the
    decision is not told what they just did."""
    recipients = [
        user for user in story_librarians(decision.story) if user.pk != decision.decided_by_id
    ]
    notices = Notice.objects.bulk_create(
        [Notice(recipient=user, decision=decision) for user in recipients],
        ignore_conflicts=True,
    )
    transaction.on_commit(
        lambda: _send_selection_emails(decision, recipients, link=link, card_link=card_link)
    )
    return notices


def _send_selection_emails(decision, recipients, *, link: str, card_link: str) -> None:
    story = decision.story
    for user in recipients:
        if not user.email:
            continue
        with translation.override("id"):
            subject = _("Story “%(title)s”: %(panel)s") % {
                "title": story.title or _("Untitled story"),
                "panel": decision.get_level_display(),
            }
            body = render_to_string(
                "impact/email/selection_made.txt",
                {
                    "user": user,
                    "decision": decision,
                    "message": selection_message(decision),
                    "link": link,
                    "card_link": card_link,
                },
            )
        email_later(subject=subject, body=body, recipients=[user.email])


def unread_notices(user) -> list[Notice]:
    """The newest unread notices of ``user`` (one query)."""
    return list(
        Notice.objects.unread()
        .filter(recipient=user)
        .select_related("decision__story__library")
        .order_by("-created_at", "-pk")[:DASHBOARD_NOTICES]
    )
