"""Typed-up paper sheets for `inspect-kit results import-sheets`: one CSV row per sheet (the CSV
export with `--labels ids` is accepted), read all or nothing with errors by row and column.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import AnswerError, InspectKitError, Located
from inspect_kit.base.fsio import regular_file_problem
from inspect_kit.base.rounds import normalize_round
from inspect_kit.domain.answers import parse_yesno
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
from inspect_kit.domain.subject import SubjectFacts
from inspect_kit.formfiles.loader import LoadedForm
from inspect_kit.i18n.catalog import tr
from inspect_kit.intake.attachments import UUID_RE
from inspect_kit.intake.entries import (
    NA_WORDS,
    AnswerFileError,
    Entry,
    VetoEntry,
    apply_entries,
    did_you_mean,
)

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
    if problem := regular_file_problem(path):
        raise InspectKitError(f"{path}：{problem}")
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
            facts=SubjectFacts.of(subjects.get(meta.get("subject") or "")),
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
                        f"表单 {form.form} 没有否决项 {veto_id}" + did_you_mean(veto_id, veto_ids),
                    )
                )
            elif column.endswith(".note"):
                columns["veto_notes"].append(column)
            else:
                columns["vetoes"].append(column)
        elif column == "vetoes":
            continue
        elif not exported and (
            column.endswith((".note", ".points")) or did_you_mean(column, item_ids)
        ):
            base = column.rsplit(".", 1)[0] if column.endswith((".note", ".points")) else column
            problems.append(
                Located(
                    name,
                    1,
                    column,
                    f"表单 {form.form} 没有题目 {base}" + did_you_mean(base, item_ids),
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
    raw_round = cells.get("round") or default_round
    meta["round"] = normalize_round(raw_round) or raw_round
    if normalize_round(raw_round) is None:
        bad("round", tr("round.bad_format", "zh", raw=raw_round))
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
