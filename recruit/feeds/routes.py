"""iCal feeds: public calendars, private token calendars and single-fair downloads.

Every feed answers ``text/calendar; charset=utf-8`` with an ETag and Last-Modified
(304 on a match), Cache-Control (public for public feeds, private for token feeds,
``no-transform`` so no proxy compresses it: gzip breaks some Outlook subscriptions),
and HEAD works (Flask runs the GET view without sending the body).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit.access import ANY_USER, PUBLIC, access
from recruit.extensions import db
from recruit.fairs.models import FAIR_KINDS, Fair
from recruit.feeds import services
from recruit.feeds.services import Feed

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

MAX_AGE = 3600


def _serve(feed: Feed, *, private: bool = False, attachment: bool = False) -> Response:
    response = Response(feed.body, status=200)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{feed.filename}"'
    response.set_etag(feed.etag)
    response.last_modified = feed.last_modified
    cc = response.cache_control
    if private:
        cc.private = True
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
    else:
        cc.public = True
    cc.max_age = MAX_AGE
    cc.no_transform = True
    return response.make_conditional(request)


@bp.route("/fairs.ics")
@access(PUBLIC)
def province():
    """Every published fair of the province (last 30 days and the future)."""
    return _serve(services.province_feed())


@bp.route("/u/<code>.ics")
@access(PUBLIC)
def university(code: str):
    uni = services.get_university(code)
    if uni is None:
        abort(404)
    return _serve(services.university_feed(uni))


@bp.route("/u/<code>/<kind>.ics")
@access(PUBLIC)
def university_kind(code: str, kind: str):
    uni = services.get_university(code)
    if uni is None or kind not in FAIR_KINDS:
        abort(404)
    return _serve(services.university_feed(uni, kind))


@bp.route("/fair/<int:fair_id>.ics")
@access(PUBLIC)
def fair(fair_id: int):
    """One fair as an .ics file ("下载 .ics"). Drafts do not exist for the public."""
    obj = db.session.get(Fair, fair_id)
    feed = services.fair_feed(obj) if obj is not None else None
    if feed is None:
        abort(404)
    return _serve(feed, attachment=True)


@bp.route("/p/<token>.ics")
@access(PUBLIC)
def private(token: str):
    """A user's private feed. A wrong or revoked token is 404, like a missing page."""
    user = services.user_by_token(token)
    if user is None:
        abort(404)
    return _serve(services.private_feed(user), private=True)


@bp.route("/token", methods=["POST"])
@access(ANY_USER)
def regenerate_token():
    """Make a new private-feed token; the old URL stops working at once."""
    had = bool(current_user.feed_token)
    services.regenerate_token(current_user)
    if had:
        flash(_("已生成新的订阅地址，旧地址已失效。请在日历中用新地址重新订阅。"), "success")
    else:
        flash(_("已生成您的私人订阅地址。"), "success")
    return redirect(url_for("auth.account") + "#calendar")


def feed_https_url(endpoint: str, **values) -> str:
    """Absolute https URL of a feed under PUBLIC_BASE_URL."""
    path = url_for(endpoint, **values)
    root = request.script_root if request else ""
    if root and path.startswith(root):
        path = path[len(root) :]
    return services.base_url() + path


@bp.app_context_processor
def _feed_helpers():
    return {"feed_https_url": feed_https_url, "calendar_links": services.calendar_links}
