"""Friendly error pages: no stack trace ever reaches a user."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from recruit.extensions import db
from recruit.i18n import N_

MESSAGES = {
    400: (N_("请求无效"), N_("提交的内容无法处理，请检查后重试。")),
    403: (N_("无权访问"), N_("您的账号没有访问此页面的权限。")),
    404: (N_("页面不存在"), N_("您要找的页面不存在，或您无权查看。")),
    405: (N_("方法不允许"), N_("此页面不支持该操作。")),
    413: (N_("文件太大"), N_("上传的文件超过了大小限制。")),
    429: (N_("操作过于频繁"), N_("尝试次数过多，请稍后再试。")),
    500: (N_("服务器出错了"), N_("系统遇到了意外错误，已记录。请稍后重试。")),
}


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/")


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    title, message = _(title), _(message)
    if detail:
        message = detail
    if wants_json():
        return jsonify(error=title, message=message), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("表单已过期或缺少安全令牌，请刷新页面后重新提交。"))

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
