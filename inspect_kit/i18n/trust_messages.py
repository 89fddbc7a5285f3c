"""Words of a panel's trust figures: agreement, robustness, conflicts (回避), re-score rounds,
rater calibration (`domain.trust_text` renders them for the CLI, the TUI and the pack)."""

from __future__ import annotations

TRUST_STRINGS: dict[str, tuple[str, str]] = {
    "trust.reading.excellent": ("很好", "excellent"),
    "trust.reading.good": ("一致性好", "good"),
    "trust.reading.moderate": ("一般", "moderate"),
    "trust.reading.poor": ("差", "poor"),
    "trust.reading.tentative": ("可暂用", "tentative"),
    "trust.reading.undefined": ("无法计算", "not computable"),
    "trust.agreement": ("评委一致性：", "Rater agreement:"),
    "trust.total": ("总分", "Total"),
    "trust.icc_line": (
        "{scope}：ICC(2,1) {icc1} [{ci1}] {r1} · ICC(2,{k}) {icck} [{cik}] {rk}",
        "{scope}: ICC(2,1) {icc1} [{ci1}] {r1} · ICC(2,{k}) {icck} [{cik}] {rk}",
    ),
    "trust.icc_none": ("{scope}：ICC 无法计算（{why}）", "{scope}: ICC not computable ({why})"),
    "trust.icc_none_why": (
        "需要至少 2 个对象由同样 2 位以上评委评分，且分数有差异",
        "needs 2 subjects scored by the same 2+ raters, with some variation",
    ),
    "trust.alpha_total": (
        "总分 α（等距，含不完整评分）{alpha} {reading}",
        "Totals α (interval, all sheets) {alpha} {reading}",
    ),
    "trust.block": (
        "  不完整设计：ICC 只用 {n} 个对象 × {k} 位评委的完整部分计算（共 {all_n} 个对象、"
        "{all_k} 位评委）；α 用全部评分。",
        "  Incomplete design: the ICC uses the complete block of {n} subjects × {k} raters "
        "(of {all_n} subjects, {all_k} raters); α uses every sheet.",
    ),
    "trust.items": (
        "评分项 α（Krippendorff）：{n} 项可计算，其中一致性低 {low} 项",
        "Item α (Krippendorff): {n} computable, {low} with low agreement",
    ),
    "trust.low_items": (
        "一致性低的评分项（α < 0.667，评分标准可能不清楚）：",
        "Items with low agreement (α < 0.667; the criterion may be unclear):",
    ),
    "trust.low_item": (
        "  {text}（{section}）α {alpha}，{units} 个对象",
        "  {text} ({section}) α {alpha}, {units} subjects",
    ),
    "trust.more_items": (
        "    ……另有 {n} 项（见 --json 或会议材料）",
        "    … and {n} more (see --json or the meeting pack)",
    ),
    "trust.thresholds": (
        "阈值：ICC < 0.5 差，0.5–0.75 一般，0.75–0.9 好，> 0.9 很好（Koo & Li 2016）；"
        "α ≥ 0.8 好，≥ 0.667 可暂用，更低为差（Krippendorff）。ICC(2,1) 为单个评委，"
        "ICC(2,k) 为 k 位评委的平均（小组得分）。",
        "Thresholds: ICC < 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, > 0.9 excellent "
        "(Koo & Li 2016); α ≥ 0.8 good, ≥ 0.667 tentative, lower poor (Krippendorff). "
        "ICC(2,1) is one rater, ICC(2,k) the mean of k raters (the panel score).",
    ),
    "trust.robustness": (
        "稳健性（去掉任一评委后按同一规则重新计分）：",
        "Robustness (each rater left out in turn, same rule):",
    ),
    "trust.robust_stable": ("去掉任一评委后等次不变", "grade unchanged without any one rater"),
    "trust.robust_changes": (
        "去掉 {who} 后等次变化（{to}）",
        "without {who} the grade changes ({to})",
    ),
    "trust.robust_row": (
        "  {rank:>3} {name}  名次 {ranks}  {grade}",
        "  {rank:>3} {name}  ranks {ranks}  {grade}",
    ),
    "trust.unscored": ("无评分", "unscored"),
    "trust.conflicts": (
        "回避（申报利益冲突，评分表保留但不计入）：",
        "Conflicts of interest (declared; sheets kept, not counted):",
    ),
    "trust.conflict_line": (
        "  {subject}：{rater} 回避（{reason}）",
        "  {subject}: {rater} recused ({reason})",
    ),
    "trust.conflict_mark": (
        "回避：{rater}（{reason}），其评分表不计入",
        "recused: {rater} ({reason}); their sheet is not counted",
    ),
    "trust.no_reason": ("未写理由", "no reason given"),
    "conflict.no_rater": (
        "请用 --rater 写明是哪位评委回避。",
        "Name the recusing rater with --rater.",
    ),
    "conflict.no_reason": ("请写明理由（--reason）。", "Give a reason (--reason)."),
    "conflict.no_subject": (
        "没有对象 {subject}（名册和评分表中都没有）。",
        "No subject {subject} (neither in the roster nor on any sheet).",
    ),
    "conflict.already": (
        "{rater} 对 {subject} 的回避已申报。",
        "{rater} already declared a conflict with {subject}.",
    ),
    "conflict.none": (
        "{rater} 对 {subject} 没有在册的回避。",
        "{rater} has no declared conflict with {subject}.",
    ),
    "conflict.declared": (
        "已登记回避：{rater} 不参与 {subject} 的小组评分（评分表保留）。",
        "Recorded: {rater} is recused from {subject}'s panel (sheets kept).",
    ),
    "conflict.withdrawn": (
        "已撤回 {rater} 对 {subject} 的回避。",
        "Withdrawn: {rater}'s conflict with {subject}.",
    ),
    "conflict.list_head": ("表单|对象|评委|理由|登记人|时间", "Form|Subject|Rater|Reason|By|At"),
    "conflict.list_empty": ("没有在册的回避。", "No conflicts declared."),
    "rescore.no_reason": (
        "请写明开启重评的理由（--reason）。",
        "Give the reason for the re-score (--reason).",
    ),
    "rescore.no_subject": (
        "轮次 {round} 没有对象 {subject} 的检查组评分。",
        "Round {round} has no panel sheets for {subject}.",
    ),
    "rescore.not_spread": (
        "{subject} 的评委分差 {spread} 分，未超过 {max} 分，不能开启重评。",
        "{subject}'s spread is {spread}, not over {max}: no re-score round.",
    ),
    "rescore.already": (
        "{subject} 在轮次 {round} 已开启过一次重评（每个对象只能一次）。",
        "{subject} already had its one re-score round in round {round}.",
    ),
    "rescore.amended_once": (
        "{rater} 在 {subject} 的重评中已修改过一次，不能再改。",
        "{rater} already amended once in {subject}'s re-score round.",
    ),
    "rescore.opened": (
        "已开启重评：{subject}（轮次 {round}）。各评委可用 inspect-kit results amend UUID "
        "修改一次并写明理由：",
        "Re-score round opened for {subject} (round {round}). Each rater may amend once with "
        "a reason: inspect-kit results amend UUID",
    ),
    "rescore.sheet": ("  {rater}  {uuid}  总分 {total}", "  {rater}  {uuid}  total {total}"),
    "rescore.head": (
        "重评（评委分差超过 {max} 分时开启，每位评委可修改一次）：",
        "Re-score rounds (opened where the spread exceeds {max}; one amend each):",
    ),
    "rescore.subject": (
        "  {subject}：开启理由 {reason}（{by}）；小组得分 {first} → {final}，分差 {s1} → {s2}，"
        "等次 {g1} → {g2}",
        "  {subject}: reason {reason} ({by}); panel score {first} → {final}, spread {s1} → {s2}, "
        "grade {g1} → {g2}",
    ),
    "rescore.row": ("    {rater}：{first} → {final}{why}", "    {rater}: {first} → {final}{why}"),
    "rescore.why": ("（修改理由：{reason}）", " (reason: {reason})"),
    "rescore.unchanged": ("（未修改）", " (not amended)"),
    "trust.subject_robust": ("稳健性：名次 {ranks}；{grade}", "Robustness: ranks {ranks}; {grade}"),
    "trust.subject_rescore": (
        "重评：小组得分 {first} → {final}（{reason}）",
        "Re-score: panel score {first} → {final} ({reason})",
    ),
    "trust.block_short": ("（只用 {n}×{k} 完整部分）", "(complete block {n}×{k} only)"),
    "trust.low_count": ("一致性低的评分项 {n} 项", "{n} items with low agreement"),
    "trust.calibration": (
        "评委宽严度随轮次变化（与各对象评委中位数之差的平均；正数偏宽）：",
        "Rater leniency by round (mean difference from each subject's median; "
        "positive is lenient):",
    ),
    "trust.drift": ("漂移", "drift"),
    "trust.drift_note": (
        "漂移 = 最后一轮 − 第一轮（该评委参评的轮次）；⚠ 变化达 {points} 分。",
        "Drift = last round − first (rounds the rater took part in); ⚠ a change "
        "of {points} points or more.",
    ),
    "conflict.tui.button": ("申报回避", "Declare conflict"),
    "conflict.tui.need": (
        "先选择对象并填写评分人，再申报回避",
        "Pick the subject and enter the rater first, then declare",
    ),
    "conflict.tui.title": ("{rater} 申报回避：{subject}", "{rater} declares a conflict: {subject}"),
    "conflict.tui.hint": (
        "回避后该评委对此对象的评分表保留，但不计入小组评分；请写明理由（如：亲属在该单位工作）。",
        "The rater's sheet for this subject is kept but not counted in the panel; give the "
        "reason (e.g. a relative works there).",
    ),
    "conflict.plain.choice": (
        "申报回避（本人与该对象有利益冲突）",
        "Declare a conflict of interest with this subject",
    ),
    "conflict.plain.reason": (
        "回避理由（评分表保留但不计入小组评分；输入 < 返回）",
        "Reason (the sheet is kept but not counted; < to go back)",
    ),
}
