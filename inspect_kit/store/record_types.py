"""The types every stored record must have before any command uses it (issue 16, item 10).

Why: records that parse but are wrong (`round` as an integer, `score.final` as a string,
`subject_name: null`, a sheet without `uuid`, `revision: "1"`, a subject without `name`, an index
row without `uuid`) broke 2-10 commands each with a traceback. Every record is now checked where
the store reads it (a shard, the index, the roster), and a wrong one stops the command with one
line naming the file, the record and the field; `doctor` reports the same and `doctor --restore`
puts back the newest backup that passes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import chain, repeat
from operator import itemgetter
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


def _fields(doc: Any, fields: Mapping[str, tuple[Types, bool]]) -> str | None:
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


def exact(types: Types) -> frozenset[type]:
    return frozenset(types if isinstance(types, tuple) else (types,))


def columns_fit(docs: list[Any], fields: Mapping[str, tuple[Types, bool]]) -> bool:
    """Whether every record fits `fields`, checked a field at a time over all records (C-speed
    map/set work instead of a Python loop per record: the index rows are checked on every open,
    100k of them at 100k sheets). Parsed JSON holds exactly str, int, float, bool, None, dict
    and list, so an exact type set decides (bool is never in one); False sends the caller to
    the per-record check, which names the record and the field."""
    if not docs:
        return True
    if set(map(type, docs)) != {dict}:
        return False
    names = list(fields)
    try:  # every field in every record: one pass over the records (each read while cached)
        columns = list(zip(*map(itemgetter(*names), docs), strict=True))
    except KeyError:  # some record leaves a field out: a pass a field
        return all(column_fits(docs, name, exact(types), required)
                   for name, (types, required) in fields.items())  # fmt: skip
    return all(set(map(type, column)) <= exact(fields[name][0])
               for name, column in zip(names, columns, strict=True))  # fmt: skip


def column_fits(docs: list[dict[str, Any]], name: str, allowed: frozenset[type],
                 required: bool) -> bool:  # fmt: skip
    values = list(map(dict.get, docs, repeat(name)))  # None for a missing field
    found = set(map(type, values))
    if _NONE in found or (required and _NONE in allowed):
        missing = len(docs) - sum(map(dict.__contains__, docs, repeat(name)))
        if missing and required:
            return False
        if _NONE not in allowed:
            if values.count(None) != missing:
                return False  # a null where the field may only be left out
            found.discard(_NONE)
    return found <= allowed


def _sheets_fit(docs: list[Any]) -> bool:
    if not columns_fit(docs, SHEET_FIELDS) or min(d["revision"] for d in docs) < 1:
        return False
    scores = [d["score"] for d in docs]
    if not all(column_fits(scores, name, exact(types), False)
               for name, types in SCORE_FIELDS.items()):  # fmt: skip
        return False
    answers = chain.from_iterable(d["answers"].values() for d in docs)
    return set(map(type, answers)) <= {dict}


def _fit(docs: list[Any], check: Any) -> bool:
    if not docs:
        return True
    if check is index_problem:
        return columns_fit(docs, INDEX_FIELDS)
    if check is subject_problem:
        return columns_fit(docs, SUBJECT_FIELDS)
    if check is sheet_problem:
        return _sheets_fit(docs)
    return False


def check_table(path: Path, table: Mapping[str, Any], check: Any,
                where: Callable[[Any], Path] | None = None) -> None:  # fmt: skip
    """Raise wrong_record for the first record of `table` that `check` finds wrong (`where`:
    the file a record is kept in, when not `path`)."""
    if _fit(list(table.values()), check):
        return  # every record fits: the per-record walk below only names the first that does not
    for key, doc in table.items():
        if problem := check(doc):
            raise wrong_record(where(doc) if where is not None else path, key, doc, problem)
