"""CSRF, security headers, cookie flags, production configuration, friendly errors."""

from __future__ import annotations

import re

import pytest

from config import ProductionConfig, TestConfig
from recruit import create_app


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_csrf_refused_without_token(csrf_app, make_user):
    client = csrf_app.test_client()
    user = make_user("admin")
    response = client.post("/login", data={"email": user.email, "password": "password123"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "表单已过期或缺少安全令牌" in page
    assert "Traceback" not in page


def test_csrf_accepted_with_token(csrf_app, make_user):
    client = csrf_app.test_client()
    user = make_user("admin")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": user.email, "password": "password123", "csrf_token": token})
    assert response.status_code == 302


def test_state_changing_routes_refuse_missing_token(csrf_app, make_user):
    """Every POST route answers 400 without a CSRF token (checked before the view runs)."""
    client = csrf_app.test_client()
    rules = [r for r in csrf_app.url_map.iter_rules() if "POST" in r.methods and r.endpoint != "static"]
    assert rules
    for rule in rules:
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)
        response = client.post(url)
        assert response.status_code in (400, 404), f"{rule.rule} answered {response.status_code}"


@pytest.mark.parametrize("path", ["/", "/login", "/does-not-exist"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_inline_scripts_in_pages(client):
    page = client.get("/").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_session_cookie_flags(client, auth, make_user):
    response = auth.login(make_user("admin"))
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig()
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig()


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    config = ProductionConfig()
    assert config.SESSION_COOKIE_SECURE is True and config.SECRET_KEY == "x" * 40


def test_unexpected_error_shows_friendly_page(app, client):
    from recruit.access import PUBLIC, access

    @app.route("/boom-test")
    @access(PUBLIC)
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom-test")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "服务器出错了" in page and "secret internals" not in page and "Traceback" not in page


def test_view_without_access_declaration_refuses_to_start():
    from flask import Blueprint

    import recruit

    bp = Blueprint("undeclared_test", __name__)

    @bp.route("/undeclared")
    def undeclared():
        return "x"

    original = recruit.register_blueprints

    def with_extra(app):
        original(app)
        app.register_blueprint(bp)

    recruit.register_blueprints = with_extra
    try:
        with pytest.raises(RuntimeError, match="undeclared_test.undeclared"):
            create_app(TestConfig)
    finally:
        recruit.register_blueprints = original


def test_404_page_is_friendly_and_in_chinese(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


@pytest.mark.parametrize("language, message", [("zh", "数据库暂时忙或无法连接"), ("en", "database")])
def test_a_busy_or_unreachable_database_gives_503_with_retry_after(app, client, language, message):
    """SQLite's write lock held past the busy timeout (a large import writing), a PostgreSQL lock
    timeout or a lost connection: the user learns nothing was saved and when to retry."""
    from sqlalchemy.exc import OperationalError

    from recruit.access import PUBLIC, access

    @app.route("/busy-test")
    @access(PUBLIC)
    def busy():
        raise OperationalError("UPDATE users SET ...", {}, Exception("database is locked"))

    with client.session_transaction() as session:
        session["lang"] = language
    response = client.get("/busy-test")
    assert response.status_code == 503 and response.headers["Retry-After"] == "10"
    page = response.get_data(as_text=True)
    assert message in page and "database is locked" not in page and "UPDATE users" not in page
