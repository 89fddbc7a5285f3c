"""The command line's own sentences in Chinese and English (hints that name a command take it
as `{command}`, built by `Kit.command`, so it can be pasted as printed).

Part of the one catalog (`inspect_kit.i18n.catalog.tr`).
"""

from __future__ import annotations

CLI_STRINGS: dict[str, tuple[str, str]] = {
    "cli.interrupted": ("已中断。", "Interrupted."),
    "cli.need_terminal": (
        "{what}需要在终端中运行（当前没有终端）。",
        "{what} needs a terminal (there is none here). ",
    ),
    "cli.what.tui": ("全屏界面", "The full-screen app"),
    "cli.what.plain": ("逐题填写（--plain）", "Filling item by item (--plain)"),
    "cli.what.wizard": ("新建表单向导", "The new-form wizard"),
    "cli.wizard.no_terminal": (
        "也可以复制一份内置表单（{show}）改写后用 `{validate}` 检查。",
        "Or copy a built-in form ({show}), edit it and check it with `{validate}`.",
    ),
    "cli.demo.next": ("查看：{list}    打开界面：{tui}", "See: {list}    Open the app: {tui}"),
    "cli.amend.next": (
        "草稿已保存，原版本保持不变。继续修改并提交：在终端运行 `{tui}`，"
        "在草稿列表中打开 {uuid}（第 {rev} 版）。",
        "Draft saved; the old revision is unchanged. To edit and finalize it: run `{tui}` in a "
        "terminal and open {uuid} (revision {rev}) from the drafts list.",
    ),
    "cli.amend.reason": (
        "修订需要写明理由，例如：{command}",
        "An amendment needs a reason, e.g. {command}",
    ),
    "cli.roster.empty": (
        "名册为空。用 `{import_}` 或 `{demo}` 添加。",
        "The roster is empty. Add subjects with `{import_}` or `{demo}`.",
    ),
    "cli.tui.no_terminal": (
        "请在终端中运行 {tui}，或用 `{fill}` 导入答案。",
        "Run {tui} in a terminal, or import answers with `{fill}`.",
    ),
    "cli.fill.no_terminal": (
        "没有终端时请用答案文件：{command}（YAML/JSON：题目编号: 答案）。",
        "Without a terminal, use an answer file: {command} (YAML/JSON: item id: answer).",
    ),
    "cli.fill.no_subject": (
        "名册中没有对象 {subject}。先添加：{command}（或 subjects import CSV）。",
        "No subject {subject} in the roster. Add it first: {command} (or subjects import CSV).",
    ),
    "cli.doctor.restore_first": (
        "有文件损坏，无法重建索引；请先运行 `{command}`。",
        "A file is damaged, the index cannot be rebuilt; run `{command}` first.",
    ),
    "cli.doctor.remembered": (
        "其中 {n} 个文件自上次检查通过后未改动，沿用了上次的结果；`{command}` 全部重新检查。",
        "{n} file(s) unchanged since a check found them healthy kept that result; "
        "`{command}` checks everything again.",
    ),
    "cli.doctor.restore": (
        "运行 `{command}` 从最新的完好备份恢复。",
        "Run `{command}` to put back the newest good backup.",
    ),
    "cli.conflicts.count": (
        "共 {n} 个冲突，{open} 个未处理。处理：{command}",
        "{n} conflict(s), {open} open. Resolve: {command}",
    ),
    "cli.list.empty": ("没有已提交的评分表。", "No finalized sheets."),
    "cli.list.count": ("共 {n} 张", "{n} sheet(s)"),
    "cli.list.uuid": ("编号", "Sheet"),
    "cli.list.form": ("表单", "Form"),
    "cli.list.round": ("轮次", "Round"),
    "cli.list.subject": ("对象编号", "Subject"),
    "cli.list.name": ("对象", "Name"),
    "cli.list.rater": ("评分人", "Rater"),
    "cli.list.score": ("得分", "Score"),
    "cli.list.grade": ("等次", "Grade"),
    "cli.list.flag": ("备注", "Note"),
    "cli.list.void": ("作废", "void"),
    "cli.list.vetoed": ("否决", "vetoed"),
    "cli.subjects.header": ("编号|名称|类别|区县|级别", "Id|Name|Kind|District|Level"),
    # forms show (cli/forms_cmd.py)
    "cli.forms.show.total": ("满分 {total}", "Total {total}"),
    "cli.forms.show.bonus": ("，加分上限 {cap}", ", bonus cap {cap}"),
    "cli.forms.show.cap": ("，总分（含加分）最高 {cap}", ", score (with bonus) at most {cap}"),
    "cli.forms.show.bonus_counts": ("，加分计入等次", ", the bonus counts toward the grade"),
    "cli.forms.show.bonus_apart": (
        "，加分不计入等次",
        ", the bonus does not count toward the grade",
    ),
    "cli.forms.show.floor": ("（各部分 ≥{share}）", " (each section ≥{share})"),
    "cli.forms.show.grades": ("等次：", "Grades: "),
    "cli.forms.show.section": ("[{id}] {title}（{label}）", "[{id}] {title} ({label})"),
    "cli.forms.show.bonus_section": ("加分", "bonus"),
    "cli.forms.show.points": ("{points} 分", "{points} pts"),
    "cli.forms.show.unscored": ("不计分", "unscored"),
    "cli.forms.show.vetoes": ("一票否决：", "Vetoes:"),
    "cli.forms.header": (
        "表单|版本|名称|题数|满分|来源",
        "Form|Version|Title|Items|Total|Source",
    ),
    "cli.forms.builtin": ("内置", "built-in"),
    "cli.forms.workspace": ("工作区", "workspace"),
    "cli.forms.broken": ("无法读取：{problem}", "Cannot read: {problem}"),
    # `inspect-kit panel` (its table; the reasons and flags come worded from the panel)
    "cli.panel.head": ("{title}  [{form}]  轮次 {round}", "{title}  [{form}]  round {round}"),
    "cli.panel.counts": (
        "对象 {subjects} 个，评分表 {sheets} 张，评委 {raters} 人（{names}）",
        "{subjects} subjects, {sheets} sheets, {raters} raters ({names})",
    ),
    "cli.panel.rule": ("规则：{rule}", "Rule: {rule}"),
    "cli.panel.method.mean": ("算术平均", "arithmetic mean"),
    "cli.panel.method.median": ("中位数", "median"),
    "cli.panel.method.trimmed-mean": (
        "去掉 {trim} 个最高分和 {trim} 个最低分后平均（{min} 人及以上，否则算术平均）",
        "mean after dropping the {trim} highest and {trim} lowest ({min} raters or more, "
        "else the arithmetic mean)",
    ),
    "cli.panel.quorum": (
        "少于 {min} 张评分表标记评委不足",
        "fewer than {min} sheets is flagged as too few raters",
    ),
    "cli.panel.spread_rule": (
        "分差超过 {spread} 分标记 ⚠",
        "a spread over {spread} points is marked ⚠",
    ),
    "cli.panel.veto.any": ("任一评委提出即否决", "one rater's veto applies"),
    "cli.panel.veto.majority": ("过半数评委提出才否决", "a veto applies when most raters raise it"),
    "cli.panel.tally": ("等次：{parts}", "Grades: {parts}"),
    "cli.panel.apart": ("（其中{parts}）", " (of which {parts})"),
    "cli.panel.vetoed": ("否决 {n}", "vetoed {n}"),
    "cli.panel.downgraded": ("降等 {n}", "downgraded {n}"),
    "cli.panel.columns": (
        "名次|对象|人数|各评委总分|小组得分|等次|分差|自评",
        "Rank|Subject|Raters|Raters' totals|Panel score|Grade|Spread|Self",
    ),
    "cli.panel.dropped": ("括号内为去掉的最高分和最低分。", "Totals in brackets were dropped."),
    "cli.panel.short": (
        "人数后的 ! 表示评委不足（少于 {min} 张评分表）。",
        "! after the rater count: too few raters (fewer than {min} sheets).",
    ),
    "cli.panel.bonus": (
        "加分另计，最多 {cap} 分；各分数由未取整的数值取整一次。",
        "Bonus is added on top, at most {cap} points; every score is rounded once from the "
        "unrounded values.",
    ),
    "cli.panel.self_only": (
        "只有自评、尚无检查组评分：",
        "Self-assessments only, no panel sheet yet:",
    ),
    "cli.panel.leniency": (
        "评委宽严度（该评委总分与各对象评委中位数之差的平均；正数偏宽，负数偏严）：",
        "Rater leniency (mean difference from each subject's median; positive is lenient, "
        "negative strict):",
    ),
    "cli.panel.leniency_n": ("（{n} 个对象）", "({n} subjects)"),
    # a panel method's name (domain.panel_words.method_name): short in tables, long in sentences
    "panel.method_name.short.mean": ("算术平均", "mean"),
    "panel.method_name.short.median": ("中位数", "median"),
    "panel.method_name.short.trimmed-mean": ("去掉最高最低后平均", "trimmed mean"),
    "panel.method_name.long.mean": ("算术平均", "arithmetic mean"),
    "panel.method_name.long.median": ("中位数", "median"),
    "panel.method_name.long.trimmed-mean": (
        "去掉最高分和最低分后平均",
        "mean after dropping the highest and lowest",
    ),
}
