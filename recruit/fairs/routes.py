"""Fairs: public lists and pages, booking by organizers, booth requests by employers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from recruit.access import PUBLIC, access
from recruit.compliance.holidays import day_range_info
from recruit.core import dates
from recruit.core.errors import ServiceError
from recruit.core.paging import paginate
from recruit.core.scope import university_for
from recruit.employers.models import Posting
from recruit.errors import render_error
from recruit.extensions import db
from recruit.fairs import services
from recruit.fairs import registrations
from recruit.fairs import calendar as fair_calendar
from recruit.fairs.forms import CancelForm, FairForm, RegistrationForm
from recruit.fairs.models import FAIR_KINDS, FAIR_STATUSES, Fair, FairRegistration
from recruit.forms import show_service_error
from recruit.timeutil import WEEKDAYS_EN, WEEKDAYS_ZH, combine_local, local, today_local, utcnow
from recruit.universities.models import University
from recruit.matchmaking import services as matchmaking

bp = Blueprint("fairs", __name__, url_prefix="/fairs")
PAGE_SIZE = 30


def _fair_or_404(fair_id: int) -> Fair:
    fair = db.session.get(Fair, fair_id)
    if fair is None:
        abort(404)
    if fair.status == "draft" and not services.can_manage(current_user, fair):
        abort(404)
    return fair


def _managed_fair_or_404(fair_id: int) -> Fair:
    fair = db.session.get(Fair, fair_id)
    if fair is None or not services.can_manage(current_user, fair):
        abort(404)
    return fair


@bp.route("/")
@access(PUBLIC)
def list_fairs():
    args = request.args
    query = services.visible_fair_query(current_user)
    universities = db.session.scalars(sa.select(University).order_by(University.code)).all()
    code = args.get("university", "")
    if code:
        query = query.join(University, Fair.university_id == University.id).where(University.code == code)
    kind = args.get("kind", "")
    if kind in FAIR_KINDS:
        query = query.where(Fair.kind == kind)
    status = args.get("status", "")
    if status in FAIR_STATUSES:
        query = query.where(Fair.status == status)
    elif not status:
        query = query.where(Fair.status != "cancelled")
    month = args.get("month", "")
    bounds = dates.parse_month(month)
    if bounds:
        query = query.where(
            Fair.starts_at >= combine_local(bounds[0], time(0)),
            Fair.starts_at < combine_local(bounds[1] + timedelta(days=1), time(0)),
        )
    else:
        if month:
            flash(_(dates.MONTH_MESSAGE, **dates.YEAR_RANGE), "error")
        if not args.get("past"):
            query = query.where(Fair.ends_at >= utcnow())
    pages = paginate(query.order_by(Fair.starts_at, Fair.id), PAGE_SIZE)
    can_book = current_user.is_authenticated and current_user.role in ("organizer", "admin")
    return render_template(
        "fairs/list.html",
        fairs=pages.items,
        universities=universities,
        total=pages.total,
        page=pages.page,
        page_size=PAGE_SIZE,
        args=args,
        can_book=can_book,
        statuses=FAIR_STATUSES,
    )


@bp.route("/calendar")
@access(PUBLIC)
def calendar():
    """招聘会日历: a month of fairs. Organizers start on their university's, graduates on their own
    (saved fairs and fairs where matched employers have booths); everyone can see all."""
    args = request.args
    today = today_local()
    month = args.get("month", "")
    bounds = dates.parse_month(month)
    if bounds is None:
        if month:
            flash(_(dates.MONTH_MESSAGE, **dates.YEAR_RANGE), "error")
        bounds = dates.parse_month(f"{today:%Y-%m}")
    first, last = bounds
    view = fair_calendar.calendar_view_for(current_user, args.get("view"))
    university = None
    code = args.get("university", "")
    if view == "all" and code:
        university = db.session.scalar(sa.select(University).where(University.code == code[:20]))
    mine = None
    if view == "mine" and getattr(current_user, "graduate", None) is not None:
        mine = matchmaking.graduate_fair_ids(current_user.graduate)
    by_day = fair_calendar.calendar_fairs(current_user, first, last, view, university, mine)
    weeks = fair_calendar.month_weeks(first)
    holidays = {
        day: info.name
        for day, info in day_range_info(weeks[0][0], weeks[-1][-1]).items()
        if not info.is_workday and info.name and info.name != "周末"
    }
    previous = first - timedelta(days=1)
    following = last + timedelta(days=1)
    universities = db.session.scalars(sa.select(University).order_by(University.code)).all() if view == "all" else []
    english = str(get_locale() or "zh").startswith("en")
    month_label = f"{first:%B} {first.year}" if english else f"{first.year}年{first.month}月"
    weekdays = WEEKDAYS_EN if english else WEEKDAYS_ZH
    return render_template(
        "fairs/calendar.html",
        first=first,
        weeks=weeks,
        month_label=month_label,
        weekdays=weekdays,
        by_day=by_day,
        today=today,
        view=view,
        views=_calendar_views(),
        university=university,
        universities=universities,
        holidays=holidays,
        previous=f"{previous:%Y-%m}",
        following=f"{following:%Y-%m}",
        total=sum(len(v) for v in by_day.values()),
    )


def _calendar_views() -> list[tuple[str, str]]:
    role = current_user.role if current_user.is_authenticated else "anonymous"
    if role == "organizer":
        return [("school", _("本校")), ("all", _("全部"))]
    if role == "graduate":
        return [("mine", _("我的招聘会")), ("all", _("全部"))]
    return []


@bp.route("/<int:fair_id>")
@access(PUBLIC)
def detail(fair_id: int):
    fair = _fair_or_404(fair_id)
    manage = services.can_manage(current_user, fair)
    registrations = [r for r in fair.registrations if manage or r.status == "approved"]
    mine = None
    form = None
    if current_user.is_authenticated and current_user.role == "employer":
        mine = next((r for r in fair.registrations if r.employer_id == current_user.employer_id), None)
        form = _registration_form()
    return render_template(
        "fairs/detail.html",
        fair=fair,
        manage=manage,
        registrations=registrations,
        mine=mine,
        form=form,
        cancel_form=CancelForm(),
        now=utcnow(),
    )


def _registration_form(formdata=None) -> RegistrationForm:
    form = RegistrationForm(formdata=formdata) if formdata is not None else RegistrationForm()
    postings = db.session.scalars(
        sa.select(Posting)
        .where(Posting.employer_id == current_user.employer_id, Posting.status == "open")
        .order_by(Posting.title)
    ).all()
    form.postings.choices = [(p.id, p.title) for p in postings]
    return form


def _university_for_booking() -> University:
    return university_for(current_user, request.values.get("university", "")) or abort(404)


def _fill_venues(form: FairForm, university: University, keep_id: int | None = None) -> None:
    """Active venues (plus ``keep_id``, the fair's current one, even when deactivated since)."""
    form.venue_id.choices = [(0, _("（无，线上举办）"))] + [
        (v.id, _("%(name)s（%(n)d个展位）", name=v.name, n=v.capacity))
        for v in university.venues
        if v.active or v.id == keep_id
    ]


def _form_data(form: FairForm) -> services.FairData:
    starts = combine_local(form.day.data, form.start.data)
    ends = combine_local(form.day.data, form.end.data)
    return services.FairData(
        kind=form.kind.data,
        title=form.title.data or "",
        format=form.format.data,
        starts_at=starts,
        ends_at=ends,
        venue_id=form.venue_id.data or None,
        online_url=form.online_url.data,
        booth_capacity=form.booth_capacity.data,
        industry_focus=form.industry_focus.data or "",
        description=form.description.data or "",
        extra={"over_capacity_confirmed": bool(form.over_capacity.data)},
    )


FIELD_MAP = {"starts_at": "start", "ends_at": "end", "postings": "postings"}


def _show_error(form, error: ServiceError) -> None:
    show_service_error(form, error, FIELD_MAP)


@bp.route("/new", methods=["GET", "POST"])
@access("organizer", "admin")
def new():
    if current_user.role == "admin" and not request.values.get("university"):
        universities = db.session.scalars(sa.select(University).order_by(University.code)).all()
        return render_template(
            "fairs/choose_university.html",
            universities=universities,
            day=request.args.get("day", ""),
            kind=request.args.get("kind", ""),
        )
    university = _university_for_booking()
    form = FairForm()
    _fill_venues(form, university)
    if request.method == "GET":
        form.day.data = dates.parse_date(request.args.get("day", "")) or services.default_day()
        kind = request.args.get("kind", "special")
        form.kind.data = kind if kind in FAIR_KINDS else "special"
        prefs = (
            (university.plan_large_start, university.plan_large_minutes)
            if form.kind.data == "large"
            else (university.plan_special_start, university.plan_special_minutes)
        )
        form.start.data = time.fromisoformat(prefs[0])
        form.end.data = (datetime.combine(date(2000, 1, 1), form.start.data) + timedelta(minutes=prefs[1])).time()
        form.title.data = f"{university.name}{'大型综合招聘会' if form.kind.data == 'large' else '专场招聘会'}"
        if university.venues:
            form.venue_id.data = university.venues[0].id
    if form.validate_on_submit():
        try:
            fair, warnings = services.create_fair(
                university, _form_data(form), current_user, publish=request.form.get("action") == "publish"
            )
        except ServiceError as error:
            _show_error(form, error)
        else:
            flash(_("已保存招聘会。") if fair.status == "draft" else _("已发布招聘会。"), "success")
            for w in warnings:
                flash(w, "warning")
            return redirect(url_for("fairs.detail", fair_id=fair.id))
    form.process_errors()
    return render_template("fairs/form.html", form=form, university=university, fair=None)


@bp.route("/<int:fair_id>/edit", methods=["GET", "POST"])
@access("organizer", "admin")
def edit(fair_id: int):
    fair = _managed_fair_or_404(fair_id)
    if fair.status in ("held", "cancelled"):
        # Nothing can change any more: say so instead of offering a form that cannot be saved.
        return render_template("fairs/form.html", form=None, university=fair.university, fair=fair, locked=True), (
            409 if request.method == "POST" else 200
        )
    form = FairForm(obj=fair)
    form.current_day = local(fair.starts_at).date()
    _fill_venues(form, fair.university, fair.venue_id)
    if request.method == "GET":
        start, end = local(fair.starts_at), local(fair.ends_at)
        form.day.data, form.start.data, form.end.data = (
            start.date(),
            start.time().replace(tzinfo=None),
            end.time().replace(tzinfo=None),
        )
        form.venue_id.data = fair.venue_id or 0
    if form.validate_on_submit():
        try:
            fair, warnings = services.update_fair(fair, _form_data(form))
        except ServiceError as error:
            _show_error(form, error)
        else:
            flash(_("已保存修改。"), "success")
            for w in warnings:
                flash(w, "warning")
            return redirect(url_for("fairs.detail", fair_id=fair.id))
    form.process_errors()
    return render_template("fairs/form.html", form=form, university=fair.university, fair=fair)


@bp.route("/<int:fair_id>/publish", methods=["POST"])
@access("organizer", "admin")
def publish(fair_id: int):
    fair = _managed_fair_or_404(fair_id)
    try:
        services.publish_fair(fair)
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("已发布招聘会。"), "success")
    return redirect(url_for("fairs.detail", fair_id=fair_id))


