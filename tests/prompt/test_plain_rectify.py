"""整改 in plain mode (issue 13): the review menu marks a deduction 需整改 (the item becomes an
open rectification item at finalize), and a re-inspection of the same unit lists its open items
first and verifies them from the review menu."""

from __future__ import annotations

import datetime as dt

from conftest import DOWN, ENTER, FINALIZE, none_of, pick

from inspect_kit.domain.sheet import Sheet
from inspect_kit.prompt.plain import run_plain_fill
from inspect_kit.services.rectify import RectifyService

# 无 on a-yes (loses 2, reason 无标牌), everything else full marks, 否 (no 整改事项), veto 否.
ONE_DEDUCTION = (pick(2) + "无标牌" + ENTER + pick(1) + "0" + ENTER + "2" + ENTER + none_of(2)
                 + pick(2) + pick(1))  # fmt: skip
FULL = pick(1) + pick(1) + "0" + ENTER + "2" + ENTER + none_of(2) + pick(2) + pick(1)
MARK = DOWN * 5 + ENTER  # the review menu: list, change, finalize, quit, 回避, then 标记需整改
VERIFY = DOWN * 6 + ENTER  # … then 复查该对象的整改项


def sheet(loaded, rater: str) -> Sheet:
    return Sheet(form=loaded.form, form_sha256=loaded.sha256, subject="eb-001",
                 subject_name="红星教育基地", rater=rater, round="2026")  # fmt: skip


def test_a_deduction_marked_in_the_review_becomes_an_open_item(drive, roster, mini_form):
    first = sheet(mini_form, "王建国")
    keys = ONE_DEDUCTION + MARK + ENTER + ENTER + FINALIZE  # the item, then 需整改 (default)
    run = drive(lambda **io: run_plain_fill(roster, mini_form, first, **io), keys)
    assert run.result.status == "final", run.text
    (doc,) = roster.submissions()
    assert list(doc["rectify"]) == ["a-yes"]
    (x,) = RectifyService(roster).listed()
    started = dt.date.fromisoformat(doc["started_at"][:10])
    assert x.item.item == "a-yes" and x.item.status == "open" and x.item.sheet == doc["uuid"]
    assert x.item.requirement == "有标牌：无标牌"  # the item and its 扣分理由
    assert x.item.deadline == (started + dt.timedelta(days=30)).isoformat()

    # the re-inspection: listed first, verified from the review menu
    again = sheet(mini_form, "李复查")
    keys = FULL + VERIFY + DOWN + ENTER + FINALIZE  # 暂不确认 → 复查通过
    run = drive(lambda **io: run_plain_fill(roster, mini_form, again, **io), keys)
    assert run.result.status == "final", run.text
    assert "1 个未完成的整改项" in run.text and "有标牌：无标牌" in run.text
    (done,) = RectifyService(roster).listed(status="done")
    assert done.item.uuid == x.item.uuid and done.item.last.by == "李复查"
    assert [e.action for e in done.item.log] == ["opened", "verified"]
