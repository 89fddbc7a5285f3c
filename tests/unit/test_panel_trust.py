"""A panel's trust figures on real panels: agreement (checked against an independent
computation), the 稳健性 table, conflicts of interest (回避) and the re-score round."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

from inspect_kit.cli import cli
from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.domain.panel import compute_panel
from inspect_kit.domain.panel_agreement import round_agreement
from inspect_kit.domain.panel_rounds import counted_docs
from inspect_kit.domain.panel_view import panel_view
from inspect_kit.domain.robustness import robustness
from inspect_kit.domain.trust_text import robustness_lines
from inspect_kit.formfiles.catalog import FormCatalog
from inspect_kit.formfiles.loader import parse_form_text
from inspect_kit.services.conflicts import ConflictError, ConflictsService
from inspect_kit.services.panels import PanelsService
from tests.unit.test_panel import make_form, record

FORM = "five-good-committee"


def icc_numpy(x: np.ndarray) -> tuple[float, float]:
    """Shrout & Fleiss ICC(2,1), ICC(2,k) by matrix algebra, written apart from the kit's."""
    n, k = x.shape
    grand = x.mean()
    bms = k * ((x.mean(axis=1) - grand) ** 2).sum() / (n - 1)
    jms = n * ((x.mean(axis=0) - grand) ** 2).sum() / (k - 1)
    resid = x - x.mean(axis=1, keepdims=True) - x.mean(axis=0, keepdims=True) + grand
    ems = (resid**2).sum() / ((n - 1) * (k - 1))
    return ((bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n),
            (bms - ems) / (bms + (jms - ems) / n))  # fmt: skip


@pytest.fixture
def demo_ws(workspace, store):
    forms = [f for f in demo_forms() if f.form.form == FORM]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=6, raters=5, rounds=1, seed=11,
                                                   drafts=0, self_assessments=1))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    return workspace


def run(workspace, *args: str):
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_panel_json_agreement_matches_an_independent_computation(demo_ws, store):
    data = json.loads(run(demo_ws, "panel", FORM, "--json"))
    agreement = data["agreement"]
    subjects = sorted(data["subjects"], key=lambda s: s["subject"])
    raters = sorted(data["raters"])
    totals = np.array([[next(x["total_exact"] for x in s["sheets"] if x["rater"] == r)
                        for r in raters] for s in subjects])  # fmt: skip
    icc1, icck = icc_numpy(totals)
    total = agreement["total"]
    assert total["icc"]["icc1"] == pytest.approx(icc1, abs=1e-9)
    assert total["icc"]["icck"] == pytest.approx(icck, abs=1e-9)
    assert total["complete"] is True and total["icc"]["raters"] == 5
    low, high = total["icc"]["icc1_ci"]
    assert low < total["icc"]["icc1"] < high
    # Alpha: the `krippendorff` package (independent), on the totals and on every item.
    kd = pytest.importorskip("krippendorff")
    assert agreement["total_alpha"] == pytest.approx(
        kd.alpha(reliability_data=totals.T, level_of_measurement="interval"), abs=1e-9)  # fmt: skip
    docs = [d for d in store.submissions(form=FORM) if d.get("role") != "self"]
    checked = 0
    for item in agreement["items"]:
        if item["alpha"] is None:
            continue
        table = [[math.nan] * len(subjects) for _ in raters]
        for d in docs:
            entry = d["score"]["items"][item["id"]]
            if not entry.get("na") and entry.get("points") is not None:
                table[raters.index(d["rater"])][[s["subject"] for s in subjects].index(
                    d["subject"])] = entry["points"]  # fmt: skip
        expected = kd.alpha(reliability_data=table, level_of_measurement=item["level"])
        assert item["alpha"] == pytest.approx(expected, abs=1e-9), item["id"]
        checked += 1
    assert checked >= 5
    assert {"robustness", "conflicts"} <= data.keys() and len(data["robustness"]) == 6


AMBIGUOUS_YAML = """
form: ambiguous
version: 1
title: 一项含糊的表
subject: committee
total: 30
grades:
  - {grade: 好, min: 20}
  - {grade: 差, min: 0}
panel: {method: mean, trim: 1, min_raters: 3, max_spread: 30, veto: any}
sections:
  - id: s
    title: 一、工作
    points: 30
    items:
"""


