"""recruit: campus recruitment fairs, the season frequency check and job matching."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from flask import Flask, session
from flask_babel import gettext
from flask_login import current_user

from config import Config, config_from_env
from recruit.extensions import babel, csrf, db, login_manager, migrate
from recruit.i18n import N_

BASE_DIR = Path(__file__).resolve().parent.parent

#: Blueprint modules, each exposing ``bp``.
BLUEPRINTS = (
    "recruit.main.routes",
    "recruit.auth.routes",
    "recruit.universities.routes",
    "recruit.fairs.routes",
    "recruit.employers.routes",
    "recruit.graduates.routes",
    "recruit.compliance.routes",
    "recruit.feeds.routes",
    "recruit.notifications.routes",
    "recruit.jobs.routes",
    "recruit.organizer.routes",
    "recruit.statistics.routes",
    "recruit.fairday.routes",
    "recruit.board.routes",
    "recruit.applications.routes",
    "recruit.admin.routes",
)

#: CLI command modules, each exposing ``register(app)``.
COMMANDS = (
    "recruit.demo.commands",
    "recruit.compliance.commands",
    "recruit.jobs.commands",
    "recruit.organizer.commands",
    "recruit.statistics.commands",
    "recruit.admin.commands",
)


def create_app(config_class: type[Config] | Config | None = None) -> Flask:
    """Build the application. No side effects beyond the app object itself."""
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder="static",
        instance_path=str(Path(getattr(config_class or Config, "INSTANCE_DIR", BASE_DIR / "instance"))),
    )
    app.config.from_object(config_class or config_from_env())
    register_extensions(app)
    register_input_guards(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_commands(app)
    register_logging(app)
    register_signal_handlers(app)
    from recruit.access import check_access_declared

    check_access_declared(app)
    return app


def select_locale() -> str:
    """The user's saved choice, then the session's, then Chinese."""
    if current_user and current_user.is_authenticated and current_user.locale in ("zh", "en"):
        return current_user.locale
    lang = session.get("lang")
    if lang in ("zh", "en"):
        return lang
    return "zh"


def register_extensions(app: Flask) -> None:
    import recruit.models  # noqa: F401  (every model known to the metadata)
    from recruit.extensions import install_engine_hooks

    install_engine_hooks()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("请先登录。")
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    from recruit.auth import sessions

    sessions.init_app(app)  # the user loader: a live, revocable session row per login
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def register_input_guards(app: Flask) -> None:
    """Bounded ``int`` URLs, control characters refused, single-line fields (recruit.core.inputs)."""
    from recruit.core import inputs

    inputs.install_url_converters(app)
    inputs.register(app)


def register_blueprints(app: Flask) -> None:
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(name).bp)


def register_commands(app: Flask) -> None:
    for name in COMMANDS:
        importlib.import_module(name).register(app)


def register_errorhandlers(app: Flask) -> None:
    from recruit.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from recruit.templating import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from recruit.security import register

    register(app)


#: Listener modules, each exposing ``connect(app)`` (listeners of :mod:`recruit.signals`).
HANDLERS = (
    "recruit.notifications.handlers",
    "recruit.feeds.handlers",
    "recruit.matchmaking.handlers",
    "recruit.compliance.handlers",
    "recruit.fairday.handlers",
)


def register_signal_handlers(app: Flask) -> None:
    """Import each listener module and call its ``connect(app)``."""
    for name in HANDLERS:
        importlib.import_module(name).connect(app)


def register_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
