"""Rectification items (整改项, issue 13) in Chinese and English: errors, states, actions and
the lines of `rectify`, the 整改 screen and plain mode. Part of the one catalog
(`inspect_kit.i18n.catalog`); kept in its own file so the feature's text stays together.
"""

from __future__ import annotations

RECTIFY_STRINGS: dict[str, tuple[str, str]] = {
    # the clock (base/clock.py)
    "clock.bad_date": (
        "{source}：日期 {text!r} 应写成 YYYY-MM-DD（如 2026-05-20）。",
        "{source}: the date {text!r} must be written YYYY-MM-DD (e.g. 2026-05-20).",
    ),
    # errors (domain/rectification.py, store/rectifications.py, services/rectify.py)
    "rectify.empty_text": ("整改要求不能为空", "The requirement must not be empty"),
    "rectify.text_too_long": (
        "整改要求最多 {max} 个字",
        "The requirement is longer than {max} characters",
    ),
    "rectify.bad_deadline": (
        "整改期限 {value!r} 应写成 YYYY-MM-DD（如 2026-06-30）",
        "The deadline {value!r} must be written YYYY-MM-DD (e.g. 2026-06-30)",
    ),
    "rectify.no_subject": ("整改项需要一个对象", "A rectification item needs a subject"),
    "rectify.not_allowed": (
        "状态为“{status}”的整改项不能做“{action}”",
        "An item that is “{status_en}” cannot take “{action_en}”",
    ),
    "rectify.note_needed": (
        "请写明情况（--note），例如复查时仍存在的问题",
        "Say what you found (--note), e.g. what is still wrong at the re-inspection",
    ),
    "rectify.not_editable": ("字段 {field} 不能修改", "The field {field} cannot be changed"),
    "rectify.nothing_changed": ("没有要修改的内容", "Nothing to change"),
    "rectify.bad_record": (
        "{file} 中的整改项 {uuid} {problem}，未做任何改动。运行 `inspect-kit doctor` 查看。",
        "The rectification item {uuid} in {file}: {problem}; nothing was changed. "
        "Run `inspect-kit doctor`.",
    ),
    "rectify.ambiguous": (
        "编号 {ref} 对应多个整改项，请多写几位",
        "{ref} names more than one rectification item; give more characters",
    ),
    "rectify.not_found": (
        "没有编号为 {ref} 的整改项（inspect-kit rectify list 查看）",
        "No rectification item {ref} (see inspect-kit rectify list)",
    ),
    "rectify.changed_meanwhile": (
        "整改项 {uuid} 第 {revision} 版已被另一个窗口改过，请重新查看后再改",
        "The item {uuid} revision {revision} was changed meanwhile in another window; "
        "look again and retry",
    ),
    "rectify.no_previous": (
        "整改项 {uuid} 缺少上一版，未保存",
        "The item {uuid} lacks its previous revision; not saved",
    ),
    "rectify.no_such_subject": (
        "名册中没有对象 {subject}（inspect-kit subjects list 查看）",
        "No subject {subject} in the roster (see inspect-kit subjects list)",
    ),
    "rectify.sheet_other_subject": (
        "评分表 {sheet} 是另一个对象的",
        "The sheet {sheet} belongs to another subject",
    ),
    "rectify.no_such_item": ("表单 {form} 中没有题目 {item}", "The form {form} has no item {item}"),
    "rectify.item_needs_sheet": ("--item 需要同时给出 --sheet", "--item needs --sheet too"),
    "rectify.photos_need_workspace": (
        "照片只能保存在工作目录中",
        "Photos can only be kept in a workspace",
    ),
    "rectify.no_items_for_notice": (
        "对象 {subject} 没有未完成的整改项，未生成通知书",
        "The subject {subject} has no open rectification items; no notice written",
    ),
    # states and actions
    "rectify.status.open": ("待整改", "open"),
    "rectify.status.reported": ("已报告整改", "reported"),
    "rectify.status.verified": ("复查通过", "verified"),
    "rectify.status.overdue": ("已逾期", "overdue"),
    "rectify.action.opened": ("提出", "opened"),
    "rectify.action.edited": ("修改", "edited"),
    "rectify.action.noted": ("补充说明", "note added"),
    "rectify.action.reported": ("报告整改完成", "reported done"),
    "rectify.action.verified": ("复查通过", "verified"),
    "rectify.action.failed": ("复查未通过，重新整改", "verification failed, open again"),
    # the command line (cli/rectify_cmd.py)
    "rectify.cli.empty": ("没有符合条件的整改项。", "No rectification items match."),
    "rectify.cli.count": (
        "共 {n} 项（待整改 {open}，其中逾期 {overdue}；已报告 {reported}；复查通过 {done}）。"
        "今天：{today}",
        "{n} items ({open} open, {overdue} of them overdue; {reported} reported; {done} verified). "
        "Today: {today}",
    ),
    "rectify.cli.col.id": ("编号", "id"),
    "rectify.cli.col.subject": ("对象", "subject"),
    "rectify.cli.col.district": ("区县", "district"),
    "rectify.cli.col.requirement": ("整改要求", "requirement"),
    "rectify.cli.col.deadline": ("期限", "deadline"),
    "rectify.cli.col.status": ("状态", "status"),
    "rectify.cli.col.responsible": ("责任人", "responsible"),
    "rectify.cli.days_left": ("剩 {n} 天", "{n} days left"),
    "rectify.cli.days_over": ("逾期 {n} 天", "{n} days overdue"),
    "rectify.cli.added": (
        "已添加整改项 {id}：{requirement}（期限 {deadline}）",
        "Added {id}: {requirement} (by {deadline})",
    ),
    "rectify.cli.changed": (
        "整改项 {id} 第 {revision} 版：{action}，现为“{status}”",
        "Item {id} revision {revision}: {action}; now {status}",
    ),
    "rectify.cli.made_from_sheet": (
        "已按评分表建立 {n} 个整改项（inspect-kit rectify list --subject {subject} 查看）",
        "{n} rectification items made from the sheet "
        "(see inspect-kit rectify list --subject {subject})",
    ),
    "rectify.cli.history": ("历史：", "History:"),
    "rectify.cli.conflict": ("有冲突", "conflict"),
    "rectify.cli.notice_written": (
        "已写出整改通知书（{n} 项）→ {path}",
        "Notice written ({n} items) → {path}",
    ),
    "rectify.cli.update_needs": (
        "请给出 --status reported、--note、--photo、--deadline、--requirement 或 --responsible",
        "Give --status reported, --note, --photo, --deadline, --requirement or --responsible",
    ),
    "rectify.cli.verify_needs": ("请给出 --pass 或 --fail", "Give --pass or --fail"),
    "rectify.cli.csv_written": (
        "已导出 {n} 个整改项（CSV，UTF-8 带 BOM）→ {path}",
        "{n} items exported (CSV, UTF-8 with BOM) → {path}",
    ),
    # results conflicts
    "rectify.conflict.open": ("未处理", "open"),
    "rectify.conflict.resolved": ("已处理（保留 {kept}）", "resolved (kept {kept})"),
    "rectify.conflict.local": ("本机  ", "here    "),
    "rectify.conflict.incoming": ("导入的", "imported"),
    "rectify.conflict.warning": (
        "⚠ 另一台电脑对第 {revision} 版有不同的修改：{action}（{who}）{note}；"
        "处理：inspect-kit results conflicts",
        "⚠ Another laptop changed revision {revision} differently: {action} ({who}) {note}; "
        "see inspect-kit results conflicts",
    ),
    # results show / the sheet record
    "rectify.sheet.heading": ("整改项", "Rectification items"),
    "rectify.sheet.none": ("（无）", "(none)"),
    # the fill screen, plain mode, the 整改 screen (tui/, prompt/)
    "rectify.mark.on": ("需整改（期限 {deadline}）", "to rectify (by {deadline})"),
    "rectify.mark.set": ("已标记需整改，期限 {deadline}", "Marked to rectify, by {deadline}"),
    "rectify.mark.cleared": ("已取消需整改", "No longer marked to rectify"),
    "rectify.mark.only_deductions": (
        "只有扣了分的题目才能标记需整改",
        "Only an item that lost points can be marked to rectify",
    ),
    "rectify.open_items": (
        "该对象有 {n} 个未完成的整改项（复查时逐项确认）：",
        "{n} open rectification items for this subject (verify each at the re-inspection):",
    ),
    "rectify.screen.title": ("整改", "Rectification"),
    "rectify.screen.head": (
        "整改项 {n} 个（逾期 {overdue}）· {sort}",
        "{n} rectification items ({overdue} overdue) · {sort}",
    ),
    "key.rectify_all": ("全部/未完成", "All/open"),
    "key.rectify_subject": ("本单位", "This unit"),
    "key.rectify_verdict": ("复查", "Verify"),
    "key.rectify_report": ("已整改", "Reported"),
    "key.add_rectify": ("加整改项", "Add item"),
    "help.rectify": (
        "未复查通过的整改项，逾期的标 ⚠ 并排在最前。\n"
        "s：按期限/按区县排序；a：显示全部（含已通过）。\n"
        "Enter：打开发现问题的评分表；u：只看本单位（再按一次看全部）。\n"
        "v：复查结论（通过，或未通过并写明原因，重新整改）；b：单位已报告整改完成。\n"
        "命令行：inspect-kit rectify list / update / verify / notice。",
        "Items not yet verified; overdue ones marked ⚠ and first. s: sort by deadline/district; "
        "a: all (verified too).\n"
        "Enter: the sheet that found it; u: this unit only (again: all).\n"
        "v: the re-inspection's verdict (verified, or failed with why: open again); "
        "b: the unit reported it done.\n"
        "Command line: inspect-kit rectify list / update / verify / notice.",
    ),
    "rectify.screen.sort_deadline": ("按期限排序", "Sort by deadline"),
    "rectify.screen.sort_district": ("按区县排序", "Sort by district"),
    "rectify.screen.show_all": ("显示全部/未完成", "All / open only"),
    "rectify.screen.open_sheet": ("打开评分表", "Open the sheet"),
    "rectify.screen.subject": ("对象的整改项", "The subject's items"),
    "rectify.screen.empty": ("没有未完成的整改项。", "No open rectification items."),
    "rectify.screen.no_sheet": ("该整改项不来自评分表", "This item did not come from a sheet"),
    "rectify.screen.verify_pass": ("复查通过", "Verified"),
    "rectify.screen.verify_fail": ("复查未通过", "Failed"),
    "rectify.screen.report": ("报告整改完成", "Reported done"),
    "rectify.screen.note_prompt": (
        "情况说明（复查未通过时必填）",
        "What you found (needed when it failed)",
    ),
    "rectify.dialog.title": ("标记需整改", "Mark to rectify"),
    "rectify.dialog.requirement": (
        "整改要求（默认：题目及扣分理由）",
        "Requirement (default: the item and its reason)",
    ),
    "rectify.dialog.deadline": ("整改期限（YYYY-MM-DD）", "Deadline (YYYY-MM-DD)"),
    "key.mark_rectify": ("需整改", "To rectify"),
    "key.rectify": ("整改", "Rectification"),
    "rectify.plain.menu_mark": (
        "标记需整改的扣分项（已标 {n} 项）",
        "Mark deductions to rectify ({n} marked)",
    ),
    "rectify.plain.menu_verify": (
        "复查该对象的整改项（{n} 项未完成）",
        "Re-inspect this unit's items ({n} open)",
    ),
    "rectify.plain.pick": ("哪一项需整改？", "Which item needs rectifying?"),
    "rectify.plain.mark_other": ("需整改，另定期限", "Yes, another deadline"),
    "rectify.fill.f9": ("F9：逐项复查", "F9: verify them one by one"),
    "rectify.plain.mark_question": ("此项需整改吗？", "Does this need rectifying?"),
    "rectify.plain.mark_no": ("不需要", "No"),
    "rectify.plain.mark_yes": ("需整改（期限 {deadline}）", "Yes, by {deadline}"),
    "rectify.plain.deadline": (
        "整改期限（YYYY-MM-DD，回车 = {deadline}）：",
        "Deadline (YYYY-MM-DD, Enter = {deadline}): ",
    ),
    "rectify.plain.verify_question": (
        "复查 {requirement}（期限 {deadline}）：",
        "Re-inspect {requirement} (by {deadline}):",
    ),
    "rectify.plain.verify_skip": ("暂不确认", "Not now"),
}
