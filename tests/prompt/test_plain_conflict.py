"""回避 in plain mode: the review menu's last entry declares a conflict with the subject (a
reason required); the sheet is still finalized, kept, and left out of the panel."""

from __future__ import annotations

from conftest import DOWN, ENTER, FINALIZE
from test_plain_fill import FULL, fill

from inspect_kit.domain.conflicts import active_conflicts
from inspect_kit.domain.panel_view import panel_view


def test_declare_a_conflict_from_the_review_then_finalize(drive, store, roster, mini_form):
    answers = FULL[: -len(FINALIZE)]
    # review: 列出 · 跳到 · 提交 · 保存退出 · 申报回避 (last); an empty reason is refused.
    keys = answers + DOWN * 4 + ENTER + ENTER + "曾在该基地任职" + ENTER + FINALIZE
    run = fill(drive, store, mini_form, keys)
    assert run.result.status == "final"
    assert "已登记回避：王建国 不参与 红星教育基地 的小组评分" in run.text
    (conflict,) = active_conflicts(store.events())
    assert (conflict.form, conflict.subject, conflict.rater, conflict.reason) == (
        "mini", "eb-001", "王建国", "曾在该基地任职")  # fmt: skip
    (doc,) = store.submissions()  # the sheet is kept
    from inspect_kit.services.panels import PanelsService

    records, left_out = PanelsService(store, None).leave_out_conflicts("mini", [doc])  # type: ignore[arg-type]
    view = panel_view(mini_form.form, records, "2026", conflicted=left_out)
    assert view.panel.subjects == () and [d["uuid"] for d in view.conflicted] == [doc["uuid"]]
