"""Feeds: which fairs go into which calendar, the built-feed cache and private tokens.

Caching. Building a feed of thousands of fairs takes a while, so built feeds are kept in
an in-process dict (one per app, so per gunicorn worker). An entry's key holds the
*feeds version*, a counter in :class:`~recruit.core.models.AppState` that
:mod:`recruit.feeds.handlers` bumps (inside the sender's transaction) on every
``fair_changed`` / ``employer_changed``; every worker reads it on each request, so all
workers drop their copies as soon as a change commits. The key also holds the local
date (the window moves daily) and entries expire after ``FEEDS_CACHE_SECONDS`` as a
safety net for changes nobody signals (a venue's address, a university's name).

Window: fairs ending on or after the start of the local day 30 days ago; cancelled fairs
stay (with STATUS:CANCELLED) for 30 days after their cancellation, then disappear.
Drafts never appear.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable
from urllib.parse import quote, urlsplit

import sqlalchemy as sa
from flask import current_app

from recruit.auth.models import User
from recruit.core.cache import LRU
from recruit.core.models import AppState
from recruit.core.urls import configured_host, public_base_url
from recruit.employers.models import Employer
from recruit.extensions import db
from recruit.fairs.models import FAIR_KINDS, PUBLISHED_STATUSES, Fair, FairRegistration
from recruit.feeds import ical
from recruit.graduates.models import SavedFair
from recruit.matchmaking.services import matched_employer_ids
from recruit.timeutil import SHANGHAI, UTC, combine_local, today_local, utcnow
from recruit.universities.models import University, Venue

log = logging.getLogger(__name__)

VERSION_KEY = "feeds.version"
WINDOW_DAYS = 30
CANCELLED_KEEP_DAYS = 30
CACHE_MAX_ENTRIES = 256
#: Last-Modified of a feed that has never had an event.
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
#: A token as made by :meth:`User.regenerate_feed_token` (URL-safe base64, ≥ 128 bits).
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
PROVINCE_NAME = "贵州省"


@dataclass(frozen=True)
class Feed:
    """A built feed: the bytes and what HTTP needs to serve them."""

    body: bytes
    etag: str
    last_modified: datetime
    filename: str


# --------------------------------------------------------------------------- version


def current_version() -> tuple[str, datetime]:
    """The feeds version and when it last changed (read before any fair data)."""
    row = db.session.execute(sa.select(AppState.value, AppState.updated_at).where(AppState.key == VERSION_KEY)).first()
    if row is None:
        return "0", EPOCH
    return row.value, row.updated_at or EPOCH


def bump_version() -> None:
    """Invalidate every worker's cached feeds. Runs in the caller's transaction (no commit).

    The increment is one atomic UPDATE, so two concurrent changes never end on the same
    value; the row is created on first use inside a savepoint.
    """
    now = utcnow()
    stmt = (
        sa.update(AppState)
        .where(AppState.key == VERSION_KEY)
        .values(value=sa.cast(sa.cast(AppState.value, sa.Integer) + 1, sa.Text), updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if db.session.execute(stmt).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(AppState(key=VERSION_KEY, value="1", updated_at=now))
    except sa.exc.IntegrityError:
        db.session.execute(stmt)


# --------------------------------------------------------------------------- cache


class FeedCache:
    """A small LRU of built feeds for one app; entries of an older version are dropped."""

    def __init__(self, max_entries: int = CACHE_MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries = LRU(max_entries)  # key -> (monotonic time built, feed)
        self._version: str | None = None
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple, version: str, ttl: float) -> Feed | None:
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
                return None
            item = self._entries.get(key)
            if item is None or time.monotonic() - item[0] > ttl:
                return None
            return item[1]

    def put(self, key: tuple, version: str, feed: Feed) -> None:
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
            self._entries.put(key, (time.monotonic(), feed))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._version = None


def cache() -> FeedCache:
    return current_app.extensions.setdefault("feeds_cache", FeedCache())


def _cached(key: tuple, build: Callable[[], tuple[ical.FeedMeta, list[ical.FairEvent], str]]) -> Feed:
    version, version_changed = current_version()
    day = today_local()
    full_key = (key, day, base_url())  # links inside follow the base URL (development: the request's)
    ttl = float(current_app.config["FEEDS_CACHE_SECONDS"])
    store = cache()
    feed = store.get(full_key, version, ttl)
    if feed is not None:
        store.hits += 1
        return feed
    store.misses += 1
    meta, events, filename = build()
    feed = make_feed(meta, events, filename, floor=version_changed)
    store.put(full_key, version, feed)
    return feed


def make_feed(meta: ical.FeedMeta, events: list[ical.FairEvent], filename: str, floor: datetime = EPOCH) -> Feed:
    body = ical.build_calendar(meta, events)
    last = max([e.updated_at for e in events] + [floor or EPOCH])
    return Feed(
        body=body,
        etag=hashlib.sha256(body).hexdigest()[:40],
        last_modified=last.astimezone(UTC).replace(microsecond=0),
        filename=filename,
    )


# --------------------------------------------------------------------------- queries


def base_url() -> str:
    return public_base_url()


def host() -> str:
    return configured_host()


def window_start(now: datetime | None = None) -> datetime:
    """Start of the local day ``WINDOW_DAYS`` ago, as UTC (the window moves once a day)."""
    today = now.astimezone(SHANGHAI).date() if now else today_local()
    return combine_local(today - timedelta(days=WINDOW_DAYS), datetime.min.time())


def in_feed_window(now: datetime | None = None):
    """Published fairs of the window, and cancelled ones for 30 days after cancelling."""
    start = window_start(now)
    cancelled_since = combine_local(
        (now.astimezone(SHANGHAI).date() if now else today_local()) - timedelta(days=CANCELLED_KEEP_DAYS),
        datetime.min.time(),
    )
    return sa.and_(
        Fair.ends_at >= start,
        sa.or_(
            Fair.status.in_(PUBLISHED_STATUSES),
            sa.and_(
                Fair.status == "cancelled",
                sa.func.coalesce(Fair.cancelled_at, Fair.updated_at) >= cancelled_since,
            ),
        ),
    )


def _fair_url_builder() -> Callable[[int], str]:
    """Absolute URL of a fair page under PUBLIC_BASE_URL."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return lambda fair_id: adapter.build("fairs.detail", {"fair_id": fair_id}, force_external=True)


