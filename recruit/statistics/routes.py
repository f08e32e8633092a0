"""Employment statistics pages (§14, §15, §19, §20).

Graduates fill in their destination; the university's office collects, its colleges review and the
office re-reviews; the office submits reports on the §15 cadence; the province sees every
university, samples records for verification and records its decisions. Organizers work on their
own university (a college-scoped organizer on their own college); records of another university
answer 404.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from recruit.access import access
from recruit.auth.models import User
from recruit.compliance.services import evaluate_university
from recruit.core import dates, spreadsheets
from recruit.core.errors import ServiceError
from recruit.core.scope import can_manage_university, university_for
from recruit.extensions import db
from recruit.forms import show_service_error
from recruit.graduates.models import Graduate
from recruit.organizer.charts import rate_bars
from recruit.organizer.services import universities
from recruit.statistics import dashboard, reports, services
from recruit.statistics.forms import DestinationForm
from recruit.statistics.models import (
    RECORD_STATUSES,
    DestinationRecord,
    SampleItem,
    StatisticsReport,
    VerificationSample,
)
from recruit.statistics.policy import ReportPeriod, categories, category
from recruit.timeutil import today_local
from recruit.universities.models import College, University
from recruit.validation import parse_int

bp = Blueprint("statistics", __name__, url_prefix="/statistics")
PAGE_SIZE = 50
REPORT_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "report.css"
LABELS = {
    "record": {
        "pending": _l("待采集"),
        "collected": _l("已采集"),
        "reviewed": _l("院系已审核"),
        "verified": _l("学校已复核"),
        "returned": _l("已退回"),
        "missing": _l("未登记"),
    },
    "event": {
        "filled": _l("毕业生填报"),
        "collected": _l("采集"),
        "reviewed": _l("院系审核"),
        "verified": _l("学校复核"),
        "returned": _l("退回"),
    },
    "state": {
        "submitted": _l("已按时报送"),
        "late": _l("逾期报送"),
        "overdue": _l("逾期未报"),
        "due": _l("待报送"),
        "open": _l("进行中"),
    },
    "verdict": {
        "unchecked": _l("未核查"),
        "confirmed": _l("属实"),
        "falsified": _l("弄虚作假"),
        "unverifiable": _l("无法核实"),
    },
    "veto": {"none": _l("未决定"), "applied": _l("实行一票否决"), "not_applied": _l("不实行一票否决")},
    "cadence": {"monthly": _l("月报"), "weekly": _l("周报")},
    "group": {"employed": _l("就业"), "further_study": _l("升学"), "not_placed": _l("未落实")},
    "period": {"met": _l("已达标"), "planned": _l("已安排"), "at_risk": _l("有风险"), "missed": _l("未达标"), "": ""},
}


def _english() -> bool:
    return str(get_locale()).startswith("en")


def _university() -> University | None:
    return university_for(current_user, request.args.get("university"))


def _scope_args(university) -> dict:
    return {"university": university.code} if current_user.role == "admin" and university else {}


def _int_arg(name: str, default: int, lo: int, hi: int) -> int:
    """An integer parameter clamped to ``[lo, hi]``; ``default`` when missing or not an integer."""
    value = parse_int(request.values.get(name), default=None, minimum=lo, maximum=hi, clamp=True)
    return default if value is None else value


def _class_year_arg() -> int:
    """``class_year``: a year of :mod:`recruit.core.dates`' range, else the current class."""
    return dates.parse_year(request.values.get("class_year")) or reports.class_year_on(today_local())


