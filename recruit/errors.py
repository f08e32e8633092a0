"""Friendly error pages: no stack trace ever reaches a user."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from recruit.extensions import db
from recruit.i18n import N_

MESSAGES = {
    400: (N_("请求无效"), N_("提交的内容无法处理，请检查后重试。")),
    403: (N_("无权访问"), N_("您的账号没有访问此页面的权限。")),
    404: (N_("页面不存在"), N_("您要找的页面不存在，或您无权查看。")),
    405: (N_("方法不允许"), N_("此页面不支持该操作。")),
    409: (N_("操作冲突"), N_("数据刚刚被他人修改，请刷新页面后重试。")),
    413: (N_("文件太大"), N_("上传的文件超过了大小限制。")),
    429: (N_("操作过于频繁"), N_("尝试次数过多，请稍后再试。")),
    500: (N_("服务器出错了"), N_("系统遇到了意外错误，已记录。请稍后重试。")),
    503: (N_("系统繁忙"), N_("数据库暂时忙或无法连接，本次操作没有保存。请稍等片刻后重试。")),
}


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/")


def render_error(code: int, detail: str | None = None, back: bool = False):
    """The error page (JSON for API clients). ``back``: the user submitted a form; the page offers
    to go back to it (the browser's history restores what they typed; without JavaScript the
    link opens the form's page again), not only the home page."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    title, message = _(title), _(message)
    if detail:
        message = detail
    if wants_json():
        return jsonify(error=title, message=message), code
    referrer = request.referrer or ""
    back_to = referrer if back and referrer.startswith(request.host_url) else None
    return render_template("errors/error.html", code=code, title=title, message=message, back_to=back_to), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("表单已过期或缺少安全令牌，请刷新页面后重新提交。"))

    # Safety nets: services convert these where they can say more (a duplicate title, a lost
    # race); whatever slips through is still the user's conflict or bad value, never a 500.
    @app.errorhandler(IntegrityError)
    def integrity_error(error):
        app.logger.warning("unhandled IntegrityError on %s %s: %s", request.method, request.path, error.orig)
        db.session.rollback()
        return render_error(409, _("没有保存：数据与已有记录冲突（可能是重复提交或他人刚刚修改），请刷新页面后查看。"))

    @app.errorhandler(DataError)
    def data_error(error):
        app.logger.warning("unhandled DataError on %s %s: %s", request.method, request.path, error.orig)
        db.session.rollback()
        return render_error(400, _("没有保存：提交的数值或文字超出了允许的范围。"))

    # The database is busy (SQLite's write lock held past the busy timeout by a large import, a
    # PostgreSQL lock or statement timeout) or unreachable: nothing was saved; say so, and when to retry.
    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        app.logger.warning("database unavailable on %s %s: %s", request.method, request.path, error.orig)
        try:
            db.session.rollback()
        except Exception:  # pragma: no cover - the connection itself may be gone
            pass
        response = make_response(render_error(503))
        response.headers["Retry-After"] = "10"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (301, 302, 303, 304, 307, 308):
            return error
        code = error.code or 500
        return render_error(code if code in MESSAGES else 400)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        try:
            db.session.rollback()
        except Exception:  # pragma: no cover - the session itself may be broken
            pass
        return render_error(500)
