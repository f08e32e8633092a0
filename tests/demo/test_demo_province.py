"""The ``province`` demo profile: about 75 universities with plausible, consistent data."""

from __future__ import annotations

import random

from recruit.demo import province, texts


def test_the_province_has_about_75_distinct_universities():
    specs = list(texts.UNIVERSITIES) + province.extra_specs(random.Random("t"))
    assert len(specs) == 75
    for key in ("code", "name"):
        assert len({s[key] for s in specs}) == 75, key
    extra = province.extra_specs(random.Random("t"))
    assert len({s["moe_code"] for s in extra} | set(province.DEMO_MOE.values())) == 75
    for spec in extra:
        assert spec["level"] in ("本科", "高职专科") and len(spec["moe_code"]) == 5 and spec["moe_code"].isdigit()
        assert spec["majors"] and all(m in texts.MAJOR_PROFILE for m in spec["majors"])
        assert spec["venues"] and all(capacity > 0 for _n, capacity, _a in spec["venues"])


def test_major_stats_add_up_to_the_graduating_class():
    rng = random.Random(1)
    for spec in list(texts.UNIVERSITIES) + province.extra_specs(random.Random("t")):
        rows = province.major_stats(spec, rng)
        assert sum(r["graduates"] for r in rows) == spec["graduates_count"], spec["code"]
        assert len({(r["major"], r["degree"]) for r in rows}) == len(rows)
        assert {r["major"] for r in rows} <= set(spec["majors"])


def test_the_profile_is_offered_on_the_command_line(runner):
    result = runner.invoke(args=["demo", "load", "--profile", "nowhere"])
    assert result.exit_code == 2 and "province" in result.output
