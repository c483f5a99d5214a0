"""Demo data for local development: libraries, one login per role, events, stories, reports."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django.utils.translation import gettext as _

from events.dev.demo import create_demo_events
from impact.dev.demo import create_demo_stories, create_demo_testimonies
from impact.dev.demo_products import create_demo_products
from libraries.dev.demo import (
    DEMO_PASSWORD,
    create_demo_libraries,
    create_demo_reporting,
    create_demo_users,
)
from libraries.models import Village


class Command(BaseCommand):
    help = (
        "Create demo libraries, one demo login per role, events, impact stories, community "
        "products and activity reports (local development only; safe to run again)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_("Demo data is only for local development (DEBUG=1)."))
        if not Village.objects.exists():
            raise CommandError(_("Load the region register first: manage.py load_regions"))
        # The demo stories go through the review workflow, which emails their authors: those
        # messages would bury the demo logins printed below.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            created = create_demo_libraries()
            logins = create_demo_users()
            stories = create_demo_stories()
            activities = create_demo_reporting()
            testimonies = create_demo_testimonies()
            events = create_demo_events()
            products = create_demo_products()
        self.stdout.write(_("Demo libraries: %(count)d new.") % {"count": created})
        self.stdout.write(_("Demo impact stories: %(count)d new.") % {"count": stories})
        self.stdout.write(_("Demo activities: %(count)d new.") % {"count": activities})
        self.stdout.write(_("Demo testimonies: %(count)d new.") % {"count": testimonies})
        self.stdout.write(_("Demo events: %(count)d new.") % {"count": events})
        self.stdout.write(_("Demo community products: %(count)d new.") % {"count": products})
        self.stdout.write(
            _("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for username, description in logins:
            self.stdout.write(f"  {username:<24} {description}")
