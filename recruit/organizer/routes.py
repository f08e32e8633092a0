"""Organizers' pages: imports and exports, supply and demand by major, key-group case records.

Organizers work on their own university; admins pick one with ``?university=CODE``.
Graduates of another university answer 404.
"""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from recruit.access import access
from recruit.core import spreadsheets
from recruit.core.errors import ServiceError
from recruit.core.paging import page_arg, paginate
from recruit.core.scope import university_for
from recruit.matchmaking.services import top_match_scores
from recruit.organizer import charts, exporters, import_jobs, importers, services
from recruit.organizer.forms import ImportForm, NoteForm, RecommendForm
from recruit.validation import LIMITS

bp = Blueprint("organizer", __name__, url_prefix="/org")
WHATS = ("graduates", "postings")
KEY_GROUP_PAGE_SIZE = 50
GROUP_LABELS = {"low_income": _l("低收入家庭"), "ethnic_minority": _l("少数民族"), "disability": _l("残疾")}


def _university():
    """The university of this request (None for an admin who has not chosen one)."""
    return university_for(current_user, request.args.get("university"))


def _scope_args(university) -> dict:
    return {"university": university.code} if current_user.role == "admin" and university else {}


def _download(data: bytes, fmt: str, name: str):
    response = send_file(
        io.BytesIO(data), mimetype=spreadsheets.MIMETYPES[fmt], as_attachment=True, download_name=f"{name}.{fmt}"
    )
    response.headers["Content-Type"] = spreadsheets.MIMETYPES[fmt]  # send_file would add a second charset
    response.headers["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------ imports and exports


@bp.route("/imports")
@access("admin", "organizer")
def imports():
    university = _university()
    return render_template(
        "organizer/imports.html",
        university=university,
        universities=services.universities(),
        forms=_import_forms(),
        report=None,
        report_what=None,
        scope=_scope_args(university),
        **_jobs(),
    )


def _jobs() -> dict:
    """The user's recent background imports, with their progress as shown."""
    jobs = import_jobs.recent_jobs(current_user)
    return {"jobs": jobs, "live": {job.id: import_jobs.live(job) for job in jobs}}


def _import_forms(**given) -> dict:
    """One upload form per database, prefixed (``graduates-file``, ``postings-file``)."""
    return {what: given.get(what) or ImportForm(prefix=what, formdata=None) for what in WHATS}


@bp.route("/imports/<what>", methods=["POST"])
@access("admin", "organizer")
def upload(what: str):
    if what not in WHATS:
        abort(404)
    university = _university()
    form = ImportForm(prefix=what)
    report = None
    if what == "graduates" and university is None:
        flash(_("请先选择学校。"), "error")
    elif form.validate_on_submit():
        upload_file = form.file.data
        data = upload_file.read()
        name = upload_file.filename or ""
        if not data:
            form.file.errors = [*form.file.errors, _("上传的文件是空的。")]
        elif import_jobs.is_large(data):
            job = import_jobs.start(what, data, name, current_user, university)
            return redirect(url_for("organizer.import_job", job_id=job.id))
        elif what == "graduates":
            report = importers.import_graduates(data, name, university)
        else:
            report = importers.import_postings(data, name, user=current_user)
        if report is not None:
            flash(report.summary(), "success" if report.ok else "error")
    else:
        # The file's errors show next to the field (once); only others (CSRF) are flashed.
        for field_name, errors in form.errors.items():
            if field_name != "file":
                for error in errors:
                    flash(error, "error")
    status = 422 if form.file.errors or (report is not None and not report.ok) else 200
    return render_template(
        "organizer/imports.html",
        university=university,
        universities=services.universities(),
        forms=_import_forms(**{what: form}),
        report=report,
        report_what=what,
        scope=_scope_args(university),
        **_jobs(),
    ), status


@bp.route("/imports/jobs/<int:job_id>")
@access("admin", "organizer")
def import_job(job_id: int):
    """A background import: progress while it runs (the page refreshes itself), then the result."""
    job = import_jobs.visible_job(job_id, current_user) or abort(404)
    progress = import_jobs.live(job)
    return render_template(
        "organizer/import_job.html", job=job, percent=progress.percent, interrupted=progress.interrupted
    )


@bp.route("/templates/<what>.<fmt>")
@access("admin", "organizer")
def template(what: str, fmt: str):
    if what not in WHATS or fmt not in spreadsheets.FORMATS:
        abort(404)
    name = "毕业生求职意愿导入模板" if what == "graduates" else "用人单位岗位导入模板"
    return _download(exporters.template(what, fmt), fmt, name)


@bp.route("/exports/<what>.<fmt>")
@access("admin", "organizer")
def export(what: str, fmt: str):
    if what not in WHATS or fmt not in spreadsheets.FORMATS:
        abort(404)
    if what == "postings":
        data = spreadsheets.render(fmt, exporters.posting_headers(), exporters.posting_rows(), title="用人单位需求库")
        return _download(data, fmt, "用人单位需求库")
    university = _university()
    if university is None:
        flash(_("请先选择学校。"), "error")
        return redirect(url_for("organizer.imports"))
    # Key-group flags: the organizer's own data (and the province admin's), in this export only.
    data = spreadsheets.render(
        fmt, exporters.graduate_headers(True), exporters.graduate_rows(university, True), title="毕业生求职意愿库"
    )
    return _download(data, fmt, f"毕业生求职意愿库-{university.code}")


# ------------------------------------------------------------------ supply and demand


def _supply_demand_rows():
    university = _university()
    threshold = services.DEFAULT_THRESHOLD
    try:
        threshold = services.parse_threshold(request.args.get("threshold"))
    except ServiceError as error:
        flash(_(error.message), "error")
    if university is None:
        return None, threshold, []
    return university, threshold, services.supply_demand(university, threshold)


def _grouping() -> str:
    """``?group=class`` groups supply and demand by 专业类; anything else is by major."""
    return "class" if request.args.get("group") == "class" else "major"


@bp.route("/supply-demand")
@access("admin", "organizer")
def supply_demand():
    university, threshold, rows = _supply_demand_rows()
    group = _grouping()
    groups = services.supply_demand_by_class(rows) if group == "class" else []
    chart = None
    if university:
        chart = (
            charts.rate_bars(groups, title=_("各专业类匹配率（最差在前）"), label="major_class")
            if group == "class"
            else charts.rate_bars(rows, title=_("各专业匹配率（最差在前）"))
        )
    return render_template(
        "organizer/supply_demand.html",
        university=university,
        universities=services.universities(),
        threshold=threshold,
        rows=rows,
        groups=groups,
        group=group,
        chart=chart,
        outside=services.majors_outside_catalogue(rows),
        scope=_scope_args(university),
    )


@bp.route("/supply-demand.<fmt>")
@access("admin", "organizer")
def supply_demand_export(fmt: str):
    if fmt not in spreadsheets.FORMATS:
        abort(404)
    university, threshold, rows = _supply_demand_rows()
    if university is None:
        flash(_("请先选择学校。"), "error")
        return redirect(url_for("organizer.supply_demand"))
    if _grouping() == "class":
        table = services.supply_demand_class_table(services.supply_demand_by_class(rows))
        data = spreadsheets.render(fmt, services.SUPPLY_DEMAND_CLASS_HEADERS, table, title="供需分析（按专业类）")
        return _download(data, fmt, f"供需分析-专业类-{university.code}-阈值{threshold}")
    data = spreadsheets.render(
        fmt, services.SUPPLY_DEMAND_HEADERS, services.supply_demand_table(rows), title="供需分析"
    )
    return _download(data, fmt, f"供需分析-{university.code}-阈值{threshold}")


# ------------------------------------------------------------------ key groups (一人一档)


@bp.route("/key-group")
@access("admin", "organizer")
def key_group():
    university = _university()
    group = request.args.get("group") if request.args.get("group") in GROUP_LABELS else None
    q = (request.args.get("q") or "").strip()[: LIMITS["short"]]
    page = page_arg()
    graduates, total, notes, recs, scores = [], 0, {}, {}, {}
    if university is not None:
        pages = paginate(services.key_group_graduates(university, group=group, q=q), KEY_GROUP_PAGE_SIZE, page)
        graduates, total = pages.items, pages.total
        notes, recs = services.case_counts([g.id for g in graduates])
        scores = top_match_scores(graduates)
    return render_template(
        "organizer/key_group.html",
        university=university,
        universities=services.universities(),
        graduates=graduates,
        total=total,
        page=page,
        page_size=KEY_GROUP_PAGE_SIZE,
        group=group,
        q=q,
        notes=notes,
        recs=recs,
        scores=scores,
        group_labels=GROUP_LABELS,
        scope=_scope_args(university),
    )


def _case_graduate(graduate_id: int):
    return services.get_key_group_graduate(graduate_id, current_user) or abort(404)


@bp.route("/key-group/<int:graduate_id>")
@access("admin", "organizer")
def key_group_detail(graduate_id: int):
    graduate = _case_graduate(graduate_id)
    return _render_detail(graduate, NoteForm(formdata=None), RecommendForm(formdata=None))


def _render_detail(graduate, note_form, recommend_form, status: int = 200):
    matches = services.top_matches(graduate)
    recommended_ids = {p.id for _r, p in services.recommendations(graduate)}
    return render_template(
        "organizer/key_group_detail.html",
        graduate=graduate,
        matches=matches,
        notes=services.case_notes(graduate),
        recommendations=services.recommendations(graduate),
        recommended_ids=recommended_ids,
        note_form=note_form,
        recommend_form=recommend_form,
        scope=_scope_args(graduate.university),
    ), status


@bp.route("/key-group/<int:graduate_id>/notes", methods=["POST"])
@access("admin", "organizer")
def add_note(graduate_id: int):
    graduate = _case_graduate(graduate_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            services.add_note(graduate, current_user, form.body.data)
        except ServiceError as error:
            form.body.errors = [*form.body.errors, _(error.message)]
        else:
            flash(_("已保存跟进记录。"), "success")
            return redirect(url_for("organizer.key_group_detail", graduate_id=graduate.id))
    return _render_detail(graduate, form, RecommendForm(formdata=None), 422)


@bp.route("/key-group/<int:graduate_id>/recommend", methods=["POST"])
@access("admin", "organizer")
def recommend(graduate_id: int):
    graduate = _case_graduate(graduate_id)
    form = RecommendForm()
    if form.validate_on_submit():
        try:
            _rec, posting = services.recommend(graduate, form.posting_id.data, current_user, form.note.data)
        except ServiceError as error:
            flash(_(error.message), "error")
        else:
            flash(_("已向 %(name)s 优先推荐「%(title)s」。", name=graduate.name, title=posting.title), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("organizer.key_group_detail", graduate_id=graduate.id))


@bp.route("/key-group/<int:graduate_id>/recommendations/<int:posting_id>/withdraw", methods=["POST"])
@access("admin", "organizer")
def withdraw_recommendation(graduate_id: int, posting_id: int):
    graduate = _case_graduate(graduate_id)
    if services.withdraw_recommendation(graduate, posting_id):
        flash(_("已撤回推荐。"), "success")
    else:
        flash(_("没有找到这条推荐。"), "error")
    return redirect(url_for("organizer.key_group_detail", graduate_id=graduate.id))