def load_events(*criteria) -> list[ical.FairEvent]:
    """The fairs matching ``criteria`` as :class:`ical.FairEvent` values.

    Two column queries (fairs with university and venue; approved employers' names): no
    ORM objects, so a feed of thousands of fairs loads quickly.
    """
    rows = db.session.execute(
        sa.select(
            Fair.id,
            Fair.title,
            Fair.kind,
            Fair.format,
            Fair.status,
            Fair.starts_at,
            Fair.ends_at,
            Fair.updated_at,
            Fair.created_at,
            Fair.revision,
            Fair.online_url,
            Fair.industry_focus,
            Fair.description,
            Fair.cancel_reason,
            University.name.label("university_name"),
            Venue.name.label("venue_name"),
            Venue.address.label("venue_address"),
        )
        .join(University, University.id == Fair.university_id)
        .outerjoin(Venue, Venue.id == Fair.venue_id)
        .where(*criteria)
        .order_by(Fair.starts_at, Fair.id)
    ).all()
    if not rows:
        return []
    employers: dict[int, list[str]] = {}
    names = db.session.execute(
        sa.select(FairRegistration.fair_id, Employer.name)
        .join(Employer, Employer.id == FairRegistration.employer_id)
        .join(Fair, Fair.id == FairRegistration.fair_id)
        .where(FairRegistration.status == "approved", *criteria)
        .order_by(FairRegistration.fair_id, FairRegistration.booth_number, Employer.name, Employer.id)
    )
    for fair_id, name in names:
        employers.setdefault(fair_id, []).append(name)
    url = _fair_url_builder()
    return [to_event(r, tuple(employers.get(r.id, ())), url(r.id)) for r in rows]


def to_event(row, employers: tuple[str, ...], url: str) -> ical.FairEvent:
    """A row of :func:`load_events` as the builder's input (public facts only)."""
    onsite_part = row.format != "online" and row.venue_name is not None
    return ical.FairEvent(
        id=row.id,
        title=row.title,
        kind=row.kind,
        format=row.format,
        status=row.status,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        updated_at=row.updated_at or row.created_at or EPOCH,
        revision=row.revision or 0,
        university_name=row.university_name,
        url=url,
        venue_name=row.venue_name if onsite_part else "",
        venue_address=(row.venue_address or "") if onsite_part else "",
        online_url=(row.online_url or "") if row.format != "onsite" else "",
        industry_focus=row.industry_focus or "",
        description=row.description or "",
        cancel_reason=(row.cancel_reason or "") if row.status == "cancelled" else "",
        employers=employers,
    )


# --------------------------------------------------------------------------- public feeds


def province_feed() -> Feed:
    def build():
        meta = ical.FeedMeta(
            name=f"{PROVINCE_NAME}高校招聘会",
            host=host(),
            description=f"{PROVINCE_NAME}各高校已发布的校园招聘会（近30天及以后）",
        )
        return meta, load_events(in_feed_window()), "fairs.ics"

    return _cached(("province",), build)


def get_university(code: str) -> University | None:
    return db.session.scalar(sa.select(University).where(University.code == code))


