"""Panel results: aggregation rules, vetoes, spread, ranks, grades, self-assessments, leniency."""

from __future__ import annotations

import itertools

import pytest

from inspect_kit.domain.panel import (
    aggregate,
    competition_ranks,
    compute_panel,
    rater_totals_text,
)
from inspect_kit.domain.panel_figures import (
    band_counts,
    deductions,
    grade_counts,
    items_by_loss,
    median_profile,
    section_ratios,
)
from inspect_kit.domain.panel_rounds import counted_records, newest_round
from inspect_kit.formfiles.loader import parse_form_text

FORM_YAML = """
form: panel-test
version: 1
title: 合议测试表
subject: education-base
total: 100
bonus_cap: 5
grades:
  - {grade: 优秀, min: 90, section_min: 0.6}
  - {grade: 良好, min: 80, section_min: 0.6}
  - {grade: 合格, min: 60}
  - {grade: 不合格, min: 0}
veto_grade: 不合格
panel: {method: %(method)s, trim: 1, min_raters: 5, max_spread: 15, veto: %(veto)s}
sections:
  - id: a
    title: 一、阵地
    points: 60
    items:
      - {id: a1, type: score, text: 阵地建设, max: 60}
  - id: b
    title: 二、活动
    points: 40
    items:
      - {id: b1, type: score, text: 活动开展, max: 40}
  - id: plus
    title: 加分项
    bonus: true
    items:
      - {id: award, type: number, text: 表彰次数, per: 1, max: 5}
vetoes:
  - {id: safety, text: 发生安全责任事故}
"""


def make_form(method: str = "trimmed-mean", veto: str = "any"):
    return parse_form_text(FORM_YAML % {"method": method, "veto": veto}, "panel-test.yaml")


_uuids = itertools.count(1)


def record(
    subject: str,
    rater: str,
    a: float,
    b: float,
    *,
    bonus: float = 0.0,
    vetoes: tuple[tuple[str, str], ...] = (),
    role: str = "inspector",
    status: str = "final",
    round_: str = "2026",
    revision: int = 1,
    uuid: str | None = None,
    lost: dict[str, float] | None = None,
) -> dict:
    total = round(a + b, 1)
    lost = lost or {}
    return {
        "uuid": uuid or f"u{next(_uuids)}",
        "revision": revision,
        "form": "panel-test",
        "form_version": 1,
        "round": round_,
        "subject": subject,
        "subject_name": f"{subject}名称",
        "rater": rater,
        "role": role,
        "status": status,
        "finalized_at": f"2026-05-0{revision}",
        "answers": {
            k: {"value": 60 - v, "na": False, "note": f"{rater}的理由"} for k, v in lost.items()
        },
        "score": {
            "total": total,
            "bonus": bonus,
            "final": round(total + bonus, 1),
            "grade": "合格",
            "sections": [
                {"id": "a", "bonus": False, "scaled": a, "points": 60},
                {"id": "b", "bonus": False, "scaled": b, "points": 40},
                {"id": "plus", "bonus": True, "scaled": bonus, "points": 0},
            ],
            "items": {k: {"lost": v, "points": 60 - v, "max": 60} for k, v in lost.items()},
            "vetoes": [
                {"id": vid, "text": "发生安全责任事故", "note": note, "source": "veto"}
                for vid, note in vetoes
            ],
        },
    }


FIVE = [("甲", 50, 30), ("乙", 52, 30), ("丙", 54, 30), ("丁", 56, 30), ("戊", 40, 5)]
"""Totals 80, 82, 84, 86 and one far-off rater at 45."""


def test_trimmed_mean_drops_highest_and_lowest_and_flags_spread():
    form = make_form()
    records = [
        record("s1", r, a, b, bonus=bo) for (r, a, b), bo in zip(FIVE, [1, 2, 3, 4, 5], strict=True)
    ]
    s = compute_panel(form, records, "2026").subjects[0]
    # Totals 80 82 84 86 45: drop 86 and 45 -> (80 + 82 + 84) / 3 = 82
    assert s.method == "trimmed-mean"
    assert s.total == 82.0
    assert sorted(s.dropped) == ["丁", "戊"]
    # Bonus aggregated the same way (drop 5 and 1 -> 3), added after the total.
    assert s.bonus == 3.0
    assert s.final == 85.0
    assert s.spread == 41.0 and s.spread_flag
    assert s.sd == pytest.approx(17.14, abs=0.01)  # sample SD of the five totals
    # Sections by the same rule: a = 50 52 54 56 40 -> (50+52+54)/3; b = 30 x4 and 5 -> 30
    assert s.section("a").value == 52.0
    assert s.section("b").value == 30.0
    assert s.grade == "良好"
    assert rater_totals_text(s) == "(86.0) 84.0 82.0 (45.0) 80.0"  # rater order: 丁 丙 乙 戊 甲


