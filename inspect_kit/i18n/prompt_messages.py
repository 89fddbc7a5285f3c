"""The plain (line-by-line) front-end's sentences in Chinese and English, keyed `plain.*`.

Part of the one catalog (`inspect_kit.i18n.catalog.tr`); kept in its own file only for size.
"""

from __future__ import annotations

PROMPT_STRINGS: dict[str, tuple[str, str]] = {
    # prompter chrome
    "plain.back": ("← 上一题", "← Back"),
    "plain.tick_help": ("（空格勾选，回车确认）", "(space ticks, Enter confirms)"),
    # start, resume, rater
    "plain.header": (
        "{title}｜{name}（{subject}）｜评分人 {rater}｜{round}",
        "{title} | {name} ({subject}) | rater {rater} | round {round}",
    ),
    "plain.tip": (
        "提示：只有选中的才算作答——列表题用 ↑↓ 移到选项再回车，直接回车保持不变（未答仍未答）；"
        "勾选题用空格勾选。文字题输入 < 返回上一题；列表题选“← 上一题”。Ctrl-C 保存草稿并退出。",
        "Tip: only what you pick is recorded: in a list move with ↑↓ and press Enter (Enter "
        "alone leaves the question as it is); tick with Space. Type < at a text prompt to go "
        "back one question; pick “← Back” in a list. Ctrl-C saves the draft and quits.",
    ),
    "plain.resume.ask": (
        "已有一份未完成的草稿（{n} 题已答，保存于 {saved}）",
        "There is an unfinished draft ({n} answered, saved {saved})",
    ),
    "plain.resume.continue": ("继续这份草稿", "Continue this draft"),
    "plain.resume.quit": ("先不填（草稿保留）", "Not now (the draft is kept)"),
    "plain.rater.ask": (
        "评分人姓名（只问一次，之后可用 inspect-kit config rater 修改）",
        "Rater's name (asked once; change it later with inspect-kit config rater)",
    ),
    "plain.rater.need": ("请填写姓名", "Please enter a name"),
    "plain.rater.kept": (
        "已记住评分人：{rater}（修改：inspect-kit config rater 新名字）",
        "Rater remembered: {rater} (change: inspect-kit config rater NEW-NAME)",
    ),
    "plain.input.ended": ("输入已结束，没有开始填写。", "Input ended; nothing was filled."),
    # interruption and saving
    "plain.interrupted": (
        "已中断，草稿已保存（{n} 题已答）。",
        "Interrupted; the draft is saved ({n} answered).",
    ),
    "plain.resume.command": ("继续填写：{command}", "To continue: {command}"),
    "plain.draft.saved": ("草稿已保存（{n} 题已答）。", "Draft saved ({n} answered)."),
    # sections and running totals
    "plain.veto.header": (
        "── 一票否决项（是＝否决，不论得分评为“{grade}”）──",
        "── Veto items (yes = veto: graded “{grade}” whatever the score) ──",
    ),
    "plain.section.bonus": ("加分项，最多加 {cap} 分", "bonus, at most {cap} points"),
    "plain.section.points": ("{points} 分", "{points} points"),
    "plain.section.header": ("── {title}（{worth}）──", "── {title} ({worth}) ──"),
    "plain.total.so_far": (
        "累计 已得 {total} / 可得 {possible}（满分 {full}）",
        "so far {total} / {possible} possible (full marks {full})",
    ),
    "plain.total.bonus": ("，加分 {bonus}", ", bonus {bonus}"),
    "plain.total.section_bonus": (
        "  ▸ {title}：加分 {earned}；{so_far}",
        "  ▸ {title}: bonus {earned}; {so_far}",
    ),
    "plain.total.section": (
        "  ▸ {title}：{earned} / {possible}；{so_far}",
        "  ▸ {title}: {earned} / {possible}; {so_far}",
    ),
    # one question
    "plain.item.number": ("[{n}/{of}] {id}{worth}", "[{n}/{of}] {id}{worth}"),
    "plain.item.worth": ("（{points} 分）", " ({points} pts)"),
    "plain.item.guidance": ("  检查要点：{text}", "  Check: {text}"),
    "plain.item.methods": ("  方法：{text}", "  Methods: {text}"),
    "plain.item.hint": ("  提示：{text}", "  Hint: {text}"),
    "plain.item.bands": ("  计分：{text}", "  Scoring: {text}"),
    "plain.item.band": ("≥{min}{unit} 得 {points} 分", "≥{min}{unit}: {points} pts"),
    "plain.item.band_sep": ("；", "; "),
    "plain.item.note": ("  ※ {text}", "  ※ {text}"),
    "plain.option.worth": ("{label}（{points} 分）", "{label} ({points} pts)"),
    "plain.na": ("不适用", "N/A"),
    "plain.na.word": ("不适用", "n/a"),
    "plain.clear": ("清除答案（改为未答）", "Clear the answer (unanswered)"),
    "plain.keep.none": (
        "（未作答：↑↓ 选择后回车；直接回车跳过）",
        "(unanswered: move with ↑↓, then Enter; Enter alone skips)",
    ),
    "plain.keep.current": ("（保持不变：{shown}）", "(keep as it is: {shown})"),
    "plain.none.multi": ("以上都没有", "None of these"),
    "plain.none.defects": ("未发现上述问题（不扣分）", "None of these problems (no deduction)"),
    "plain.none.shown": ("无", "none"),
    "plain.ticks.conflict": (
        "  “不适用”“以上都没有”不能与其他选项同时勾选，请重新勾选。",
        "  “N/A” and “none” cannot be ticked with anything else; tick again.",
    ),
    "plain.multi": ("{text}（可多选）", "{text} (pick any)"),
    "plain.defects": (
        "{text}：勾选发现的问题（每项扣 {per} 分，不勾＝没有问题）",
        "{text}: tick the problems found ({per} pts each; none ticked = no problems)",
    ),
    "plain.text.score": ("0–{max} 分，步长 {step}", "0–{max} points, step {step}"),
    "plain.text.deduct": (
        "发现几处问题，每处扣 {per} 分，0＝没有问题",
        "number of problems found, {per} pts each, 0 = none",
    ),
    "plain.text.unit": ("单位：{unit}", "unit: {unit}"),
    "plain.text.date": (
        "如 2026-05-20、2026/5/20、2026年5月20日、5月20日，或“今天”“昨天”",
        "e.g. 2026-05-20, 2026/5/20, 5月20日, “today” or “yesterday”",
    ),
    "plain.text.integer": ("只填整数", "whole numbers only"),
    "plain.text.sign": ("输入姓名签名，如 {rater}", "type a name to sign, e.g. {rater}"),
    "plain.text.photo": ("照片文件路径，多张用 ; 分隔", "photo file paths, several separated by ;"),
    "plain.text.na": ("输入“不适用”表示不适用", "type “n/a” for not applicable"),
    "plain.text.optional": ("可留空", "may be left empty"),
    "plain.text.back": ("< 返回上一题", "< goes back"),
    "plain.text.sep": ("；", "; "),
    "plain.text.instruction": ("（{parts}）", "({parts})"),
    "plain.text.empty": ("  （未填，提交前需要补上）", "  (empty; needed before finalizing)"),
    "plain.photos.saved": ("  已保存 {n} 张照片到 {folder}", "  Saved {n} photo(s) to {folder}"),
    "plain.photos.removed": ("  已删除照片：{names}", "  Removed photo(s): {names}"),
    "plain.note.ask": ("扣分理由（扣 {lost} 分）", "Reason for the deduction (−{lost} pts)"),
    "plain.note.need": ("此表要求每处扣分写明理由", "This form needs a reason for every deduction"),
    "plain.note.required": ("（必填；< 返回修改得分）", "(required; < to change the score)"),
    "plain.note.optional": ("（可留空；< 返回修改得分）", "(may be empty; < to change the score)"),
    "plain.veto.guidance": ("  依据：{text}", "  Basis: {text}"),
    "plain.veto.ask": ("一票否决：{text}", "Veto: {text}"),
    "plain.veto.no": ("否（未发生）", "No (did not happen)"),
    "plain.veto.yes": ("是（一票否决）", "Yes (veto)"),
    "plain.veto.note": ("情况说明", "What happened"),
    "plain.veto.note_help": (
        "（必填：发生了什么、何时、依据；< 返回改选是/否）",
        "(required: what, when, on what grounds; < to change yes/no)",
    ),
    "plain.veto.note_need": ("一票否决须写明情况说明", "A veto needs its account of what happened"),
    "plain.veto.left": ("  （未作答，提交前需要补上）", "  (unanswered; needed before finalizing)"),
    # review
    "plain.review.total": ("总分 {total}，等次 {grade}", "Total {total}, grade {grade}"),
    "plain.review.total_bonus": (
        "总分 {total}，加分 {bonus}，合计 {final}，等次 {grade}",
        "Total {total}, bonus {bonus}, together {final}, grade {grade}",
    ),
    "plain.review.so_far": (
        "已答部分得 {earned} 分（已答可得 {possible}，满分 {full}）；尚有未答项，等次待答完后评定",
        "{earned} points so far (of {possible} possible so far, {full} in all); "
        "questions still open, so no grade yet",
    ),
    "plain.review.reason": ("（{reason}）", " ({reason})"),
    "plain.review.more": ("  · ……另有 {n} 项", "  · … {n} more"),
    "plain.review.todo": ("补答未完成的 {n} 项", "Answer the {n} open item(s)"),
    "plain.review.finalize": ("提交（定稿）", "Finalize"),
    "plain.review.change": ("跳到某一题（查看或修改）", "Go to a question (view or change)"),
    "plain.review.list": ("列出全部答案", "List every answer"),
    "plain.review.not_yet": ("先不提交（返回）", "Not yet (back)"),
    "plain.review.yes_finalize": ("确定提交", "Yes, finalize"),
    "plain.review.quit": ("保存草稿并退出", "Save the draft and quit"),
    "plain.review.next": ("下一步", "Next step"),
    "plain.review.blocked": ("还不能提交：{why}", "Cannot finalize yet: {why}"),
    "plain.review.blocked_sep": ("；", "; "),
    "plain.review.confirm": (
        "提交后不能再修改（只能修订），确定提交？",
        "A finalized sheet cannot be edited (only amended). Finalize?",
    ),
    "plain.review.done": (
        "已提交：{uuid}  总分 {total}  {grade}",
        "Finalized: {uuid}  total {total}  {grade}",
    ),
    "plain.list.header": (
        "══ 复核：提交前的全部答案（可跳到任一题修改）══",
        "══ Review: every answer before finalizing (go to any question to change it) ══",
    ),
    "plain.list.section": ("── {title}：{earned} ──", "── {title}: {earned} ──"),
    "plain.list.section_plain": ("── {title} ──", "── {title} ──"),
    "plain.list.bonus": ("加分 {earned}", "bonus {earned}"),
    "plain.list.item": ("  {id} {text} = {shown}{points}", "  {id} {text} = {shown}{points}"),
    "plain.list.points": ("（{got}/{max} 分）", " ({got}/{max} pts)"),
    "plain.list.note": ("      扣分理由：{note}", "      Reason for the deduction: {note}"),
    "plain.list.remark": ("      说明：{note}", "      Remark: {note}"),
    "plain.list.note_missing": ("      缺扣分理由", "      Deduction reason missing"),
    "plain.list.photos": ("      照片：{names}", "      Photos: {names}"),
    "plain.list.vetoes": ("── 一票否决 ──", "── Vetoes ──"),
    "plain.list.veto": ("  {text} = {shown}", "  {text} = {shown}"),
    "plain.list.veto_note": ("      情况说明：{note}", "      What happened: {note}"),
    "plain.todo.veto": ("未答：一票否决 {text}", "Unanswered: veto {text}"),
    "plain.todo.item": ("未答：{text}", "Unanswered: {text}"),
    "plain.todo.note": ("缺扣分理由：{text}", "Deduction reason missing: {text}"),
    "plain.change.veto": ("否决项 · {text} = {shown}", "Veto · {text} = {shown}"),
    "plain.change.item": ("{id} · {text} = {shown}", "{id} · {text} = {shown}"),
    "plain.change.ask": (
        "修改哪一题（↑↓ 选择，或键入题号筛选，如 photos）",
        "Which question? (↑↓, or type part of its id, e.g. photos)",
    ),
    "plain.unanswered": ("未答", "unanswered"),
    "plain.yes": ("是", "yes"),
    "plain.no": ("否", "no"),
    # English wording of checks that carry no catalog code (a photo path, a bare message)
    "plain.invalid.photo": ("", "Photo file not found (several paths: separate them with ;)"),
    "plain.invalid.text": ("", "Invalid answer"),
}
