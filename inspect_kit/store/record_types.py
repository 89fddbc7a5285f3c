"""The types every stored record must have before any command uses it (issue 16, item 10).

Why: records that parse but are wrong (`round` as an integer, `score.final` as a string,
`subject_name: null`, a sheet without `uuid`, `revision: "1"`, a subject without `name`, an index
row without `uuid`) broke 2-10 commands each with a traceback. Every record is now checked where
the store reads it (a shard, the index, the roster), and a wrong one stops the command with one
line naming the file, the record and the field; `doctor` reports the same and `doctor --restore`
puts back the newest backup that passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import DatabaseDamaged
from inspect_kit.base.fsio import shown_path

Types = type | tuple[type, ...]
_NONE = type(None)
SHEET_FIELDS: dict[str, tuple[Types, bool]] = {
    # field: (types, required)
    "uuid": (str, True), "revision": (int, True), "form": (str, True),
    "form_sha256": (str, True), "round": (str, True), "subject": (str, True),
    "rater": (str, True), "status": (str, True), "answers": (dict, True), "score": (dict, True),
    "subject_name": (str, False), "role": ((str, _NONE), False), "vetoes": (dict, False),
    "supersedes": ((int, _NONE), False), "amend_reason": ((str, _NONE), False),
    "finalized_at": ((str, _NONE), False), "device": ((str, _NONE), False),
}  # fmt: skip
SCORE_FIELDS: dict[str, Types] = {"total": (int, float), "bonus": (int, float),
                                  "final": (int, float), "grade": (str, _NONE)}  # fmt: skip
INDEX_FIELDS: dict[str, tuple[Types, bool]] = {
    "uuid": (str, True), "revision": (int, True), "form": (str, True), "round": (str, True),
    "subject": (str, True), "shard": (str, True), "status": (str, True),
    "subject_name": ((str, _NONE), False), "rater": ((str, _NONE), False),
}  # fmt: skip
SUBJECT_FIELDS: dict[str, tuple[Types, bool]] = {
    "id": (str, True), "name": (str, True), "kind": ((str, _NONE), False),
}  # fmt: skip


def _fits(value: Any, types: Types) -> bool:
    return isinstance(value, types) and not isinstance(value, bool)


_MISSING = object()
_EXACT: dict[int, tuple[tuple[str, frozenset[type], bool], ...]] = {}


def _exact(
    fields: Mapping[str, tuple[Types, bool]],
) -> tuple[tuple[str, frozenset[type], bool], ...]:
    """The field table as exact types: parsed JSON holds exactly str, int, float, bool, None,
    dict and list, so `type(v) in set` decides for all of them (bool is never in a set here)."""
    spec = _EXACT.get(id(fields))
    if spec is None:
        spec = _EXACT[id(fields)] = tuple(
            (name, frozenset(types if isinstance(types, tuple) else (types,)), required)
            for name, (types, required) in fields.items()
        )
    return spec


def _fields(doc: Any, fields: Mapping[str, tuple[Types, bool]]) -> str | None:
    if type(doc) is dict:  # the fast path (10k index rows are checked on every open)
        get = doc.get
        for name, exact, required in _exact(fields):
            value = get(name, _MISSING)
            if type(value) not in exact and (value is not _MISSING or required):
                break
        else:
            return None
    if not isinstance(doc, dict):
        return "不是 JSON 对象"
    for name, (types, required) in fields.items():
        if name not in doc:
            if required:
                return f"缺少字段 {name}"
            continue
        if not _fits(doc[name], types):
            return f"字段 {name} 的类型不对（{doc[name]!r:.40}）"
    return None


def sheet_problem(doc: Any) -> str | None:
    """Why a stored sheet record cannot be used, naming the field; None when it can."""
    if problem := _fields(doc, SHEET_FIELDS):
        return problem
    if doc["revision"] < 1:
        return "字段 revision 小于 1"
    for name, types in SCORE_FIELDS.items():
        if name in doc["score"] and not _fits(doc["score"][name], types):
            return f"字段 score.{name} 的类型不对（{doc['score'][name]!r:.40}）"
    if not all(isinstance(a, dict) for a in doc["answers"].values()):
        return "字段 answers 中有答案不是对象"
    return None


def index_problem(row: Any) -> str | None:
    return _fields(row, INDEX_FIELDS)


def subject_problem(doc: Any) -> str | None:
    return _fields(doc, SUBJECT_FIELDS)


def _who(doc: Any) -> str:
    if not isinstance(doc, dict):
        return "一条记录"
    if "uuid" in doc:
        return f"评分表 {str(doc.get('uuid'))[:8]} 第 {doc.get('revision', '?')} 版"
    if "id" in doc:
        return f"对象 {str(doc.get('id'))[:20]}"
    return "一条记录"


def wrong_record(path: Path, key: str, doc: Any, problem: str) -> DatabaseDamaged:
    """The one-line refusal for a record of the wrong shape in a file the kit reads."""
    return DatabaseDamaged(
        f"{shown_path(path)} 中的{_who(doc)}（第 {key} 条）{problem}，未做任何改动。"
        "运行 `inspect-kit doctor` 查看，`inspect-kit doctor --restore` 从最新的完好备份恢复。"
    )


def check_table(path: Path, table: Mapping[str, Any], check: Any) -> None:
    """Raise wrong_record for the first record of `table` that `check` finds wrong."""
    for key, doc in table.items():
        if problem := check(doc):
            raise wrong_record(path, key, doc, problem)
