"""Configuration read from the environment.

``Config`` has safe development defaults (an SQLite file in ``instance/``);
``ProductionConfig`` refuses to start without ``SECRET_KEY`` and ``DATABASE_URL``;
``TestConfig`` is used by the test suite.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
_INSTANCE = Path(os.environ.get("RECRUIT_INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    """Development defaults; every value can be overridden by an environment variable."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{_INSTANCE / 'recruit.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    INSTANCE_DIR = str(_INSTANCE)

    # Public base URL used in feeds and e-mails (https://recruit.example.edu.cn).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    #: Development without PUBLIC_BASE_URL: absolute links follow the request's host and port.
    PUBLIC_BASE_URL_FROM_REQUEST = not os.environ.get("PUBLIC_BASE_URL")
    TIMEZONE = "Asia/Shanghai"

    # Internationalisation: Simplified Chinese first, English second.
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh", "en")

    # Forms and sessions.
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=_int("REMEMBER_DAYS", 30))
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 10 * 1024 * 1024)
    #: Largest résumé PDF (bytes); stored under <instance>/resumes, outside the web root.
    RESUME_PDF_MAX_BYTES = _int("RESUME_PDF_MAX_BYTES", 5 * 1024 * 1024)

    # Imports (recruit.core.tabular): what one uploaded CSV/XLSX may hold, and from what size
    # (bytes) an organizer's import runs as a background job instead of inside the request.
    IMPORT_MAX_ROWS = _int("IMPORT_MAX_ROWS", 50_000)
    IMPORT_MAX_COLUMNS = _int("IMPORT_MAX_COLUMNS", 50)
    IMPORT_MAX_CELLS = _int("IMPORT_MAX_CELLS", 2_000_000)
    IMPORT_MAX_UNZIPPED_BYTES = _int("IMPORT_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024)
    IMPORT_BACKGROUND_BYTES = _int("IMPORT_BACKGROUND_BYTES", 256 * 1024)
    #: Background imports running at once per process (the others wait, queued).
    IMPORT_MAX_RUNNING_JOBS = _int("IMPORT_MAX_RUNNING_JOBS", 2)
    #: Run a "background" import inside the request, through the same code (tests only).
    IMPORT_JOBS_INLINE = False

    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host (0: none, the
    # client address is the socket's; 1: one nginx in front). Never more than there really
    # are: a client could otherwise choose its own address (and dodge the login throttle).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    # Login throttling (see README "Sign-in security"). Per account: after this many failures
    # each further attempt waits LOGIN_DELAY_SECONDS, doubling up to LOGIN_MAX_DELAY_SECONDS
    # (a slow-down, never a lock-out; the owner can also reset the password by e-mail); the
    # count is forgotten after a window without failures. Per client address: at most this
    # many attempts per window, then refused until the window ends.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = _int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
    LOGIN_MAX_FAILURES_PER_ADDRESS = _int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
    LOGIN_THROTTLE_WINDOW_SECONDS = _int("LOGIN_THROTTLE_WINDOW_SECONDS", 15 * 60)
    LOGIN_DELAY_SECONDS = _int("LOGIN_DELAY_SECONDS", 30)
    LOGIN_MAX_DELAY_SECONDS = _int("LOGIN_MAX_DELAY_SECONDS", 300)

    # Sessions: a session without "remember me" ends after this many idle hours; a
    # remember-me login lasts this many days at most. Logout ends the session at once.
    SESSION_IDLE_HOURS = _int("SESSION_IDLE_HOURS", 12)
    REMEMBER_DAYS = _int("REMEMBER_DAYS", 30)

    # Self-registration: the e-mailed link that completes it stays valid this long.
    REGISTRATION_LINK_HOURS = _int("REGISTRATION_LINK_HOURS", 24)
    # Development without MAIL_SERVER: e-mails are written to this folder instead (one .txt
    # per message) so that links can be followed; empty to drop them. Never in production.
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(_INSTANCE / "outbox"))

    # Password reset links (e-mailed; single use) stay valid this long.
    PASSWORD_RESET_MAX_AGE_SECONDS = _int("PASSWORD_RESET_MAX_AGE_SECONDS", 60 * 60)

    # Claiming an imported graduate record at registration: attempts per client address and
    # per claimed record within the window (a wrong activation code counts).
    CLAIM_MAX_PER_ADDRESS = _int("CLAIM_MAX_PER_ADDRESS", 10)
    CLAIM_MAX_PER_RECORD = _int("CLAIM_MAX_PER_RECORD", 5)
    CLAIM_WINDOW_SECONDS = _int("CLAIM_WINDOW_SECONDS", 60 * 60)

    # The frequency policy (TOML). Default: the notice 黔教发〔2022〕5号 §3.
    COMPLIANCE_POLICY_FILE = os.environ.get(
        "COMPLIANCE_POLICY_FILE", str(BASE_DIR / "recruit" / "compliance" / "policy.toml")
    )

    # Employment statistics (§15): the report cadence (TOML; default: monthly Nov–Mar, weekly Mar–Aug)
    # and the largest evidence file a graduate or office may upload.
    STATISTICS_POLICY_FILE = os.environ.get(
        "STATISTICS_POLICY_FILE", str(BASE_DIR / "recruit" / "statistics" / "cadence.toml")
    )
    STATISTICS_EVIDENCE_MAX_BYTES = _int("STATISTICS_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)
    # Uploaded documents live here, outside the web root (default: <instance>/uploads).
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(_INSTANCE / "uploads"))

    # Matching index (see README "Matching index lifecycle").
    MATCHING_INDEX_DIR = os.environ.get("MATCHING_INDEX_DIR", str(_INSTANCE / "matching"))
    MATCHING_REFRESH_SECONDS = _int("MATCHING_REFRESH_SECONDS", 30)
    #: Similarities below this are noise (a shared character), never shown as a match.
    MATCHING_MIN_SCORE = float(os.environ.get("MATCHING_MIN_SCORE", "0.1"))
    #: Graduates' ranked match lists one worker keeps per index state (an LRU).
    MATCHING_RANK_CACHE_SIZE = _int("MATCHING_RANK_CACHE_SIZE", 512)

    # Calendar feeds: seconds a built feed is served from the worker's cache (any change
    # of a fair or an employer invalidates it at once).
    FEEDS_CACHE_SECONDS = _int("FEEDS_CACHE_SECONDS", 900)

    # E-mail (sent only when MAIL_SERVER is set).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "recruit@localhost")

    # Scheduler lock file on SQLite (PostgreSQL uses advisory locks).
    JOB_LOCK_DIR = os.environ.get("JOB_LOCK_DIR", str(_INSTANCE / "locks"))

    # Authority (issue 15). Who verifies employers' identity: ``province`` (the administrator)
    # or ``universities`` (also any university's organizers, delegated by the province).
    EMPLOYER_VERIFICATION = os.environ.get("EMPLOYER_VERIFICATION", "province")
    # Who reviews postings before graduates see them: ``province``, ``universities`` or ``off``.
    POSTING_REVIEW = os.environ.get("POSTING_REVIEW", "province")
    # Business licences (营业执照): largest file accepted, stored under the instance folder.
    LICENCE_MAX_BYTES = _int("LICENCE_MAX_BYTES", 5 * 1024 * 1024)
    LICENCE_DIR = os.environ.get("LICENCE_DIR", str(_INSTANCE / "licences"))
    # Organizer invitations: days a link stays valid.
    INVITATION_DAYS = _int("INVITATION_DAYS", 7)


class ProductionConfig(Config):
    """Production: secrets and database must come from the environment."""

    ENV_NAME = "production"
    MAIL_OUTBOX_DIR = ""
    PUBLIC_BASE_URL_FROM_REQUEST = False  # a Host header never decides where links point
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    def __init__(self) -> None:
        secret = os.environ.get("SECRET_KEY")
        if not secret or secret == "dev-only-not-secret" or len(secret) < 32:
            raise RuntimeError("SECRET_KEY must be set to a random string of at least 32 characters in production")
        self.SECRET_KEY = secret
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")


class TestConfig(Config):
    """The test suite: its own database, CSRF off unless a test turns it on."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL_ACTIVE", "sqlite://")
    WTF_CSRF_ENABLED = False
    MAIL_SERVER = ""
    MAIL_OUTBOX_DIR = ""
    PUBLIC_BASE_URL = "http://recruit.test"
    PUBLIC_BASE_URL_FROM_REQUEST = False
    MATCHING_REFRESH_SECONDS = 0


def config_from_env() -> type[Config] | Config:
    """Pick the configuration named by ``RECRUIT_ENV`` (development by default)."""
    name = os.environ.get("RECRUIT_ENV", "development").lower()
    if name == "production":
        return ProductionConfig()
    if name == "testing":
        return TestConfig
    return Config
