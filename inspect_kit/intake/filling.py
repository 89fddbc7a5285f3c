"""Filling sheets without a full-screen UI: answer files, typed-up CSV sheets, photo attachments.

Shared by the plain prompts (`inspect_kit.prompt.plain`) and the `fill --answers` /
`results import-sheets` commands, so a value means the same however it was entered. Pure core:
no click, questionary or textual here. Every problem is collected as a `Located` line (file,
line, item id, what is wrong); nothing is stored while any problem remains.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import AnswerError, InspectKitError, Located
from inspect_kit.domain.answers import Answer, parse_yesno
from inspect_kit.domain.model import (
    DeductItem,
    Form,
    Item,
    NoteItem,
    NumberItem,
    PhotoItem,
    YesNoItem,
)
from inspect_kit.domain.sheet import ROLES, Sheet
from inspect_kit.formfiles.loader import (
    MAX_FORM_BYTES,
    LoadedForm,
    YamlProblem,
    parse_yaml_with_lines,
)
from inspect_kit.intake.attachments import UUID_RE, attachment_names, check_photo

NA_WORDS = {"na", "n/a", "不适用", "/"}
# Metadata keys an answer file may carry besides item ids (a stored record has more; see FILE_META).
FILE_KEYS = ("rater", "round", "finalize", "vetoes", "answers", "subject", "form", "role")
# Keys of a stored record (`results show --json`) that are not answers and are ignored.
RECORD_KEYS = {
    "schema",
    "uuid",
    "revision",
    "supersedes",
    "amend_reason",
    "form_version",
    "form_sha256",
    "subject_name",
    "status",
    "score",
    "started_at",
    "saved_at",
    "finalized_at",
    "device",
    "position",
    "kit_version",
    "history",
}
# CSV metadata columns the kit reads; any other non-item column (section scores, totals,
# grade... as the CSV export writes them) is ignored.
CSV_META = (
    "subject",
    "rater",
    "round",
    "role",
    "uuid",
    "revision",
    "form",
    "form_version",
    "status",
)
# Columns of the CSV export that are figures or names derived from the answers: not reported.
CSV_DERIVED = ("subject_name", "finalized_at", "total", "bonus", "final", "grade")
CSV_INJECTION_PREFIX = ("=", "+", "-", "@", "\t", "\r")
OTHERS_CLEAR = "*"  # marker: vetoes given as a list; the ones not listed did not fire


class AnswerFileError(InspectKitError):
    """An answer file or typed-up CSV that cannot be stored; lists every problem found."""

    def __init__(self, problems: list[Located], hint: str = ""):
        self.problems = problems
        lines = [str(p) for p in problems]
        if hint:
            lines.append(hint)
        super().__init__("\n".join(lines))


# ---------------------------------------------------------------- values


def set_answer(sheet: Sheet, item: Item, raw: Any) -> Answer:
    """`Sheet.set_value`, also taking an empty list as "no defect found" for a counted deduct."""
    if (
        isinstance(item, DeductItem)
        and not item.defects
        and isinstance(raw, list | tuple)
        and not raw
    ):
        raw = 0
    return sheet.set_value(item.id, raw)


def deduction(sheet: Sheet, item_id: str) -> float:
    """Points the item loses as a deduction (needing 扣分理由); a bonus not earned is none."""
    if sheet.form.section_of(item_id).bonus:
        return 0.0
    item_score = sheet.score().items.get(item_id)
    return item_score.lost if item_score and item_score.points is not None else 0.0


# ---------------------------------------------------------------- entries


@dataclass
class Entry:
    """One item's raw answer from a file or a CSV row."""

    value: Any = None
    na: bool = False
    note: str | None = None
    line: int | None = None
    where: str = ""


@dataclass
class VetoEntry:
    fired: bool | None
    note: str = ""
    line: int | None = None
    where: str = ""


