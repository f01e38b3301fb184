"""Configuration: defaults, instance/config.py, CERTTRACK_* variables, then test settings."""

import os
from datetime import timedelta

INSECURE_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105 - refused outside debug and testing
# The placeholder of instance/config.example.py: a copied, unedited example is refused too.
EXAMPLE_SECRET_KEY = "change-me"  # noqa: S105
# Where `flask run` serves by default; `make run` passes its own HOST and PORT.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


class DefaultConfig:
    """Settings every deployment starts from; `instance/config.example.py` documents each one."""

    SECRET_KEY = INSECURE_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = None  # None: SQLite file in the instance folder
    # Extra create_engine() options. On a server database (PostgreSQL) pool_pre_ping is added
    # unless set here: a pooled connection is tested before use, so that after the server
    # restarts requests get new connections instead of the dead ones (load_config).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    UPLOAD_FOLDER = None  # None: <instance>/uploads
    # Where uploaded documents and issued PDFs are kept (services/storage.py): None - the
    # folder UPLOAD_FOLDER (a network folder every server mounts works the same); or
    # "s3://bucket/prefix" - S3-compatible object storage, through S3_ENDPOINT_URL when it is
    # not AWS's; credentials and region from the standard AWS_* variables.
    STORAGE_URL: str | None = None
    S3_ENDPOINT_URL: str | None = None
    UPLOAD_QUOTA_BYTES = 500 * 1024 * 1024  # per user, all their uploads; None: no quota
    CLAMD_SOCKET = None  # clamd's Unix socket path or host:port: every upload is scanned
    LANGUAGES = ("en", "ru", "kk", "zh")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    # Every session ends 12 hours after sign-in, and after this long unused (staff: the roles
    # that sign in with a second factor).
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_IDLE_TIMEOUT_STAFF = timedelta(minutes=30)
    SESSION_IDLE_TIMEOUT = timedelta(hours=2)
    # Sign-in throttling (services/throttle.py): free failures per account (and per known device
    # or TOTP) and per client address, then a delay doubling from LOGIN_DELAY_FIRST up to
    # LOGIN_DELAY_MAX; failures are forgotten after LOGIN_THROTTLE_WINDOW without one.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_DELAY_FIRST = timedelta(minutes=1)
    LOGIN_DELAY_MAX = timedelta(minutes=15)
    LOGIN_THROTTLE_WINDOW = timedelta(hours=1)
    # Sign-in form posts per client address (Flask-Limiter), whatever their outcome.
    LOGIN_RATE_LIMIT = "30/minute"
    # How long an e-mailed link to choose a new password works (seconds); it works once.
    PASSWORD_RESET_MAX_AGE = 3600
    # How long the link of an invitation (a new account's, to choose its first password) works
    # (seconds): a new exporter may open it days later; once too.
    INVITATION_MAX_AGE = 7 * 24 * 3600
    # How long a browser stays a known device of the account it signed in to.
    KNOWN_DEVICE_LIFETIME = timedelta(days=180)
    # Throttle counters: None - in Redis when REDIS_URL (or THROTTLE_REDIS_URL) is set, else in
    # the database; "database" or "redis" to choose.
    THROTTLE_STORAGE: str | None = None
    THROTTLE_REDIS_URL: str | None = None
    # Demo accounts (`seed-demo`) are refused unless this is set (`make run` sets it).
    ALLOW_DEMO = False
    PER_PAGE = 20
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - Werkzeug's default; tests use a cheap one
    PREFERRED_URL_SCHEME = "http"
    HSTS = False
    # Reverse proxies in front of the app (nginx: 1). Their X-Forwarded-For and -Proto are then
    # believed, so that the per-address sign-in throttle sees clients, not the proxy.
    TRUSTED_PROXIES = 0
    # Outgoing e-mail (the notification outbox); None: e-mails wait in the outbox.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM: str | None = None
    # "production" makes the settings below mandatory: the app refuses to start without them.
    ENV = "development"
    # The address the public reaches certtrack at: QR codes on certificates and links in
    # e-mails are built on it (services have no request to take the host from), and a PDF is
    # stored once, so a wrong address is wrong for good. Production: an https:// address,
    # required. Development: `make run` passes the address it serves on; else the default.
    PUBLIC_BASE_URL: str | None = None
    # The electronic seal (PAdES) applied to every issued document (README, "Electronic
    # seal"). A PKCS#12 file, or a PKCS#11 token (a hardware module or a smart card) when
    # SEAL_PKCS11_MODULE is set. Outside production, when neither is set, the development
    # seal that `flask init-seal` writes to SEAL_FOLDER (None: <instance>/seal).
    SEAL_FOLDER: str | None = None
    SEAL_PKCS12_PATH: str | None = None
    SEAL_PKCS12_PASSPHRASE: str | None = None
    SEAL_PKCS11_MODULE: str | None = None
    SEAL_PKCS11_TOKEN_LABEL: str | None = None
    SEAL_PKCS11_KEY_LABEL: str | None = None
    SEAL_PKCS11_CERT_LABEL: str | None = None
    SEAL_PKCS11_PIN: str | None = None
    # Certificates (PEM or DER files) the public seal check trusts besides the CA
    # certificates inside the PKCS#12 file: the issuing CA's root and intermediates.
    SEAL_TRUST_ROOTS: tuple[str, ...] = ()
    # PAdES B-LT: embed the chain's revocation data (OCSP, CRL), fetched when sealing. Only
    # for a CA that publishes it (the national CA does; the development CA does not: B-B).
    SEAL_LONG_TERM = False
    # The largest PDF the public seal check accepts.
    SEAL_CHECK_MAX_BYTES = 10 * 1024 * 1024
    # Public verification: look-ups allowed per client address within the window (429 beyond).
    # A border post scans a train's certificates from one address (30 stopped it mid-train);
    # a code of 120 bits is not guessed at 300 tries in 10 minutes.
    VERIFY_MAX_PER_WINDOW = 300
    VERIFY_WINDOW = timedelta(minutes=10)
    # The task queue (certtrack.tasks): Redis when REDIS_URL is set (several servers share it),
    # else an SQLite file (None: <instance>/tasks.sqlite3). TASK_QUEUE_IMMEDIATE runs every
    # job at once in the caller's thread; None follows TESTING.
    REDIS_URL: str | None = None
    TASK_QUEUE_FILE: str | None = None
    TASK_QUEUE_IMMEDIATE: bool | None = None
    # Webhooks to loopback, private and link-local addresses (and over http): None allows
    # them in debug and testing only (the server-side request forgery guard).
    WEBHOOK_ALLOW_PRIVATE_TARGETS: bool | None = None


