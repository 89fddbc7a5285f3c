"""Strings of the plain (line-by-line) front-end in Chinese (default) and English.

The same pattern as inspect_kit/tui/i18n.py, kept apart so prompt/ never imports the TUI.
Form text comes from the form: its `*_en` fields in English where present, else the Chinese.
Answers are stored in canonical (Chinese) form whatever the language.
"""

from __future__ import annotations

from typing import Any

STRINGS: dict[str, tuple[str, str]] = {
    # prompter chrome
    "back": ("← 上一题", "← Back"),
    "tick_help": ("（空格勾选，回车确认）", "(space ticks, Enter confirms)"),
    # start, resume, rater
    "header": (
        "{title}｜{name}（{subject}）｜评分人 {rater}｜{round}",
        "{title} | {name} ({subject}) | rater {rater} | round {round}",
    ),
    "tip": (
        "提示：文字题输入 < 返回上一题；列表题选“← 上一题”。Ctrl-C 保存草稿并退出。",
        "Tip: type < at a text prompt to go back one question; pick “← Back” in a list. "
        "Ctrl-C saves the draft and quits.",
    ),
    "resume.ask": (
        "已有一份未完成的草稿（{n} 题已答，保存于 {saved}）",
        "There is an unfinished draft ({n} answered, saved {saved})",
    ),
    "resume.continue": ("继续这份草稿", "Continue this draft"),
    "resume.new": ("新开一张（旧草稿保留）", "Start a new sheet (the old draft is kept)"),
    "rater.ask": (
        "评分人姓名（只问一次，之后可用 inspect-kit config rater 修改）",
        "Rater's name (asked once; change it later with inspect-kit config rater)",
    ),
    "rater.need": ("请填写姓名", "Please enter a name"),
    "rater.kept": (
        "已记住评分人：{rater}（修改：inspect-kit config rater 新名字）",
        "Rater remembered: {rater} (change: inspect-kit config rater NEW-NAME)",
    ),
    "input.ended": ("输入已结束，没有开始填写。", "Input ended; nothing was filled."),
    # interruption and saving
    "interrupted": (
        "已中断，草稿已保存（{n} 题已答）。",
        "Interrupted; the draft is saved ({n} answered).",
    ),
    "resume.command": ("继续填写：{command}", "To continue: {command}"),
    "draft.saved": ("草稿已保存（{n} 题已答）。", "Draft saved ({n} answered)."),
    # sections and running totals
    "veto.header": (
        "── 一票否决项（是＝否决，不论得分评为“{grade}”）──",
        "── Veto items (yes = veto: graded “{grade}” whatever the score) ──",
    ),
    "section.bonus": ("加分项，最多加 {cap} 分", "bonus, at most {cap} points"),
    "section.points": ("{points} 分", "{points} points"),
    "section.header": ("── {title}（{worth}）──", "── {title} ({worth}) ──"),
    "total.so_far": (
        "累计 已得 {total} / 可得 {possible}（满分 {full}）",
        "so far {total} / {possible} possible (full marks {full})",
    ),
    "total.bonus": ("，加分 {bonus}", ", bonus {bonus}"),
    "total.section_bonus": (
        "  ▸ {title}：加分 {earned}；{so_far}",
        "  ▸ {title}: bonus {earned}; {so_far}",
    ),
    "total.section": (
        "  ▸ {title}：{earned} / {possible}；{so_far}",
        "  ▸ {title}: {earned} / {possible}; {so_far}",
    ),
    # one question
    "item.number": ("[{n}/{of}] {id}{worth}", "[{n}/{of}] {id}{worth}"),
    "item.worth": ("（{points} 分）", " ({points} pts)"),
    "item.guidance": ("  检查要点：{text}", "  Check: {text}"),
    "item.methods": ("  方法：{text}", "  Methods: {text}"),
    "item.hint": ("  提示：{text}", "  Hint: {text}"),
    "item.bands": ("  计分：{text}", "  Scoring: {text}"),
    "item.band": ("≥{min}{unit} 得 {points} 分", "≥{min}{unit}: {points} pts"),
    "item.band_sep": ("；", "; "),
    "item.note": ("  ※ {text}", "  ※ {text}"),
    "option.worth": ("{label}（{points} 分）", "{label} ({points} pts)"),
    "na": ("不适用", "N/A"),
    "na.word": ("不适用", "n/a"),
    "skip": ("（不填）", "(leave empty)"),
    "multi": ("{text}（可多选）", "{text} (pick any)"),
    "defects": (
        "{text}：勾选发现的问题（每项扣 {per} 分，不勾＝没有问题）",
        "{text}: tick the problems found ({per} pts each; none ticked = no problems)",
    ),
    "text.score": ("0–{max} 分，步长 {step}", "0–{max} points, step {step}"),
    "text.deduct": (
        "发现几处问题，每处扣 {per} 分，0＝没有问题",
        "number of problems found, {per} pts each, 0 = none",
    ),
    "text.unit": ("单位：{unit}", "unit: {unit}"),
    "text.date": ("如 2026-05-01，或输入“今天”", "e.g. 2026-05-01, or “today”"),
    "text.photo": ("照片文件路径，多张用 ; 分隔", "photo file paths, several separated by ;"),
    "text.na": ("输入“不适用”表示不适用", "type “n/a” for not applicable"),
    "text.optional": ("可留空", "may be left empty"),
    "text.back": ("< 返回上一题", "< goes back"),
    "text.sep": ("；", "; "),
    "text.instruction": ("（{parts}）", "({parts})"),
    "text.empty": ("  （未填，提交前需要补上）", "  (empty; needed before finalizing)"),
    "photos.saved": ("  已保存 {n} 张照片到 {folder}", "  Saved {n} photo(s) to {folder}"),
    "note.ask": ("扣分理由（扣 {lost} 分）", "Reason for the deduction (−{lost} pts)"),
    "note.need": ("此表要求每处扣分写明理由", "This form needs a reason for every deduction"),
    "note.required": ("（必填；< 返回修改得分）", "(required; < to change the score)"),
    "note.optional": ("（可留空；< 返回修改得分）", "(may be empty; < to change the score)"),
    "veto.guidance": ("  依据：{text}", "  Basis: {text}"),
    "veto.ask": ("一票否决：{text}", "Veto: {text}"),
    "veto.no": ("否（未发生）", "No (did not happen)"),
    "veto.yes": ("是（一票否决）", "Yes (veto)"),
    "veto.note": ("否决依据（可留空）", "Grounds for the veto (may be empty)"),
    # review
    "review.total": ("总分 {total}，等次 {grade}", "Total {total}, grade {grade}"),
    "review.reason": ("（{reason}）", " ({reason})"),
    "review.more": ("  · ……另有 {n} 项", "  · … {n} more"),
    "review.todo": ("补答未完成的 {n} 项", "Answer the {n} open item(s)"),
    "review.finalize": ("提交（定稿）", "Finalize"),
    "review.change": ("修改某一题", "Change an answer"),
    "review.quit": ("保存草稿并退出", "Save the draft and quit"),
    "review.next": ("下一步", "Next step"),
    "review.blocked": ("还不能提交：{why}", "Cannot finalize yet: {why}"),
    "review.blocked_sep": ("；", "; "),
    "review.unanswered": ("{n} 个必答项未回答", "{n} required item(s) unanswered"),
    "review.missing_notes": (
        "{n} 个扣分项缺少扣分理由",
        "{n} deduction(s) without a reason",
    ),
    "review.confirm": (
        "提交后不能再修改（只能修订），确定提交？",
        "A finalized sheet cannot be edited (only amended). Finalize?",
    ),
    "review.done": (
        "已提交：{uuid}  总分 {total}  {grade}",
        "Finalized: {uuid}  total {total}  {grade}",
    ),
    "todo.veto": ("未答：一票否决 {text}", "Unanswered: veto {text}"),
    "todo.item": ("未答：{text}", "Unanswered: {text}"),
    "todo.note": ("缺扣分理由：{text}", "Deduction reason missing: {text}"),
    "reason.veto": ("一票否决：{texts}", "veto: {texts}"),
    "reason.section": (
        "总分达到“{band}”，但有部分低于该等次要求",
        "the total reaches “{band}”, but a section is below that grade's minimum",
    ),
    "change.veto": ("否决项 · {text} = {shown}", "Veto · {text} = {shown}"),
    "change.item": ("{id} · {text} = {shown}", "{id} · {text} = {shown}"),
    "change.ask": ("修改哪一题", "Which question?"),
    "unanswered": ("未答", "unanswered"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # English wording of answer checks (normalize_value speaks Chinese)
    "invalid.score": ("", "Enter a score from 0 to {max} in steps of {step}"),
    "invalid.deduct": ("", "Enter the number of problems found: 0 or a whole number"),
    "invalid.number": ("", "Enter a number{range}"),
    "invalid.date": ("", "Enter a date like 2026-05-01, or “today”"),
    "invalid.photo": ("", "Photo file not found (several paths: separate them with ;)"),
    "invalid.text": ("", "Invalid answer"),
}

# Yes/no label pairs of the built-in forms, in English (a yes/no stores a bool either way).
YESNO_EN: dict[tuple[str, str], tuple[str, str]] = {
    ("是", "否"): ("Yes", "No"),
    ("有", "无"): ("Yes", "No"),
    ("符合", "不符合"): ("Meets", "Does not meet"),
    ("已报送", "未报送"): ("Submitted", "Not submitted"),
}


def tr(key: str, lang: str = "zh", **values: object) -> str:
    """The string for `key` in `lang` (zh unless "en"), with `{name}` placeholders filled."""
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def text_for(obj: Any, lang: str) -> str:
    """An item's, veto's or note's text: `text_en` in English where present."""
    return (getattr(obj, "text_en", None) or obj.text) if lang == "en" else obj.text


def title_for(obj: Any, lang: str) -> str:
    """A section's or form's title: `title_en` in English where present."""
    return (getattr(obj, "title_en", None) or obj.title) if lang == "en" else obj.title


def label_for(option: Any, lang: str) -> str:
    """An option's label as shown (the stored value stays `option.label`)."""
    return (option.label_en or option.label) if lang == "en" else option.label


def yesno_labels(labels: tuple[str, str], lang: str) -> tuple[str, str]:
    """Yes/no labels as shown; unknown pairs stay as the form writes them."""
    return YESNO_EN.get(tuple(labels), labels) if lang == "en" else labels  # type: ignore[arg-type]


def grade_for(form: Any, grade: str | None, lang: str) -> str:
    """A grade name as shown: `grade_en` in English where the form has it."""
    if lang != "en" or grade is None:
        return grade or ""
    for g in form.grades:
        if g.grade == grade:
            return g.grade_en or g.grade
    return grade