@dataclass
class Applied:
    """The outcome of applying entries to a sheet: problems, photos to copy, dropped answers."""

    problems: list[Located] = field(default_factory=list)
    photos: list[tuple[Path, str]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def apply_entries(
    sheet: Sheet,
    entries: Mapping[str, Entry],
    vetoes: Mapping[str, VetoEntry],
    *,
    path: str,
    base: Path | None = None,
    complete: bool = True,
    line: int | None = None,
) -> Applied:
    """Apply entries in form order (so `show_if` sees the answers it depends on).

    With `complete`, also report what blocks finalizing: required items unanswered and
    deductions without a note when the form requires one.
    """
    form = sheet.form
    out = Applied()
    item_ids = {item.id for _, item in form.iter_items()}
    veto_ids = [v.id for v in form.vetoes]

    def problem(entry: Entry | VetoEntry | None, where: str, message: str) -> None:
        at = entry.line if entry and entry.line else line
        out.problems.append(
            Located(path, at, entry.where if entry and entry.where else where, message)
        )

    for item_id, entry in entries.items():
        if item_id not in item_ids:
            problem(
                entry,
                item_id,
                f"表单 {form.form} 没有题目 {item_id}" + _did_you_mean(item_id, item_ids),
            )
    for veto_id, entry in vetoes.items():
        if veto_id not in veto_ids:
            problem(
                entry,
                veto_id,
                f"表单 {form.form} 没有否决项 {veto_id}" + _did_you_mean(veto_id, veto_ids),
            )

    taken: set[str] = set()
    for _, item in form.iter_items():
        entry = entries.get(item.id)
        if entry is None:
            continue
        try:
            _apply_one(sheet, item, entry, base, out, taken)
        except AnswerError as exc:
            problem(entry, item.id, str(exc))
    for veto in form.vetoes:
        ventry = vetoes.get(veto.id)
        if ventry is not None and ventry.fired is not None:
            sheet.set_veto(veto.id, ventry.fired, ventry.note)

    visible = sheet.visible()
    for item_id, entry in entries.items():
        if item_id in item_ids and item_id not in visible and _entry_has_answer(entry):
            out.dropped.append(item_id)
    if complete and not out.problems:
        record = sheet.score()
        for item_id in record.unanswered:
            if item_id in veto_ids:
                problem(
                    vetoes.get(item_id), item_id, "否决项未回答（在 vetoes 中写 true 或 false）"
                )
            else:
                problem(entries.get(item_id), item_id, "必答项未回答")
        for item_id in record.missing_notes:
            lost = record.items[item_id].lost
            problem(entries.get(item_id), item_id, f"扣了 {lost:g} 分，需要写扣分理由（note）")
    return out


def _entry_has_answer(entry: Entry) -> bool:
    return entry.na or entry.value not in (None, "", [])


def _apply_one(
    sheet: Sheet, item: Item, entry: Entry, base: Path | None, out: Applied, taken: set[str]
) -> None:
    if isinstance(item, NoteItem):
        if _entry_has_answer(entry):
            raise AnswerError("说明文字不需要回答")
        return
    if entry.na:
        if entry.value not in (None, "", []):
            raise AnswerError("同时给了值和 na: true；只能二选一")
        sheet.set_na(item.id, True)
    elif isinstance(item, PhotoItem) and entry.value not in (None, "", []):
        raw = (
            entry.value if isinstance(entry.value, list) else re.split(r"[;；\n]", str(entry.value))
        )
        sources = [check_photo(str(p), base) for p in raw if str(p).strip()]
        names = attachment_names(sources, taken)
        taken.update(names)
        sheet.set_attachments(item.id, names)
        out.photos.extend(zip(sources, names, strict=True))
    else:
        set_answer(sheet, item, entry.value)
    if entry.note is not None and str(entry.note).strip():
        sheet.set_note(item.id, str(entry.note))


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f"（是不是 {close[0]}？）" if close else ""


# ---------------------------------------------------------------- answer files


@dataclass
class AnswerFile:
    """A parsed answer file: entries plus the metadata it carried."""

    path: Path
    entries: dict[str, Entry]
    vetoes: dict[str, VetoEntry]
    rater: str | None = None
    round: str | None = None
    role: str | None = None
    subject: str | None = None
    form: str | None = None
    finalize: bool = True
    problems: list[Located] = field(default_factory=list)


def read_answer_file(path: Path) -> AnswerFile:
    """Parse a YAML or JSON answer file (item id -> value or {value, na, note}; metadata keys)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InspectKitError(f"找不到答案文件 {path}") from None
    except OSError as exc:
        raise InspectKitError(f"无法读取答案文件 {path}：{exc.strerror}") from None
    if len(raw) > MAX_FORM_BYTES:
        raise InspectKitError(f"答案文件 {path} 太大（超过 {MAX_FORM_BYTES // 1000} KB）")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InspectKitError(f"答案文件 {path} 不是 UTF-8 文本；请另存为 UTF-8") from None
    lines: dict[tuple, int] = {}
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise AnswerFileError(
                [Located(name, exc.lineno, "", f"JSON 格式错误：{exc.msg}")]
            ) from None
        try:
            _, lines = parse_yaml_with_lines(text)
        except YamlProblem:
            lines = {}
    else:
        try:
            data, lines = parse_yaml_with_lines(text)
        except YamlProblem as exc:
            raise AnswerFileError([Located(name, exc.line, exc.where, exc.message)]) from None
    if not isinstance(data, dict):
        raise AnswerFileError([Located(name, None, "", "顶层应是“题目编号: 答案”的映射")])
    return _answer_file_from_data(path, data, lines)


def _answer_file_from_data(path: Path, data: dict[str, Any], lines: dict[tuple, int]) -> AnswerFile:
    name = str(path)
    result = AnswerFile(path=path, entries={}, vetoes={})

    def bad(key_path: tuple, message: str) -> None:
        result.problems.append(
            Located(name, lines.get(key_path), ".".join(map(str, key_path)), message)
        )

    answers: dict[str, tuple[Any, tuple]] = {}
    for key, value in data.items():
        key = str(key)
        if key == "answers":
            if not isinstance(value, dict):
                bad((key,), "answers 应是“题目编号: 答案”的映射")
                continue
            for item_id, item_value in value.items():
                answers[str(item_id)] = (item_value, ("answers", str(item_id)))
        elif key == "vetoes":
            result.vetoes = _veto_entries(value, lines, bad)
        elif key == "finalize":
            if not isinstance(value, bool):
                bad((key,), "finalize 应为 true 或 false")
            else:
                result.finalize = value
        elif key in ("rater", "round", "subject", "form", "role"):
            if value is not None and not isinstance(value, str | int):
                bad((key,), f"{key} 应是文字")
            elif value is not None and str(value).strip():
                setattr(result, key, str(value).strip())
        elif key in RECORD_KEYS:
            continue
        else:
            answers[key] = (value, (key,))
    if result.role is not None and result.role not in ROLES:
        bad(("role",), f"role 应为 {' 或 '.join(ROLES)}")
    for item_id, (value, key_path) in answers.items():
        entry = Entry(line=lines.get(key_path), where=item_id)
        if isinstance(value, dict):
            unknown = set(value) - {"value", "na", "note", "attachments", "signed_at"}
            if unknown:
                bad(
                    key_path,
                    f"未知的键 {', '.join(sorted(map(str, unknown)))}（可用 value、na、note）",
                )
                continue
            na = value.get("na", False)
            if not isinstance(na, bool):
                bad((*key_path, "na"), "na 应为 true 或 false")
                continue
            note = value.get("note")
            if note is not None and not isinstance(note, str | int | float):
                bad((*key_path, "note"), "note 应是文字")
                continue
            entry.value, entry.na = value.get("value"), na
            entry.note = None if note is None else str(note)
        else:
            entry.value = value
        result.entries[item_id] = entry
    return result


def _veto_entries(value: Any, lines: dict[tuple, int], bad) -> dict[str, VetoEntry]:
    out: dict[str, VetoEntry] = {}
    if isinstance(value, list):  # the vetoes that fired; every other one did not
        for index, veto_id in enumerate(value):
            out[str(veto_id)] = VetoEntry(
                True, line=lines.get(("vetoes", index)), where=f"vetoes.{veto_id}"
            )
        out[OTHERS_CLEAR] = VetoEntry(False)
        return out
    if not isinstance(value, dict):
        bad(("vetoes",), "vetoes 应是“否决项编号: true/false”的映射")
        return out
    for veto_id, v in value.items():
        key_path = ("vetoes", str(veto_id))
        entry = VetoEntry(None, line=lines.get(key_path), where=f"vetoes.{veto_id}")
        if isinstance(v, dict):
            unknown = set(v) - {"fired", "note"}
            if unknown:
                bad(
                    key_path, f"未知的键 {', '.join(sorted(map(str, unknown)))}（可用 fired、note）"
                )
                continue
            fired, entry.note = v.get("fired"), str(v.get("note") or "")
        else:
            fired = v
        if fired is not None and not isinstance(fired, bool):
            try:
                fired = parse_yesno(YesNoItem(id="v", text="v", type="yesno"), fired)
            except AnswerError:
                bad(key_path, "应为 true（一票否决）或 false")
                continue
        entry.fired = fired
        out[str(veto_id)] = entry
    return out


def expand_veto_list(form: Form, vetoes: dict[str, VetoEntry]) -> dict[str, VetoEntry]:
    """A list of fired vetoes means every other veto did not fire."""
    if OTHERS_CLEAR not in vetoes:
        return vetoes
    out = {k: v for k, v in vetoes.items() if k != OTHERS_CLEAR}
    for veto in form.vetoes:
        out.setdefault(veto.id, VetoEntry(False))
    return out


# ---------------------------------------------------------------- typed-up CSV sheets


@dataclass
class CsvSheet:
    """One CSV row turned into a sheet, ready for `Store.bulk_finalize`."""

    line: int
    sheet: Sheet
    photos: list[tuple[Path, str]]


@dataclass
class CsvResult:
    sheets: list[CsvSheet]
    ignored_columns: list[str]
    skipped_void: int = 0
    other_forms: int = 0


def csv_cell(text: str | None) -> str:
    """A cell as typed: trimmed, with the export's formula-injection guard (a leading ') undone."""
    text = (text or "").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in CSV_INJECTION_PREFIX:
        return text[1:]
    return text


def csv_value(item: Item, text: str) -> Any:
    """A cell's text as a raw value, tolerating how values are displayed (units, 处)."""
    if isinstance(item, NumberItem) and item.unit and text.endswith(item.unit):
        return text[: -len(item.unit)].strip()
    if isinstance(item, DeductItem):
        if text in ("无", "none"):
            return [] if item.defects else 0
        for suffix in ("处", "defects"):
            if text.endswith(suffix) and text[: -len(suffix)].strip().isdigit():
                return text[: -len(suffix)].strip()
    return text


