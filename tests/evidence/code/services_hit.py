# A Django WSGI entry point (healthchecks hc/wsgi.py)
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hc.settings")
application = get_wsgi_application()
# ruff: noqa  (audited code: fixtures keep the patterns of the real code they come from)
