"""The province summary's table (written as CSV or XLSX by :mod:`recruit.core.spreadsheets`)."""

from __future__ import annotations

from datetime import date

from recruit.compliance.services import province_rows

HEADERS = [
    "高校代码",
    "高校名称",
    "周达标（已举办）",
    "周已满足（含已安排）",
    "应办周数",
    "月达标（已举办）",
    "月已满足（含已安排）",
    "应办月数",
    "未达标期数",
    "有风险期数",
    "14天内有风险",
    "是否达标",
    "结论",
    "已核实场次",
    "签到不足场次",
]
VERDICTS = {"met": "达标", "at_risk": "有风险", "missed": "未达标"}


def summary_rows(results, today: date) -> list[list]:
    rows = []
    for r in province_rows(results, today):
        u = r["university"]
        rows.append(
            [
                u.code,
                u.name,
                r["weeks_met"],
                r["weeks_ok"],
                r["weeks_required"],
                r["months_met"],
                r["months_ok"],
                r["months_required"],
                r["missed"],
                r["at_risk"],
                r["at_risk_soon"],
                "是" if r["compliant"] else "否",
                VERDICTS[r["verdict"]],
                r["verified"],
                r["below"],
            ]
        )
    return rows
