"""Office review of finalized sheets (issue 13, deliverable 6): submitted → approved or returned,
as signed events keyed by uuid + revision; `review: required` forms count approved sheets only;
decisions travel in bundles and conflicting ones are flagged, never lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspect_kit.base.errors import StoreError
from inspect_kit.base.paths import Workspace
from inspect_kit.cli import cli
from inspect_kit.domain.sheet_review import (
    APPROVED,
    RETURNED,
    approved_only,
    review_states,
    state_of,
)
from inspect_kit.store.store import Store

FORM = "edu-base-inspection"
REPO = Path(__file__).resolve().parents[2]


def required_form(root: Path) -> None:
    """The built-in form with `review: required`, as a workspace form (same id)."""
    text = (REPO / "forms" / f"{FORM}.yaml").read_text(encoding="utf-8")
    assert "\ndeduction_note:" in text
    (root / "forms").mkdir(parents=True, exist_ok=True)
    (root / "forms" / f"{FORM}.yaml").write_text(
        text.replace("\ndeduction_note:", "\nreview: required\ndeduction_note:"), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def demo_results(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["--workspace", str(root), "demo", "--subjects", "3",
                                      "--raters", "3", "--rounds", "1", "--seed", "4",
                                      "--form", FORM])  # fmt: skip
    assert result.exit_code == 0, result.output
    return root / "results"


def runner_for(root: Path):
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(cli, ["--workspace", str(root), *args])
        assert "Traceback" not in result.output
        assert result.exit_code == (0 if ok else 1), result.output
        return result

    invoke.root = root
    invoke.store = lambda: Store(Workspace(root))
    return invoke


@pytest.fixture
def laptop(tmp_path, demo_results):
    """The rater's laptop: the demo sheets, the form requiring review."""
    shutil.copytree(demo_results, tmp_path / "laptop" / "results")
    required_form(tmp_path / "laptop")
    return runner_for(tmp_path / "laptop")


@pytest.fixture
def office(tmp_path):
    (tmp_path / "office").mkdir()
    required_form(tmp_path / "office")
    return runner_for(tmp_path / "office")


def carry(source, target, name: str) -> str:
    """Export every sheet of `source` as a bundle and import it into `target`."""
    bundle = target.root.parent / name
    source("results", "export", "--format", "bundle", "--out", str(bundle))
    return target("results", "import", str(bundle)).output


def inspectors(store: Store) -> list[dict]:
    return [d for d in store.submissions(form=FORM) if d["role"] != "self"]


def panel_json(run) -> dict:
    return json.loads(run("panel", FORM, "--json").output)


def counted_uuids(data: dict) -> dict[str, int]:
    return {s["uuid"]: s["revision"] for subj in data["subjects"] for s in subj["sheets"]}


# ---------------------------------------------------------------- the state, pure


def _event(kind, uuid, rev, rid, replaces=(), reason="", at="2026-10-01T10:00:00+08:00"):
    return {"event": kind, "uuid": uuid, "revision": rev, "review_id": rid, "by": "李",
            "at": at, "replaces": list(replaces), "reason": reason}  # fmt: skip


def test_heads_decide_the_state_and_differing_heads_are_a_conflict():
    a = _event(APPROVED, "u1", 1, "a")
    r = _event(
        RETURNED, "u1", 1, "r", replaces=["a"], reason="理由", at="2026-10-02T10:00:00+08:00"
    )
    assert state_of(review_states([]), "u1", 1).state == "submitted"
    assert state_of(review_states([a]), "u1", 1).state == "approved"
    later = state_of(review_states([a, r]), "u1", 1)
    assert later.state == "returned" and later.reason == "理由" and len(later.history) == 2
    # Decided on two laptops without seeing each other: both kept, a conflict.
    other = _event(RETURNED, "u1", 1, "x", reason="别的理由")
    both = state_of(review_states([a, other]), "u1", 1)
    assert both.state == "conflict" and {d.id for d in both.heads} == {"a", "x"}
    # The same event imported twice is one decision; another revision is its own key.
    assert len(state_of(review_states([a, dict(a)]), "u1", 1).history) == 1
    assert state_of(review_states([a]), "u1", 2).state == "submitted"
    # Agreeing heads (two reviewers approved) are no conflict.
    assert state_of(review_states([a, _event(APPROVED, "u1", 1, "b")]), "u1", 1).state == "approved"


