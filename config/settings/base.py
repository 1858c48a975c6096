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
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

from crm.db import build_databases
from crm.rates import parse_rate

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# A .env next to manage.py is read like the seed did; real environment variables win.
load_dotenv(BASE_DIR / ".env", override=False)

env = os.environ


def env_bool(name: str, default: bool = False) -> bool:
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_str(name: str, default: str) -> str:
    """The value, or ``default`` when unset or blank (as .env.example leaves it)."""
    value = env.get(name, "").strip()
    return value or default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)

# Placeholders shipped in .env.example (and earlier spellings); a production process refuses
# to start with them, with a secret shorter than MIN_SECRET_LENGTH, or with one secret used for
# both (a leaked SECRET_KEY must not also forge API tokens, and the reverse).
INSECURE_SECRETS = {"", "change-me", "changeme", "dev-insecure-secret-key", "dev-insecure-jwt-key"}
#: HS256 wants at least 256 bits of key; Django's ``check --deploy`` (W009) asks 50+ characters
#: for SECRET_KEY. ``make run`` generates 67.
MIN_SECRET_LENGTH = 32
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


def secret_problem(value: str) -> str | None:
    """Why ``value`` is not a production secret, or ``None``."""
    lowered = value.lower()
    if lowered in INSECURE_SECRETS or lowered.startswith("change-me") or "example" in lowered:
        return "is missing or still the example value"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    return None


if DEBUG:
    SECRET_KEY = SECRET_KEY or "dev-insecure-secret-key"
    JWT_SECRET_KEY = JWT_SECRET_KEY or "dev-insecure-jwt-key"
else:
    problems = {
        name: problem
        for name, value in (("SECRET_KEY", SECRET_KEY), ("JWT_SECRET_KEY", JWT_SECRET_KEY))
        if (problem := secret_problem(value))
    }
    if not problems and SECRET_KEY == JWT_SECRET_KEY:
        problems["JWT_SECRET_KEY"] = "is the same as SECRET_KEY"
    if problems and not running_offline_command(sys.argv):
        raise ImproperlyConfigured(
            " ".join(
                f"{name} {problem}; set a real secret (DEBUG is off)."
                for name, problem in problems.items()
            )
            + f" Secrets need at least {MIN_SECRET_LENGTH} random characters, different for "
            "SECRET_KEY and JWT_SECRET_KEY. See .env.example."
        )
    for name in problems:
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

# --- Which domains this process serves (the split; docs/architecture.md "Any cut") ------------
#: CRM_DOMAINS: the domains this process serves (default: all four, the monolith). Only their
#: apps, routes, admin, migrations and database aliases load here; every other domain is
#: reached over HTTP at CRM_REMOTE_<DOMAIN>_URL (its internal API, ``crm.remote``).
CRM_ALL_DOMAINS = tuple(CRM_DOMAIN_ALIASES)
CRM_DOMAINS = tuple(env_list("CRM_DOMAINS") or CRM_ALL_DOMAINS)
_unknown_domains = sorted(set(CRM_DOMAINS) - set(CRM_ALL_DOMAINS))
if _unknown_domains or not CRM_DOMAINS:
    raise ImproperlyConfigured(
        f"CRM_DOMAINS must be a comma-separated subset of {', '.join(CRM_ALL_DOMAINS)}"
        + (f" (unknown: {', '.join(_unknown_domains)})." if _unknown_domains else ".")
    )
CRM_DOMAINS = tuple(domain for domain in CRM_ALL_DOMAINS if domain in CRM_DOMAINS)
#: domain -> base URL of the process serving it, for every domain not served here.
CRM_REMOTE_URLS = {
    domain: env_str(f"CRM_REMOTE_{domain.upper()}_URL", "").rstrip("/")
    for domain in CRM_ALL_DOMAINS
    if domain not in CRM_DOMAINS
}
_missing_remotes = [domain for domain, url in CRM_REMOTE_URLS.items() if not url]
if _missing_remotes:
    raise ImproperlyConfigured(
        "CRM_DOMAINS="
        + ",".join(CRM_DOMAINS)
        + " does not serve "
        + ", ".join(_missing_remotes)
        + ": set "
        + ", ".join(f"CRM_REMOTE_{domain.upper()}_URL" for domain in _missing_remotes)
        + " to the base URL of the process that does (e.g. http://127.0.0.1:8102)."
    )