def university_feed(university: University, kind: str | None = None) -> Feed:
    if kind is not None and kind not in FAIR_KINDS:
        raise ValueError(kind)

    def build():
        label = ical.KIND_LABELS[kind] if kind else "招聘会"
        meta = ical.FeedMeta(
            name=f"{university.name}{label}",
            host=host(),
            description=f"{university.name}已发布的{label}（近30天及以后）",
        )
        criteria = [Fair.university_id == university.id, in_feed_window()]
        if kind:
            criteria.append(Fair.kind == kind)
        filename = f"{university.code}-{kind}.ics" if kind else f"{university.code}.ics"
        return meta, load_events(*criteria), filename

    return _cached(("university", university.id, kind), build)


def fair_feed(fair: Fair) -> Feed | None:
    """One fair as a calendar file (for "下载 .ics"); None for drafts."""
    if fair.status == "draft":
        return None

    def build():
        meta = ical.FeedMeta(name=fair.title, host=host())
        return meta, load_events(Fair.id == fair.id), f"fair-{fair.id}.ics"

    return _cached(("fair", fair.id), build)


# --------------------------------------------------------------------------- private feeds


def user_by_token(token: str) -> User | None:
    """The active user whose private-feed token is ``token``, else None.

    The lookup uses the unique index; the final comparison is constant-time so the
    answer never depends on how much of a stored token matched.
    """
    if not token or not TOKEN_RE.match(token):
        return None
    user = db.session.scalar(sa.select(User).where(User.feed_token == token))
    if user is None or not user.feed_token or not user.is_active:
        return None
    if not hmac.compare_digest(user.feed_token.encode(), token.encode()):
        return None
    return user


def regenerate_token(user: User) -> str:
    """A new token for ``user``; the old private URL answers 404 from now on."""
    token = user.regenerate_feed_token()
    db.session.commit()
    return token


def _matched_employer_ids(graduate) -> set[int]:
    """Employers of the graduate's top matches; empty when the matching index is not ready."""
    try:
        return set(matched_employer_ids(graduate, top=10))
    except Exception:  # the calendar must not break because the matching index is not ready
        log.exception("matched_employer_ids failed for graduate %s", graduate.id)
        return set()


def private_fair_ids(user: User) -> list[int] | None:
    """Fair ids of the user's private feed; None means "the public scope" (admin, organizer)."""
    window = in_feed_window()
    if user.role == "employer":
        stmt = (
            sa.select(Fair.id)
            .join(FairRegistration, FairRegistration.fair_id == Fair.id)
            .where(FairRegistration.employer_id == user.employer_id, FairRegistration.status == "approved", window)
        )
        return sorted(db.session.scalars(stmt))
    if user.role == "graduate" and user.graduate_id is not None:
        saved = sa.select(SavedFair.fair_id).where(SavedFair.graduate_id == user.graduate_id)
        ids = set(db.session.scalars(sa.select(Fair.id).where(Fair.id.in_(saved), window)))
        employer_ids = _matched_employer_ids(user.graduate) if user.graduate is not None else set()
        if employer_ids:
            ids |= set(
                db.session.scalars(
                    sa.select(Fair.id)
                    .join(FairRegistration, FairRegistration.fair_id == Fair.id)
                    .where(
                        FairRegistration.employer_id.in_(sorted(employer_ids)),
                        FairRegistration.status == "approved",
                        window,
                    )
                )
            )
        return sorted(ids)
    return None


def private_feed(user: User) -> Feed:
    """The user's private feed: an employer's booths, a graduate's saved and matched fairs,
    an organizer's university, the whole province for an admin."""
    if user.role == "organizer" and user.university is not None:
        return university_feed(user.university)
    ids = private_fair_ids(user)
    if ids is None:
        return province_feed()
    if user.role == "employer" and user.employer is not None:
        name = f"{user.employer.name} · 参会招聘会"
    else:
        name = "我的招聘会"  # never the graduate's name

    def build():
        meta = ical.FeedMeta(name=name, host=host(), description="我的校园招聘会日程（私人订阅）")
        events = load_events(Fair.id.in_(ids), in_feed_window()) if ids else []
        return meta, events, "my-fairs.ics"

    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()
    return _cached(("private", user.id, digest), build)


# --------------------------------------------------------------------------- links


def calendar_links(feed_url: str) -> dict[str, str]:
    """webcal://, https:// and Google Calendar (add by URL) links for an https feed URL,
    plus a stable element id for the copy box."""
    webcal = "webcal://" + feed_url.split("://", 1)[-1]
    return {
        "https": feed_url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        "id": "feed-" + hashlib.sha1(feed_url.encode()).hexdigest()[:10],
    }