def test_approved_only_drops_every_revision_of_a_sheet_whose_newest_is_not_approved():
    docs = [
        {"uuid": "u1", "revision": 1, "status": "final", "form": FORM, "round": "2026"},
        {"uuid": "u1", "revision": 2, "status": "final", "form": FORM, "round": "2026"},
        {"uuid": "u2", "revision": 1, "status": "final", "form": FORM, "round": "2026"},
        {"uuid": "u3", "revision": 1, "status": "void", "form": FORM, "round": "2026"},
    ]
    states = review_states([_event(APPROVED, "u1", 1, "a"), _event(APPROVED, "u2", 1, "b")])
    kept, tally = approved_only(docs, states, FORM, "2026")
    # u1's approved revision 1 does not stand in for its revision 2 awaiting review.
    assert [(d["uuid"], d["revision"]) for d in kept] == [("u2", 1), ("u3", 1)]
    assert (tally.approved, tally.awaiting, tally.returned) == (1, 1, 0)


# ---------------------------------------------------------------- the store


def test_a_decision_is_a_signed_event_with_who_and_when(laptop):
    store = laptop.store()
    sheet = inspectors(store)[0]
    with pytest.raises(StoreError, match="理由"):
        store.review(sheet["uuid"], "returned", "办公室李", "")
    with pytest.raises(StoreError, match="审核人"):
        store.review(sheet["uuid"], "approved", "")
    doc, state = store.review(sheet["uuid"], "approved", "办公室李")
    assert state.state == "approved" and state.latest.by == "办公室李"
    with pytest.raises(StoreError, match="已经审核通过"):
        store.review(sheet["uuid"], "approved", "办公室李")
    event = [e for e in store.events(sheet["uuid"]) if e["event"] == APPROVED][0]
    assert event["by"] == "办公室李" and event["at"] and event["revision"] == 1
    assert event["sig"] and event["key"] and event["record_sha256"]
    # The sheet record itself is untouched, and the signed record still verifies.
    assert store.submission(sheet["uuid"]) == sheet
    verify = laptop("doctor", "--verify")
    assert "签名不符" not in verify.output and "不符" not in verify.output


def test_a_void_sheet_cannot_be_reviewed(laptop):
    store = laptop.store()
    sheet = inspectors(store)[0]
    store.void(sheet["uuid"], "重复录入", "李")
    with pytest.raises(StoreError, match="已作废"):
        store.review(sheet["uuid"], "approved", "办公室李")


# ---------------------------------------------------------------- acceptance


def test_a_returned_sheet_leaves_the_panel_until_its_corrected_revision_is_approved(laptop, office):
    out = carry(laptop, office, "to-office.zip")
    assert "新增" in out
    sheets = inspectors(office.store())
    # Nothing approved yet: the panel says what waits, instead of ranking.
    waiting = office("panel", FORM).output
    assert "还没有审核通过" in waiting and f"待审核 {len(sheets)} 张" in waiting
    assert len(office("results", "list", "--review", "pending").output.splitlines()) >= len(sheets)

    for doc in office.store().submissions(form=FORM):
        office("results", "review", doc["uuid"][:8], "--approve", "--by", "办公室李")
    full = panel_json(office)
    target = sheets[0]
    assert counted_uuids(full)[target["uuid"]] == 1
    assert full["review"]["approved"] == len(sheets) and full["review"]["awaiting"] == 0

    said = office("results", "review", target["uuid"][:8], "--return", "--reason",
                  "第三项扣分理由不清", "--by", "办公室李").output  # fmt: skip
    assert "已退回" in said and "results amend" in said
    after = panel_json(office)
    assert target["uuid"] not in counted_uuids(after)
    assert after["review"]["returned"] == 1 and "退回 1 张" in after["review"]["line"]
    assert "退回 1 张未计入" in office("panel", FORM).output

    # The office's decisions travel back: the rater sees the return and its reason.
    back = carry(office, laptop, "to-laptop.zip")
    assert "带入审核意见" in back
    listed = laptop("results", "list", "--review", "returned").output
    assert target["uuid"][:8] in listed and "退回" in listed
    shown = laptop("results", "show", target["uuid"][:8]).output
    assert "第三项扣分理由不清" in shown and "审核：退回" in shown

    # The rater corrects it: a new revision, submitted again (awaiting review).
    laptop("results", "amend", target["uuid"][:8], "--reason", "按退回意见修改：补写理由")
    store = laptop.store()
    draft = store.draft(target["uuid"])
    store.finalize(store.load_sheet(draft))
    shown = json.loads(laptop("results", "show", target["uuid"][:8], "--json").output)
    assert shown["revision"] == 2 and shown["review"]["state"] == "submitted"

    carry(laptop, office, "corrected.zip")
    pending = panel_json(office)
    assert target["uuid"] not in counted_uuids(pending)  # not until approved
    assert pending["review"]["awaiting"] == 1
    office("results", "review", target["uuid"][:8], "--approve", "--by", "办公室李")
    final = panel_json(office)
    assert counted_uuids(final)[target["uuid"]] == 2
    assert final["review"] | {"line": ""} == {
        "required": True, "approved": len(sheets), "awaiting": 0, "returned": 0,
        "conflicts": 0, "self_waiting": 0, "line": "",
    }  # fmt: skip
    # Every decision is in the history, with who and when.
    events = office.store().events(target["uuid"])
    decisions = [(e["event"], e["revision"], e["by"]) for e in events
                 if e["event"] in (APPROVED, RETURNED)]  # fmt: skip
    assert decisions == [(APPROVED, 1, "办公室李"), (RETURNED, 1, "办公室李"),
                         (APPROVED, 2, "办公室李")]  # fmt: skip