#: Signs the short-lived service tokens of /internal/<domain>/... (``crm.remote``): its own key,
#: never SECRET_KEY or JWT_SECRET_KEY. Needed by every process of a split; a monolith without
#: it refuses every internal call (nothing calls them).
CRM_SERVICE_KEY = env.get("CRM_SERVICE_KEY", "").strip()
if DEBUG and not CRM_SERVICE_KEY:
    CRM_SERVICE_KEY = "dev-insecure-service-key-the-same-in-every-process"
elif CRM_SERVICE_KEY or CRM_REMOTE_URLS:
    _service_key_problem = secret_problem(CRM_SERVICE_KEY) or (
        "is the same as SECRET_KEY or JWT_SECRET_KEY"
        if CRM_SERVICE_KEY in {SECRET_KEY, JWT_SECRET_KEY}
        else None
    )
    if _service_key_problem and not running_offline_command(sys.argv):
        raise ImproperlyConfigured(
            f"CRM_SERVICE_KEY {_service_key_problem}; every process of a split needs the same "
            f"random key of at least {MIN_SECRET_LENGTH} characters. See .env.example."
        )
#: Seconds a remote call may take (connect and read), and how often an idempotent call is
#: retried after a connection failure or a 502/503/504 before the caller gets a 503.
CRM_REMOTE_TIMEOUT_SECONDS = float(env_str("CRM_REMOTE_TIMEOUT_SECONDS", "5"))
CRM_REMOTE_RETRIES = int(env_str("CRM_REMOTE_RETRIES", "2"))
#: Which domain registers guards and panels (``crm.hooks``) on which topic: a process that
#: does not serve that domain asks it over its internal API. ``tests/architecture`` checks it
#: against what the domains register in the monolith.
CRM_HOOK_PROVIDERS = {
    "guards": {
        "customer.hard_delete": ("interactions",),
        "product.hard_delete": ("interactions",),
    },
    "panels": {
        "customer.change_page": ("interactions",),
        "admin.index": ("interactions",),
    },
}

DATABASES = {
    alias: config
    for alias, config in build_databases(
        env,
        base_dir=BASE_DIR,
        domain_aliases={domain: CRM_DOMAIN_ALIASES[domain] for domain in CRM_DOMAINS},
    ).items()
}
if "default" not in DATABASES:
    # Django requires a "default" alias; here it is the accounts domain, served elsewhere: a
    # dummy that refuses any use (nothing of accounts is installed in this process).
    DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}, **DATABASES}
