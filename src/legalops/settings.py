"""Django settings: one module, driven by the environment through `legalops.config`."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from django.utils.csp import CSP
from whitenoise.compress import Compressor

from legalops import config

ENV = config.load_settings()
DATA_DIR: Path = config.ensure_data_dir(ENV.data_dir)
BASE_DIR = Path(__file__).resolve().parent
# django-ninja's package directory, found without importing it (see INSTALLED_APPS).
_NINJA_SPEC = find_spec("ninja")
assert _NINJA_SPEC is not None and _NINJA_SPEC.submodule_search_locations
NINJA_DIR = Path(list(_NINJA_SPEC.submodule_search_locations)[0])

SECRET_KEY = config.secret_key(ENV)
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.hosts + (["testserver"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    # Not "ninja": as an app it is imported by every process at start-up (with pydantic, ~0.14 s
    # of CPU of every command), though only the URLconf uses it. Its Swagger UI template and
    # static files are found through TEMPLATES' DIRS and STATICFILES_DIRS (NINJA_DIR) instead;
    # legalops.api renders the docs from them, never from a CDN.
    "legalops.core",
    "legalops.audit",
    "legalops.accounts",
    "legalops.organization",
    "legalops.vendors",
    "legalops.matters",
    "legalops.invoices",
    "legalops.notifications",
    "legalops.approvals",
    "legalops.appeals",
    "legalops.payables",
    "legalops.portal",
    "legalops.backtests",
    "legalops.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "legalops.accounts.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "legalops.urls"
WSGI_APPLICATION = "legalops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "legalops.core.context_processors.navigation",
            ],
            "builtins": ["django.templatetags.static"],
        },
    }
]

DATABASES = {"default": config.database(ENV)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Login throttling: failures counted per username and per client address over the window.
LEGALOPS_LOGIN_WINDOW_SECONDS = 15 * 60
LEGALOPS_LOGIN_MAX_FAILURES_PER_USER = 5
LEGALOPS_LOGIN_MAX_FAILURES_PER_ADDRESS = 30
LEGALOPS_INVITATION_DAYS = 7

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
# Project-wide assets (our stylesheet, vendored Chart.js); apps keep theirs in <app>/static/.
STATICFILES_DIRS = [BASE_DIR / "static", NINJA_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even before collectstatic
MEDIA_ROOT = DATA_DIR / "files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "legalops.core.storage.StaticStorage"},
}
# Serve straight from the app directories when `collectstatic` has not run (tests, first start);
# `legalops serve` collects into STATIC_ROOT for hashed, compressed, far-future-cached files.
WHITENOISE_USE_FINDERS = True
# Source maps (several MB in the API docs' bundles) are fetched only by a developer's browser
# tools: compressing them at Brotli's top quality was most of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = ENV.https
CSRF_COOKIE_SECURE = ENV.https
SECURE_SSL_REDIRECT = ENV.https
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if ENV.https else None
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if ENV.https else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything is served from our own origin: no CDN, no inline script without a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

_EMAIL = config.email(ENV)
MAILERS = _EMAIL["MAILERS"]
DEFAULT_FROM_EMAIL = _EMAIL["DEFAULT_FROM_EMAIL"]
SERVER_EMAIL = _EMAIL["SERVER_EMAIL"]

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "legalops": {"level": "INFO"},
        "django_tasks_db": {"level": "INFO"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