def test_fewer_than_min_raters_falls_back_to_mean():
    form = make_form()
    records = [record("s1", r, a, b) for r, a, b in FIVE[:4]]  # 80 82 84 86
    s = compute_panel(form, records, "2026").subjects[0]
    assert s.method == "mean"
    assert s.total == 83.0
    assert s.dropped == ()
    assert not s.spread_flag  # 6 points <= 15


def test_median_rule():
    form = make_form("median")
    records = [record("s1", r, a, b) for r, a, b in FIVE]
    s = compute_panel(form, records, "2026").subjects[0]
    assert s.method == "median"
    assert s.total == 82.0  # median of 45 80 82 84 86


def test_aggregate_edge_cases():
    assert aggregate([70, 90], "trimmed-mean", trim=1, min_raters=2) == (80.0, "mean", ())
    assert aggregate([1, 2, 3, 4, 100], "mean") == (22.0, "mean", ())
    value, used, dropped = aggregate([5, 1, 9, 3, 7], "trimmed-mean", 1, 5)
    assert (value, used, dropped) == (5.0, "trimmed-mean", (1, 2))


def test_any_rater_veto_applies_with_who_and_note():
    form = make_form()
    records = [record("s1", r, 58, 38) for r in "甲乙丙"]
    records.append(record("s1", "丁", 58, 38, vetoes=(("safety", "消防通道堵塞"),)))
    s = compute_panel(form, records, "2026").subjects[0]
    assert s.vetoed
    assert s.grade == "不合格"
    (veto,) = s.vetoes
    assert veto.raters == ("丁",)
    assert veto.raised_by[0].note == "消防通道堵塞"
    assert "丁" in s.grade_reason


def test_majority_veto_needs_more_than_half():
    form = make_form(veto="majority")
    one = [record("s1", r, 58, 38, vetoes=(("safety", ""),) if r == "甲" else ()) for r in "甲乙丙"]
    s = compute_panel(form, one, "2026").subjects[0]
    assert not s.vetoed and s.grade == "优秀"
    assert s.vetoes[0].applies is False and s.vetoes[0].raters == ("甲",)
    two = [record("s2", r, 58, 38, vetoes=(("safety", ""),) if r != "丙" else ()) for r in "甲乙丙"]
    s2 = compute_panel(form, two, "2026").subjects[0]
    assert s2.vetoed and s2.grade == "不合格"


def test_ties_share_a_rank_and_vetoed_subjects_rank_last():
    form = make_form()
    records = [
        record("s1", "甲", 50, 30),
        record("s2", "甲", 50, 30),
        record("s3", "甲", 40, 30),
        record("s4", "甲", 55, 30),
        record("s5", "甲", 58, 39, vetoes=(("safety", ""),)),
    ]
    panel = compute_panel(form, records, "2026")
    assert [(s.subject, s.rank) for s in panel.subjects] == [
        ("s4", 1),
        ("s1", 2),
        ("s2", 2),
        ("s3", 4),
        ("s5", 5),
    ]
    assert competition_ranks([9, 8, 8, 8, 7, 7, 1]) == [1, 2, 2, 2, 5, 5, 7]


def test_section_min_lowers_the_grade():
    form = make_form()
    records = [record("s1", "甲", 60, 22, bonus=5), record("s1", "乙", 60, 22, bonus=5)]
    s = compute_panel(form, records, "2026").subjects[0]
    # 82 + 5 = 87 reaches 良好, but b is 22/40 = 55% < 60%
    assert s.band == "良好" and s.grade == "合格"
    assert "二、活动" in s.grade_reason


def test_self_assessment_is_kept_apart():
    form = make_form()
    records = [record("s1", r, 50, 30) for r in "甲乙丙"]
    records.append(record("s1", "本单位自评", 60, 40, role="self"))
    records.append(record("s9", "另一单位自评", 60, 40, role="self"))
    panel = compute_panel(form, records, "2026")
    (s,) = panel.subjects
    assert s.total == 80.0 and s.rater_count == 3
    assert [x.final for x in s.self_assessments] == [100.0]
    assert [x.rater for x in panel.self_only] == ["另一单位自评"]
    assert panel.sheets == 3 and "本单位自评" not in panel.raters


def test_only_newest_final_revisions_count():
    form = make_form()
    records = [
        record("s1", "甲", 50, 30, uuid="x", revision=1),
        record("s1", "甲", 55, 30, uuid="x", revision=2),  # amended: this one counts
        record("s1", "乙", 40, 30, uuid="y", revision=1),
        record("s1", "乙", 40, 30, uuid="y", revision=2, status="void"),  # voided: gone
        record("s1", "丙", 10, 10, round_="2025"),
    ]
    panel = compute_panel(form, records, "2026")
    (s,) = panel.subjects
    assert s.rater_totals == (85.0,)
    assert newest_round(records, "panel-test") == "2026"
    assert len(counted_records(records, "panel-test", "2025")) == 1


