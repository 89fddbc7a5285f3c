"""`--help` in Chinese: every command's and option's help text, keyed by command path.

The English is what the code writes (`help=`, docstrings: a docstring starting "中文 / English"
shows its English half in English). Keys: `inspect-kit results list` for a command,
`inspect-kit results list --form` for an option, `… --workspace default` for an option's
shown default. `ARGUMENTS_ZH` names positional arguments in usage lines.
"""

from __future__ import annotations


def _rows(*rows: tuple[str, str], column: int) -> str:
    """Two-column lines, the second starting at display column `column` (Chinese is 2 wide)."""
    import unicodedata

    def cells(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    return "\n".join(f"  {a}{' ' * max(column - cells(a), 1)}{b}".rstrip() for a, b in rows)


_ANSWER_FILE = "\b\n答案文件（YAML 或 JSON）：\n" + _rows(
    ("sign-posted: 规范", "# 题目 id: 答案"),
    ("site-safety: {value: 2, note: 两处灭火器过期}", ""),
    ("facility-access: {na: true}", ""),
    ("rater: 王建国", "# 可选：rater、round"),
    ("finalize: true", "# false：存为草稿（默认 true）"),
    ("vetoes: {veto-safety: false, veto-fees: {fired: true, note: 收费}}", ""),
    ("rectify: {site-safety: 2026-06-30}", "# 需整改的扣分项及期限（true = 默认期限）"),
    column=31,
)

_SHEET_COLUMNS = (
    "\b\n列（UTF-8，有无 BOM 均可；用 --labels ids 导出的 CSV 可直接导入）：\n"
    + _rows(
        ("subject, rater, round", "哪一张表（对象须在名册中）"),
        ("<题目id>", "答案（选项名、数字、是/否，多项用 、 或 ; 分隔）"),
        ("<题目id>.note", "扣分理由（表单要求时，扣分项必填）"),
        ("veto:<否决项id>", "每个一票否决项填 是/否（veto:<id>.note 可选），"),
        ("或 vetoes", "列出触发的否决项 id（或文字）；空 = 无"),
        ("uuid, revision", "给出时保留（同一张表不能重复导入）"),
        column=31,
    )
    + "\n其他列（部分得分、总分、等次、<题目id>.points ……）忽略。"
)

CLI_HELP_ZH: dict[str, str] = {
    # the group and its global options
    "inspect-kit": "inspect-kit：关工委检查评分工具。\n\n不带命令运行时打开全屏界面。",
    "inspect-kit --workspace": "存放 forms/ 和 results/ 的文件夹。",
    "inspect-kit --workspace default": "当前文件夹",
    "inspect-kit --db": "数据库文件（默认 <工作区>/results/inspect-kit.json）。",
    "inspect-kit --lang": "界面语言（默认取 `inspect-kit config` 的设置，否则为中文）。",
    # tui, demo, config, serve
    "inspect-kit tui": "全屏界面：填写评分表、继续草稿、浏览结果。",
    "inspect-kit tui --draft": "直接打开这份草稿（uuid）。",
    "inspect-kit demo": "示例数据：生成多位评分人、多个轮次的评分表和草稿。",
    "inspect-kit demo --subjects": "每张表单的对象数。",
    "inspect-kit demo --raters": "每个对象的评分人数。",
    "inspect-kit demo --rounds": "年度轮次数，截止到今年。",
    "inspect-kit demo --seed": "随机种子：种子相同，数据相同。",
    "inspect-kit demo --form": "只生成这些表单（默认：全部内置表单）。",
    "inspect-kit config": "设置：评分人、审核人、默认轮次、语言。",
    "inspect-kit serve": "在浏览器中使用全屏界面（只在 127.0.0.1 上）。",
    "inspect-kit serve --port": "127.0.0.1 上的端口。",
    "inspect-kit serve --public-host-i-understand-the-risk": (
        "在 HOST 上监听，而不是 127.0.0.1。没有登录验证：能访问它的任何人都能查看和修改数据。"
    ),
    "inspect-kit doctor": "检查数据库，必要时从备份恢复。",
    "inspect-kit doctor --restore": "每个损坏的文件放回它通过全部检查的最新备份（先询问）。",
    "inspect-kit doctor --yes": "不再询问确认。",
    "inspect-kit doctor --clean": "删除中断的写入留下的临时文件。",
    "inspect-kit doctor --repair": "根据归档分片重建评分表索引。",
    "inspect-kit doctor --from": "放回指定的备份文件（最新备份也坏了时，用 --list 选一个较早的）。",
    "inspect-kit doctor --list": "列出每个文件的全部备份（从新到旧）及检查结果。",
    "inspect-kit doctor --verify": "核验每台设备签名、按哈希链接的事件记录。",
    "inspect-kit doctor --full": "全部重新检查，包括上次检查通过后未改动的文件（平时会跳过它们）。",
    "inspect-kit devices": "设备密钥：签名与信任。",
    "inspect-kit devices list": "本工作区信任的设备密钥。",
    "inspect-kit devices show": "本机的公钥（首次使用时生成），供办公室登记。",
    "inspect-kit devices trust": "接受由 KEY 签名的数据包（KEY 来自那台电脑的 devices show）。",
    "inspect-kit devices trust --name": "设备名称，例如检查员的笔记本。",
    "inspect-kit devices untrust": "不再接受由 KEY 签名的数据包。",
    # sync (several laptops through Syncthing)
    "inspect-kit sync": "多台电脑同步：评分表通过 Syncthing 自动送到办公室。",
    "inspect-kit sync init": "为本工作区设置同步：私有的 Syncthing 目录、发件箱和收件箱。",
    "inspect-kit sync init --listen": "同步协议的监听地址（默认 tcp://0.0.0.0:22000）。",
    "inspect-kit sync init --api": "界面/REST 地址，只能在 127.0.0.1 上（默认一个空闲端口）。",
    "inspect-kit sync init --discovery": "开启全局发现和中继（默认关闭）。",
    "inspect-kit sync id": "本机的 Syncthing 设备 ID，供另一台电脑配对。",
    "inspect-kit sync pair": "把本机发件箱发给 DEVICE_ID，并接收它的发件箱。",
    "inspect-kit sync pair --name": "那台设备的名称，例如 鄞州区办公室。",
    "inspect-kit sync pair --address": "它的地址（默认：通过发现查找）。",
    "inspect-kit sync unpair": (
        "停止与 DEVICE_ID 同步（电脑丢失时，另用 devices untrust 取消其密钥）。"
    ),
    "inspect-kit sync run": "运行 Syncthing，收到数据包就导入，直到 Ctrl-C 或 SIGTERM。",
    "inspect-kit sync run --interval": "每隔多少秒查看一次收件箱。",
    "inspect-kit sync import": (
        "导入 sync/inbox/ 下每个新的数据包（每个要么全部导入，要么不导入）。"
    ),
    "inspect-kit sync status": "每台已配对的设备：最近在线、已发送、收到、已导入、待导入、冲突。",
    "inspect-kit sync status --json": "以 JSON 输出状态。",
    # fill
    "inspect-kit fill": "逐题填写（--plain）或从答案文件填写（--answers）。\n\n" + _ANSWER_FILE,
    "inspect-kit fill --subject": "名册中的对象编号。",
    "inspect-kit fill --rater": "评分人（默认：`inspect-kit config rater`）。",
    "inspect-kit fill --round": "轮次，如 2026（默认：设置值，否则为今年）。",
    "inspect-kit fill --plain": "在终端中逐题提问（questionary）。",
    "inspect-kit fill --answers": "不提问，从 YAML/JSON 答案文件填写。",
    # forms
    "inspect-kit forms": "表单：列出、查看、校验、新建。",
    "inspect-kit forms list": "列出内置表单和工作区表单。",
    "inspect-kit forms list --json": "机器可读的输出。",
    "inspect-kit forms new": "新建评分表：用向导在工作区的 forms/ 中写一个表单 YAML 文件。",
    "inspect-kit forms schema": "打印表单文件的 JSON Schema（供编辑器自动补全）。",
    "inspect-kit forms show": "打印表单的部分、题目和分值。",
    "inspect-kit forms show --json": (
        "以 JSON 输出载入后的表单：各部分（分值、是否加分项）与各题（类型、分值、中英文文字）。"
    ),
    "inspect-kit forms validate": "检查表单文件（默认：全部工作区表单和内置表单）。",
    "inspect-kit forms print": "空白表单的 A4 PDF，供现场纸质填写（勾选框、导入用的列名）。",
    "inspect-kit forms print --out": "PDF 文件（默认放在 <工作区>/results/prints/）。",
    # panel, chart, report
    "inspect-kit panel": "小组评分汇总：inspect-kit panel FORM [--round R] [--json]；"
    "回避（conflict）和重评（rescore）。",
    "inspect-kit panel --round": "轮次（默认：有评分表的最新一轮）。",
    "inspect-kit panel --json": "以 JSON 输出汇总结果。",
    "inspect-kit panel show": "小组评分汇总：每个对象的评委人数、小组得分、分差、否决和名次，"
    "以及评委一致性、稳健性和回避。",
    "inspect-kit panel show --round": "轮次（默认：有评分表的最新一轮）。",
    "inspect-kit panel show --json": "以 JSON 输出汇总结果（含一致性、稳健性、回避）。",
    "inspect-kit panel conflict": "回避：评委申报与对象有利益冲突，其评分表保留但不计入小组评分。",
    "inspect-kit panel conflict declare": "申报回避：该评委对该对象的评分表不计入小组评分。",
    "inspect-kit panel conflict declare --rater": "回避的评委（默认：配置中的评分人）。",
    "inspect-kit panel conflict declare --reason": "理由（如：亲属在该单位工作）。",
    "inspect-kit panel conflict withdraw": "撤回回避（记录理由）。",
    "inspect-kit panel conflict withdraw --rater": "评委（默认：配置中的评分人）。",
    "inspect-kit panel conflict withdraw --reason": "撤回的理由。",
    "inspect-kit panel conflict list": "在册的回避。",
    "inspect-kit panel conflict list --form": "只列该表单的回避。",
    "inspect-kit panel conflict list --json": "以 JSON 输出。",
    "inspect-kit panel rescore": "开启重评：评委分差超过 max_spread 的对象，"
    "每位评委可修改一次并写明理由。",
    "inspect-kit panel rescore --reason": "开启重评的理由。",
    "inspect-kit panel rescore --round": "轮次（默认：有评分表的最新一轮）。",
    "inspect-kit chart": "图表：hist、sections、ranking、radar、items、raters；打印写出的文件。",
    "inspect-kit chart --kind": (
        "图表种类；可重复指定多种，或用 `all`。radar 画单个对象的得分轮廓。"
    ),
    "inspect-kit chart --round": "轮次（默认：有评分表的最新一轮）。",
    "inspect-kit chart --subject": "radar 的对象编号，可重复。不指定时为每个对象各画一张。",
    "inspect-kit chart --out": "输出文件夹（默认 <工作区>/results/charts/）。",
    "inspect-kit chart --format": "图片格式。",
    "inspect-kit report": (
        "会议材料：一份 A4 PDF，含封面、计分说明、排名表、图表、每个对象一节和决议页。"
    ),
    "inspect-kit report --organizer": "封面上的组织单位（默认：config organizer）。",
    "inspect-kit report --meeting-date": "会议日期 YYYY-MM-DD（默认：今天）。",
    "inspect-kit report --period": (
        "检查时间，例如 2026-09-01 至 2026-10-15（默认：评分表的日期）。"
    ),
    "inspect-kit report --final": "定稿或讨论稿（默认：--draft 讨论稿）。",
    "inspect-kit report --round": "轮次（默认：有评分表的最新一轮）。",
    "inspect-kit report --out": "PDF 文件（默认 <工作区>/results/<表单>-<轮次>-会议材料.pdf）。",
    # results
    "inspect-kit results": "已提交的评分表：列出、查看、作废、修订、导出、导入。",
    "inspect-kit results list": "列出已提交的评分表（每张取最新版本）。",
    "inspect-kit results list --form": "表单编号。",
    "inspect-kit results list --round": "轮次，如 2026。",
    "inspect-kit results list --subject": "对象编号。",
    "inspect-kit results list --rater": "评分人。",
    "inspect-kit results list --status": "状态：final（已提交）或 void（已作废）。",
    "inspect-kit results list --json": "以 JSON 输出完整记录。",
    "inspect-kit results list --review": (
        "审核状态：pending（待审核）、approved（审核通过）、returned（退回）、conflict（审核冲突）。"
    ),
    "inspect-kit results review": "审核评分表：审核通过，或写明理由退回给评分人修订。",
    "inspect-kit results review --approve": "审核通过。",
    "inspect-kit results review --return": "退回给评分人修订（须写 --reason）。",
    "inspect-kit results review --reason": "退回的理由（--return 时必填）。",
    "inspect-kit results review --by": "审核人（默认：config reviewer，否则 config rater）。",
    "inspect-kit results review --json": "以 JSON 输出这张表的审核状态。",
    "inspect-kit results show": "查看一张评分表：各部分得分、扣分及理由、一票否决、修订记录。",
    "inspect-kit results print": "一张评分表的 A4 检查记录表 PDF（各项、得分、理由、签字栏）。",
    "inspect-kit results print --out": "PDF 文件（默认放在 <工作区>/results/prints/）。",
    "inspect-kit results import --trust-unsigned": (
        "也导入没有有效签名的数据包（旧版本导出的；请核实来源）。"
    ),
    "inspect-kit results show --json": "以 JSON 输出完整记录。",
    "inspect-kit results void": "作废一张评分表（保留在历史中，不再计分）。",
    "inspect-kit results void --reason": "为什么这张表不再计分。",
    "inspect-kit results amend": "修订已提交的评分表：开一个新版本（需要理由），旧版本保留。",
    "inspect-kit results amend --reason": "为什么要更正这张表（必填）。",
    "inspect-kit results export": "导出评分表（每张取最新版本）。",
    "inspect-kit results export --format": (
        "csv / xlsx 供表格软件使用，json 为完整记录，bundle（.zip）用于带到另一台电脑。"
    ),
    "inspect-kit results export --out": "要写入的文件。",
    "inspect-kit results export --form": "表单编号。",
    "inspect-kit results export --round": "轮次，如 2026。",
    "inspect-kit results export --subject": "对象编号。",
    "inspect-kit results export --rater": "评分人。",
    "inspect-kit results export --status": "状态：final（已提交）或 void（已作废）。",
    "inspect-kit results export --labels": (
        "列名：中文（zh），或题目 id（ids，可被 `results import-sheets` 读取）。"
    ),
    "inspect-kit results import": (
        "合并其他电脑的评分表：数据库文件或导出包。\n\n"
        "先检查每个文件；只要有一个损坏、来自别的数据库或被篡改，就什么都不导入。"
    ),
    "inspect-kit results conflicts": "两台电脑改得不一样的评分表；用 --keep 解决。",
    "inspect-kit results conflicts --keep": (
        "解决 评分表编号 [版本] 的冲突：保留本机的版本（local）或导入的版本（incoming）。"
    ),
    "inspect-kit results conflicts --all": "也列出已解决的冲突。",
    "inspect-kit results conflicts --json": "以 JSON 输出完整的冲突记录。",
    "inspect-kit results import-sheets": (
        "录入纸质评分表：CSV 每行一张表，要么全部导入，要么都不导入。\n\n" + _SHEET_COLUMNS
    ),
    "inspect-kit results import-sheets --form": "这些评分表所用的表单。",
    "inspect-kit results import-sheets --rater": "评分人列为空的行用这个评分人。",
    "inspect-kit results import-sheets --round": (
        "轮次列为空的行用这个轮次（默认：设置值，否则为今年）。"
    ),
    # subjects
    "inspect-kit subjects": "名册：被检查对象。",
    "inspect-kit subjects list": "列出对象。",
    "inspect-kit subjects list --kind": "只列这一类（education-base、committee ……）。",
    "inspect-kit subjects list --json": "以 JSON 输出。",
    "inspect-kit subjects add": "添加一个对象。",
    "inspect-kit subjects add --id": "对象编号（唯一）。",
    "inspect-kit subjects add --name": "对象名称。",
    "inspect-kit subjects add --kind": "对象类别，即表单的 subject，如 education-base。",
    "inspect-kit subjects add --district": "所在区县。",
    "inspect-kit subjects add --level": "级别。",
    "inspect-kit subjects import": (
        "导入名册 CSV（id,name,kind,district,level,tags）；UTF-8 或 GB18030。"
    ),
    # rectify (整改项)
    "inspect-kit rectify": "整改项：期限、报告、复查、通知书。",
    "inspect-kit rectify list": "列出整改项（逾期的在前，其余按期限）。",
    "inspect-kit rectify list --status": (
        "open 待整改（含逾期）、overdue 已逾期、reported 已报告整改、done 复查通过。"
    ),
    "inspect-kit rectify list --subject": "对象编号。",
    "inspect-kit rectify list --form": "表单编号。",
    "inspect-kit rectify list --round": "轮次，如 2026。",
    "inspect-kit rectify list --sheet": "只列这张评分表的整改项（编号或前缀）。",
    "inspect-kit rectify list --json": "以 JSON 输出完整记录。",
    "inspect-kit rectify show": "一个整改项及其全部历史（谁、何时、做了什么）。",
    "inspect-kit rectify show --json": "以 JSON 输出每一版。",
    "inspect-kit rectify add": "手工添加一个整改项。",
    "inspect-kit rectify add --subject": "对象编号。",
    "inspect-kit rectify add --requirement": "整改要求。",
    "inspect-kit rectify add --deadline": (
        "整改期限 YYYY-MM-DD（默认：评分表的整改期限，否则 30 天后）。"
    ),
    "inspect-kit rectify add --responsible": "责任人或责任单位。",
    "inspect-kit rectify add --sheet": "发现问题的评分表（编号或前缀）。",
    "inspect-kit rectify add --item": "相关的题目编号（与 --sheet 一起用）。",
    "inspect-kit rectify add --note": "备注，记入历史。",
    "inspect-kit rectify add --by": "由谁添加（默认：config rater）。",
    "inspect-kit rectify update": "报告整改完成、补充说明或照片、修改期限或要求。",
    "inspect-kit rectify update --status": "reported：单位报告已整改完成。",
    "inspect-kit rectify update --note": "做了什么或发现了什么（记入历史）。",
    "inspect-kit rectify update --photo": "作为佐证的照片（可重复）。",
    "inspect-kit rectify update --deadline": "新的整改期限 YYYY-MM-DD。",
    "inspect-kit rectify update --requirement": "新的整改要求。",
    "inspect-kit rectify update --responsible": "新的责任人或责任单位。",
    "inspect-kit rectify update --by": "由谁修改（默认：config rater）。",
    "inspect-kit rectify verify": "复查结论：通过，或未通过（重新整改）。",
    "inspect-kit rectify verify --pass": "整改到位：复查通过。",
    "inspect-kit rectify verify --fail": "仍未整改到位：重新整改（用 --note 写明原因）。",
    "inspect-kit rectify verify --note": "复查发现的情况。",
    "inspect-kit rectify verify --photo": "作为佐证的照片（可重复）。",
    "inspect-kit rectify verify --by": "复查人（默认：config rater）。",
    "inspect-kit rectify notice": "整改通知书（A4 PDF，带可剪下的回执）。",
    "inspect-kit rectify notice --round": "只含这一轮次的整改项。",
    "inspect-kit rectify notice --out": "PDF 文件（默认在 <工作区>/results/prints/ 下）。",
    "inspect-kit rectify notice --organizer": "发文单位（默认：config organizer）。",
    "inspect-kit rectify csv": "整改项导出为 CSV（可用 Excel 打开）。",
    "inspect-kit rectify csv --out": "CSV 文件（UTF-8 带 BOM）。",
    "inspect-kit rectify csv --status": "open、overdue、reported 或 done。",
    "inspect-kit rectify csv --subject": "对象编号。",
    "inspect-kit rectify csv --form": "表单编号。",
}

ARGUMENTS_ZH: dict[str, str] = {
    "FORM": "表单",
    "FORM_ID": "表单",
    "SHEET_UUID": "评分表编号",
    "REVISION": "版本",
    "FILES": "文件",
    "PATHS": "路径",
    "CSV": "CSV文件",
    "CSV_PATH": "CSV文件",
    "KEY": "设置项",
    "DEVICE_ID": "设备ID",
    "VALUE": "值",
    "ID": "编号",
    "SUBJECT": "对象",
}
"""Positional argument names (as click prints them) → Chinese."""
