"""The demo has a university whose gaps all lie ahead: the gap planner closes them."""

from __future__ import annotations

import time_machine

from recruit.demo.data import load_demo


def test_planner_makes_the_demo_gap_university_compliant(app, runner):
    with time_machine.travel("2026-11-27 09:00 +0800", tick=False):
        load_demo()
        before = runner.invoke(
            args=["compliance", "report", "--season", "2026-autumn", "--university", "GZMU", "--format", "json"]
        )
        assert before.exit_code == 0, before.output
        assert '"compliant": false' in before.output
        applied = runner.invoke(
            args=["compliance", "plan", "--season", "2026-autumn", "--university", "GZMU", "--apply"]
        )
        assert applied.exit_code == 0, applied.output
        after = runner.invoke(
            args=["compliance", "report", "--season", "2026-autumn", "--university", "GZMU", "--format", "json"]
        )
        assert '"compliant": true' in after.output, after.output
