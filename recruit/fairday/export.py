"""The post-fair reports' table (written as CSV or XLSX by :mod:`recruit.core.spreadsheets`)."""

from __future__ import annotations

from recruit.timeutil import format_datetime

HEADERS = [
    "招聘会编号",
    "高校代码",
    "高校名称",
    "招聘会",
    "类型",
    "开始时间",
    "状态",
    "报告状态",
    "通过单位数",
    "签到单位数",
    "报名毕业生数",
    "签到毕业生数",
    "岗位数",
    "招聘人数",
    "现场投递数",
    "现场面试邀请数",
    "组织方备注",
]
KINDS = {"special": "中小型专场招聘会", "large": "大型综合招聘会"}
STATUSES = {"draft": "草稿", "scheduled": "已发布", "held": "已举办", "cancelled": "已取消"}


def report_rows(items) -> list[list]:
    """``items``: (fair, figures, report or None). Applications and invitations stay empty until
    the applications feature records them (never a made-up 0)."""
    rows = []
    for fair, figures, report in items:
        closed = report is not None and report.closed_at is not None
        rows.append(
            [
                fair.id,
                fair.university.code,
                fair.university.name,
                fair.title,
                KINDS.get(fair.kind, fair.kind),
                format_datetime(fair.starts_at),
                STATUSES.get(fair.status, fair.status),
                "已关闭" if closed else "未关闭",
                figures["employers_registered"],
                figures["employers_checked_in"],
                figures["graduates_signed_up"],
                figures["graduates_checked_in"],
                figures["postings"],
                figures["headcount"],
                "" if figures["applications_at_fair"] is None else figures["applications_at_fair"],
                "" if figures["invitations_at_fair"] is None else figures["invitations_at_fair"],
                report.notes if report is not None else "",
            ]
        )
    return rows
