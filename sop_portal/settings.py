"""Settings for SOP Portal, read from the environment (twelve-factor).

Development defaults need no server: a private PostgreSQL cluster in ``var/pgdata`` started from
the ``pgserver`` wheel (``sop_portal.embedded_db``) and Celery on kombu's ``filesystem://``
broker. Production (``SOP_PORTAL_ENV=production``) takes PostgreSQL and Redis from
``DATABASE_URL`` / ``REDIS_URL``; the system checks in ``sop_portal.checks`` refuse to run it
with DEBUG on, without a real ``SECRET_KEY`` or without ``PORTAL_BASE_URL``. SQLite is refused
everywhere: development, tests and production run the same SQL.

Every setting the code reads is declared here (a test checks it), with its default; the README's
configuration table lists the ones read from the environment.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import unquote

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("SOP_PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEPLOYMENT = env.str("SOP_PORTAL_ENV", default="development")
IS_PRODUCTION = DEPLOYMENT == "production"

# Development only: the system check `sop_portal.E001` refuses this value in production.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not IS_PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # The widget templates for FORM_RENDERER (TemplatesSetting renders through TEMPLATES).
    "django.forms",
    # PostgreSQL features: the trigram indexes (OpClass) of the staff search.
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    # Lockout of guessed sign-ins (every channel that calls authenticate()) and the second
    # factor of staff (TOTP, with one-time recovery codes).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sop_portal",
    "signing",
    "accounts",
    "agencies",
    "workflows",
    "permits",
    "feedback",
    "monitoring",
]

MIDDLEWARE = [
    "sop_portal.bad_input.RefuseNulBytesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request's user reads its memberships once, however many rules ask (agencies.access).
    "agencies.access.MembershipsOncePerRequest",
    # django-otp's OTPMiddleware, reading the user once (accounts.second_factor).
    "accounts.second_factor.DirectUserOTPMiddleware",
    "accounts.second_factor.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout raised anywhere below into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sop_portal.urls"
WSGI_APPLICATION = "sop_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # The portal's one way to write dates and amounts, on every template.
            "builtins": ["sop_portal.templatetags.formatting"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sop_portal.context_processors.portal",
                "agencies.context_processors.staff",
            ],
        },
    },
]

# Every form renders through templates/forms/ (error ids, fieldsets): sop_portal/form_rendering.py
FORM_RENDERER = "sop_portal.form_rendering.PortalFormRenderer"

# PostgreSQL everywhere. DATABASE_URL when set (production, CI); else, in development and tests,
# the embedded cluster under the var directory, started on first use and reused. Production
# without DATABASE_URL is refused by the check sop_portal.E003 (nothing is started there).
DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    # libpq's URL form of a Unix socket: postgres://user@%2Fpath%2Fto%2Fsocket-dir/name
    DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
elif IS_PRODUCTION:
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": ""}}
else:
    from sop_portal import embedded_db

    DATABASES = {"default": embedded_db.database_settings(VAR_DIR)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        f"SOP Portal runs on PostgreSQL only, not {DATABASES['default']['ENGINE']}: the access "
        "rules and the deadline sweep use PostgreSQL SQL. Set DATABASE_URL=postgres://... or "
        "unset it to use the embedded PostgreSQL of development."
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "permits:catalogue"
LOGOUT_REDIRECT_URL = "permits:catalogue"
# django-axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "accounts.lockout.LockoutBackend",
    # Django's ModelBackend, reading the signed-in user with their memberships in one query.
    "accounts.backends.PortalModelBackend",
]
# Argon2id at OWASP's "m=19 MiB, t=2, p=1" (~22 ms a sign-in on the 2-core host instead of PBKDF2's
# 0.24-0.8 s; the measures and the reasons in accounts/hashers.py). The others only verify the
# hashes made before (PBKDF2) and have them rehashed to Argon2id at their next sign-in.
PASSWORD_HASHERS = [
    "accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
ARGON2_TIME_COST = env.int("ARGON2_TIME_COST", default=2)
ARGON2_MEMORY_KIB = env.int("ARGON2_MEMORY_KIB", default=19 * 1024)
ARGON2_PARALLELISM = env.int("ARGON2_PARALLELISM", default=1)
# Sessions in the shared cache, written through to the database (one Redis read a request
# instead of a PostgreSQL query; a flushed cache only costs a database read). Staff sessions
# last a working day from the sign-in, applicants' two weeks (accounts/sessions.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
STAFF_SESSION_SECONDS = env.int("STAFF_SESSION_SECONDS", default=10 * 3600)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first; English available. Times stored in UTC, shown in WITA.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Makassar"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Applicants' documents: outside any URL, served only through access-checked views.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(MEDIA_ROOT / "private")))
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Zip-based uploads (XLSX, DOCX, KMZ, ZIP; the SOP workbook) are judged by their directory
# before any member is inflated: at most this many members, this many bytes unpacked, and this
# many times the file's size (real office files unpack to 5-20 times; a zip bomb to thousands).
UPLOAD_ZIP_MAX_MEMBERS = env.int("UPLOAD_ZIP_MAX_MEMBERS", default=1000)
UPLOAD_ZIP_MAX_UNCOMPRESSED = env.int("UPLOAD_ZIP_MAX_UNCOMPRESSED", default=100 * 1024 * 1024)
UPLOAD_ZIP_MAX_RATIO = env.int("UPLOAD_ZIP_MAX_RATIO", default=100)
# An uploaded SOP workbook is parsed in the worker, stopped after this many seconds (the soft
# limit, 5 s earlier, lets it say so; the hard one kills a parser that does not stop).
SOP_IMPORT_TIME_LIMIT = env.int("SOP_IMPORT_TIME_LIMIT", default=60)
# Four eyes on SOP review: whoever drafted, edited or submitted a version cannot approve it.
SOP_FOUR_EYES = env.bool("SOP_FOUR_EYES", default=True)
# remove_stray_files spares files younger than this: an upload whose row is not yet committed.
STRAY_FILE_GRACE_SECONDS = env.int("STRAY_FILE_GRACE_SECONDS", default=6 * 60 * 60)
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION
STORAGES = {
    # A file system storage that removes the files of rolled-back transactions.
    "default": {"BACKEND": "permits.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Stored files: local disk, or S3-compatible object storage (Issue 14.5) -----------------
# Several web and worker machines must see the same uploads and rendered PDFs: set
# AWS_STORAGE_BUCKET_NAME (and AWS_S3_ENDPOINT_URL for MinIO/Ceph; the keys in
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, read by django-storages from the environment) and
# both the default storage (prefix "media/") and the private one ("private/") live in that
# bucket; unset, they are the folders MEDIA_ROOT and PRIVATE_MEDIA_ROOT. Private files have no
# URL either way (permits.object_storage says why they are streamed through the portal).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
OBJECT_STORAGE = bool(AWS_STORAGE_BUCKET_NAME)
STORAGES["private"] = {"BACKEND": "permits.storage.PrivateStorage"}
if OBJECT_STORAGE:
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
    # MinIO and most self-hosted stores answer on one host name: path-style addressing.
    AWS_S3_ADDRESSING_STYLE = env.str(
        "AWS_S3_ADDRESSING_STYLE", default="path" if AWS_S3_ENDPOINT_URL else "auto"
    )
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    # "private", or "" for an AWS bucket with ACLs disabled; a public ACL is refused anyway.
    AWS_DEFAULT_ACL = env.str("AWS_DEFAULT_ACL", default="private") or None
    AWS_QUERYSTRING_AUTH = True
    # The default storage's signed links (the logo in the admin) are short-lived.
    AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=300)
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_VERIFY = env.bool("AWS_S3_VERIFY", default=True)
    STORAGES["default"] = {
        "BACKEND": "permits.object_storage.S3MediaStorage",
        "OPTIONS": {"location": env.str("AWS_MEDIA_LOCATION", default="media")},
    }
    STORAGES["private"] = {
        "BACKEND": "permits.object_storage.S3PrivateStorage",
        "OPTIONS": {"location": env.str("AWS_PRIVATE_LOCATION", default="private")},
    }
# --- end of stored files ---------------------------------------------------------------------

# Email
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SOP Portal <noreply@localhost>")

# Celery: Redis when REDIS_URL (or CELERY_BROKER_URL) is set, otherwise kombu's filesystem
# transport, which runs a real worker and beat with no server to install.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_queue_dir / "processed"),
        # kombu's default is "control" relative to the working directory; pin it here.
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
else:
    # A broker that does not answer is given up quickly: the enqueue after commit logs it and
    # the outbox sweep catches up (sop_portal.tasking), rather than holding the request.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Worker processes rendering a decree's annexes in parallel (workflows/decree_print.py); 1
# renders them one after another in the calling process. Each process holds one annex.
DECREE_RENDER_PROCESSES = env.int("DECREE_RENDER_PROCESSES", default=1)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "sop_portal.tasks.record_heartbeat", "schedule": 60.0},
    # Due-soon / overdue warnings and deemed approval, read from the database (idempotent).
    "sweep-clocks": {"task": "workflows.tasks.sweep_clocks", "schedule": 300.0},
    # The outbox: mail left unsent (broker down at enqueue, worker killed) goes out (idempotent).
    "sweep-outbox": {"task": "sop_portal.tasks.sweep_outbox", "schedule": 60.0},
    # PDF renderings whose message was lost (broker down when they were asked for).
    "requeue-renderings": {
        "task": "workflows.tasks.requeue_stale_renderings",
        "schedule": 120.0,
    },
    # Expiry reminders and expiry notices of issued permits (idempotent marks), hourly.
    "sweep-permit-validity": {"task": "permits.tasks.sweep_permit_validity", "schedule": 3600.0},
}
# Where `manage.py backup` writes its archives (sop_portal.backups).
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
# Seconds an outbox row is left to its own task before the sweep sends it (sop_portal.outbox).
OUTBOX_RETRY_AFTER = env.int("OUTBOX_RETRY_AFTER", default=60)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The cache holds what must be shared by every web and worker process: the throttles (the one
# tracking throttle counts wrong guesses per client address across page and API). Redis when
# REDIS_URL is set (production, CI); else a table in the same PostgreSQL (``migrate`` does not
# make it: ``manage.py createcachetable`` does, run by ./bin/start; the test runner makes it).
CACHES = {
    "default": {
        # Django's, reusing one Redis client object per pool (sop_portal/redis_cache.py).
        "BACKEND": "sop_portal.redis_cache.PortalRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "sop_portal",
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sop_portal_cache",
        "KEY_PREFIX": "sop_portal",
    }
}

# REST API
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "sop_portal.api_schema.PortalAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # DRF's token, refused once past its lifetime (API_TOKEN_LIFETIME*).
        "accounts.tokens.ExpiringTokenAuthentication",
        # No HTTP Basic: it would take a password on every request, unthrottled.
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "sop_portal.bad_input.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Counted in the shared cache (Redis in production), so every worker process sees one count,
    # signed-in callers included. Read at each request (``sop_portal.throttles``): a test or an
    # operator may change them without a restart; None for a scope lifts it.
    "DEFAULT_THROTTLE_CLASSES": [
        "sop_portal.throttles.AnonThrottle",
        "sop_portal.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
        # The token endpoint takes a password: a guesser's door, per client address.
        "token": env.str("API_THROTTLE_TOKEN", default="10/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SOP Portal API",
    "DESCRIPTION": "API of SOP Portal, DPMPTSP Provinsi Sulawesi Tenggara: agencies, the "
    "service catalogue and the SOPs in the `sop-portal/1` interchange format.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Fields of the same name (``kind``, ``status``) on several models: name their enums apart.
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "agencies.models.Agency.Kind",
        "ServiceKindEnum": "permits.models.ServiceKind",
        "DecreeStatusEnum": "workflows.models.Decree.Status",
        "SopVersionStatusEnum": "workflows.models.SopVersion.Status",
        "RenderedDocumentStatusEnum": "workflows.models.RenderedDocument.Status",
        "ComplaintStatusEnum": "feedback.models.Complaint.Status",
    },
}

#: Deepest nesting of lists and objects accepted in a JSON body (``sop_portal.bad_input``).
#: An SOP interchange document nests about six levels.
JSON_MAX_DEPTH = env.int("JSON_MAX_DEPTH", default=32)

# --- Sign-in: lockout, mail throttles, API tokens, the second factor ------------------------
# django-axes (database handler: one count for every web process): a sign-in is refused once an
# account, or a client address, has failed LOGIN_FAILURE_LIMIT times; it opens again after the
# cool-off or when an administrator unlocks it (axes admin, ``manage.py unlock_sign_in``).
# One limit for both: an office behind one NAT address shares its count, so keep it generous
# enough there (and set the proxy to pass the client address in REMOTE_ADDR).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# authenticate() is called with ``username=`` on every channel (the page, the admin, the API).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
#: Accounts registered per client address and hour.
REGISTRATION_MAX_PER_HOUR = env.int("REGISTRATION_MAX_PER_HOUR", default=5)
#: Password-reset and verification mails per account (per address typed) and hour, each.
ACCOUNT_MAIL_MAX_PER_HOUR = env.int("ACCOUNT_MAIL_MAX_PER_HOUR", default=3)
#: The same mails per client address and hour, whatever the account.
ACCOUNT_MAIL_MAX_PER_HOUR_PER_ADDRESS = env.int("ACCOUNT_MAIL_MAX_PER_HOUR_PER_ADDRESS", default=10)
#: Seconds an API token lives from its issue: a working day for staff (their tokens can issue
#: permits and publish SOPs), a month for applicants (a consultant's tool filing for clients).
API_TOKEN_LIFETIME_STAFF = env.int("API_TOKEN_LIFETIME_STAFF", default=8 * 3600)
API_TOKEN_LIFETIME = env.int("API_TOKEN_LIFETIME", default=30 * 24 * 3600)
#: Staff (every membership role, ``is_staff``, superusers) must pass a TOTP second factor
#: after the password, on the pages and on the token API. On in production.
OTP_REQUIRED_FOR_STAFF = env.bool("OTP_REQUIRED_FOR_STAFF", default=IS_PRODUCTION)
#: The issuer an authenticator app shows next to the account.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="SOP Portal DPMPTSP Sultra")

# Content Security Policy: everything is served from here, nothing from a CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Security: on by default in production, each switchable from the environment.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=IS_PRODUCTION)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=IS_PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=IS_PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=IS_PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Portal facts shown on pages and documents.
PORTAL = {
    "office_code": env.str("PORTAL_OFFICE_CODE", default="DPMPTSP"),
    "province": "Sulawesi Tenggara",
    "complaint_channels": env.str(
        "PORTAL_COMPLAINT_CHANNELS",
        default="Loket pengaduan DPMPTSP Provinsi Sulawesi Tenggara, Kendari; SP4N-LAPOR! "
        "(lapor.go.id)",
    ),
}
# The portal's public address: every link in an e-mail, a QR code or a PDF starts with it
# (``sop_portal.links.absolute``). Required in production (check sop_portal.E006).
PORTAL_BASE_URL = env.str(
    "PORTAL_BASE_URL",
    default="" if IS_PRODUCTION else f"http://127.0.0.1:{env.int('PORT', default=8000)}",
).rstrip("/")

# Rules of the domain that an office may tune.
#: Seconds an e-mail verification link stays valid.
EMAIL_VERIFICATION_MAX_AGE = env.int("EMAIL_VERIFICATION_MAX_AGE", default=3 * 24 * 3600)
#: Public tracking (page and API share one counter): wrong guesses per address and window.
TRACKING_MAX_ATTEMPTS = env.int("TRACKING_MAX_ATTEMPTS", default=10)
TRACKING_THROTTLE_SECONDS = env.int("TRACKING_THROTTLE_SECONDS", default=15 * 60)
#: Percentages of a step's time norm at which the "due soon" warnings go out.
CLOCK_WARNING_THRESHOLDS = tuple(env.list("CLOCK_WARNING_THRESHOLDS", cast=int, default=[50, 75]))
#: Seconds the working calendar is cached per process (the admin invalidates it on change).
CALENDAR_CACHE_SECONDS = env.int("CALENDAR_CACHE_SECONDS", default=300)
#: Days a satisfaction-survey (SKM) link stays valid.
SKM_LINK_DAYS = env.int("SKM_LINK_DAYS", default=90)
#: Working days from a complaint's receipt to the first public reply.
COMPLAINT_RESPONSE_DAYS = env.int("COMPLAINT_RESPONSE_DAYS", default=5)
COMPLAINT_NUMBER_PATTERN = env.str("COMPLAINT_NUMBER_PATTERN", default="ADU-{year}-{seq:05d}")
#: Complaints filed per address and hour (anonymous filing is allowed).
COMPLAINT_MAX_PER_HOUR = env.int("COMPLAINT_MAX_PER_HOUR", default=20)
#: Tabel 7: share (%) of a SOP's steps ended on time for "berjalan dengan baik".
MONITORING_RUNS_WELL_ON_TIME_RATE = env.int("MONITORING_RUNS_WELL_ON_TIME_RATE", default=80)
#: The dashboard and transparency figures read the pre-aggregated facts kept by PostgreSQL
#: triggers (monitoring/facts_sql.py); off, they are recomputed from the raw rows per request.
MONITORING_FACTS = env.bool("MONITORING_FACTS", default=True)
#: Seconds the dashboard's figures and the public transparency page stay cached at most; a
#: change of their figures replaces them at once (monitoring.facts.version()).
#: Seconds the public catalogue pages stay cached at most (a write replaces them at once:
#: permits/public_cache.py); only bounds what a write outside the model signals could leave.
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=3600)
MONITORING_CACHE_SECONDS = env.int("MONITORING_CACHE_SECONDS", default=600)
#: Modes of the private files and their folders: readable by the portal's user and group only,
#: these are people's identity documents.
PRIVATE_FILE_PERMISSIONS = 0o640
PRIVATE_DIRECTORY_PERMISSIONS = 0o750

# Electronic signatures of issued documents (``signing``): ``local`` (a PKCS#12 file per
# official in ESIGN_KEYSTORE_DIR) or ``remote`` (a BSrE-like service at ESIGN_REMOTE_URL).
ESIGN_BACKEND = env.str("ESIGN_BACKEND", default="local")
ESIGN_KEYSTORE_DIR = Path(env.str("ESIGN_KEYSTORE_DIR", default=str(VAR_DIR / "signing")))
ESIGN_REMOTE_URL = env.str("ESIGN_REMOTE_URL", default="")
ESIGN_REMOTE_TOKEN = env.str("ESIGN_REMOTE_TOKEN", default="")
#: Seconds a call to the signing service or the timestamp authority may take.
ESIGN_TIMEOUT_SECONDS = env.float("ESIGN_TIMEOUT_SECONDS", default=10.0)
#: An RFC 3161 timestamp authority (PAdES B-T); empty: no timestamp token.
ESIGN_TSA_URL = env.str("ESIGN_TSA_URL", default="")
#: PEM files of the certificates a signature must chain to (the demo CA by default; BSrE's
#: root in production).
ESIGN_TRUST_ROOTS = env.list("ESIGN_TRUST_ROOTS", default=[str(ESIGN_KEYSTORE_DIR / "ca.pem")])
#: Days before a permit's expiry at which its holder is reminded (each once).
PERMIT_EXPIRY_REMINDER_DAYS = tuple(
    sorted(env.list("PERMIT_EXPIRY_REMINDER_DAYS", cast=int, default=[90, 30]), reverse=True)
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own "django" logger prints to the console itself in DEBUG; let it go through root.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        # WeasyPrint and fontTools narrate every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pgserver narrates every pg_ctl call at INFO.
        "pgserver": {"level": "WARNING"},
        # pikepdf announces its qpdf log bridge at INFO when the upload check loads it.
        "pikepdf": {"level": "WARNING"},
    },
}