def _no_store(body):
    """A response for a page with personal data: never kept by a cache or the browser."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def _fail(error: ServiceError):
    flash(_(error.message), "error")


# ------------------------------------------------------------------ the graduate's own record


@bp.route("/me", methods=["GET", "POST"])
@access("graduate")
def my_destination():
    graduate = db.session.get(Graduate, current_user.graduate_id)
    record = services.record_of(graduate)
    form = DestinationForm(obj=record, english=_english())
    if record is None and request.method == "GET":
        offer = services.accepted_offer(graduate)
        if offer is not None:  # an accepted offer (录用) fills in the first entry; the graduate checks it
            form.category.data, form.organisation.data = "contract", offer.posting.employer.name
            form.city.data, form.industry.data = offer.posting.city, offer.posting.industry
    if form.validate_on_submit():
        try:
            services.fill(graduate, form.data_for_service(), current_user, form.evidence.data)
            flash(_("已保存，等待学校就业部门采集审核。"), "success")
            return redirect(url_for("statistics.my_destination"))
        except ServiceError as error:
            show_service_error(form, error)
    editable = record is None or record.status in services.EDITABLE_BY_GRADUATE
    return _no_store(
        render_template(
            "statistics/my_destination.html", form=form, record=record, editable=editable, categories=categories()
        )
    )


@bp.route("/records/<int:record_id>/evidence")
@access("graduate", "organizer", "admin")
def evidence(record_id: int):
    record = db.session.get(DestinationRecord, record_id)
    if record is None or not services.may_see_graduate(current_user, record.graduate) or not record.evidence_file:
        abort(404)
    response = services.EVIDENCE.send(
        record.evidence_file, record.evidence_type, f"evidence-{record.id}.{record.evidence_file.rsplit('.', 1)[-1]}"
    )
    if response is None:
        abort(404)
    return response


# ------------------------------------------------------------------ the office's list and record pages


@bp.route("/records")
@access("organizer", "admin")
def records():
    university = _university()
    page = _int_arg("page", 1, 1, 100000)
    status = request.args.get("status", "")
    college_id = _int_arg("college", 0, 0, 2**31 - 1)
    q = (request.args.get("q") or "").strip()[:50]
    rows, records_by_graduate = None, {}
    if university is not None:
        query = services.graduates_in_scope(current_user).where(Graduate.university_id == university.id)
        if status == "missing":
            query = query.where(~sa.exists().where(DestinationRecord.graduate_id == Graduate.id))
        elif status in RECORD_STATUSES:
            query = query.where(
                sa.exists().where(DestinationRecord.graduate_id == Graduate.id, DestinationRecord.status == status)
            )
        if college_id:
            query = query.where(Graduate.college_id == college_id)
        if q:
            like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(
                sa.or_(Graduate.name.like(like, escape="\\"), Graduate.student_number.like(like, escape="\\"))
            )
        rows = db.paginate(
            query.order_by(Graduate.graduation_year.desc(), Graduate.student_number),
            page=page,
            per_page=PAGE_SIZE,
            error_out=False,
        )
        ids = [g.id for g in rows.items]
        records_by_graduate = (
            {
                r.graduate_id: r
                for r in db.session.scalars(sa.select(DestinationRecord).where(DestinationRecord.graduate_id.in_(ids)))
            }
            if ids
            else {}
        )
    colleges = services.colleges_of(university.id) if university else []
    return _no_store(
        render_template(
            "statistics/records.html",
            university=university,
            universities=universities(),
            rows=rows,
            records=records_by_graduate,
            status=status,
            college_id=college_id,
            q=q,
            colleges=colleges,
            scope=_scope_args(university),
            statuses=RECORD_STATUSES,
        )
    )


@bp.route("/graduates/<int:graduate_id>", methods=["GET", "POST"])
@access("organizer", "admin")
def graduate_record(graduate_id: int):
    graduate = services.managed_graduate(current_user, graduate_id)
    if graduate is None:
        abort(404)
    record = services.record_of(graduate)
    form = DestinationForm(obj=record, english=_english())
    if current_user.role == "organizer" and form.validate_on_submit():
        try:
            services.fill(graduate, form.data_for_service(), current_user, form.evidence.data)
            flash(_("已采集。"), "success")
            return redirect(url_for("statistics.graduate_record", graduate_id=graduate.id))
        except ServiceError as error:
            show_service_error(form, error)
    actions = []
    if record is not None:
        for step, (needs, _sets, permitted) in services.STEPS.items():
            if record.status == needs and permitted(current_user, record):
                actions.append(step)
    can_return = (
        record is not None
        and record.status in services.RETURNABLE
        and services.RETURNABLE[record.status](current_user, record)
    )
    editable = current_user.role == "organizer" and (record is None or record.status in services.EDITABLE_BY_OFFICE)
    return _no_store(
        render_template(
            "statistics/graduate_record.html",
            graduate=graduate,
            record=record,
            form=form,
            actions=actions,
            can_return=can_return,
            editable=editable,
            colleges=services.colleges_of(graduate.university_id),
            office=current_user.role == "organizer" and current_user.college_id is None,
        )
    )


@bp.route("/records/<int:record_id>/<step>", methods=["POST"])
@access("organizer")
def advance(record_id: int, step: str):
    record = db.session.get(DestinationRecord, record_id)
    if step not in services.STEPS or record is None or not services.may_see_graduate(current_user, record.graduate):
        abort(404)
    try:
        services.advance(record, step, current_user)
        flash({"collect": _("已采集。"), "review": _("已审核。"), "verify": _("已复核，计入就业率。")}[step], "success")
    except ServiceError as error:
        _fail(error)
    return redirect(url_for("statistics.graduate_record", graduate_id=record.graduate_id))


@bp.route("/records/<int:record_id>/return", methods=["POST"])
@access("organizer")
def return_record(record_id: int):
    record = db.session.get(DestinationRecord, record_id)
    if record is None or not services.may_see_graduate(current_user, record.graduate):
        abort(404)
    try:
        services.return_record(record, current_user, request.form.get("reason", ""))
        flash(_("已退回。"), "success")
    except ServiceError as error:
        _fail(error)
    return redirect(url_for("statistics.graduate_record", graduate_id=record.graduate_id))


@bp.route("/graduates/<int:graduate_id>/college", methods=["POST"])
@access("organizer")
def set_college(graduate_id: int):
    graduate = services.managed_graduate(current_user, graduate_id)
    if graduate is None:
        abort(404)
    value = _int_arg("college", 0, 0, 2**31 - 1)
    try:
        services.set_college(graduate, value or None, current_user)
        flash(_("已调整院系。"), "success")
    except ServiceError as error:
        _fail(error)
    return redirect(url_for("statistics.graduate_record", graduate_id=graduate.id))


# ------------------------------------------------------------------ colleges and staffing


@bp.route("/colleges", methods=["GET", "POST"])
@access("organizer", "admin")
def colleges():
    university = _university()
    if university is not None and request.method == "POST":
        try:
            services.add_college(university.id, request.form.get("name", ""), current_user)
            flash(_("已添加院系。"), "success")
        except ServiceError as error:
            _fail(error)
        return redirect(url_for("statistics.colleges", **_scope_args(university)))
    staffing = reports.staffing_of(university) if university else None
    return render_template(
        "statistics/colleges.html",
        university=university,
        universities=universities(),
        colleges=services.colleges_of(university.id) if university else [],
        organizers=services.organizers_of(university.id) if university else [],
        staffing=staffing,
        scope=_scope_args(university),
        required=reports.officers_required(university.graduates_count) if university else 0,
    )


@bp.route("/colleges/organizers/<int:user_id>", methods=["POST"])
@access("organizer")
def scope_organizer(user_id: int):
    colleague = db.session.get(User, user_id)
    if colleague is None or colleague.role != "organizer" or colleague.university_id != current_user.university_id:
        abort(404)
    try:
        services.scope_organizer(colleague, _int_arg("college", 0, 0, 2**31 - 1) or None, current_user)
        flash(_("已保存。"), "success")
    except ServiceError as error:
        _fail(error)
    return redirect(url_for("statistics.colleges"))


@bp.route("/staffing", methods=["POST"])
@access("organizer")
def staffing():
    university = _university()
    if university is None or current_user.college_id is not None:
        abort(404)
    try:
        count = int((request.form.get("officers") or "").strip())
    except ValueError:
        count = -1
    try:
        reports.set_officers(university, count, current_user)
        flash(_("已保存专职就业工作人员人数。"), "success")
    except ServiceError as error:
        _fail(error)
    return redirect(url_for("statistics.colleges"))


# ------------------------------------------------------------------ reports (§15)


@bp.route("/reports")
@access("organizer", "admin")
def report_list():
    university = _university()
    today = today_local()
    states = reports.period_states(university, today) if university else []
    current = reports.snapshot(university, reports.class_year_on(today)) if university else None
    return _no_store(
        render_template(
            "statistics/reports.html",
            university=university,
            universities=universities(),
            states=states,
            today=today,
            current=current,
            scope=_scope_args(university),
            policy=reports.current_statistics_policy(),
        )
    )


def _period_from_form() -> ReportPeriod:
    policy = reports.current_statistics_policy()
    start = dates.parse_date(request.form.get("start") or "")
    if start is None:
        raise ServiceError("请选择报送时段。", "period")
    for p in policy.periods_on(start):
        if p.cadence == request.form.get("cadence") and p.start == start:
            return p
    raise ServiceError("该时段不是报送时段。", "period", 404)


@bp.route("/reports/submit", methods=["POST"])
@access("organizer")
def submit_report():
    university = _university()
    if university is None:
        abort(404)
    try:
        period = _period_from_form()
        if period.start > today_local():
            raise ServiceError("该时段尚未开始，不能报送。", "period")
        report = reports.submit_report(university, period, current_user, request.form.get("reason", ""))
        flash(_("已报送第 %(n)d 版。", n=report.revision), "success")
        return redirect(url_for("statistics.report", report_id=report.id))
    except ServiceError as error:
        _fail(error)
    return redirect(url_for("statistics.report_list"))


@bp.route("/reports/<int:report_id>")
@access("organizer", "admin")
def report(report_id: int):
    item = db.session.get(StatisticsReport, report_id)
    if item is None or not can_manage_university(current_user, item.university_id):
        abort(404)
    revisions = db.session.scalars(
        sa.select(StatisticsReport)
        .where(
            StatisticsReport.university_id == item.university_id,
            StatisticsReport.cadence == item.cadence,
            StatisticsReport.period_start == item.period_start,
        )
        .order_by(StatisticsReport.revision)
    ).all()
    university = db.session.get(University, item.university_id)
    return _no_store(
        render_template(
            "statistics/report.html",
            report=item,
            university=university,
            revisions=revisions,
            categories=categories(),
            s=item.snapshot,
        )
    )


@bp.route("/quality-report")
@access("organizer", "admin")
def quality_report():
    """The annual employment quality report (§14) of a class: a printable, editable HTML document."""
    university = _university()
    if university is None:
        return render_template(
            "statistics/pick.html", universities=universities(), endpoint="statistics.quality_report"
        )
    class_year = _class_year_arg()
    latest = db.session.scalars(
        sa.select(StatisticsReport)
        .where(StatisticsReport.university_id == university.id, StatisticsReport.class_year == class_year)
        .order_by(StatisticsReport.submitted_at.desc(), StatisticsReport.revision.desc())
        .limit(1)
    ).first()
    s = latest.snapshot if latest else reports.snapshot(university, class_year)
    bars = [
        SimpleNamespace(
            label=destination_label(c.code),
            rate=s["by_category"].get(c.code, 0) / s["graduates"],
            matched=s["by_category"].get(c.code, 0),
            graduates=s["graduates"],
        )
        for c in categories()
        if s["graduates"]
    ]
    chart = rate_bars(bars, title=_("毕业去向分布"), label="label") if bars else ""
    html = render_template(
        "statistics/quality_report.html",
        university=university,
        class_year=class_year,
        s=s,
        source=latest,
        categories=categories(),
        chart=chart,
        report_css=Markup(REPORT_CSS.read_text(encoding="utf-8")),
    )
    if request.args.get("download"):
        return Response(
            html,
            mimetype="text/html",
            headers={
                "Content-Disposition": f'attachment; filename="quality-report-{university.code}-{class_year}.html"',
                "Cache-Control": "no-store",
            },
        )
    return _no_store(Response(html, mimetype="text/html"))


# ------------------------------------------------------------------ the province (§19, §20)


@bp.route("/province")
@access("admin")
def province():
    sort = request.args.get("sort", "rate")
    sort = sort if sort in dashboard.SORT_KEYS else "rate"
    today = today_local()
    rows = dashboard.province_rows(today, sort)
    weeks, grid = dashboard.heat_map(rows)
    return _no_store(
        render_template("statistics/province.html", rows=rows, sort=sort, weeks=weeks, grid=grid, today=today)
    )


@bp.route("/province.<fmt>")
@access("admin")
def province_export(fmt: str):
    """The province table as CSV or XLSX (cells a spreadsheet would run as a formula are neutralised)."""
    fmt = request.args.get("format", fmt)
    if fmt not in spreadsheets.FORMATS:
        abort(404)
    rows = dashboard.province_rows(today_local(), request.args.get("sort", "rate"))
    data = spreadsheets.render(fmt, dashboard.EXPORT_HEADERS, dashboard.export_table(rows), title="全省就业统计")
    response = make_response(data)
    response.mimetype = spreadsheets.MIMETYPES[fmt]
    response.headers["Content-Disposition"] = (
        f'attachment; filename="province-statistics-{today_local().isoformat()}.{fmt}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/university/<code>")
@access("organizer", "admin")
def university(code: str):
    item = db.session.scalar(sa.select(University).where(University.code == code[:20]))
    if item is None or not can_manage_university(current_user, item.id):
        abort(404)
    today = today_local()
    season = dashboard.season_for_today(today)
    row = dashboard.university_row(
        item,
        evaluate_university(item, season, today),
        today,
        dashboard.postings_by_university([item.id]).get(item.id, 0),
    )
    snap = reports.snapshot(item, reports.class_year_on(today))
    weeks, grid = dashboard.heat_map([row])
    return _no_store(
        render_template(
            "statistics/university.html",
            row=row,
            s=snap,
            today=today,
            weeks=weeks,
            grid=grid,
            categories=categories(),
            samples=_samples_of(item) if current_user.role == "admin" else [],
        )
    )


def _samples_of(item: University) -> list[VerificationSample]:
    return list(
        db.session.scalars(
            sa.select(VerificationSample)
            .where(VerificationSample.university_id == item.id)
            .order_by(VerificationSample.created_at.desc())
        )
    )


@bp.route("/university/<code>/samples", methods=["POST"])
@access("admin")
def draw_sample(code: str):
    item = db.session.scalar(sa.select(University).where(University.code == code[:20]))
    if item is None:
        abort(404)
    size = _int_arg("size", 20, 0, 10**6)
    seed_text = (request.form.get("seed") or "").strip()
    try:
        seed = int(seed_text) if seed_text else None
    except ValueError:
        seed = -1
    try:
        sample = reports.draw_sample(item, _class_year_arg(), size, current_user, seed)
        return redirect(url_for("statistics.sample", sample_id=sample.id))
    except ServiceError as error:
        _fail(error)
    return redirect(url_for("statistics.university", code=item.code))


@bp.route("/samples/<int:sample_id>", methods=["GET", "POST"])
@access("admin")
def sample(sample_id: int):
    item = db.session.get(VerificationSample, sample_id)
    if item is None:
        abort(404)
    if request.method == "POST":
        try:
            if "veto" in request.form:
                reports.decide_veto(item, request.form.get("veto", ""), request.form.get("veto_note", ""), current_user)
            else:
                entry = db.session.get(SampleItem, _int_arg("item", 0, 0, 2**31 - 1))
                if entry is None or entry.sample_id != item.id:
                    abort(404)
                reports.record_verdict(
                    entry, request.form.get("verdict", ""), request.form.get("note", ""), current_user
                )
            flash(_("已保存。"), "success")
        except ServiceError as error:
            _fail(error)
        return redirect(url_for("statistics.sample", sample_id=item.id))
    university = db.session.get(University, item.university_id)
    return _no_store(
        render_template(
            "statistics/sample.html",
            sample=item,
            university=university,
            category=category,
            reproducible=reports.sample_ids(university, item.class_year, item.size, item.seed),
        )
    )


@bp.app_template_global()
def destination_label(code: str) -> str:
    cat = category(code)
    if cat is None:
        return code
    return cat.english if _english() else cat.label


@bp.app_template_global()
def college_name(college_id: int | None) -> str:
    if college_id is None:
        return "—"
    college = db.session.get(College, college_id)
    return college.name if college else "—"


@bp.app_template_global()
def stat_label(kind: str, key: str) -> str:
    """The user's-language label of a statistics status, state, verdict or cadence."""
    return str(LABELS.get(kind, {}).get(key, key))