def test_a_form_without_the_key_counts_every_sheet_as_before(tmp_path, demo_results):
    run = runner_for(tmp_path / "plain")
    shutil.copytree(demo_results, tmp_path / "plain" / "results")
    before_json = run("panel", FORM, "--json").output
    before_text = run("panel", FORM).output
    before_list = run("results", "list").output
    assert "review" not in json.loads(before_json)
    store = run.store()
    first, second = inspectors(store)[:2]
    run("results", "review", first["uuid"][:8], "--return", "--reason", "再看看", "--by", "李")
    run("results", "review", second["uuid"][:8], "--approve", "--by", "李")
    assert run("panel", FORM, "--json").output == before_json
    assert run("panel", FORM).output == before_text
    # The listing names the decisions taken, and nothing else changes.
    after = run("results", "list").output.splitlines()
    changed = [line for line, old in zip(after, before_list.splitlines(), strict=True)
               if line != old]  # fmt: skip
    assert len(changed) == 2 and any("退回" in x for x in changed)
    assert any("审核通过" in x for x in changed)


def test_differing_decisions_from_two_laptops_are_flagged_and_kept(laptop, office):
    target = inspectors(laptop.store())[0]
    for doc in laptop.store().submissions(form=FORM):
        if doc["uuid"] != target["uuid"]:
            laptop("results", "review", doc["uuid"][:8], "--approve", "--by", "组长王")
    carry(laptop, office, "to-office.zip")
    uuid = target["uuid"][:8]
    office("results", "review", uuid, "--approve", "--by", "办公室李")
    laptop("results", "review", uuid, "--return", "--reason", "照片不清", "--by", "组长王")
    out = carry(office, laptop, "back.zip")
    assert "审核意见与本机不一致" in out and uuid in out
    listed = laptop("results", "list", "--review", "conflict").output
    assert uuid in listed and "审核冲突" in listed
    shown = laptop("results", "show", uuid).output
    assert "办公室李" in shown and "组长王" in shown and "照片不清" in shown
    data = panel_json(laptop)
    assert target["uuid"] not in counted_uuids(data) and data["review"]["conflicts"] == 1
    # A new decision replaces both and resolves the conflict, on both laptops once carried.
    said = laptop("results", "review", uuid, "--approve", "--by", "组长王").output
    assert "冲突已解决" in said
    assert counted_uuids(panel_json(laptop))[target["uuid"]] == 1
    carry(laptop, office, "resolved.zip")
    state = json.loads(office("results", "show", uuid, "--json").output)["review"]
    assert state["state"] == "approved" and [d["by"] for d in state["decisions"]] == ["组长王"]
    history = office.store().review_state(target["uuid"], 1).history
    assert len(history) == 3  # both earlier decisions are still there


