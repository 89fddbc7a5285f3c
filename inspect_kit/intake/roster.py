"""Read subject rosters from CSV as people save them (UTF-8 with or without BOM, or GB18030)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.fsio import regular_file_problem
from inspect_kit.domain.subject import Subject

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
REQUIRED = ("id", "name", "kind")
ALIASES = {"编号": "id", "名称": "name", "类型": "kind", "区县": "district", "级别": "level",
           "标签": "tags"}  # fmt: skip


def decode_csv(raw: bytes, path: Path) -> str:
    """UTF-8 (BOM or not) first, then GB18030, which is what Excel on Chinese Windows saves."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InspectKitError(f"{path}：无法识别文件编码；请另存为 UTF-8 的 CSV")


def read_roster(path: Path) -> list[Subject]:
    """All rows or an error listing every bad row by line: nothing half-imported."""
    if problem := regular_file_problem(path):
        raise InspectKitError(f"{path}：{problem}")
    try:
        text = decode_csv(path.read_bytes(), path)
    except FileNotFoundError:
        raise InspectKitError(f"找不到文件 {path}") from None
    try:
        return _rows(path, text)
    except csv.Error as e:  # e.g. a field over csv's 131072-character limit
        raise InspectKitError(f"{path}：CSV 格式错误（{e}），未导入任何一行") from None


def _rows(path: Path, text: str) -> list[Subject]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [
        ALIASES.get((f or "").strip(), (f or "").strip().lower()) for f in reader.fieldnames or []
    ]
    missing = [c for c in REQUIRED if c not in fields]
    if missing:
        raise InspectKitError(
            f"{path}：第 1 行缺少列 {', '.join(missing)}"
            "（需要 id,name,kind，可选 district,level,tags）"
        )
    reader.fieldnames = fields
    subjects: list[Subject] = []
    problems: list[str] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(values.values()):
            continue
        for column in REQUIRED:
            if not values.get(column):
                problems.append(f"{path}:{line}: {column} 为空")
        subject_id = values.get("id", "")
        if subject_id and not ID_PATTERN.match(subject_id):
            problems.append(f"{path}:{line}: 编号 “{subject_id}” 只能用字母、数字、-、_、.")
        if subject_id in seen:
            problems.append(f"{path}:{line}: 编号 {subject_id} 重复")
        seen.add(subject_id)
        tags = tuple(t for t in re.split(r"[;；,，]", values.get("tags", "")) if t.strip())
        subjects.append(Subject(id=subject_id, name=values.get("name", ""),
                                kind=values.get("kind", ""), district=values.get("district", ""),
                                level=values.get("level", ""), tags=tags))  # fmt: skip
    if problems:
        raise InspectKitError("名册有错误，未导入任何一行：\n" + "\n".join(problems))
    return subjects
