"""Background tasks of the core: e-mail, sent after the request instead of inside it.

Tasks run on the backend of ``settings.TASKS``: at once in the calling process by default, or
queued in PostgreSQL for the task worker (``manage.py db_worker``) with ``TASKS_BACKEND=database``.
Their arguments travel as JSON, so they are plain values, never model instances.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task


@task()
def send_email(
    *, subject: str, body: str, recipients: list[str], html_body: str | None = None
) -> int:
    """Send one message; a mail server that refuses it does not fail the request that asked."""
    message = EmailMultiAlternatives(subject, body, None, recipients)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send(fail_silently=True)


def email_later(
    *, subject: str, body: str, recipients: list[str], html_body: str | None = None
) -> None:
    """Queue an e-mail once the caller's transaction commits (at once outside one), so that a
    rolled-back change sends nothing and the request never waits for the mail server."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=subject, body=body, recipients=recipients, html_body=html_body
        )
    )