def test_the_cli_refuses_without_a_decision_or_a_reviewer(laptop):
    uuid = inspectors(laptop.store())[0]["uuid"][:8]
    assert "--approve" in laptop("results", "review", uuid, ok=False).output
    assert "config reviewer" in laptop("results", "review", uuid, "--approve", ok=False).output
    laptop("config", "reviewer", "办公室李")
    assert "办公室李" in laptop("results", "review", uuid, "--approve").output
    data = json.loads(laptop("results", "list", "--json", "--review", "approved").output)
    assert [d["uuid"][:8] for d in data] == [uuid] and data[0]["review"]["state"] == "approved"


def test_panel_charts_and_pack_show_the_one_tally(workspace, store):
    from inspect_kit.charts.data import chart_data
    from inspect_kit.cli.panel_cmd import panel_lines
    from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
    from inspect_kit.formfiles.catalog import FormCatalog
    from inspect_kit.pack.pack_data import PackOptions, pack_data
    from inspect_kit.services.panels import PanelsService

    required_form(workspace.root)
    forms = [f for f in demo_forms() if f.form.form == FORM]
    roster, finals, _ = build_demo(forms, DemoPlan(subjects=3, raters=2, rounds=1, seed=2,
                                                   drafts=0, self_assessments=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    docs = sorted(store.submissions(), key=lambda d: d["uuid"])
    for doc in docs[:-2]:
        store.review(doc["uuid"], "approved", "李")
    store.review(docs[-1]["uuid"], "returned", "李", "重看")
    view = PanelsService(store, FormCatalog(workspace)).panel(FORM)
    tally = view.review
    assert (tally.approved, tally.awaiting, tally.returned) == (len(docs) - 2, 1, 1)
    assert view.panel.sheets == tally.approved  # the panel counts exactly the approved ones
    line = "审核：计入审核通过的 4 张；待审核 1 张、退回 1 张未计入"
    assert line in panel_lines(view)
    for kind in ("hist", "sections", "ranking", "items", "raters"):
        assert "待审核 1、退回 1 张未计入" in chart_data(kind, view).round
    data = pack_data(view, PackOptions())
    assert ("审核", line.removeprefix("审核：")) in data["cover"]
    assert data["ranking"]["note"].endswith(line + "。") and "。。" not in data["ranking"]["note"]


def test_amending_a_returned_sheet_takes_the_return_as_its_reason(laptop):
    store = laptop.store()
    doc = inspectors(store)[0]
    store.review(doc["uuid"], "returned", "办公室李", "照片不清")
    laptop("results", "amend", doc["uuid"][:8])  # no --reason: the return is the reason
    draft = laptop.store().draft(doc["uuid"])
    assert draft["revision"] == 2 and draft["amend_reason"] == "按退回意见修改：照片不清"
    other = inspectors(store)[1]
    assert "理由" in laptop("results", "amend", other["uuid"][:8], ok=False).output


def test_hostile_reasons_and_malformed_review_events_do_no_harm(laptop):
    store = laptop.store()
    doc = inspectors(store)[0]
    evil = "看\x1b]0;owned\x07不清\x1b[2J"
    laptop("results", "review", doc["uuid"][:8], "--return", "--reason", evil, "--by", "李")
    for args in (("results", "show", doc["uuid"][:8]), ("results", "list", "--review", "returned")):
        out = laptop(*args).output
        assert "\x1b" not in out and "\x07" not in out and "退回" in out
    data = json.loads(laptop("results", "show", doc["uuid"][:8], "--json").output)
    assert data["review"]["decisions"][0]["reason"] == evil  # exact in JSON
    # Decisions without an id or with a wrong-typed revision (another kit, a hand edit) are
    # not decisions: the state stays as the valid ones say.
    bad = [{"event": APPROVED, "uuid": doc["uuid"], "revision": "1", "review_id": "z"},
           {"event": APPROVED, "uuid": doc["uuid"], "revision": 1, "review_id": 7},
           {"event": APPROVED, "uuid": doc["uuid"], "revision": 1, "review_id": "q",
            "replaces": "all"}]  # fmt: skip
    states = review_states([*store.events(doc["uuid"]), *bad])
    assert state_of(states, doc["uuid"], 1).state == "returned"
    with pytest.raises(StoreError):
        store.review("nosuchsheet", "approved", "李")