def test_leniency_is_mean_deviation_from_subject_median():
    form = make_form()
    records = []
    for subject, totals in {"s1": (80, 84, 90), "s2": (70, 70, 76)}.items():
        for rater, total in zip("甲乙丙", totals, strict=True):
            records.append(record(subject, rater, total - 30, 30))
    panel = compute_panel(form, records, "2026")
    lean = {x.rater: x.deviation for x in panel.leniency}
    # s1 median 84: -4, 0, +6; s2 median 70: 0, 0, +6
    assert lean == {"甲": -2.0, "乙": 0.0, "丙": 6.0}
    assert panel.leniency[0].rater == "丙"


def test_chart_figures_band_counts_ratios_items_and_deductions():
    form = make_form()
    records = []
    for subject, (a, b) in {"s1": (58, 38), "s2": (50, 32), "s3": (45, 25), "s4": (30, 20)}.items():
        records.append(record(subject, "甲", a, b, lost={"a1": 60 - a}))
        records.append(record(subject, "乙", a, b, lost={"a1": 60 - a}))
    panel = compute_panel(form, records, "2026")
    counts = {c.grade: c.count for c in band_counts(form, panel)}
    assert counts == {"优秀": 1, "良好": 1, "合格": 1, "不合格": 1}
    assert [(c.low, c.high) for c in band_counts(form, panel)] == [
        (90, 105),
        (80, 90),
        (60, 80),
        (0, 60),
    ]
    assert grade_counts(form, panel) == counts
    assert section_ratios(panel)["b"] == [0.95, 0.8, 0.625, 0.5]
    assert median_profile(panel)["a"] == pytest.approx((50 / 60 + 45 / 60) / 2, abs=1e-4)
    (loss,) = items_by_loss(form, records, "2026")
    assert loss.id == "a1" and loss.mean_lost == pytest.approx((2 + 10 + 15 + 30) / 4)
    assert loss.sheets == 8 and loss.sheets_losing == 8
    found = deductions(form, records, "2026", "s2")
    assert sorted((d.rater, d.lost, d.note) for d in found) == [
        ("乙", 10, "乙的理由"),
        ("甲", 10, "甲的理由"),
    ]


def test_to_dict_is_json_ready():
    import json

    form = make_form()
    records = [record("s1", r, a, b) for r, a, b in FIVE]
    data = compute_panel(form, records, "2026").to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert '"rank": 1' in text and data["subjects"][0]["spread_flag"] is True
    assert data["subjects"][0]["rater_count"] == 5


# ---------------------------------------------------------------- `inspect-kit panel`


@pytest.fixture
def demo_root(tmp_path):
    from click.testing import CliRunner

    from inspect_kit.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "--workspace",
            str(tmp_path),
            "demo",
            "--subjects",
            "3",
            "--raters",
            "5",
            "--rounds",
            "2",
            "--form",
            "edu-base-inspection",
        ],
    )
    assert result.exit_code == 0, result.output
    return tmp_path


def _panel_cli(root, *args):
    from click.testing import CliRunner

    from inspect_kit.cli import cli

    return CliRunner().invoke(cli, ["--workspace", str(root), "panel", *args])


def test_panel_command_prints_the_ranked_table(demo_root):
    import json

    from inspect_kit.base.paths import Workspace
    from inspect_kit.store.store import Store

    result = _panel_cli(demo_root, "edu-base-inspection", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    records = Store(Workspace(demo_root)).submissions(form="edu-base-inspection")
    newest = max(r["round"] for r in records)
    assert data["round"] == newest  # default: the newest round with sheets
    assert [s["rank"] for s in data["subjects"]] == sorted(s["rank"] for s in data["subjects"])
    assert len(data["subjects"]) == 3 and data["sheets"] == 15

    table = _panel_cli(demo_root, "edu-base-inspection")
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    for s in data["subjects"]:
        row = next(line for line in lines if s["subject_name"] in line)
        assert row.split()[0] == str(s["rank"])
        assert f"{s['final']:g}" in row
    assert "评委宽严度" in table.output

    older = str(int(newest) - 1)
    assert (
        json.loads(_panel_cli(demo_root, "edu-base-inspection", "--round", older, "--json").output)[
            "round"
        ]
        == older
    )


def test_panel_command_without_data_says_so(demo_root):
    result = _panel_cli(demo_root, "four-oclock-school")
    assert result.exit_code == 0
    assert "还没有已提交的评分表" in result.output
    wrong_round = _panel_cli(demo_root, "edu-base-inspection", "--round", "1999")
    assert wrong_round.exit_code == 1 and "1999" in wrong_round.output
    assert "有数据的轮次" in wrong_round.output
    assert "Traceback" not in wrong_round.output
