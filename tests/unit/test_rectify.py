"""Rectification items (整改项, issue 13): made from a sheet's 需整改 marks, listed, overdue by a
set clock, reported and verified with history, printed as a notice, merged between laptops."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspect_kit.base import clock
from inspect_kit.base.paths import Workspace
from inspect_kit.cli import cli
from inspect_kit.demo.generator import DemoPlan, build_demo
from inspect_kit.domain.rectification import RectifyError, change, open_item, text_lines
from inspect_kit.services.rectify import RectifyService
from inspect_kit.store.store import Store


@pytest.fixture(autouse=True)
def _real_clock(monkeypatch):
    monkeypatch.delenv(clock.ENV, raising=False)
    clock.set_today(None)
    yield
    clock.set_today(None)


def laptop(root: Path, edu_form) -> Store:
    (root / "results").mkdir(parents=True)
    store = Store(Workspace(root))
    subjects, finals, _ = build_demo([edu_form], DemoPlan(subjects=2, raters=1, rounds=1, seed=7))
    store.add_subjects(subjects)
    store.bulk_finalize(finals)
    return store


def run(root: Path, *args: str, config: Path | None = None, today: str | None = None):
    env = {"INSPECT_KIT_TODAY": today} if today else {}
    if config is not None:
        env["INSPECT_KIT_CONFIG"] = str(config)
    result = CliRunner().invoke(cli, ["--workspace", str(root), *args], env=env,
                                prog_name="inspect-kit")  # fmt: skip
    return result


def answer_file(store: Store, tmp: Path, marks: dict) -> tuple[Path, list[str], str]:
    """A complete answer file copied from a demo sheet, its 整改 fields cleared, with `marks`;
    returns (file, the ids of two items that lost points, the subject)."""

    def lost_of(d):
        return [k for k, v in d["score"]["items"].items() if v.get("lost")]

    doc = max(store.submissions(form="edu-base-inspection"), key=lambda d: len(lost_of(d)))
    lost = lost_of(doc)[:2]
    assert len(lost) == 2
    answers = {k: v for k, v in doc["answers"].items() if not k.startswith("rectify-")}
    answers["rectify-needed"] = "否"
    other = next(s.id for s in store.subjects() if s.id != doc["subject"])
    data = {"answers": answers, "vetoes": doc["vetoes"], "rater": "测试员",
            "rectify": {lost[i]: mark for i, mark in enumerate(marks)}}  # fmt: skip
    path = tmp / "answers.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, lost, other


def listed(root: Path, *args: str, today: str | None = None, config: Path | None = None):
    result = run(root, "rectify", "list", "--json", *args, today=today, config=config)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# ------------------------------------------------------------------ the model


def _item(**kw):
    base = dict(uuid="u-1", subject="eb-001", requirement="更换过期灭火器", deadline="2026-06-30",
                by="王", at="2026-05-01T10:00:00+08:00")  # fmt: skip
    return open_item(**{**base, **kw})


def test_the_states_go_open_reported_verified_and_failed_opens_again():
    item = _item()
    reported = change(item, "reported", by="馆长", at="t2", note="已更换")
    assert (reported.status, reported.revision, reported.supersedes) == ("reported", 2, 1)
    failed = change(reported, "failed", by="王", at="t3", note="仍有一具过期")
    assert failed.status == "open" and failed.failures == 1
    done = change(failed, "verified", by="王", at="t4")
    assert done.status == "verified"
    assert [e.action for e in done.log] == ["opened", "reported", "failed", "verified"]
    assert [e.by for e in done.log] == ["王", "馆长", "王", "王"]
    with pytest.raises(RectifyError):
        change(done, "verified", by="王", at="t5")
    with pytest.raises(RectifyError):
        change(reported, "failed", by="王", at="t3")  # a failure says what is still wrong


def test_overdue_is_open_past_the_deadline_by_the_set_clock():
    item = _item()
    assert not item.overdue(dt.date(2026, 6, 30)) and item.overdue(dt.date(2026, 7, 1))
    reported = change(item, "reported", by="馆长", at="t2")
    assert not reported.overdue(dt.date(2026, 7, 1))  # awaiting its check, not late
    clock.set_today("2026-07-01")
    assert clock.today() == dt.date(2026, 7, 1)


def test_bad_text_and_dates_are_refused_with_one_message():
    with pytest.raises(RectifyError):
        _item(requirement="   ")
    with pytest.raises(RectifyError):
        _item(deadline="下个月")
    with pytest.raises(RectifyError):
        change(_item(), "edited", by="王", at="t", edits={"deadline": "2026/13/40"})


def test_a_rectify_text_splits_into_items_without_list_marks():
    assert text_lines("1. 更换灭火器\n2、补挂标牌\n\n- 完善台账") == [
        "更换灭火器",
        "补挂标牌",
        "完善台账",
    ]


# ------------------------------------------------------------------ acceptance through the CLI


def test_two_marked_deductions_become_open_items_then_overdue_then_verified(tmp_path, edu_form):
    root = tmp_path / "w"
    store = laptop(root, edu_form)
    path, lost, subject = answer_file(store, tmp_path, ["2026-07-01", True])
    result = run(root, "fill", "edu-base-inspection", "--subject", subject, "--answers", str(path))
    assert result.exit_code == 0, result.output
    assert "2 个整改项" in result.output
    items = listed(root, "--status", "open", today="2026-06-01")
    assert len(items) == 2 and {i["item"] for i in items} == set(lost)
    assert all(i["status"] == "open" and i["subject"] == subject for i in items)
    sheet = store.submissions(subject=subject, rater="测试员")[0]
    note = sheet["answers"][lost[0]]["note"]
    first = next(i for i in items if i["item"] == lost[0])
    assert first["deadline"] == "2026-07-01" and note in first["requirement"]
    second = next(i for i in items if i["item"] == lost[1])
    started = dt.date.fromisoformat(sheet["started_at"][:10])
    assert second["deadline"] == (started + dt.timedelta(days=30)).isoformat()

    # past the first deadline it lists as overdue
    overdue = listed(root, "--status", "overdue", today="2026-07-02")
    assert [i["uuid"] for i in overdue] == [first["uuid"]]
    assert "已逾期" in run(root, "rectify", "list", today="2026-07-02").output

    ref = first["uuid"][:8]
    assert run(root, "rectify", "update", ref, "--status", "reported", "--note", "已整改",
               "--by", "馆长").exit_code == 0  # fmt: skip
    assert listed(root, "--status", "overdue", today="2026-07-02") == []
    assert run(root, "rectify", "verify", ref, "--fail", "--note", "仍不符",
               "--by", "王").exit_code == 0  # fmt: skip
    assert run(root, "rectify", "verify", ref, "--pass", "--by", "王").exit_code == 0
    done = listed(root, "--status", "done")
    assert [i["uuid"] for i in done] == [first["uuid"]]
    log = done[0]["log"]
    assert [(e["action"], e["by"]) for e in log] == [
        ("opened", "测试员"), ("reported", "馆长"), ("failed", "王"), ("verified", "王"),
    ]  # fmt: skip
    events = store.events(first["uuid"])
    assert [e["event"].removeprefix("rectification_") for e in events] == [
        "opened", "reported", "failed", "verified",
    ]  # fmt: skip
    assert all(e.get("sig") and e.get("record_sha256") for e in events)  # signed, chained
    shown = run(root, "rectify", "show", ref).output
    assert "仍不符" in shown and "馆长" in shown

    # finalizing the same sheet's items again (an amended revision) makes no second item
    assert RectifyService(store).from_sheet(sheet) == []


def test_a_mark_on_an_unknown_item_refuses_the_whole_file(tmp_path, edu_form):
    root = tmp_path / "w"
    store = laptop(root, edu_form)
    path, _, subject = answer_file(store, tmp_path, [])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rectify"] = {"no-such-item": "2026-07-01"}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = len(store.submissions())
    result = run(root, "fill", "edu-base-inspection", "--subject", subject, "--answers", str(path))
    assert result.exit_code == 1 and "no-such-item" in result.output
    assert len(store.submissions()) == before and listed(root) == []


def test_the_rectify_items_text_feeds_items_without_double_entry(tmp_path, edu_form):
    root = tmp_path / "w"
    store = laptop(root, edu_form)
    path, lost, subject = answer_file(store, tmp_path, [True])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["answers"].update({"rectify-needed": "是", "rectify-deadline": "2026-08-15",
                            "rectify-items": "1. 补挂阵地标牌\n2. 完善活动台账"})  # fmt: skip
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert run(root, "fill", "edu-base-inspection", "--subject", subject,
               "--answers", str(path)).exit_code == 0  # fmt: skip
    items = listed(root)
    free = sorted(i["requirement"] for i in items if i["item"] is None)
    assert free == ["完善活动台账", "补挂阵地标牌"]
    assert all(i["deadline"] == "2026-08-15" for i in items)  # the sheet's 整改期限
    assert [i["item"] for i in items if i["item"]] == lost[:1]


def test_add_by_hand_and_refusals(tmp_path, edu_form):
    root = tmp_path / "w"
    store = laptop(root, edu_form)
    subject = store.subjects()[0].id
    ok = run(root, "rectify", "add", "--subject", subject, "--requirement", "补充=SUM(A1)台账",
             "--deadline", "2026-09-01", "--responsible", "办公室")  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert run(root, "rectify", "add", "--subject", "nobody", "--requirement", "x").exit_code == 1
    bad = run(root, "rectify", "add", "--subject", subject, "--requirement", "x",
              "--deadline", "明天")  # fmt: skip
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output
    assert run(root, "rectify", "update", "zzzzzz", "--note", "x").exit_code == 1
    csv = tmp_path / "items.csv"
    assert run(root, "rectify", "csv", "--out", str(csv)).exit_code == 0
    text = csv.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and "办公室".encode() in text


def test_the_notice_pdf_lists_the_items_and_the_reply_slip(tmp_path, edu_form):
    pypdf = pytest.importorskip("pypdf")
    root = tmp_path / "w"
    store = laptop(root, edu_form)
    path, _, subject = answer_file(store, tmp_path, ["2026-07-01", "2026-08-01"])
    assert run(root, "fill", "edu-base-inspection", "--subject", subject,
               "--answers", str(path)).exit_code == 0  # fmt: skip
    out = tmp_path / "notice.pdf"
    result = run(root, "rectify", "notice", subject, "--out", str(out), today="2026-07-05")
    assert result.exit_code == 0, result.output
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages).replace(" ", "")
    for word in ("整改通知书", "整改回执", "2026-07-01", "2026-08-01", "已逾期", "单位负责人"):
        assert word in text, word
    items = listed(root)
    for i in items:
        assert i["requirement"][:10].replace(" ", "") in text
    nobody = run(root, "rectify", "notice", "nobody", "--out", str(tmp_path / "x.pdf"))
    assert nobody.exit_code == 1


def test_two_laptops_change_one_item_differently_conflict_kept_both(tmp_path, edu_form):
    a_root, b_root = tmp_path / "a", tmp_path / "b"
    a = laptop(a_root, edu_form)
    (b_root / "results").mkdir(parents=True)
    cfg_b = tmp_path / "cfg-b" / "config.json"  # laptop B has its own device key
    path, _, subject = answer_file(a, tmp_path, ["2026-07-01"])
    assert run(a_root, "fill", "edu-base-inspection", "--subject", subject,
               "--answers", str(path)).exit_code == 0  # fmt: skip
    first = tmp_path / "a1.zip"
    assert (
        run(a_root, "results", "export", "--format", "bundle", "--out", str(first)).exit_code == 0
    )
    with zipfile.ZipFile(first) as zf:
        assert "rectifications.json" in zf.namelist()
    assert run(b_root, "results", "import", str(first), config=cfg_b).exit_code == 0
    ref = listed(b_root, config=cfg_b)[0]["uuid"]

    assert run(a_root, "rectify", "update", ref, "--status", "reported", "--note", "甲：已扩建",
               "--by", "甲").exit_code == 0  # fmt: skip
    assert run(b_root, "rectify", "update", ref, "--status", "reported", "--note", "乙：另租场地",
               "--by", "乙", config=cfg_b).exit_code == 0  # fmt: skip
    back = tmp_path / "b1.zip"
    assert run(b_root, "results", "export", "--format", "bundle", "--out", str(back),
               config=cfg_b).exit_code == 0  # fmt: skip
    merged = run(a_root, "results", "import", str(back))
    assert merged.exit_code == 0 and "整改项冲突 1 条" in merged.output, merged.output

    listing = run(a_root, "results", "conflicts").output
    assert "甲：已扩建" in listing and "乙：另租场地" in listing  # neither update is lost
    assert "乙：另租场地" in run(a_root, "rectify", "show", ref).output  # flagged on the item
    assert listed(a_root)[0]["log"][-1]["note"] == "甲：已扩建"  # local stays until settled
    again = run(a_root, "results", "import", str(back))
    assert "整改项冲突" not in again.output  # the same conflict is not recorded twice

    settled = run(a_root, "results", "conflicts", ref[:8], "2", "--keep", "incoming")
    assert settled.exit_code == 0, settled.output
    assert listed(a_root)[0]["log"][-1]["note"] == "乙：另租场地"
    kept = run(a_root, "results", "conflicts", "--all").output
    assert "甲：已扩建" in kept  # the version not kept stays in the conflict record