def read_sheet_csv(
    path: Path, loaded: LoadedForm, store, *, default_rater: str = "", default_round: str = ""
) -> CsvResult:
    """Read typed-up sheets (one row each) and check every row; raise with all problems found."""
    form = loaded.form
    name = str(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InspectKitError(f"找不到文件 {path}") from None
    problems: list[Located] = []
    with handle:
        try:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise InspectKitError(
                    f"{path} 是空文件；第一行应是列名（subject、rater、题目编号…）"
                )
            header = [h.strip() for h in header]
            columns = _csv_columns(form, header, name, problems)
            rows = [(reader.line_num, row) for row in reader]
        except UnicodeDecodeError:
            raise InspectKitError(
                f"{path} 不是 UTF-8 文本；请在 Excel 中另存为“CSV UTF-8”"
            ) from None
        except csv.Error as exc:
            raise InspectKitError(f"{path} 不是有效的 CSV：{exc}") from None
    if problems:
        raise AnswerFileError(problems)

    existing = {d["uuid"] for d in store.submissions(all_revisions=True)}
    seen_uuids: dict[str, int] = {}
    subjects = {s.id: s for s in store.subjects()}
    sheets: list[CsvSheet] = []
    skipped = other_forms = 0
    for line, row in rows:
        cells = {header[i]: csv_cell(v) for i, v in enumerate(row) if i < len(header)}
        if not any(cells.values()):
            continue
        if len(row) > len(header) and any(v.strip() for v in row[len(header) :]):
            problems.append(Located(name, line, "", f"这一行有 {len(row)} 格，比列名多"))
            continue
        if cells.get("status") == "void":
            skipped += 1
            continue
        if cells.get("form") and cells["form"] != form.form:
            other_forms += 1
            continue
        row_problems: list[Located] = []

        def bad(column: str, message: str, _line: int = line, _out: list = row_problems) -> None:
            _out.append(Located(name, _line, column, message))

        meta = _csv_meta(
            cells, form, subjects, existing, seen_uuids, line, bad, default_rater, default_round
        )
        sheet = Sheet(
            form=form,
            form_sha256=loaded.sha256,
            subject=meta.get("subject") or cells.get("subject", ""),
            subject_name=meta.get("subject_name") or cells.get("subject", ""),
            rater=meta["rater"],
            round=meta["round"],
            role=meta["role"],
        )
        if meta["uuid"]:
            sheet.uuid = meta["uuid"]
            sheet.revision = meta["revision"]
            sheet.supersedes = meta["revision"] - 1 if meta["revision"] > 1 else None
            sheet.finalized_at = cells.get("finalized_at") or None
        entries, vetoes = _csv_entries(form, columns, cells, line, bad)
        applied = apply_entries(
            sheet,
            entries,
            vetoes,
            path=name,
            base=path.parent,
            line=line,
            complete=not row_problems,
        )
        problems += row_problems + applied.problems
        if not row_problems and not applied.problems:
            sheets.append(CsvSheet(line, sheet, applied.photos))
    if problems:
        raise AnswerFileError(problems, hint="没有导入任何评分表；改正后重新导入。")
    return CsvResult(sheets, columns["ignored"], skipped, other_forms)


def _csv_columns(form: Form, header: list[str], name: str, problems: list[Located]) -> dict:
    item_ids = {item.id for _, item in form.iter_items()}
    veto_ids = {v.id for v in form.vetoes}
    dupes = {h for h in header if header.count(h) > 1 and h}
    for column in sorted(dupes):
        problems.append(Located(name, 1, column, "列名重复"))
    # An export (it has a `form` column) may hold other forms' columns: those are ignored. A
    # hand-typed sheet gets an error for a column that looks like a misspelt item id.
    exported = "form" in header
    columns: dict[str, Any] = {
        "items": [],
        "notes": [],
        "vetoes": [],
        "veto_notes": [],
        "veto_list": "vetoes" in header,
        "ignored": [],
    }
    for column in header:
        if (
            not column
            or column in CSV_META
            or column in CSV_DERIVED
            or column.startswith("section.")
        ):
            continue
        if column in item_ids:
            columns["items"].append(column)
        elif column.endswith((".note", ".points")) and column.rsplit(".", 1)[0] in item_ids:
            if column.endswith(".note"):
                columns["notes"].append(column)
        elif column.startswith("veto:"):
            veto_id = column[5:].removesuffix(".note")
            if veto_id not in veto_ids:
                problems.append(
                    Located(
                        name,
                        1,
                        column,
                        f"表单 {form.form} 没有否决项 {veto_id}" + _did_you_mean(veto_id, veto_ids),
                    )
                )
            elif column.endswith(".note"):
                columns["veto_notes"].append(column)
            else:
                columns["vetoes"].append(column)
        elif column == "vetoes":
            continue
        elif not exported and (
            column.endswith((".note", ".points")) or _did_you_mean(column, item_ids)
        ):
            base = column.rsplit(".", 1)[0] if column.endswith((".note", ".points")) else column
            problems.append(
                Located(
                    name,
                    1,
                    column,
                    f"表单 {form.form} 没有题目 {base}" + _did_you_mean(base, item_ids),
                )
            )
        else:
            columns["ignored"].append(column)
    return columns


def _csv_meta(
    cells: dict[str, str],
    form: Form,
    subjects: dict,
    existing: set[str],
    seen_uuids: dict[str, int],
    line: int,
    bad,
    default_rater: str,
    default_round: str,
) -> dict[str, Any]:
    meta: dict[str, Any] = {"uuid": None, "revision": 1, "role": "inspector"}
    subject_id = cells.get("subject", "")
    if "subject" not in cells:
        bad("subject", "缺少 subject 列（对象编号）")
    elif not subject_id:
        bad("subject", "没有填对象编号")
    elif subject_id not in subjects:
        bad("subject", f"名册中没有对象 {subject_id}（先用 inspect-kit subjects import 导入名册）")
    else:
        meta["subject"], meta["subject_name"] = subject_id, subjects[subject_id].name
    meta["rater"] = cells.get("rater") or default_rater
    if not meta["rater"]:
        bad("rater", "没有填评分人（或用 --rater 给出默认评分人）")
    meta["round"] = cells.get("round") or default_round
    if cells.get("form_version") and cells["form_version"] != str(form.version):
        bad("form_version", f"表单版本 {cells['form_version']} 与当前表单版本 {form.version} 不同")
    if cells.get("role"):
        if cells["role"] not in ROLES:
            bad("role", f"role 应为 {' 或 '.join(ROLES)}")
        else:
            meta["role"] = cells["role"]
    if cells.get("uuid"):
        sheet_uuid = cells["uuid"].lower()
        if not UUID_RE.match(sheet_uuid):
            bad("uuid", f"“{cells['uuid']}”不是评分表编号；新表请留空")
        elif sheet_uuid in existing:
            bad("uuid", f"评分表 {sheet_uuid[:8]} 已在数据库中（已导入过？）")
        elif sheet_uuid in seen_uuids:
            bad("uuid", f"与第 {seen_uuids[sheet_uuid]} 行是同一张评分表")
        else:
            seen_uuids[sheet_uuid] = line
            meta["uuid"] = sheet_uuid
        revision = cells.get("revision") or "1"
        if not revision.isdigit() or int(revision) < 1:
            bad("revision", "版本号应为正整数")
        else:
            meta["revision"] = int(revision)
    return meta


def _csv_entries(
    form: Form, columns: dict, cells: dict[str, str], line: int, bad
) -> tuple[dict[str, Entry], dict[str, VetoEntry]]:
    entries: dict[str, Entry] = {}
    for column in columns["items"]:
        item = form.item(column)
        if isinstance(item, NoteItem | PhotoItem):
            continue  # photos stay on the laptop that took them; CSV carries names only
        text = cells.get(column, "")
        note = cells.get(f"{column}.note") or None
        if not text and not note:
            continue
        entry = Entry(line=line, where=column, note=note)
        if text.lower() in NA_WORDS and item.allow_na:
            entry.na = True
        else:
            entry.value = csv_value(item, text) if text else None
        entries[column] = entry
    for column in columns["notes"]:
        item_id = column.removesuffix(".note")
        if item_id not in entries and cells.get(column) and item_id not in columns["items"]:
            entries[item_id] = Entry(line=line, where=column, note=cells[column])
    vetoes: dict[str, VetoEntry] = {}
    yes = YesNoItem(id="v", text="v", type="yesno")
    if columns["veto_list"]:
        listed = [p for p in re.split(r"\s*[,;，；、]\s*", cells.get("vetoes", "")) if p]
        by_text = {v.text: v.id for v in form.vetoes}
        item_ids = {item.id for _, item in form.iter_items()}
        fired = set()
        for part in listed:
            if part in ("无", "none") or part in item_ids:
                continue  # an item id: a veto option chosen in that item, which re-fires by itself
            veto_id = by_text.get(part, part)
            fired.add(veto_id)
            vetoes[veto_id] = VetoEntry(True, line=line, where="vetoes")
        for veto in form.vetoes:
            if veto.id not in fired:
                vetoes[veto.id] = VetoEntry(False, line=line, where="vetoes")
    for column in columns["vetoes"]:
        veto_id = column[5:]
        text = cells.get(column, "")
        note = cells.get(f"{column}.note", "")
        if not text:
            continue
        try:
            fired_value = parse_yesno(yes, text)
        except AnswerError:
            bad(column, f"“{text}”应为 是（一票否决）或 否")
            continue
        vetoes[veto_id] = VetoEntry(fired_value, note=note, line=line, where=column)
    return entries, vetoes
