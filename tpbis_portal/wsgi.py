"""WSGI entry point, as served by gunicorn: ``gunicorn tpbis_portal.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpbis_portal.settings")

application = get_wsgi_application()
