"""Settings for Kohtaamispaikat, driven by environment variables.

Development works with no configuration at all (debug on, SQLite file in the project).
Production sets at least DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL;
see README.md for the full list.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django_filters",
    "axes",
    "csp",
    "reversion",
    # django-leaflet is used for its template tags and bundled Leaflet only. Its admin module
    # needs GDAL, which this project does without, so the admin is SimpleAdminConfig (no
    # autodiscovery of leaflet.admin) and kohtaamispaikat.core.apps imports our own admin modules.
    "leaflet",
    "kohtaamispaikat.core.apps.CoreConfig",
    "kohtaamispaikat.demo.apps.DemoConfig",
    "places",
    "network",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "kohtaamispaikat.core.middleware.RejectNullCharactersMiddleware",
    "kohtaamispaikat.core.middleware.MaintenanceMiddleware",
    "kohtaamispaikat.core.middleware.WriteRefusedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kohtaamispaikat.core.middleware.AnonymousPageCacheMiddleware",
    # Inside the page cache, so a page is compressed once and served compressed from the cache.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kohtaamispaikat.urls"
WSGI_APPLICATION = "kohtaamispaikat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as written in Finland in every language (kohtaamispaikat/formats).
FORMAT_MODULE_PATH = ["kohtaamispaikat.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (good practices' attachments, places' entrance photos). Never served from here
# by a web server: the site sends each one through its own view (network.views, places.views),
# after checking that its practice or place is public.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
PRACTICE_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("PRACTICE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)
# Places' entrance photos (places.photos): the largest upload taken, the most pixels decoded
# (a decompression bomb is refused before decoding) and the longer side of the stored copy.
ENTRANCE_PHOTO_MAX_BYTES = int(os.environ.get("ENTRANCE_PHOTO_MAX_BYTES", str(8 * 1024 * 1024)))
ENTRANCE_PHOTO_MAX_PIXELS = int(os.environ.get("ENTRANCE_PHOTO_MAX_PIXELS", "40000000"))
ENTRANCE_PHOTO_MAX_SIDE = 1600
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

# django-axes counts failed sign-ins per username and address: five failures lock that pair out
# for 15 minutes (the right password does not help meanwhile); a success clears the count. The
# backend must come first so that it sees every attempt. Tests sign in with force_login().
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_CLIENT_IP_CALLABLE = "kohtaamispaikat.core.security.client_ip_address"
# Across addresses: AXES_USERNAME_FAILURE_LIMIT failures for one username within an hour lock
# that username out until fewer remain in the hour, and e-mail its owner (security.py). Every
# failure is logged (AccessFailureLog), which is what that count reads.
AXES_HANDLER = "kohtaamispaikat.core.security.LockoutHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_USERNAME_FAILURE_LIMIT = int(os.environ.get("AXES_USERNAME_FAILURE_LIMIT", "20"))
AXES_USERNAME_WINDOW = timedelta(minutes=int(os.environ.get("AXES_USERNAME_WINDOW_MINUTES", "60")))
# Only behind a proxy that appends the client's address to X-Forwarded-For may its right-most
# entry be trusted; anywhere else a client writes the header itself (README, Configuration).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)

# Security: strict by default outside development; each can be relaxed from the environment
# (for example behind a TLS-terminating proxy that already redirects).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Admin sessions end after a working day, and with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(60 * 60 * 10)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Load balancers and monitoring probe the application itself over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' HSTS preload list binds the whole domain and its subdomains
        # to HTTPS for months: the operator's decision (DJANGO_SECURE_HSTS_PRELOAD=1), not a
        # default, so check --deploy is told that leaving it off is deliberate.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Map tiles are a setting so that a deployment can point at its own tile server; the default
# is OpenStreetMap's public tiles, which a browser loads, never the server.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)

# "Near me" (places.filters): how far places are looked for around a location or postal code,
# and the public transport journey planner of the directions links ({name}, {lat}, {lon}).
NEAR_RADIUS_KM = float(os.environ.get("NEAR_RADIUS_KM", "50"))
JOURNEY_PLANNER_URL = os.environ.get(
    "JOURNEY_PLANNER_URL", "https://opas.matka.fi/reitti/-/{name}::{lat},{lon}"
)


def csp_source_of(url):
    """The CSP source of a tile URL template: "https://{s}.tile.example/{z}/…" gives
    "https://*.tile.example" (Leaflet fills {s} with a subdomain)."""
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}" if parts.scheme and host else None


# Content-Security-Policy (django-csp 4): scripts and styles from this site only, never inline
# (JSON data in pages sits in json_script elements, which are data, not executed); map tiles
# from the tile server; data: images for Leaflet's and the admin's small icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *filter(None, [csp_source_of(MAP_TILE_URL)])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The /embed/ pages (places/embeds.py) are the only ones other sites may frame: any site by
# default, or only the sites listed here ("https://www.jyvaskyla.fi,https://*.example.fi").
EMBED_FRAME_ANCESTORS = env_list("EMBED_FRAME_ANCESTORS", "*")

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (64.5, 26.0),
    "DEFAULT_ZOOM": 5,
    "MIN_ZOOM": 4,
    "MAX_ZOOM": 18,
    "TILES": [("OpenStreetMap", MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION})],
    "RESET_VIEW": False,
}

# Licence stated on the open-data page and in every data export.
OPEN_DATA_LICENSE = os.environ.get("OPEN_DATA_LICENSE", "CC BY 4.0")
OPEN_DATA_LICENSE_URL = os.environ.get(
    "OPEN_DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
SITE_NAME = os.environ.get("SITE_NAME", "Kohtaamispaikat")

# Uploaded CSV imports: larger files or more rows are refused before anything is parsed.
CSV_IMPORT_MAX_BYTES = int(os.environ.get("CSV_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
CSV_IMPORT_MAX_ROWS = int(os.environ.get("CSV_IMPORT_MAX_ROWS", "5000"))

# While this file exists (import_data creates it for the length of a restore) every page
# answers 503 "maintenance"; on several servers, point it at a shared directory.
MAINTENANCE_FILE = Path(os.environ.get("MAINTENANCE_FILE", str(BASE_DIR / "maintenance.flag")))

# Anonymous GET pages are cached (see kohtaamispaikat/core/cache.py);
# PAGE_CACHE_ENABLED=0 turns it off.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "120"))

# Exchange with the field (#19) ----------------------------------------------------------------
# The Suomi.fi Service Catalogue's open API (no key needed to read), for manage.py import_ptv.
PTV_API_URL = os.environ.get("PTV_API_URL", "https://api.palvelutietovaranto.suomi.fi/api/v11")
# A Nominatim-compatible search API (its /search URL) that the imports ask for the coordinates
# of places that come without them (places/geocoding.py); unset, they get the municipality's
# centre. No default: a public geocoder has a usage policy to agree to first.
GEOCODER_URL = os.environ.get("GEOCODER_URL", "")
GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "5"))

# E-mail (#16): EMAIL_URL in dj-email-url's form ("submission://user:password@host:587",
# "console:"), or Django's own EMAIL_* variables. Development prints messages in the terminal;
# production sends by SMTP and refuses the console backend, which would silently lose every
# message, unless EMAIL_ALLOW_CONSOLE=1 says that is meant.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
email_config = dj_email_url.parse(EMAIL_URL) if EMAIL_URL else {}
EMAIL_BACKEND = email_config.get("EMAIL_BACKEND") or os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = email_config.get("EMAIL_HOST") or os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = email_config.get("EMAIL_PORT") or int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = email_config.get("EMAIL_HOST_USER") or os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = email_config.get("EMAIL_HOST_PASSWORD") or os.environ.get(
    "EMAIL_HOST_PASSWORD", ""
)
EMAIL_USE_TLS = email_config.get("EMAIL_USE_TLS") or env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = email_config.get("EMAIL_USE_SSL") or env_bool("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = email_config.get("EMAIL_FILE_PATH") or os.environ.get("EMAIL_FILE_PATH", "")
# A mail server that does not answer must not hang a request or the reminder command.
EMAIL_TIMEOUT = email_config.get("EMAIL_TIMEOUT") or int(os.environ.get("EMAIL_TIMEOUT", "20"))
if (
    not DEBUG
    and EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    and not env_bool("EMAIL_ALLOW_CONSOLE", False)
):
    raise ImproperlyConfigured(
        "The console e-mail backend loses every message in production: set EMAIL_URL, "
        "or EMAIL_ALLOW_CONSOLE=1 if that is really meant."
    )
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", email_config.get("DEFAULT_FROM_EMAIL") or "kohtaamispaikat@localhost"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The address of the site in e-mails, which have no request to take it from.
SITE_URL = os.environ.get(
    "SITE_URL",
    "http://127.0.0.1:8000" if DEBUG else f"https://{(ALLOWED_HOSTS or ['localhost'])[0]}",
).rstrip("/")

# Confirmation and reminders (#16): a place's information counts as unconfirmed after
# STALE_AFTER_DAYS; the public page says it may be out of date after PUBLIC_STALE_AFTER_DAYS;
# places with no summer hours by SUMMER_HOURS_REMINDER_DATE (month-day) are asked about them;
# a person gets at most one reminder per REMINDER_INTERVAL_DAYS.
STALE_AFTER_DAYS = int(os.environ.get("STALE_AFTER_DAYS", "180"))
PUBLIC_STALE_AFTER_DAYS = int(os.environ.get("PUBLIC_STALE_AFTER_DAYS", "365"))
SUMMER_HOURS_REMINDER_DATE = os.environ.get("SUMMER_HOURS_REMINDER_DATE", "05-01")
REMINDER_INTERVAL_DAYS = int(os.environ.get("REMINDER_INTERVAL_DAYS", "30"))

# Personal data (PRIVACY.md): unanswered suggestions, rejected proposals and rejected listings
# are deleted this many months after their last change (other listings after their validity) by
# manage.py expire_personal_data; sign-in records after SIGN_IN_RECORDS_RETENTION_DAYS.
PERSONAL_DATA_RETENTION_MONTHS = int(os.environ.get("PERSONAL_DATA_RETENTION_MONTHS", "12"))
SIGN_IN_RECORDS_RETENTION_DAYS = int(os.environ.get("SIGN_IN_RECORDS_RETENTION_DAYS", "90"))

# Public forms without an account (kohtaamispaikat/core/public_forms.py): past this many
# submissions of one form in an hour, from all addresses together, new ones are asked to wait.
PUBLIC_FORMS_PER_HOUR = int(os.environ.get("PUBLIC_FORMS_PER_HOUR", "100"))
# Visitors' feedback (#17) is answered at every place's door at once: its own overall ceiling.
FEEDBACK_PER_HOUR = int(os.environ.get("FEEDBACK_PER_HOUR", "1000"))