DATABASE_ROUTERS = ["crm.db.router.DomainRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications -----------------------------------------------------------------------------
_INSTALLED_APPS = [
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


def app_label(app: str) -> str:
    return {"rest_framework_simplejwt.token_blacklist": "token_blacklist"}.get(
        app, app.rsplit(".", 1)[-1]
    )


SERVES_ACCOUNTS = "accounts" in CRM_DOMAINS
#: A process of a split: it does not serve every domain (docs/splitting.md).
CRM_SPLIT = CRM_DOMAINS != CRM_ALL_DOMAINS
#: Installed in every process. auth: imported by simplejwt and DRF wherever tokens are checked;
#: where accounts is not served its tables are not created (the router sends them to accounts).
#: admin: each process's admin shows the domains it serves (staff sessions: ``crm.staff``);
#: where accounts is not served its log (``LogEntry``, a relation to the users table) is not
#: written: the domains' audit trails record every admin write (``crm.admin``).
#: contenttypes: the admin's pages need a content type per model; where accounts is not
#: served, the process's first domain keeps its own ``django_content_type`` table.
_EVERY_PROCESS_APPS = {"django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes"}
if not SERVES_ACCOUNTS:
    CRM_APP_DOMAINS = {**CRM_APP_DOMAINS, "contenttypes": CRM_DOMAINS[0]}
# Only the served domains' apps; the contrib apps living with accounts (sessions' table, the
# token blacklist) only where accounts is served.
INSTALLED_APPS = [
    app
    for app in _INSTALLED_APPS
    if app in _EVERY_PROCESS_APPS
    or CRM_APP_DOMAINS.get(app_label(app), CRM_DOMAINS[0]) in CRM_DOMAINS
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "crm.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "crm.api.middleware.OptionalTrailingSlashMiddleware",
    "crm.api.middleware.JSONNotFoundMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware without the language-in-the-path work (no i18n_patterns here).
    "crm.api.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who acts and from which IP, for the audit trails the services write (crm.audit).
    "crm.audit.RequestActorMiddleware",
    # Django's MessageMiddleware, skipped on API paths (JSON answers never carry a message).
    "crm.api.middleware.BackOfficeMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Paths answer with and without "/" through OptionalTrailingSlashMiddleware, never a redirect.
APPEND_SLASH = False

if not SERVES_ACCOUNTS:
    # Users live in another process: a staff session's user is asked of it (crm.staff),
    # its user id read as the UUID it is.
    MIDDLEWARE = [
        "crm.sessions.StaffSessionMiddleware"
        if item == "django.contrib.auth.middleware.AuthenticationMiddleware"
        else item
        for item in MIDDLEWARE
    ]

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
# Where accounts is not served, Django's own (never used, no table) keeps contrib.auth importable.
AUTH_USER_MODEL = "accounts.User" if SERVES_ACCOUNTS else "auth.User"
#: One backend path in every process, so a staff session's ``_auth_user_backend`` resolves in
#: each: Django's ModelBackend where users are served, the accounts interface elsewhere.
AUTHENTICATION_BACKENDS = ["crm.sessions.StaffBackend"]
#: A split shares staff sessions between its processes through the shared cache (Redis,
#: REDIS_URL; SECRET_KEY is the same everywhere): staff log in once, at accounts, and use every
#: domain's admin. The monolith keeps them in its database.
if CRM_SPLIT:
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
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
# locale/en: our own (Portuguese) strings in English. locale/third_party/pt_BR: packages' English
# strings their own pt_BR catalogues miss (e.g. simplejwt's token blacklist in the admin).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "third_party"]

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
        "rest_framework.authentication.SessionAuthentication",  # staff (crm.staff)
    ],
    # Every view declares the permissions each method needs; no declaration, no access.
    "DEFAULT_PERMISSION_CLASSES": ["crm.api.permissions.DeclaredPermissions"],
    "DEFAULT_PARSER_CLASSES": [
        "crm.api.parsers.DecimalJSONParser",  # JSON numbers -> Decimal, never float
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "crm.api.renderers.FastJSONRenderer",  # DRF's JSON bytes, written by orjson
        "crm.api.renderers.TranslatedBrowsableAPIRenderer",  # forms in our language
    ],
    "DEFAULT_SCHEMA_CLASS": "crm.api.openapi.AutoSchema",  # spectacular + envelope pagination
    "EXCEPTION_HANDLER": "crm.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["crm.api.throttling.AnonymousRateThrottle"],
    # How many reverse proxies in front append to X-Forwarded-For: the client IP that throttles
    # count is the address they saw. 0 (default): REMOTE_ADDR, and a client's own
    # X-Forwarded-For is ignored (otherwise anyone could pick a fresh "IP" per request).
    "NUM_PROXIES": int(env_str("TRUSTED_PROXY_COUNT", "0")),
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
}

# --- Roles and registration (README "Security") -------------------------------------------------
#: open: anyone may register (and gets CRM_REGISTRATION_ROLE); closed: only an admin creates
#: users. Closed unless said otherwise when DEBUG is off.
CRM_REGISTRATION = env.get("CRM_REGISTRATION", "open" if DEBUG else "closed").strip().lower()
if CRM_REGISTRATION not in {"open", "closed"}:
    raise ImproperlyConfigured("CRM_REGISTRATION must be 'open' or 'closed'.")
#: The role (a group: admin, manager, sales, viewer) of a self-registered user.
CRM_REGISTRATION_ROLE = env.get("CRM_REGISTRATION_ROLE", "viewer").strip().lower() or "viewer"
if CRM_REGISTRATION_ROLE not in {"admin", "manager", "sales", "viewer"}:
    raise ImproperlyConfigured("CRM_REGISTRATION_ROLE must be admin, manager, sales or viewer.")
#: Seconds a user's permission set stays cached between requests (role changes are applied at
#: once by invalidation; this bounds staleness for anything else).
CRM_PERMISSIONS_CACHE_SECONDS = int(env.get("CRM_PERMISSIONS_CACHE_SECONDS", "30"))

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
    # Lazy: the schema is written in the client's language (Accept-Language, or ?lang=en).
    "DESCRIPTION": _(
        "API REST do CRM Finance: a API do seed (clientes, produtos, interações) e os lançamentos."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Shared state: cache (throttle counters, token revocation) --------------------------------
# Every gunicorn worker and every host must see the same counters and the same revocations, so
# production uses Redis (REDIS_URL). Without it (a laptop, ``make run``: one process) the
# local-memory cache stands in; it is per process, so never run several workers without Redis.
REDIS_URL = env.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "crm.cache.RedisCache",  # Django's, one client per pool (crm.cache)
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "crm"),
            # A Redis that hangs must not hang every request with it: fail fast, and the code
            # above the cache decides (revocation falls back to the database).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
#: Cache alias holding token revocation state, and how long a user's state is kept there
#: before it is read again from the database (changes are pushed at once; this only bounds
#: how long a lost invalidation could linger).
CRM_TOKEN_STATE_CACHE = "default"
CRM_TOKEN_STATE_CACHE_SECONDS = int(env_str("CRM_TOKEN_STATE_CACHE_SECONDS", "300"))

# --- Throttling (crm.api.throttling; counted in the shared cache) ------------------------------
#: scope -> "N/period" (s, min, h, day; "5/15min"); "off" disables a scope. See README "Security".
CRM_THROTTLE_CACHE = "default"
CRM_THROTTLE_RATES = {
    # any request without credentials, per client IP, on every API view
    "anon": env_str("CRM_THROTTLE_ANON", "300/min"),
    # /auth/login per client IP; failed logins per account and IP, and per account from any IP
    # (reaching either locks that account out until the window ends)
    "login": env_str("CRM_THROTTLE_LOGIN", "30/min"),
    "login_failures": env_str("CRM_THROTTLE_LOGIN_FAILURES", "5/15min"),
    "login_account_failures": env_str("CRM_THROTTLE_LOGIN_ACCOUNT_FAILURES", "20/h"),
    # /auth/refresh per client IP and per account
    "refresh": env_str("CRM_THROTTLE_REFRESH", "60/min"),
    "refresh_account": env_str("CRM_THROTTLE_REFRESH_ACCOUNT", "30/min"),
    # /auth/register per client IP and per e-mail
    "register": env_str("CRM_THROTTLE_REGISTER", "10/h"),
    "register_account": env_str("CRM_THROTTLE_REGISTER_ACCOUNT", "5/h"),
    # password hashing (login + register) by all clients together: a ceiling on the CPU a
    # distributed flood can burn (each hash costs ~0.1-0.5 s of a core)
    "password_global": env_str("CRM_THROTTLE_PASSWORD_GLOBAL", "120/min"),
}
for _scope, _rate in CRM_THROTTLE_RATES.items():
    try:
        parse_rate(_rate)
    except ValueError as error:
        raise ImproperlyConfigured(f"CRM_THROTTLE_{_scope.upper()}: {error}") from None

# --- Security (production) --------------------------------------------------------------------
# Behind an HTTPS reverse proxy (BEHIND_HTTPS_PROXY=true) everything HTTPS-only is on by default:
# Django trusts the proxy's X-Forwarded-Proto, redirects plain HTTP to HTTPS, sends HSTS and
# marks the session and CSRF cookies Secure, so `check --deploy` passes with no warning. Each
# can be switched off on its own (a plain-HTTP lab: BEHIND_HTTPS_PROXY=false turns them all off).
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    # Trust X-Forwarded-Proto only behind a proxy that sets it (and strips a client's own).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_HTTPS_PROXY)
# The container healthcheck probes plain HTTP from inside the container: never redirected.
SECURE_REDIRECT_EXEMPT = [r"^health/?$"]
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000" if BEHIND_HTTPS_PROXY else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", BEHIND_HTTPS_PROXY)
# Only allows submitting the domain to the browsers' preload list; nothing is submitted.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", BEHIND_HTTPS_PROXY)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", BEHIND_HTTPS_PROXY)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", BEHIND_HTTPS_PROXY)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