CHOICE = (
    "      - {id: %s, type: choice, text: %s, options: "
    "[{label: 有, points: 10}, {label: 部分, points: 5}, {label: 无, points: 0}]}\n"
)
ITEMS = (("clear1", "清楚的一项"), ("clear2", "另一清楚项"), ("vague", "工作有特色"))
AMBIGUOUS_YAML += "".join(CHOICE % pair for pair in ITEMS)


def _sheet(subject: str, rater: str, points: dict[str, float]) -> dict:
    total = sum(points.values())
    return {
        "uuid": f"{subject}-{rater}", "revision": 1, "form": "ambiguous", "round": "2026",
        "subject": subject, "subject_name": subject, "rater": rater, "role": "inspector",
        "status": "final", "finalized_at": "2026-05-01", "answers": {},
        "score": {"total": total, "bonus": 0, "final": total, "grade": "好",
                  "sections": [{"id": "s", "bonus": False, "scaled": total, "points": 30}],
                  "items": {k: {"points": v, "lost": 10 - v, "max": 10} for k, v in points.items()},
                  "vetoes": []},
    }  # fmt: skip


def test_the_one_ambiguous_item_is_listed_as_low_agreement():
    form = parse_form_text(AMBIGUOUS_YAML, "ambiguous.yaml")
    truth = {"s1": (10, 10), "s2": (5, 10), "s3": (0, 5), "s4": (10, 0), "s5": (5, 5)}
    vague = {"甲": [10, 0, 5, 10, 0], "乙": [0, 10, 10, 5, 5], "丙": [5, 5, 0, 0, 10]}
    docs = [
        _sheet(s, r, {"clear1": c1, "clear2": c2, "vague": vague[r][i]})
        for i, (s, (c1, c2)) in enumerate(truth.items())
        for r in ("甲", "乙", "丙")
    ]
    agreement = round_agreement(form, docs)
    by_id = {i.id: i for i in agreement.items}
    assert by_id["clear1"].alpha == pytest.approx(1) and by_id["clear2"].alpha == pytest.approx(1)
    assert [i.id for i in agreement.low_items] == ["vague"]
    assert by_id["vague"].reading == "poor" and by_id["vague"].level == "ordinal"
    # An N/A (甲 on s1) and a missing answer (乙 on s1) leave s1 one value: not pairable, so
    # it drops out and the alpha stands on the other 4 subjects × 3 raters.
    docs[0]["score"]["items"]["clear1"]["na"] = True
    del docs[1]["score"]["items"]["clear1"]
    again = {i.id: i for i in round_agreement(form, docs).items}
    assert again["clear1"].alpha == pytest.approx(1)
    assert (again["clear1"].units, again["clear1"].values) == (4, 12)


def test_an_incomplete_design_uses_the_complete_block_and_says_so():
    form = make_form("mean")
    docs = [record(s, r, 40 + i * 5 + j, 30) for i, s in enumerate(("s1", "s2", "s3"))
            for j, r in enumerate(("甲", "乙", "丙"))]  # fmt: skip
    docs.append(record("s4", "甲", 50, 30))  # only one rater scored s4
    agreement = round_agreement(form, counted_docs(docs))
    total = agreement.total
    assert not total.complete and total.block_subjects == ("s1", "s2", "s3")
    assert total.block_raters == ("丙", "乙", "甲") or set(total.block_raters) == {"甲", "乙", "丙"}
    assert total.subjects == 4 and agreement.total_alpha is not None


