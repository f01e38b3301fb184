# certtrack settings: copy to instance/config.py and adjust. Every setting can also be given as
# an environment variable with the CERTTRACK_ prefix (CERTTRACK_SECRET_KEY=...). Load order:
# defaults -> instance/config.py -> CERTTRACK_* variables (and DATABASE_URL) -> test settings.

# Signs sessions and CSRF tokens. Required outside debug and tests: the app refuses to start with
# the built-in default or this placeholder. Generate one with
# `flask --app certtrack gen-secret-key`.
SECRET_KEY = "change-me"  # noqa: S105 - a placeholder the app refuses

# Database. Default: SQLite at instance/certtrack.sqlite3. PostgreSQL through DATABASE_URL or:
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://certtrack@localhost/certtrack"
# Extra create_engine() options. On PostgreSQL, pool_pre_ping is on unless given here (a
# connection closed by a server restart is replaced instead of failing a request); while the
# database cannot be reached, pages answer 503 with Retry-After and the API a 503 problem.
# SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": 5, "pool_pre_ping": True}

# Largest upload in bytes (larger ones get a 413 page). Default 20 MB.
MAX_CONTENT_LENGTH = 20 * 1024 * 1024

# Where uploaded documents and issued PDFs are kept, each named by its SHA-256 (checked again on
# every read: bytes that no longer match are refused, never served). Default: the folder
# UPLOAD_FOLDER, instance/uploads; with more than one server, a folder every server mounts
# (NFS) or object storage.
# UPLOAD_FOLDER = "/var/lib/certtrack/uploads"
# S3-compatible object storage (boto3): bucket and optional prefix. Credentials and region come
# from the standard AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION variables (or
# the machine's role). S3_ENDPOINT_URL names a server other than AWS's (MinIO, Ceph...).
# STORAGE_URL = "s3://certtrack-files/production"
# S3_ENDPOINT_URL = "https://s3.example.kz"
# UPLOAD_QUOTA_BYTES = 500 * 1024 * 1024    # per user, over all their uploads (None: none)
# CLAMD_SOCKET = "/run/clamav/clamd.ctl"     # scan every upload with ClamAV (or "host:3310")

# Languages offered, and the default; deadlines are counted in this time zone.
# LANGUAGES = ("en", "ru", "kk", "zh")
# BABEL_DEFAULT_LOCALE = "en"
# BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"

# Session cookie: set SESSION_COOKIE_SECURE and HSTS when served over HTTPS.
# SESSION_COOKIE_SECURE = True
# HSTS = True
# Sessions end 12 hours after sign-in, and after this long unused (staff: inspectors,
# registrars, administrators).
# PERMANENT_SESSION_LIFETIME = datetime.timedelta(hours=12)
# SESSION_IDLE_TIMEOUT_STAFF = datetime.timedelta(minutes=30)
# SESSION_IDLE_TIMEOUT = datetime.timedelta(hours=2)

# Behind a reverse proxy (nginx), the number of proxies whose X-Forwarded-For and
# X-Forwarded-Proto are believed. Without it every client has the proxy's address, and 20 failed
# sign-ins by anyone block every sign-in. Leave 0 when clients connect directly.
# TRUSTED_PROXIES = 1

# Sign-in throttling: free failures per account (and per known device, or with a valid TOTP
# code) and per client address; then each attempt waits a delay doubling from the first to the
# longest. Failures are forgotten after the window without one. Nobody is locked out: a known
# device or a valid TOTP code is not slowed by strangers' failures.
# LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
# LOGIN_MAX_FAILURES_PER_ADDRESS = 20
# LOGIN_DELAY_FIRST = datetime.timedelta(minutes=1)
# LOGIN_DELAY_MAX = datetime.timedelta(minutes=15)
# LOGIN_THROTTLE_WINDOW = datetime.timedelta(hours=1)
# Sign-in form posts per client address, whatever their outcome (Flask-Limiter syntax).
# LOGIN_RATE_LIMIT = "30/minute"
# How long a browser stays a known device of the account it signed in to.
# KNOWN_DEVICE_LIFETIME = datetime.timedelta(days=180)
# Where the throttle counts: None - Redis when REDIS_URL or THROTTLE_REDIS_URL is set, else
# the database; or "database" / "redis".
# THROTTLE_STORAGE = None
# THROTTLE_REDIS_URL = None

# Demo accounts (`seed-demo`) have public passwords and TOTP secrets: refused unless set.
# ALLOW_DEMO = False

# Rows per page in lists.
# PER_PAGE = 20

# Outgoing e-mail: notifications are queued in an outbox and sent by `flask --app certtrack daily`
# when MAIL_SERVER is set (STARTTLS on MAIL_PORT when MAIL_USE_TLS). Unset: they wait.
# MAIL_SERVER = "smtp.example.kz"
# MAIL_PORT = 587
# MAIL_USE_TLS = True
# MAIL_USERNAME = "certtrack@example.kz"
# MAIL_PASSWORD = "..."
# MAIL_FROM = "certtrack <certtrack@example.kz>"

# "production" refuses to start without an https:// PUBLIC_BASE_URL and without a seal.
# ENV = "development"

# The public address of certtrack, printed in the QR code of every certificate (the verification
# page) and used for links in e-mails. Issued certificates keep the address they were issued with.
# Required, https://, in production; in development `make run` passes the address it serves on.
# PUBLIC_BASE_URL = "https://certtrack.example.kz"

# The authority's electronic seal (README, "Electronic seal"): a PKCS#12 file, or a PKCS#11 token.
# Neither set (never in production): the development seal `flask init-seal` writes to SEAL_FOLDER.
# SEAL_PKCS12_PATH = "/etc/certtrack/seal.p12"
# SEAL_PKCS12_PASSPHRASE = "..."
# SEAL_PKCS11_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
# SEAL_PKCS11_TOKEN_LABEL = "certtrack"
# SEAL_PKCS11_KEY_LABEL = "seal"
# SEAL_PKCS11_CERT_LABEL = None          # None: the key's label
# SEAL_PKCS11_PIN = "..."
# SEAL_TRUST_ROOTS = ("/etc/certtrack/root_rsa.pem", "/etc/certtrack/nca_rsa.pem")
# SEAL_LONG_TERM = False                 # True: PAdES B-LT (OCSP/CRL embedded when sealing)
# SEAL_FOLDER = None                     # None: <instance>/seal
# SEAL_CHECK_MAX_BYTES = 10 * 1024 * 1024  # the largest PDF the public seal check accepts

# Public verification throttle: look-ups per client address within the window.
# VERIFY_MAX_PER_WINDOW = 30
# VERIFY_WINDOW = datetime.timedelta(minutes=10)

# The task queue (PDF rendering, dossiers, e-mail, the daily run): Redis when REDIS_URL is set
# (also read from the REDIS_URL environment variable) - required with more than one server;
# else an SQLite file, <instance>/tasks.sqlite3 unless TASK_QUEUE_FILE names another.
# TASK_QUEUE_IMMEDIATE runs every job at once inside the request (None: only when TESTING).
# REDIS_URL = "redis://127.0.0.1:6379/0"
# TASK_QUEUE_FILE = None
# TASK_QUEUE_IMMEDIATE = None

# Webhooks (account page of exporters and laboratories): may they target loopback, private and
# link-local addresses over plain http? None: only in debug and testing; production never.
# WEBHOOK_ALLOW_PRIVATE_TARGETS = None