#: Content-Security-Policy of every response (``crm.security.ContentSecurityPolicyMiddleware``):
#: only the app's own scripts (no inline script anywhere: the admin, the browsable API and the
#: Swagger UI, served split, load theirs from /static), inline styles allowed (the admin and
#: Swagger UI set style attributes), nothing framed, forms posting only here.
#: CONTENT_SECURITY_POLICY replaces it whole; "off" sends none.
CRM_CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

#: The browsable API's session login page (/api-auth/login/): staff only, and off altogether
#: with BROWSABLE_API_LOGIN=false (then staff sign in through /admin/, same session).
BROWSABLE_API_LOGIN = env_bool("BROWSABLE_API_LOGIN", True)

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

# --- Events between domains (crm.events: outbox, inbox, relay, broker) ------------------------
#: RabbitMQ, used only by a process that does not serve every domain (a split): its
#: ``outbox_relay`` publishes there and its ``events_consume`` reads from there. The monolith
#: delivers in-process and never connects.
BROKER_URL = env_str("BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
#: The durable topic exchange events are published to; each consuming domain reads the durable
#: queue ``<exchange>.<domain>``.
CRM_EVENTS_EXCHANGE = env_str("CRM_EVENTS_EXCHANGE", "crm.events")
#: topic -> the domains that consume it. The code subscribes in each consumer's
#: ``AppConfig.ready`` (checked against this map by ``manage.py check``, crm.E004); the relay
#: of a publishing process declares these queues before publishing, so an event published
#: while its consumer never ran yet waits in the consumer's queue.
CRM_EVENT_SUBSCRIBERS = {
    "customer.hard_deleted": ["interactions"],
    "product.hard_deleted": [],
}
#: First retry delay of an undelivered event (doubled per failed attempt, capped at an hour);
#: the monolith's in-process delivery holds the relay off for this long.
CRM_OUTBOX_RETRY_SECONDS = float(env.get("CRM_OUTBOX_RETRY_SECONDS", "30"))
#: Attempts before an event whose handler keeps failing is marked failed (outbox_status).
CRM_OUTBOX_MAX_ATTEMPTS = int(env.get("CRM_OUTBOX_MAX_ATTEMPTS", "10"))
#: How often the relay looks for pending events when it found none.
CRM_OUTBOX_POLL_SECONDS = float(env.get("CRM_OUTBOX_POLL_SECONDS", "1"))
#: Sent outbox rows and inbox rows older than this are deleted by the relay (hourly).
CRM_EVENTS_KEEP_DAYS = float(env.get("CRM_EVENTS_KEEP_DAYS", "7"))
#: A consumer whose handler failed waits this long before the message goes back to the queue.
CRM_EVENTS_REQUEUE_DELAY_SECONDS = float(env.get("CRM_EVENTS_REQUEUE_DELAY_SECONDS", "5"))