def test_one_raters_removal_changing_a_grade_shows_in_the_robustness_table():
    form = make_form("mean")  # 优秀 from 90 (sections at 60% or more)
    # s1: totals 92, 90, 88 -> mean 90 优秀; without 甲 (92) 89 -> 良好; without the others ≥ 90.
    docs = [record("s1", "甲", 56, 36), record("s1", "乙", 54, 36),
            record("s1", "丙", 52, 36), record("s2", "甲", 40, 30),
            record("s2", "乙", 41, 30), record("s2", "丙", 42, 30)]  # fmt: skip
    counted = counted_docs(docs)
    panel = compute_panel(form, counted, "2026")
    rows = {r.subject: r for r in robustness(form, counted, panel)}
    assert panel.subject("s1").grade == "优秀"
    assert rows["s1"].grade_changers == ("甲",) and not rows["s1"].grade_stable
    assert next(x for x in rows["s1"].without if x.rater == "甲").grade == "良好"
    assert rows["s2"].grade_stable and (rows["s2"].rank_low, rows["s2"].rank_high) == (2, 2)
    view = panel_view(form, docs, "2026")
    lines = robustness_lines(view)
    assert any("s1名称" in x and "去掉 甲 后等次变化（甲→良好）" in x for x in lines)
    assert any("s2名称" in x and "去掉任一评委后等次不变" in x for x in lines)
    # The same figures reach `panel --json` through the view.
    assert view.robustness == robustness(form, view.records, view.panel)


def test_a_declared_conflict_removes_exactly_that_sheet(demo_ws, store):
    panels = PanelsService(store, FormCatalog(demo_ws))
    before = panels.panel(FORM)
    subject = before.subjects[0]
    rater = subject.sheets[1].rater
    conflicts = ConflictsService(store, FormCatalog(demo_ws))
    conflicts.declare(FORM, subject.subject, rater, "亲属在该单位工作", "主任")
    after = panels.panel(FORM)
    changed = after.result(subject.subject)
    assert [s.rater for s in changed.sheets] == [
        s.rater for s in subject.sheets if s.rater != rater
    ]
    for other in before.subjects[1:]:
        assert after.result(other.subject).sheets == other.sheets
    assert [(d["subject"], d["rater"]) for d in after.conflicted] == [(subject.subject, rater)]
    assert after.conflicted[0]["conflict_reason"] == "亲属在该单位工作"
    assert len(store.submissions(form=FORM)) == len(before.records)  # the sheet is kept
    data = json.loads(run(demo_ws, "panel", FORM, "--json"))
    assert data["conflicts"] == [{"uuid": after.conflicted[0]["uuid"], "subject": subject.subject,
                                  "rater": rater, "reason": "亲属在该单位工作"}]  # fmt: skip
    text = run(demo_ws, "panel", FORM)
    assert f"回避：{rater}（亲属在该单位工作），其评分表不计入" in text
    # The meeting pack lists it, and marks it on the subject's page; its PDF shows it.
    from inspect_kit.pack.pack_data import PackOptions, pack_data

    pack = pack_data(after, PackOptions())
    uuid8 = after.conflicted[0]["uuid"][:8]
    assert pack["trust"]["conflicts"] == [[subject.subject_name, rater, "亲属在该单位工作", uuid8]]
    page = next(x for x in pack["subjects"] if x["id"] == subject.subject)
    assert ("回避", f"回避：{rater}（亲属在该单位工作），其评分表不计入") in page["facts"]
    assert rater not in [r["name"] for r in page["raters"]]
    with pytest.raises(ConflictError):
        conflicts.declare(FORM, subject.subject, rater, "again", "主任")
    conflicts.withdraw(FORM, subject.subject, rater, "登记错了", "主任")
    assert panels.panel(FORM).result(subject.subject).sheets == subject.sheets
    assert [e["event"] for e in store.events() if e["event"].startswith("conflict")] == [
        "conflict_declared", "conflict_withdrawn"]  # fmt: skip


def test_conflict_cli_declare_list_withdraw_and_refusals(demo_ws, store):
    sid = store.subjects()[0].id
    out = run(demo_ws, "panel", "conflict", "declare", FORM, sid, "--rater", "王建国",
              "--reason", "曾在该单位任职")  # fmt: skip
    assert "王建国" in out
    listed = json.loads(run(demo_ws, "panel", "conflict", "list", "--json"))
    assert [(c["subject"], c["rater"], c["reason"]) for c in listed] == [
        (sid, "王建国", "曾在该单位任职")]  # fmt: skip
    bad = CliRunner().invoke(cli, ["--workspace", str(demo_ws.root), "panel", "conflict",
                                   "declare", FORM, "no-such", "--rater", "王建国",
                                   "--reason", "x"])  # fmt: skip
    assert bad.exit_code == 1 and "no-such" in bad.output and "Traceback" not in bad.output
    bad = CliRunner().invoke(cli, ["--workspace", str(demo_ws.root), "panel", "conflict",
                                   "declare", FORM, sid, "--rater", "王建国",
                                   "--reason", " "])  # fmt: skip
    assert bad.exit_code == 1 and "理由" in bad.output
    run(
        demo_ws, "panel", "conflict", "withdraw", FORM, sid, "--rater", "王建国", "--reason", "撤回"
    )
    assert json.loads(run(demo_ws, "panel", "conflict", "list", "--json")) == []


