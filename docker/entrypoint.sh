#!/bin/sh
# Container start-up: wait for the database(s), migrate every domain (one command: crm's migrate
# runs once per alias), create the first superuser once if asked to, then run the command
# (gunicorn, the Dockerfile's CMD). Variables: see .env.example.
set -eu

echo "entrypoint: waiting for the database(s) (up to ${DB_WAIT_SECONDS:-60}s)"
python - <<'PY'
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from django.db import connections  # noqa: E402
from django.db.utils import OperationalError  # noqa: E402

deadline = time.monotonic() + float(os.environ.get("DB_WAIT_SECONDS") or 60)
for alias in connections:
    while True:
        try:
            connections[alias].ensure_connection()
        except OperationalError as error:
            if time.monotonic() >= deadline:
                sys.exit(f"entrypoint: database alias '{alias}' is unreachable: {error}")
            time.sleep(1)
        else:
            connections[alias].close()
            break
PY

echo "entrypoint: migrating every domain"
python manage.py migrate --noinput

if [ -n "${DJANGO_SUPERUSER_DS_USER_EMAIL:-}" ]; then
  # No pipeline here: `set -e` must stop the start-up if this check itself fails.
  exists=$(python manage.py shell --verbosity 0 -c "
import os
from django.contrib.auth import get_user_model
email = os.environ['DJANGO_SUPERUSER_DS_USER_EMAIL'].strip()
print('yes' if get_user_model().objects.filter(ds_user_email__iexact=email).exists() else 'no')
")
  case "$exists" in
    *no)
      echo "entrypoint: creating superuser ${DJANGO_SUPERUSER_DS_USER_EMAIL}"
      DJANGO_SUPERUSER_DS_USER="${DJANGO_SUPERUSER_DS_USER:-Administrador}" \
        python manage.py createsuperuser --noinput
      ;;
    *yes)
      echo "entrypoint: superuser ${DJANGO_SUPERUSER_DS_USER_EMAIL} exists; left as it is"
      ;;
    *)
      echo "entrypoint: could not tell whether the superuser exists: ${exists}" >&2
      exit 1
      ;;
  esac
fi

exec "$@"
