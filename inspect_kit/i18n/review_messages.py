"""Office review of finalized sheets (issue 13): states, errors, CLI and screen sentences.

Part of the one catalog (`inspect_kit.i18n.catalog.tr`).
"""

from __future__ import annotations

REVIEW_STRINGS: dict[str, tuple[str, str]] = {
    # states (short: a table cell)
    "oreview.state.submitted": ("待审核", "awaiting review"),
    "oreview.state.approved": ("审核通过", "approved"),
    "oreview.state.returned": ("退回", "returned"),
    "oreview.state.conflict": ("审核冲突", "review conflict"),
    # errors of the core (codes)
    "oreview.err.no_reviewer": (
        "没有审核人：先设置 `inspect-kit config reviewer 姓名`（或用 --by）。",
        "No reviewer: set `inspect-kit config reviewer NAME` first (or pass --by).",
    ),
    "oreview.err.reason": (
        "退回需要写明理由（--reason）。",
        "Returning a sheet needs a reason (--reason).",
    ),
    "oreview.err.void": (
        "评分表 {uuid} 已作废，不能审核。",
        "Sheet {uuid} is void and cannot be reviewed.",
    ),
    "oreview.err.already_approved": (
        "评分表 {uuid} 第 {rev} 版已经审核通过。",
        "Sheet {uuid} revision {rev} is already approved.",
    ),
    # the command line
    "oreview.cli.approved": (
        "已审核通过 {uuid}（第 {rev} 版），审核人 {by}。",
        "Approved {uuid} (revision {rev}), reviewer {by}.",
    ),
    "oreview.cli.returned": (
        "已退回 {uuid}（第 {rev} 版）给 {rater}，理由：{reason}。评分人修订后重新提交：{command}",
        "Returned {uuid} (revision {rev}) to {rater}: {reason}. The rater corrects and "
        "finalizes it again: {command}",
    ),
    "oreview.cli.resolved": (
        "这一决定取代了 {n} 条不一致的审核意见（冲突已解决）。",
        "This decision replaces {n} differing review decisions (conflict resolved).",
    ),
    "oreview.cli.choose": (
        "请选择 --approve 或 --return（退回时加 --reason）。",
        "Choose --approve or --return (with --reason when returning).",
    ),
    "oreview.cli.line": ("审核：{state}", "Review: {state}"),
    "oreview.cli.by": ("{by}，{at}", "{by}, {at}"),
    "oreview.cli.conflict_heads": (
        "  审核意见不一致（导入后发现）：{heads}。用 --approve 或 --return 作出最终决定。",
        "  Differing review decisions (found on import): {heads}. Decide with --approve or "
        "--return.",
    ),
    "oreview.cli.import_conflicts": (
        "  {n} 张评分表的审核意见与本机不一致，均已保留：{ids}。"
        "查看：inspect-kit results list --review conflict",
        "  {n} sheet(s) have review decisions that differ from this laptop's; both kept: {ids}. "
        "See: inspect-kit results list --review conflict",
    ),
    "oreview.cli.import_decisions": (
        "  带入审核意见 {n} 条。",
        "  Brought in {n} review decision(s).",
    ),
    "oreview.panel.tally": (
        "计入审核通过的 {approved} 张；待审核 {awaiting} 张、退回 {returned} 张未计入",
        "{approved} approved sheet(s) counted; {awaiting} awaiting review and "
        "{returned} returned not counted",
    ),
    "oreview.panel.conflicts": (
        "（其中 {n} 张审核意见冲突）",
        " ({n} of them with conflicting decisions)",
    ),
    "oreview.panel.self": (
        "；另有自评 {n} 张未审核通过，未列出",
        "; {n} self-assessment(s) not approved, not shown",
    ),
    # the full-screen app
    "key.approve": ("审核通过", "Approve"),
    "key.return_sheet": ("退回", "Return"),
    "oreview.confirm": (
        "审核通过这张评分表？通过后计入小组评分。",
        "Approve this sheet? Approved sheets count in the panel.",
    ),
    "oreview.return.title": ("退回评分表", "Return the sheet"),
    "oreview.return.hint": (
        "退回给评分人修改的理由（必填），例如：第三项扣分理由不清",
        "Why the rater must correct it (required), e.g. the reason for item 3 is unclear",
    ),
    "oreview.done.approved": ("已审核通过（第 {rev} 版）", "Approved (revision {rev})"),
    "oreview.done.returned": ("已退回（第 {rev} 版）", "Returned (revision {rev})"),
    "oreview.detail.returned": (
        "已被退回：{reason}（{by}，{at}）。按 a 修订后重新提交。",
        "Returned: {reason} ({by}, {at}). Press a to correct it and finalize again.",
    ),
    "oreview.home.returned": (
        "{n} 张评分表被退回待修改（最近：{subject}）：在“最近提交”中打开，按 a 修订。",
        "{n} sheet(s) were returned for correction (latest: {subject}): open it in the recent "
        "list and press a to correct it.",
    ),
    "oreview.amend_reason": ("按退回意见修改：{reason}", "Corrected as returned: {reason}"),
}
