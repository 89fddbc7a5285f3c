"""The full-screen app's sentences in Chinese and English.

Part of the one catalog (`inspect_kit.i18n.catalog.tr`); kept in its own file only for size.
"""

from __future__ import annotations

SCREEN_STRINGS: dict[str, tuple[str, str]] = {
    # app and home
    "app.title": ("关工委检查评分", "Inspection scoring"),
    "home.forms": ("表单", "Forms"),
    "home.drafts": ("草稿（未提交）", "Drafts (not finalized)"),
    "home.recent": ("最近提交", "Recently finalized"),
    "home.loading": ("正在读取…", "Loading…"),
    "home.no_drafts": (
        "没有草稿。选中一张表单按 Enter 开始评分。",
        "No drafts. Pick a form and press Enter.",
    ),
    "home.no_recent": ("还没有提交的评分表。", "No finalized sheets yet."),
    "home.broken": (
        "有 {n} 个表单文件无法读取：{first}",
        "{n} form file(s) cannot be read: {first}",
    ),
    "col.form": ("表单", "Form"),
    "col.title": ("名称", "Title"),
    "col.items": ("题数", "Items"),
    "col.total": ("总分", "Total"),
    "col.subject": ("对象", "Subject"),
    "col.rater": ("评分人", "Rater"),
    "col.progress": ("进度", "Progress"),
    "col.saved": ("保存于", "Saved"),
    "col.state": ("状态", "State"),
    "col.score": ("得分", "Score"),
    "col.grade": ("等次", "Grade"),
    "col.round": ("轮次", "Round"),
    "col.finalized": ("提交时间", "Finalized"),
    "state.blocked": ("⚠ 未完成", "⚠ incomplete"),
    "state.ready": ("✓ 可提交", "✓ ready"),
    "state.final": ("已提交", "final"),
    "state.void": ("✗ 已作废", "✗ void"),
    "state.veto": ("⚠ 否决", "⚠ veto"),
    # bindings
    "key.enter": ("下一处", "Next stop"),
    "key.next_stop": ("下一处", "Next stop"),
    "key.prev_stop": ("上一处", "Previous stop"),
    "key.new": ("新建", "New sheet"),
    "key.open": ("打开", "Open"),
    "key.results": ("结果", "Results"),
    "key.refresh": ("刷新", "Refresh"),
    "key.help": ("帮助", "Help"),
    "key.quit": ("退出", "Quit"),
    "key.back": ("返回", "Back"),
    "key.next_item": ("下一项", "Next item"),
    "key.prev_item": ("上一项", "Previous item"),
    "key.next_section": ("下一部分", "Next section"),
    "key.prev_section": ("上一部分", "Previous section"),
    "key.next_problem": ("下一个待办", "Next to do"),
    "key.na": ("不适用", "N/A"),
    "key.review": ("提交", "Finalize"),
    "key.confirm": ("确认提交", "Confirm"),
    "key.detail": ("详情", "Detail"),
    "key.sort": ("排序", "Sort"),
    "key.filter": ("筛选", "Filter"),
    "key.delete_draft": ("删除草稿", "Delete draft"),
    # new sheet
    "new.title": ("新建评分表", "New sheet"),
    "new.form": ("表单", "Form"),
    "new.subject": ("检查对象（输入名称或编号筛选）", "Subject (type to filter)"),
    "new.add": ("＋ 添加新对象“{name}”", "+ Add new subject “{name}”"),
    "new.rater": ("评分人", "Rater"),
    "new.round": ("轮次", "Round"),
    "new.start": ("开始评分", "Start"),
    "new.cancel": ("取消", "Cancel"),
    "new.need_subject": ("请选择检查对象", "Pick a subject"),
    "new.need_rater": ("请填写评分人姓名", "Enter the rater's name"),
    "new.need_round": ("请填写轮次，例如 2026 或 2026-1", "Enter the round, e.g. 2026 or 2026-1"),
    "new.added": ("已添加对象 {id} {name}", "Added subject {id} {name}"),
    "new.none": (
        "（名册中没有此类对象，输入名称后可添加）",
        "(no subjects of this kind; type a name to add one)",
    ),
    "new.draft_exists": (
        "{subject} 在轮次 {round} 已有您的一份草稿（保存于 {saved}）；每人每个对象每轮只有一份草稿",
        "You already have a draft for {subject} in round {round} (saved {saved}); there is one "
        "draft per rater, subject and round",
    ),
    "new.open_existing": ("打开这份草稿继续填写", "Open that draft and go on"),
    "new.back": ("返回修改", "Go back and change the choices"),
    # fill
    "fill.saved": ("已保存 {time}", "Saved {time}"),
    "fill.not_saved": ("未保存", "Not saved"),
    "fill.progress": ("进度 {pct}", "Progress {pct}"),
    "fill.score": ("得分 {total}/{possible}", "Score {total}/{possible}"),
    "fill.bonus": ("加分 {bonus}", "Bonus {bonus}"),
    "fill.grade": ("等次(暂) {grade}", "Grade so far {grade}"),
    "fill.provisional": ("预估 {grade}（{score}分）", "Provisional {grade} ({score})"),
    "fill.provisional_none": ("预估 —", "Provisional —"),
    "fill.none_of_these": ("以上都没有", "None of these"),
    "fill.photo_remove": ("Delete 删除选中的照片", "Delete removes the highlighted photo"),
    "fill.veto": ("⚠ 否决 {n}", "⚠ Veto {n}"),
    "fill.no_veto": ("否决 无", "Veto none"),
    "fill.vetoes": ("一票否决", "Vetoes"),
    "fill.veto_no": ("未发生", "Did not happen"),
    "fill.veto_yes": ("发生（一票否决）", "Happened (veto)"),
    "fill.veto_note": ("情况说明", "Details"),
    "fill.note": ("扣分理由", "Reason for deduction"),
    "fill.note_required": ("扣分理由（必填）", "Reason for deduction (required)"),
    "fill.remark": ("备注", "Remark"),
    "fill.na": ("〔不适用〕", "[N/A]"),
    "fill.na_hint": ("0 或 Ctrl+T：不适用", "0 or Ctrl+T: N/A"),
    "fill.points": ("得 {points}/{max} 分", "{points}/{max} points"),
    "fill.lost": ("扣 {lost} 分", "−{lost}"),
    "fill.unanswered": ("未回答", "not answered"),
    "fill.methods": ("方法", "Methods"),
    "fill.guidance": ("要点", "Guide"),
    "fill.bands": ("计分", "Scoring"),
    "fill.labelled": ("{label}：{text}", "{label}: {text}"),  # English has no full-width colon
    "fill.range": ("0–{max}，步长 {step}", "0–{max}, step {step}"),
    "fill.count": ("问题数（每处扣 {per} 分）", "Defects found (−{per} each)"),
    "fill.ticks": ("空格勾选发现的问题（每项扣 {per} 分）", "Space ticks a defect (−{per} each)"),
    "fill.pick": ("按数字键选择", "Press a number key"),
    "fill.multi": ("数字键或空格勾选", "Number keys or space to tick"),
    "fill.date": ("日期，如 2026-05-01", "Date, e.g. 2026-05-01"),
    "fill.photo": ("照片文件路径，Enter 添加", "Photo file path, Enter adds it"),
    "fill.photos": ("已附：{names}", "Attached: {names}"),
    "fill.signature": ("签名（输入姓名）", "Signature (type your name)"),
    "fill.signed": ("签于 {at}", "signed {at}"),
    "fill.invalid": ("✗ {msg}（未保存）", "✗ {msg} (not saved)"),
    "fill.hidden_dropped": ("已隐藏的题目答案已清除", "Answers of hidden items were dropped"),
    "fill.all_done": ("全部完成，可按 F10 提交", "All done: press F10 to finalize"),
    "fill.required": ("必答", "required"),
    "fill.multiline": ("回车换行；Ctrl+N 下一项", "Enter adds a line; Ctrl+N: next item"),
    # review
    "review.title": ("提交前检查", "Review before finalizing"),
    "review.problems": ("待处理（Enter 跳到该项）", "To do (Enter jumps to the item)"),
    "review.no_problems": ("✓ 没有未完成的项目", "✓ Nothing left to do"),
    "review.unanswered": ("未回答", "Not answered"),
    "review.missing_note": ("缺扣分理由", "Missing reason"),
    "review.veto": ("⚠ 一票否决", "⚠ Veto"),
    "review.sections": ("各部分得分", "Score by section"),
    "review.col_item": ("项目", "Item"),
    "review.col_answer": ("答案", "Answer"),
    "review.col_points": ("得分", "Points"),
    "review.col_note": ("扣分理由/说明", "Reason / details"),
    "review.hint": (
        "↑↓ 查看每一项 · Enter 回到该项修改 · F10 确认提交 · Esc 返回",
        "↑↓ read each line · Enter goes back to that item · F10 finalize · Esc back",
    ),
    "review.total": ("总分", "Total"),
    "review.bonus": ("加分", "Bonus"),
    "review.final": ("最终得分", "Final"),
    "review.grade": ("等次", "Grade"),
    "review.reason": ("说明", "Why"),
    "review.confirm": ("确认提交（提交后不可修改）", "Finalize (cannot be changed afterwards)"),
    "review.blocked": ("还不能提交：{why}", "Cannot finalize yet: {why}"),
    "review.done": (
        "已提交：{subject} 总分 {total} 等次 {grade}",
        "Finalized: {subject} {total} {grade}",
    ),
    # results
    "results.title": ("已提交的评分表", "Finalized sheets"),
    "results.all": ("全部", "All"),
    "results.subject_filter": ("对象名称/编号", "Subject name/id"),
    "results.count": ("共 {n} 张", "{n} sheets"),
    "results.sorted": ("按{col}排序", "Sorted by {col}"),
    "detail.title": ("评分表详情", "Sheet detail"),
    "detail.attachments": ("附件", "Attachments"),
    "detail.history": ("历史", "History"),
    "detail.deductions": ("扣分明细", "Deductions"),
    "detail.none": ("（无）", "(none)"),
    # panel
    "panel.title": ("小组评分汇总", "Panel results"),
    "panel.form": ("表单", "Form"),
    "panel.round": ("轮次", "Round"),
    "panel.computing": ("正在计算…", "Computing…"),
    "panel.no_forms": ("没有可用的表单", "No forms available"),
    "panel.no_data": (
        "表单 {form} 还没有已提交的评分表",
        "Form {form} has no finalized sheets yet",
    ),
    "panel.summary": (
        "对象 {subjects} 个 · 评分表 {sheets} 张 · 评委 {raters} 人 · {method} · "
        "分差超过 {spread} 分标 ⚠",
        "{subjects} subjects · {sheets} sheets · {raters} raters · {method} · "
        "⚠ when spread > {spread}",
    ),
    "panel.rank": ("名次", "Rank"),
    "panel.raters": ("各评委总分", "Raters' totals"),
    "panel.score": ("小组得分", "Panel score"),
    "panel.spread": ("分差", "Spread"),
    "panel.veto": ("否决", "Veto"),
    "panel.dropped_note": ("括号内为去掉的最高分和最低分", "Totals in brackets were dropped"),
    "panel.leniency": ("评委宽严度（正数偏宽）", "Rater leniency (+ lenient)"),
    "panel.pick_subject": (
        "选中一行查看该对象的评委和否决说明",
        "Select a row for the raters and veto notes",
    ),
    "panel.sheet_line": (
        "{rater}：{total}{bonus}  {grade}{dropped}",
        "{rater}: {total}{bonus}  {grade}{dropped}",
    ),
    "panel.dropped": ("（去掉）", " (dropped)"),
    "panel.veto_applies": ("✗ 一票否决", "✗ Veto"),
    "panel.veto_not": ("否决未过半（不生效）", "Veto short of a majority (not applied)"),
    "panel.self": ("自评", "Self-assessment"),
    "panel.method": ("计分：{method}", "Rule: {method}"),
    "panel.busy": ("正在生成，请稍候", "Still working, please wait"),
    "panel.chart_pick": ("生成图表（Enter 选择）", "Render a chart (Enter picks)"),
    "panel.rendering": ("正在生成 {what}…", "Rendering {what}…"),
    "panel.written": ("已生成：{paths}", "Written: {paths}"),
    "panel.report_done": (
        "已生成会议材料（{pages} 页）：{path}",
        "Meeting pack written ({pages} pages): {path}",
    ),
    "panel.failed": ("✗ 生成失败：{msg}", "✗ Failed: {msg}"),
    "panel.no_subject": ("先在表格中选中一个对象", "Select a subject in the table first"),
    "chart.hist": ("总分分布", "Score distribution"),
    "chart.sections": ("各部分得分率", "Section ratios"),
    "chart.ranking": ("排名", "Ranking"),
    "chart.items": ("失分最多的指标", "Items losing most points"),
    "chart.raters": ("评委宽严度", "Rater leniency"),
    "chart.radar": ("当前对象得分结构（雷达图）", "Selected subject's profile (radar)"),
    "chart.all": ("以上全部（不含雷达图）", "All of the above (no radar)"),
    "key.chart": ("图表", "Chart"),
    "key.report": ("会议材料", "Meeting pack"),
    "key.panel": ("汇总", "Panel"),
    "key.amend": ("修订", "Amend"),
    "key.void": ("作废", "Void"),
    "cmd.panel": ("小组评分汇总", "Panel results"),
    "cmd.panel_help": (
        "各对象的评委总分、小组得分、分差和否决；图表与会议材料",
        "Raters' totals, panel score, spread, vetoes; charts and the meeting pack",
    ),
    "cmd.report": ("生成会议材料 PDF", "Build the meeting pack PDF"),
    "cmd.report_help": ("当前表单和轮次", "For the current form and round"),
    "cmd.chart": ("生成图表", "Render a chart"),
    "cmd.chart_help": (
        "分布、各部分、排名、失分、评委、雷达",
        "Distribution, sections, ranking, items, raters, radar",
    ),
    # amend and void
    "amend.title": ("修订这张评分表", "Amend this sheet"),
    "amend.hint": (
        "将创建新的一版草稿（答案照旧，可修改后重新提交），原版本保留。请写明修订理由：",
        "A new revision opens as a draft (answers copied); the old one is kept. Why?",
    ),
    "void.title": ("作废这张评分表", "Void this sheet"),
    "void.hint": (
        "作废后这张表不再计入汇总，原版本保留在记录中。请写明作废理由：",
        "A void sheet no longer counts; the old revisions stay on record. Why?",
    ),
    "reason.placeholder": ("理由（必填）", "Reason (required)"),
    "reason.empty": ("✗ 理由不能为空", "✗ A reason is required"),
    "reason.ok": ("确定", "OK"),
    "amend.opened": ("已创建第 {rev} 版修订草稿", "Revision {rev} opened as a draft"),
    "void.done": ("已作废（第 {rev} 版）", "Voided (revision {rev})"),
    "key.print": ("打印记录表", "Print record"),
    "print.done": ("已生成检查记录表：{path}", "Sheet record written: {path}"),
    "detail.open_draft": (
        "有未提交的修订草稿（第 {rev} 版），可在首页草稿中继续",
        "An amendment draft (revision {rev}) is open; resume it from Home",
    ),
    # help
    "help.title": ("按键说明", "Keys"),
    "help.fill": (
        "只有明确的操作才会作答：数字键 1–9 选择或勾选；↑↓ 移动光标后按空格选中。\n"
        "未作答的题不预选任何选项。Enter、Tab、Ctrl+N、PgDn 等只移动，不会作答或改答案。\n"
        "0 或 Ctrl+T：不适用（再按一次取消），不适用会一直保留，直到你改答案。\n"
        "勾选题和问题清单：最后一项“以上都没有”表示一项也没有。\n"
        "Enter/Tab：下一处。扣了分的题先到它的扣分理由，否则到下一题；Shift+Tab 上一处。\n"
        "Ctrl+N/Ctrl+B 下一题/上一题；PgDn/PgUp（F8/F7）下一部分/上一部分；"
        "Ctrl+G 下一个待办。\n"
        "一票否决须选“未发生”或“发生”；选“发生”后光标到情况说明。\n"
        "照片：输入文件路径按 Enter 添加；Tab 到照片列表，Delete 删除选中的照片。\n"
        "整数题不接受小数。多行文字中 Enter 换行，Tab 或 Ctrl+N 到下一项。\n"
        "F6：把扣了分的题标记为需整改（填期限；再按一次取消），提交时生成整改项。"
        "F9：该对象未完成的整改项（复查时逐项确认）。\n"
        "F10 提交前核对每一项；每次修改都会立刻自动保存。",
        "Only an explicit act answers: number keys 1–9 pick or tick; ↑↓ then Space picks.\n"
        "An unanswered item has nothing preselected. Enter, Tab, Ctrl+N, PgDn only move.\n"
        "0 or Ctrl+T: N/A (again to undo); N/A stays until you change the answer.\n"
        "Tick lists and defect lists: the last entry, None of these, means nothing found.\n"
        "Enter/Tab: next stop — an item that lost points goes to its reason first, otherwise "
        "to the next item; Shift+Tab goes back.\n"
        "Ctrl+N/Ctrl+B next/previous item; PgDn/PgUp (F8/F7) next/previous section; "
        "Ctrl+G next to do.\n"
        "Vetoes need Did not happen or Happened; Happened moves to its details.\n"
        "Photos: type a file path, Enter adds it; Tab to the list, Delete removes one.\n"
        "Whole numbers refuse decimals. In multi-line text Enter adds a line; Tab or Ctrl+N "
        "moves on.\n"
        "F6: mark an item that lost points to rectify (with a deadline; again to unmark); "
        "finalizing makes the rectification items. F9: this unit's open items (verify each).\n"
        "F10 reviews every answer before finalizing; every change is saved at once.",
    ),
    "help.review": (
        "↑↓ 逐行查看每一项的答案、得分、扣分理由、不适用、照片和否决项；Enter 回到该项修改。\n"
        "F10 确认提交（仍有待办时不能提交）；Esc 返回填写。",
        "↑↓ read each item's answer, points, reason, N/A, photos and vetoes; Enter goes back "
        "to that item.\nF10 finalizes (not while something blocks); Esc returns to the sheet.",
    ),
    "help.close": ("Esc 关闭", "Esc closes"),
    # commands
    "cmd.new": ("新建评分表", "New sheet"),
    "cmd.new_help": ("选择表单、对象、评分人和轮次", "Pick form, subject, rater and round"),
    "cmd.results": ("浏览已提交的评分表", "Browse finalized sheets"),
    "cmd.results_help": ("筛选、排序、查看详情", "Filter, sort, see details"),
    "cmd.home": ("回到首页", "Home"),
    "cmd.home_help": ("表单、草稿和最近提交", "Forms, drafts and recent sheets"),
    "cmd.help": ("按键说明", "Keys"),
    "cmd.help_help": ("当前界面的快捷键", "Keys of this screen"),
}
