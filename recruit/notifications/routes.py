"""Routes of the notifications domain: the notification centre of every role."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit.access import ANY_USER, access
from recruit.core.paging import page_arg
from recruit.notifications import services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@access(ANY_USER)
def index():
    page = page_arg()
    unread_only = request.args.get("unread") == "1"
    items, total = services.list_for(current_user, page=page, unread_only=unread_only)
    return render_template(
        "notifications/index.html",
        items=items,
        total=total,
        page=page,
        page_size=services.PAGE_SIZE,
        unread_only=unread_only,
        unread=services.unread_count(current_user),
    )


@bp.route("/<int:notification_id>/read", methods=["POST"])
@access(ANY_USER)
def mark_read(notification_id: int):
    n = services.mark_read(current_user, notification_id)
    if n is None:
        abort(404)
    target = request.form.get("next", "")
    if target == "link" and n.link.startswith("/") and not n.link.startswith("//"):
        return redirect(n.link)
    return redirect(url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@access(ANY_USER)
def mark_all_read():
    count = services.mark_all_read(current_user)
    flash(_("已将 %(n)d 条通知标为已读。", n=count), "success")
    return redirect(url_for("notifications.index"))
