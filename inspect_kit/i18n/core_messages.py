"""The core's sentences (errors with a code, what blocks finalizing, why a grade is what it is) in
Chinese and English. Each is worded here only; the domain, services and every front-end render
them through `tr` or `InspectKitError.render`.

Part of the one catalog (`inspect_kit.i18n.catalog`); kept in its own file only for size.
"""

from __future__ import annotations

CORE_STRINGS: dict[str, tuple[str, str]] = {
    # answers (domain/answers.py, domain/sheet.py)
    "answer.number_needed": ("{what}需要一个数字", "{what_en} needs a number"),
    "answer.not_a_number": (
        "“{raw}”不是数字，{what}需要一个数字",
        "“{raw}” is not a number; {what_en} needs a number",
    ),
    "answer.not_finite": ("{what}需要一个有限的数字", "{what_en} needs a finite number"),
    "answer.list_needed": ("需要一个列表", "A list is needed"),
    "answer.yesno": (
        "请回答“{yes}”或“{no}”，而不是“{raw}”",
        "Answer “{yes}” or “{no}”, not “{raw}”",
    ),
    "answer.note_item": ("说明文字不需要回答", "A note needs no answer"),
    "answer.not_an_option": (
        "“{raw}”不是可选项；可选：{choices}",
        "“{raw}” is not one of the options: {choices}",
    ),
    "answer.score_range": ("得分应在 0 到 {max} 之间", "The score must be from 0 to {max}"),
    "answer.score_step": ("得分须为 {step} 的整数倍", "The score must be a multiple of {step}"),
    "answer.not_a_defect": (
        "“{raw}”不在扣分清单中；清单：{defects}",
        "“{raw}” is not on the checklist: {defects}",
    ),
    "answer.defect_count": (
        "问题数应为 0 或正整数",
        "The number of problems is 0 or a whole number",
    ),
    "answer.too_many_defects": (
        "清单只有 {n} 项，问题数不能更多",
        "The checklist has {n} entries; the number of problems cannot be larger",
    ),
    "answer.below_min": ("不能小于 {min}", "Cannot be less than {min}"),
    "answer.above_max": ("不能大于 {max}", "Cannot be more than {max}"),
    "answer.whole_number": (
        "“{raw}”不是整数：此项只填整数，如 9 或 10（不能有小数）",
        "“{raw}” is not a whole number: this item takes whole numbers such as 9 or 10",
    ),
    "answer.not_a_date": (
        "“{raw}”不是日期；可以写 2026-05-20、2026/5/20、2026年5月20日、5月20日（今年）、今天或昨天",
        "“{raw}” is not a date; write 2026-05-20, 2026/5/20, 2026年5月20日, 5月20日 (this year),"
        " today or yesterday",
    ),
    "answer.no_such_day": ("没有“{raw}”这一天", "There is no such day as “{raw}”"),
    "answer.text_too_long": (
        "文字过长（最多 {max} 字）",
        "Text too long (at most {max} characters)",
    ),
    "answer.unknown_type": ("未知的题型 {type}", "Unknown item type {type}"),
    "answer.na_not_allowed": ("此项不允许“不适用”", "This item cannot be N/A"),
    "answer.no_such_veto": ("没有否决项 {veto}", "No veto {veto}"),
    "answer.no_such_photo": (
        "此项没有照片“{name}”；已附：{photos}",
        "This item has no photo “{name}”; attached: {photos}",
    ),
    # form files (formfiles/loader.py, formfiles/catalog.py)
    "form.no_file": ("找不到表单文件 {path}", "No form file {path}"),
    "form.unknown": (
        "没有表单 '{form_id}'。可用的表单：{known}。用 `inspect-kit forms list` 查看。",
        "No form '{form_id}'. Forms available: {known}. See `inspect-kit forms list`.",
    ),
    # drafts (services/draft_lock.py)
    "draft.locked": (
        "草稿 {uuid} 已在另一个窗口或进程中打开，请先在那里完成或关闭它",
        "Draft {uuid} is open in another window or process; finish or close it there first",
    ),
    "draft.exists": (
        "已有同一张草稿 {uuid}（{form} · {subject} · {rater} · 轮次 {round}），请打开它继续填写",
        "There is a draft {uuid} for the same sheet ({form} · {subject} · {rater} · round "
        "{round}); open it to go on",
    ),
    # rounds (base/rounds.py)
    "round.bad_format": (
        "轮次“{raw}”不符合格式：应为年份（如 2026），或年份加半年（2026-1、2026-2，"
        "也可写 2026上半年、2026下半年）",
        "Round “{raw}” does not fit the format: a year (e.g. 2026), or a year and its half "
        "(2026-1, 2026-2; 2026上半年 and 2026下半年 are read as those)",
    ),
    "round.bad_filter": (
        "轮次“{raw}”不符合格式（应为 2026、2026-1 或 2026-2 这样的写法）；有数据的轮次：{rounds}",
        "Round “{raw}” does not fit the format (2026, 2026-1 or 2026-2); rounds with data: "
        "{rounds_en}",
    ),
    "round.no_data": (
        "轮次 {round} 没有数据；有数据的轮次：{rounds}",
        "Round {round} has no data; rounds with data: {rounds_en}",
    ),
    # a panel leaving a sheet out (domain/panel_rounds.py set_aside)
    "panel.set_aside": (
        "注意：{rater} 对“{subject}”有多张已提交的评分表，汇总只计最后提交的 {kept}，"
        "未计 {dropped}；多余的一张请作废：inspect-kit results void {dropped} --reason 重复",
        "Note: {rater} has more than one finalized sheet for “{subject}”; the panel counts only "
        "the last one, {kept}, not {dropped}. Void the extra one: inspect-kit results void "
        "{dropped} --reason duplicate",
    ),
    # the store's refusals (store/store.py)
    "store.subject_exists": ("编号 {id} 已存在", "Id {id} exists already"),
    "store.no_form_version": (
        "数据库中没有表单版本 {sha}",
        "The database has no form version {sha}",
    ),
    "store.no_draft": ("没有草稿 {uuid}", "No draft {uuid}"),
    "store.blocked": ("还不能提交：{why}", "Cannot finalize yet: {why}"),
    "store.form_version_missing": (
        "数据库中没有此表单版本，无法提交",
        "The database lacks this form version; the sheet cannot be finalized",
    ),
    "store.already_final": (
        "评分表 {uuid} 第 {revision} 版已经提交过",
        "Sheet {uuid} revision {revision} is finalized already",
    ),
    "store.ambiguous_id": (
        "编号 {uuid} 对应多张评分表，请写得更长一些",
        "Id {uuid} matches several sheets; give more of it",
    ),
    "store.no_sheet": ("没有编号为 {uuid} 的已提交评分表", "No finalized sheet with id {uuid}"),
    "store.void_reason": ("作废需要写明理由（--reason）", "Voiding needs a reason (--reason)"),
    "store.already_void": ("这张评分表已经作废", "This sheet is void already"),
    "store.amend_reason": ("修订需要写明理由（--reason）", "Amending needs a reason (--reason)"),
    "store.amend_void": (
        "评分表 {uuid} 已作废，不能修订",
        "Sheet {uuid} is void and cannot be amended",
    ),
    "store.amend_open": (
        "评分表 {uuid} 已有一份未提交的修订草稿（第 {revision} 版）；"
        "请先完成它，或在界面中删除该草稿",
        "Sheet {uuid} has an amendment in progress (revision {revision}); finish it, or delete "
        "that draft in the app",
    ),
    # what blocks finalizing (domain/sheet.py Sheet.blockers)
    "blocker.unanswered": ("{n} 个必答项未回答", "{n} required item(s) unanswered"),
    "blocker.missing_notes": ("{n} 个扣分项缺少扣分理由", "{n} deduction(s) without a reason"),
    # why a grade is what it is (domain/reasons.py)
    "reason.section_min": (
        "总分达到“{band}”分数线，但{sections}得分低于本部分分值的 {share}，"
        "未达到“{blocker}”的分项要求，评为“{grade}”",
        "The score reaches “{band}”, but {sections} scored below {share} of the section's "
        "points, short of what “{blocker}” requires of each section: graded “{grade}”",
    ),
    "reason.veto": ("一票否决：{texts}", "Veto: {texts}"),
    "reason.fail": ("否决性不合格项：{texts}", "Failing answer: {texts}"),
    "reason.veto_short": (
        "否决未过半（不生效）：{texts}",
        "Veto short of a majority (not applied): {texts}",
    ),
    "reason.raised_by": ("{text}（{raters}）", "{text} ({raters})"),
    "reason.join": ("；", "; "),
    "reason.list_join": ("、", ", "),
    # a subject's panel reasons and flags (domain/panel_flags.py)
    "subject.veto": ("一票否决：{text}（{who}）", "Veto: {text} ({who})"),
    "subject.fail": ("否决性不合格项：{text}（{who}）", "Failing answer: {text} ({who})"),
    "subject.veto_short": (
        "否决未过半（不生效）：{text}（{who}）",
        "Veto short of a majority (not applied): {text} ({who})",
    ),
    "subject.who_note": ("{rater}：{note}", "{rater}: {note}"),
    "subject.quorum": (
        "评委不足：{sheets} 张评分表，少于 {min} 张；按{how}",
        "Too few raters: {sheets} sheet(s), fewer than {min}; scored by the {how}",
    ),
    "subject.untrimmed": ("，未去掉最高分和最低分", ", the highest and lowest not dropped"),
    "subject.spread": (
        "评委分差 {spread} 分，超过 {max} 分",
        "Raters {spread} points apart, more than {max}",
    ),
    "subject.voided": (
        "作废评分表 {uuid}（{rater}，理由：{reason}）",
        "Voided sheet {uuid} ({rater}, reason: {reason})",
    ),
    "subject.no_reason": ("未写", "none given"),
    "subject.void_changed": ("：计入时{changes}", ": counted, it would give {changes}"),
    "subject.void_same": ("：不影响结果", ": it does not change the result"),
    "subject.change_score": ("小组得分 {score}", "panel score {score}"),
    "subject.change_grade": ("等次 {grade}", "grade {grade}"),
    "subject.change_method": ("按{how}", "the {how}"),
}
