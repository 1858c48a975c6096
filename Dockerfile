# CRM Finance: one image, one process type (gunicorn serving config.wsgi on port 8000).
# docker-compose.yml runs it next to PostgreSQL 16; the entrypoint migrates every domain first.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.base \
    CRM_DATA_DIR=/app/var \
    WEB_CONCURRENCY=3

# An unprivileged user owns nothing but the SQLite data folder (used only without DATABASE_URL).
RUN groupadd --system crm \
    && useradd --system --gid crm --home-dir /app --no-create-home --shell /usr/sbin/nologin crm

WORKDIR /app
# Dependencies first, from the runtime lock file alone (exact versions, every file's hash checked;
# no dev tools): a code change does not reinstall them, and every build installs the same set.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md manage.py ./
COPY config ./config
COPY crm ./crm
COPY domains ./domains
COPY locale ./locale
# The project itself: no dependencies (all locked above), built by the locked setuptools.
RUN pip install --no-deps --no-build-isolation .

# Static files (admin, browsable API, bundled Swagger UI) are collected once, at build time, and
# served by WhiteNoise. Settings need secrets to load; these build-only values never reach a
# running container (the real ones come from the environment / .env).
RUN SECRET_KEY=build-time-only-not-a-secret JWT_SECRET_KEY=build-time-only-not-a-secret \
    DEBUG=false CRM_DATA_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var \
    && mkdir -p /app/var && chown crm:crm /app/var

COPY docker/entrypoint.sh /usr/local/bin/crm-entrypoint
RUN chmod 0755 /usr/local/bin/crm-entrypoint

USER crm
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

ENTRYPOINT ["crm-entrypoint"]
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