def database_url_from_env(environ=os.environ) -> str | None:
    """Return `DATABASE_URL` with the psycopg 3 driver named, or None when it is unset."""
    url = environ.get("DATABASE_URL")
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(app, test_config: dict | None) -> None:
    """Fill `app.config` in the documented order and refuse unsafe production settings.

    :raise RuntimeError: the default SECRET_KEY outside debug and testing.
    """
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    env_url = database_url_from_env()
    if env_url:
        app.config["SQLALCHEMY_DATABASE_URI"] = env_url
    if os.environ.get("REDIS_URL"):
        app.config["REDIS_URL"] = os.environ["REDIS_URL"]
    app.config.from_prefixed_env("CERTTRACK")
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        path = os.path.join(app.instance_path, "certtrack.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + path
    _ping_pooled_connections(app.config)
    if not app.config["UPLOAD_FOLDER"]:
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    if not app.config["SEAL_FOLDER"]:
        app.config["SEAL_FOLDER"] = os.path.join(app.instance_path, "seal")
    unsafe = app.config["SECRET_KEY"] in (INSECURE_SECRET_KEY, EXAMPLE_SECRET_KEY, "", None)
    if unsafe and not (app.debug or app.testing):
        raise RuntimeError(
            "Refusing to start with the default SECRET_KEY: set CERTTRACK_SECRET_KEY "
            "or SECRET_KEY in instance/config.py."
        )
    if app.config["ENV"] == "production":
        _check_production(app.config)
    elif not app.config["PUBLIC_BASE_URL"]:
        app.config["PUBLIC_BASE_URL"] = DEVELOPMENT_BASE_URL


def _ping_pooled_connections(config) -> None:
    """pool_pre_ping on a server database, unless the settings say otherwise: a connection
    the server closed (a restart, a failover, an idle timeout) is replaced when next taken
    from the pool, rather than failing the request that takes it. SQLite has no server."""
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True,
                                               **config["SQLALCHEMY_ENGINE_OPTIONS"]}


def _check_production(config) -> None:
    """Refuse to start a production app whose certificates would carry a wrong address or
    no seal: both are printed once and stored for good.

    :raise RuntimeError: PUBLIC_BASE_URL unset or not https://; no seal configured.
    """
    base = config["PUBLIC_BASE_URL"] or ""
    if not base.startswith("https://") or len(base) <= len("https://"):
        raise RuntimeError(
            "Refusing to start in production without an https:// PUBLIC_BASE_URL: set "
            "CERTTRACK_PUBLIC_BASE_URL (or PUBLIC_BASE_URL in instance/config.py) to the address "
            "the public reaches certtrack at, e.g. https://certtrack.example.kz; every issued "
            "certificate's QR code and printed link are built on it.")
    if not (config["SEAL_PKCS12_PATH"] or config["SEAL_PKCS11_MODULE"]):
        raise RuntimeError(
            "Refusing to start in production without the authority's seal: set "
            "CERTTRACK_SEAL_PKCS12_PATH (and CERTTRACK_SEAL_PKCS12_PASSPHRASE) or "
            "CERTTRACK_SEAL_PKCS11_MODULE and its token settings (README, Electronic seal).")
