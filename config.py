"""Configuration read from the environment.

``Config`` has safe development defaults (an SQLite file in ``instance/``);
``ProductionConfig`` refuses to start without ``SECRET_KEY`` and ``DATABASE_URL``;
``TestConfig`` is used by the test suite.
"""
from __future__ import annotations

import os
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
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{_INSTANCE / 'recruit.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    INSTANCE_DIR = str(_INSTANCE)

    # Public base URL used in feeds and e-mails (https://recruit.example.edu.cn).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
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
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 10 * 1024 * 1024)

    # Imports (recruit.core.tabular): what one uploaded CSV/XLSX may hold, and from what size
    # (bytes) an organizer's import runs as a background job instead of inside the request.
    IMPORT_MAX_ROWS = _int("IMPORT_MAX_ROWS", 50_000)
    IMPORT_MAX_COLUMNS = _int("IMPORT_MAX_COLUMNS", 50)
    IMPORT_MAX_CELLS = _int("IMPORT_MAX_CELLS", 2_000_000)
    IMPORT_MAX_UNZIPPED_BYTES = _int("IMPORT_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024)
    IMPORT_BACKGROUND_BYTES = _int("IMPORT_BACKGROUND_BYTES", 256 * 1024)

    # Login throttling: this many failures within the window lock the account / address.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = _int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
    LOGIN_MAX_FAILURES_PER_ADDRESS = _int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
    LOGIN_THROTTLE_WINDOW_SECONDS = _int("LOGIN_THROTTLE_WINDOW_SECONDS", 15 * 60)

    # The frequency policy (TOML). Default: the notice 黔教发〔2022〕5号 §3.
    COMPLIANCE_POLICY_FILE = os.environ.get(
        "COMPLIANCE_POLICY_FILE", str(BASE_DIR / "recruit" / "compliance" / "policy.toml")
    )

    # Matching index (see README "Matching index lifecycle").
    MATCHING_INDEX_DIR = os.environ.get("MATCHING_INDEX_DIR", str(_INSTANCE / "matching"))
    MATCHING_REFRESH_SECONDS = _int("MATCHING_REFRESH_SECONDS", 30)
    #: Similarities below this are noise (a shared character), never shown as a match.
    MATCHING_MIN_SCORE = float(os.environ.get("MATCHING_MIN_SCORE", "0.1"))

    # E-mail (sent only when MAIL_SERVER is set).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "recruit@localhost")

    # Scheduler lock file on SQLite (PostgreSQL uses advisory locks).
    JOB_LOCK_DIR = os.environ.get("JOB_LOCK_DIR", str(_INSTANCE / "locks"))


class ProductionConfig(Config):
    """Production: secrets and database must come from the environment."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    def __init__(self) -> None:
        secret = os.environ.get("SECRET_KEY")
        if not secret or secret == "dev-only-not-secret" or len(secret) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random string of at least 32 characters in production"
            )
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
    PUBLIC_BASE_URL = "http://recruit.test"
    MATCHING_REFRESH_SECONDS = 0


def config_from_env() -> type[Config] | Config:
    """Pick the configuration named by ``RECRUIT_ENV`` (development by default)."""
    name = os.environ.get("RECRUIT_ENV", "development").lower()
    if name == "production":
        return ProductionConfig()
    if name == "testing":
        return TestConfig
    return Config