@bp.route("/<int:fair_id>/cancel", methods=["POST"])
@access("organizer", "admin")
def cancel(fair_id: int):
    fair = _managed_fair_or_404(fair_id)
    form = CancelForm()
    try:
        services.cancel_fair(fair, form.reason.data or "")
    except ServiceError as error:
        flash(_(error.message), "error")
    else:
        flash(_("已取消招聘会。"), "success")
    return redirect(url_for("fairs.detail", fair_id=fair_id))


@bp.route("/<int:fair_id>/register", methods=["POST"])
@access("employer")
def register(fair_id: int):
    fair = _fair_or_404(fair_id)
    form = _registration_form(request.form)
    try:
        registrations.request_booth(fair, current_user.employer, form.postings.data or [], form.note.data or "")
    except ServiceError as error:
        if error.status == 409:
            return render_error(409, _(error.message))
        flash(_(error.message), "error")
    else:
        flash(_("已提交展位申请，请等待学校审核。"), "success")
    return redirect(url_for("fairs.detail", fair_id=fair_id))


@bp.route("/registrations/<int:registration_id>/decide", methods=["POST"])
@access("organizer", "admin")
def decide_registration(registration_id: int):
    registration = db.session.get(FairRegistration, registration_id)
    if registration is None or not services.can_manage(current_user, registration.fair):
        abort(404)
    fair_id = registration.fair_id
    approve = request.form.get("decision") == "approve"
    try:
        registrations.decide_registration(registration, approve, request.form.get("reason", ""))
    except ServiceError as error:
        if error.status == 409:
            return render_error(409, _(error.message))
        flash(_(error.message), "error")
    else:
        flash(_("已通过展位申请。") if approve else _("已拒绝展位申请。"), "success")
    return redirect(url_for("fairs.detail", fair_id=fair_id))


@bp.route("/registrations/<int:registration_id>/withdraw", methods=["POST"])
@access("employer")
def withdraw_registration(registration_id: int):
    registration = db.session.get(FairRegistration, registration_id)
    if registration is None or registration.employer_id != current_user.employer_id:
        abort(404)
    try:
        registrations.withdraw_registration(registration)
    except ServiceError as error:
        if error.status == 409:
            return render_error(409, _(error.message))
        flash(_(error.message), "error")
    else:
        flash(_("已撤回展位申请。"), "success")
    return redirect(url_for("fairs.my_registrations"))


@bp.route("/mine")
@access("employer")
def my_registrations():
    registrations = db.session.scalars(
        sa.select(FairRegistration)
        .join(Fair)
        .where(FairRegistration.employer_id == current_user.employer_id)
        .order_by(Fair.starts_at.desc())
    ).all()
    return render_template("fairs/my_registrations.html", registrations=registrations, today=today_local())
