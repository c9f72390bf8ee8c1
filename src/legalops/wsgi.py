"""WSGI entry point for gunicorn (`legalops serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalops.settings")
application = get_wsgi_application()
