"""Answer files for `inspect-kit fill --answers`: YAML or JSON (`item id: value`, with optional
rater, round, role, vetoes and `finalize`), read with line numbers so every problem is located.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_kit.base.errors import AnswerError, InspectKitError, Located
from inspect_kit.base.fsio import regular_file_problem
from inspect_kit.base.rounds import normalize_round
from inspect_kit.domain.answers import parse_yesno
from inspect_kit.domain.model import (
    Form,
    YesNoItem,
)
from inspect_kit.domain.sheet import ROLES
from inspect_kit.formfiles.loader import MAX_FORM_BYTES
from inspect_kit.formfiles.yaml_lines import YamlProblem, parse_yaml_with_lines
from inspect_kit.i18n.catalog import tr
from inspect_kit.intake.entries import AnswerFileError, Entry, VetoEntry

# Metadata keys an answer file may carry besides item ids (a stored record has more; see FILE_META).
FILE_KEYS = (
    "rater",
    "round",
    "finalize",
    "vetoes",
    "answers",
    "subject",
    "form",
    "role",
    "rectify",
)
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
OTHERS_CLEAR = "*"  # marker: vetoes given as a list; the ones not listed did not fire


# ---------------------------------------------------------------- values


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
    rectify: dict[str, dict[str, str]] = field(default_factory=dict)
    """Items marked 需整改: item id -> {"deadline": ISO date or "", "requirement": text or ""}."""


def read_answer_file(path: Path) -> AnswerFile:
    """Parse a YAML or JSON answer file (item id -> value or {value, na, note}; metadata keys)."""
    name = str(path)
    if problem := regular_file_problem(path):
        raise InspectKitError(f"答案文件 {path}：{problem}")
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
        except RecursionError:
            raise AnswerFileError(
                [Located(name, None, "", "JSON 嵌套太深，不是答案文件")]
            ) from None
        except ValueError as exc:  # a number with thousands of digits
            raise AnswerFileError([Located(name, None, "", f"无法读取：{str(exc)[:80]}")]) from None
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
        elif key == "rectify":
            result.rectify = _rectify_marks(value, bad)
        elif key == "finalize":
            if not isinstance(value, bool):
                bad((key,), "finalize 应为 true 或 false")
            else:
                result.finalize = value
        elif key in ("rater", "round", "subject", "form", "role"):
            if value is not None and not isinstance(value, str | int):
                bad((key,), f"{key} 应是文字")
            elif key == "round" and value is not None and normalize_round(value) is None:
                bad((key,), tr("round.bad_format", "zh", raw=str(value).strip()))
            elif key == "round" and value is not None:
                result.round = normalize_round(value)
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


def _rectify_marks(value: Any, bad) -> dict[str, dict[str, str]]:
    """`rectify: {item-id: 2026-06-30}`, `{item-id: true}` (the default deadline) or
    `{item-id: {deadline: 2026-06-30, requirement: 更换过期灭火器}}`; a list of ids also works."""
    import datetime as dt

    if isinstance(value, list):
        value = {str(v): True for v in value}
    if not isinstance(value, dict):
        bad(("rectify",), "rectify 应是“题目编号: 整改期限”的映射")
        return {}
    out: dict[str, dict[str, str]] = {}
    for item_id, mark in value.items():
        where = ("rectify", str(item_id))
        if mark is True:
            mark = {}
        elif isinstance(mark, str | dt.date):
            mark = {"deadline": mark}
        if not isinstance(mark, dict) or set(mark) - {"deadline", "requirement"}:
            bad(where, "应是整改期限（YYYY-MM-DD）、true，或含 deadline、requirement 的映射")
            continue
        deadline = mark.get("deadline") or ""
        deadline = deadline.isoformat() if isinstance(deadline, dt.date) else str(deadline)
        out[str(item_id)] = {"deadline": deadline.strip(),
                             "requirement": str(mark.get("requirement") or "").strip()}  # fmt: skip
    return out


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