def test_calibration_per_round_and_drift_worked_by_hand():
    from inspect_kit.domain.calibration import calibration

    # Round 2025: s1 totals 甲 80, 乙 84, 丙 82 (median 82); s2 甲 70, 乙 72, 丙 71 (median 71).
    #   甲 (−2 −1)/2 = −1.5; 乙 (+2 +1)/2 = +1.5; 丙 0.
    # Round 2026: s1 甲 86, 乙 82, 丙 84 (median 84): 甲 +2, 乙 −2, 丙 0 (乙 only s1 there).
    docs = [record("s1", "甲", 50, 30, round_="2025"), record("s1", "乙", 54, 30, round_="2025"),
            record("s1", "丙", 52, 30, round_="2025"), record("s2", "甲", 40, 30, round_="2025"),
            record("s2", "乙", 42, 30, round_="2025"), record("s2", "丙", 41, 30, round_="2025"),
            record("s1", "甲", 56, 30), record("s1", "乙", 52, 30),
            record("s1", "丙", 54, 30)]  # fmt: skip
    rows = {c.rater: c for c in calibration(docs, "panel-test", ["2025", "2026"])}
    assert [r.deviation for r in rows["甲"].rounds] == [-1.5, 2.0] and rows["甲"].drift == 3.5
    assert [r.deviation for r in rows["乙"].rounds] == [1.5, -2.0] and rows["乙"].drift == -3.5
    assert rows["丙"].drift == 0.0 and not rows["丙"].notable and rows["甲"].notable
    assert [r.subjects for r in rows["甲"].rounds] == [2, 1]
    # The newest round's figures are the panel's own leniency.
    panel = compute_panel(make_form("mean"), docs, "2026")
    assert {x.rater: x.deviation for x in panel.leniency} == {
        name: c.rounds[-1].deviation for name, c in rows.items()
    }


def test_panel_json_carries_calibration_across_rounds(workspace, store):
    forms = [f for f in demo_forms() if f.form.form == FORM]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=3, raters=4, rounds=2, seed=2,
                                                   drafts=0, self_assessments=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    data = json.loads(run(workspace, "panel", FORM, "--json"))
    assert len(data["calibration"]) == 4
    newest = {x["rater"]: x["deviation"] for x in data["leniency"]}
    for c in data["calibration"]:
        assert len(c["rounds"]) == 2 and c["rounds"][-1]["deviation"] == newest[c["rater"]]
        first, last = c["rounds"][0]["deviation"], c["rounds"][-1]["deviation"]
        assert c["drift"] == pytest.approx(last - first, abs=0.011)
    assert "评委宽严度随轮次变化" in run(workspace, "panel", FORM)


def test_the_xlsx_summary_leaves_a_conflicted_sheet_out_and_names_it(demo_ws, store):
    from inspect_kit.exports.xlsx_summary import summary, views_of

    records = store.submissions(form=FORM)
    forms = {sha: store.stored_form(sha) for sha in {r["form_sha256"] for r in records}}
    sid = records[0]["subject"]
    rater = next(r["rater"] for r in records if r["subject"] == sid and r.get("role") != "self")
    ConflictsService(store, FormCatalog(demo_ws)).declare(FORM, sid, rater, "回避理由", "主任")
    conflicts = PanelsService(store, FormCatalog(demo_ws)).conflicts(FORM)
    (view,) = views_of(records, forms, None, conflicts)
    assert rater not in [s.rater for s in view.result(sid).sheets]
    table = summary([view])
    row = next(r for r in table.rows if r[3] == sid)
    assert f"回避：{rater}（回避理由），其评分表不计入" in (row[table.headers.index("提示")] or "")
    # The same panel as the service's (one source for every view).
    assert view.result(sid).final == PanelsService(store, FormCatalog(demo_ws)).panel(
        FORM).result(sid).final  # fmt: skip
