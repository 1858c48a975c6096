"""Settings for every environment, driven by environment variables (see ``.env.example``).

``config`` is the composition root: the only place that knows every domain.
"""

from __future__ import annotations

import os
import secrets
import sys
import warnings
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from crm.db import build_databases

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# A .env next to manage.py is read like the seed did; real environment variables win.
load_dotenv(BASE_DIR / ".env", override=False)

env = os.environ


def env_bool(name: str, default: bool = False) -> bool:
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)

# Placeholders shipped in .env.example; a production process refuses to start with them.
INSECURE_SECRETS = {"", "change-me", "changeme", "dev-insecure-secret-key", "dev-insecure-jwt-key"}
SECRET_KEY = env.get("SECRET_KEY", "").strip()
JWT_SECRET_KEY = env.get("JWT_SECRET_KEY", "").strip()
#: Offline maintenance commands that sign nothing and serve nothing: they may run where the
#: secrets are not set (a CI job or an init container running ``migrate``), with a throw-away
#: key. Everything else (gunicorn, runserver, ``check``, shell...) refuses to start.
OFFLINE_COMMANDS = {
    "migrate",
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "createsuperuser",
    "collectstatic",
    "compilemessages",
    "makemessages",
    "seed_demo",  # writes generated rows only; demo users get unusable passwords
}


def running_offline_command(argv: list[str]) -> bool:
    return len(argv) > 1 and Path(argv[0]).name == "manage.py" and argv[1] in OFFLINE_COMMANDS


if DEBUG:
    SECRET_KEY = SECRET_KEY or "dev-insecure-secret-key"
    JWT_SECRET_KEY = JWT_SECRET_KEY or "dev-insecure-jwt-key"
else:
    for name, value in (("SECRET_KEY", SECRET_KEY), ("JWT_SECRET_KEY", JWT_SECRET_KEY)):
        if value.lower() in INSECURE_SECRETS or value.lower().startswith("change-me"):
            if not running_offline_command(sys.argv):
                raise ImproperlyConfigured(
                    f"{name} is missing or still the example value; set a real secret "
                    "(DEBUG is off). See .env.example."
                )
            globals()[name] = secrets.token_urlsafe(50)  # this process only; signs nothing

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Domains and their databases ---------------------------------------------------------------
#: domain -> DATABASES alias. Django needs a ``default``: it is the accounts domain.
CRM_DOMAIN_ALIASES = {
    "accounts": "default",
    "customers": "customers",
    "products": "products",
    "interactions": "interactions",
}
#: app label -> domain. Contrib and third-party apps that own tables live with accounts.
CRM_APP_DOMAINS = {
    "accounts": "accounts",
    "admin": "accounts",
    "auth": "accounts",
    "contenttypes": "accounts",
    "sessions": "accounts",
    "token_blacklist": "accounts",
    "customers": "customers",
    "products": "products",
    "interactions": "interactions",
}
DATABASES = build_databases(env, base_dir=BASE_DIR, domain_aliases=CRM_DOMAIN_ALIASES)
DATABASE_ROUTERS = ["crm.db.router.DomainRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    "crm",  # first: its ``migrate`` (every domain at once) overrides Django's
    "domains.accounts",
    "domains.customers",
    "domains.products",
    "domains.interactions",
    "config",  # composition root: commands that orchestrate several domains, no models
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "crm.api.middleware.OptionalTrailingSlashMiddleware",
    "crm.api.middleware.JSONNotFoundMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Paths answer with and without "/" through OptionalTrailingSlashMiddleware, never a redirect.
APPEND_SLASH = False

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Users and passwords ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's defaults, first one preferred, plus the seed's werkzeug hashes (users brought over by
# ``import_seed`` keep their passwords; the first login re-hashes with the preferred hasher).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "domains.accounts.hashers.WerkzeugPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        # Django's defaults (username, first_name, email...) are not our field names.
        "OPTIONS": {"user_attributes": ("ds_user", "ds_user_email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time ---------------------------------------------------------------------------
LANGUAGE_CODE = "pt-br"
LANGUAGES = [("pt-br", "Português (Brasil)"), ("en", "English")]
TIME_ZONE = env.get("TIME_ZONE", "America/Sao_Paulo")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files (served by WhiteNoise, also under gunicorn with DEBUG off) -------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps when collectstatic has not run (make run, tests).
WHITENOISE_USE_FINDERS = True
# ... in which case STATIC_ROOT does not exist yet; that is expected, not worth a warning.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "crm.api.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "crm.api.parsers.DecimalJSONParser",  # JSON numbers -> Decimal, never float
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "crm.api.openapi.AutoSchema",  # spectacular + envelope pagination
    "EXCEPTION_HANDLER": "crm.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
}

SIMPLE_JWT = {
    "SIGNING_KEY": JWT_SECRET_KEY,
    "ALGORITHM": "HS256",
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=int(env.get("JWT_ACCESS_MINUTES", "60"))),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=int(env.get("JWT_REFRESH_DAYS", "7"))),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "USER_ID_FIELD": "cd_user",
    "USER_ID_CLAIM": "sub",
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CRM Finance API",
    "DESCRIPTION": "The seed's REST API (customers, products, interactions) plus the ledger.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Security (production) --------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
# Trust X-Forwarded-Proto only behind a proxy that sets it (and strips a client's own).
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "INFO")},
}

# --- Spreadsheet import (admin) ---------------------------------------------------------------
# An uploaded file waits in this cache between its preview and its apply: in production the
# shared cache (Redis), so any app process can apply what another previewed.
CRM_IMPORT_CACHE = "default"
CRM_IMPORT_MAX_ROWS = int(env.get("CRM_IMPORT_MAX_ROWS", "50000"))
CRM_IMPORT_MAX_BYTES = int(env.get("CRM_IMPORT_MAX_MEGABYTES", "20")) * 1024 * 1024
CRM_IMPORT_TTL_SECONDS = 60 * 60
