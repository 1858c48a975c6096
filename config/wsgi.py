import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
# django.core.wsgi.get_wsgi_application with the platform's handler (crm.handlers: each URL
# resolved once).
django.setup(set_prefix=False)

from crm.handlers import WSGIHandler  # noqa: E402  (after setup, as Django's own)

application = WSGIHandler()
