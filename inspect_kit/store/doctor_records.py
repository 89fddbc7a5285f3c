"""The record-level checks behind `inspect-kit doctor`: keys and types of every record, stored
scores recomputed under the form version they were scored with, duplicates, and the bytes of a
backup judged by the same rules. Pure functions over parsed trees; the workspace walk is in
store.doctor.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.domain.scoring_plan import ScoringPlan
from inspect_kit.store.parsing import BadDatabaseBytes, parse_database_bytes
from inspect_kit.store.record_types import index_problem, sheet_problem, subject_problem
from inspect_kit.store.shard_names import SHEETS

if TYPE_CHECKING:
    from inspect_kit.domain.model import Form

# The domain (pydantic models, scoring) and the YAML loader are imported where a file is
# really checked: a doctor whose files are all unchanged (store.doctor_memory) needs neither.

# Keys every archived sheet must carry (DESIGN §4), with the types the kit relies on.
SUBMISSION_KEYS: dict[str, type | tuple[type, ...]] = {
    "schema": int, "uuid": str, "revision": int, "form": str, "form_version": int,
    "form_sha256": str, "round": str, "subject": str, "rater": str, "status": str,
    "answers": dict, "vetoes": dict, "score": dict, "finalized_at": str,
}  # fmt: skip
DRAFT_KEYS: dict[str, type | tuple[type, ...]] = {
    "uuid": str, "revision": int, "form": str, "form_sha256": str, "subject": str,
    "answers": dict,
}  # fmt: skip
SUBJECT_KEYS: dict[str, type | tuple[type, ...]] = {"id": str, "name": str}
EVENT_KEYS: dict[str, type | tuple[type, ...]] = {"event": str, "at": str}
FORM_KEYS: dict[str, type | tuple[type, ...]] = {"form": str, "sha256": str, "source": str}
INDEX_KEYS: dict[str, type | tuple[type, ...]] = {
    "uuid": str, "revision": int, "form": str, "shard": str,
}  # fmt: skip
SCORE_KEYS = ("total", "bonus", "final", "grade")
LEDGER_LABEL = "台账"
"""The label of a shard's companion file (store.ledger): `台账 .ledger/<form>/...`."""
ROSTER_LABEL = "名单"
MAX_LISTED = 20  # per-record problems printed before "... and N more"


@dataclass
class FileReport:
    """What the checks found in one database file."""

    label: str
    path: Path
    exists: bool = True
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    rechecked: int = 0
    remembered: int = 0
    """Files taken from store.doctor_memory (unchanged since a check found them healthy)."""
    damaged: bool = False
    """The file itself does not parse (or has the wrong shape or schema): nothing can open it."""

    @property
    def ok(self) -> bool:
        return not self.errors


def _typename(types: type | tuple[type, ...]) -> str:
    types = types if isinstance(types, tuple) else (types,)
    names = {int: "整数", str: "文字", dict: "对象", list: "列表", float: "数字"}
    return "或".join(names.get(t, t.__name__) for t in types)


def key_problems(doc: dict[str, Any], keys: dict[str, type | tuple[type, ...]]) -> list[str]:
    problems = []
    for key, types in keys.items():
        if key not in doc:
            problems.append(f"缺少 {key}")
        elif not isinstance(doc[key], types) or isinstance(doc[key], bool):
            problems.append(f"{key} 应为{_typename(types)}，实际是 {doc[key]!r:.40}")
    return problems


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return a == b


class _Forms:
    """Form versions kept in the archive, parsed once each."""

    def __init__(self, docs: list[dict[str, Any]]):
        self.sources = {d["sha256"]: d for d in docs if isinstance(d.get("sha256"), str)}
        self._parsed: dict[str, Form | str] = {}

    def get(self, sha: str) -> Form | str:
        """The Form, or a plain reason why it cannot be used."""
        if sha not in self._parsed:
            doc = self.sources.get(sha)
            if doc is None:
                self._parsed[sha] = f"数据库中没有它所用的表单版本 {sha[:12]}"
            else:
                self._parsed[sha] = _parsed_form(doc["source"], doc["form"], sha)
        return self._parsed[sha]

    def plan(self, sha: str) -> ScoringPlan | str:
        """The form version's compiled scoring plan, or why it cannot be used."""
        form = self.get(sha)
        if isinstance(form, str):
            return form
        doc = self.sources[sha]
        return _scoring_plan(doc["source"], doc["form"], sha)


@lru_cache(maxsize=64)
def _parsed_form(source: str, form_id: str, sha: str) -> Form | str:
    """Parsed once per process, not once per shard (the same form versions serve them all:
    48 parses were a quarter of doctor's time at 10k). Forms are frozen models: shared safely."""
    from inspect_kit.formfiles.loader import parse_form_text

    try:
        return parse_form_text(source, f"<stored {form_id}>")
    except InspectKitError as e:
        return f"保存的表单版本 {sha[:12]} 无法读取：{e}"


@lru_cache(maxsize=64)
def _scoring_plan(source: str, form_id: str, sha: str) -> ScoringPlan:
    """Built once per process, as _parsed_form parses once: a _Forms lives for one shard, and
    every shard of a form version shares the plan (and its memo of show_if values)."""
    form = _parsed_form(source, form_id, sha)
    assert not isinstance(form, str)  # _Forms.plan asks only for versions that parsed
    return ScoringPlan(form)


def _recompute(doc: dict[str, Any], forms: _Forms) -> str | None:
    """None when the stored score equals a recomputation; else what differs."""
    plan = forms.plan(doc["form_sha256"])
    if isinstance(plan, str):
        return plan
    try:
        # the compiled plan gives exactly scoring.score's figures without building an Answer
        # and a pydantic record per item (tests/unit/test_scoring_plan.py): ~5x faster
        fresh = plan.figures(doc)
    except Exception as e:
        return f"无法按保存的答案重新计分（{type(e).__name__}: {e}）"
    stored = doc["score"]
    diffs = [f"{k} 保存为 {stored.get(k)!r}，重算为 {fresh[k]!r}"
             for k in SCORE_KEYS if not _same(stored.get(k), fresh[k])]  # fmt: skip
    return "；".join(diffs) or None


def table_docs(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The records of one table of a parsed database file."""
    return list((data.get(name) or {}).values())


def check_archive(
    data: dict[str, Any],
    report: FileReport,
    forms_docs: list[dict[str, Any]] | None = None,
    *,
    recompute: bool = True,
) -> list[dict[str, Any]]:
    """Record-level checks of a parsed main database (`subjects`, `events`, `forms`, and an old
    layout's `submissions`) or, given the main file's `forms_docs`, of an archive shard.
    Returns the sheet records that passed the key checks."""
    from inspect_kit.domain.sheet import RECORD_SCHEMA
    from inspect_kit.formfiles.loader import sha256_text

    bad: list[str] = []
    shard = forms_docs is not None
    forms_docs = forms_docs if forms_docs is not None else table_docs(data, "forms")
    for i, doc in enumerate(forms_docs, 1):
        if problems := key_problems(doc, FORM_KEYS):
            bad.append(f"表单版本第 {i} 条：" + "，".join(problems))
        elif sha256_text(doc["source"]) != doc["sha256"]:
            bad.append(f"表单版本 {doc['form']}（{doc['sha256'][:12]}）的内容与其 sha256 不符")
    forms = _Forms([d for d in forms_docs if not key_problems(d, FORM_KEYS)])
    for name, keys in (("subjects", SUBJECT_KEYS), ("events", EVENT_KEYS)):
        for doc_id, doc in (data.get(name) or {}).items():
            if problems := key_problems(doc, keys):
                bad.append(f"{name} 第 {doc_id} 条：" + "，".join(problems))
            elif name == "subjects" and (problem := subject_problem(doc)):
                bad.append(f"{name} 第 {doc_id} 条：{problem}")
    subjects = Counter(d.get("id") for d in table_docs(data, "subjects"))
    bad += [f"对象编号 {sid} 出现了 {n} 次" for sid, n in subjects.items() if n > 1]

    submissions = table_docs(data, "submissions")
    seen: Counter[tuple[Any, Any]] = Counter()
    recheck: list[dict[str, Any]] = []
    for doc in submissions:
        if not isinstance(doc, dict):
            bad.append("一条评分表记录不是 JSON 对象")
            continue
        where = f"评分表 {str(doc.get('uuid', '?'))[:8]} 第 {doc.get('revision', '?')} 版"
        problems = key_problems(doc, SUBMISSION_KEYS)
        if not problems:
            if doc["status"] not in ("final", "void"):
                problems.append(f"status 为 {doc['status']!r}（应为 final 或 void）")
            if doc["revision"] < 1:
                problems.append("revision 小于 1")
            if doc["schema"] > RECORD_SCHEMA:
                problems.append(f"记录 schema {doc['schema']} 比本版本认识的 {RECORD_SCHEMA} 新")
            missing = [k for k in SCORE_KEYS if k not in doc["score"]]
            if missing:
                problems.append("score 缺少 " + "、".join(missing))
            elif problem := sheet_problem(doc):
                problems.append(problem)
        if problems:
            bad.append(f"{where}：" + "，".join(problems))
            continue
        seen[(doc["uuid"], doc["revision"])] += 1
        recheck.append(doc)
    bad += [f"评分表 {u[:8]} 第 {r} 版出现了 {n} 次" for (u, r), n in seen.items() if n > 1]
    for doc in recheck if recompute else ():
        if why := _recompute(doc, forms):
            bad.append(f"评分表 {doc['uuid'][:8]} 第 {doc['revision']} 版分数与重算不符：{why}")
        else:
            report.rechecked += 1
    for i, row in enumerate(table_docs(data, SHEETS), 1):
        if problems := key_problems(row, INDEX_KEYS):
            bad.append(f"索引第 {i} 条：" + "，".join(problems))
        elif problem := index_problem(row):
            bad.append(f"索引第 {i} 条：{problem}")
    report.errors += capped(bad)
    if shard:
        report.counts.update(records=len(submissions))
        return recheck
    report.counts.update(
        sheets=len({d["uuid"] for d in recheck}), revisions=len(submissions),
        subjects=len(subjects), forms=len(forms_docs), events=len(data.get("events") or {}),
    )  # fmt: skip
    return recheck


def check_drafts(data: dict[str, Any], report: FileReport, known: set[str] | None) -> None:
    """The drafts file's records; `known`: the main database's form versions (None when it
    could not be read)."""
    bad, warn = [], []
    drafts = table_docs(data, "drafts")
    for doc in drafts:
        where = f"草稿 {str(doc.get('uuid', '?'))[:8]}"
        if problems := key_problems(doc, DRAFT_KEYS):
            bad.append(f"{where}：" + "，".join(problems))
        elif known is not None and doc["form_sha256"] not in known:
            warn.append(f"{where}（{doc['form']}）所用的表单版本不在数据库中，可能无法打开")
    report.errors += capped(bad)
    report.warnings += capped(warn)
    report.counts["drafts"] = len(drafts)


def capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return lines
    return lines[:MAX_LISTED] + [f"……另有 {len(lines) - MAX_LISTED} 处同类问题"]


def check_raw(raw: bytes, forms_docs: list[dict[str, Any]] | None = None) -> list[str]:
    """Every error in a database file's bytes (shape, schema, records, scores); [] = usable.
    With `forms_docs` (the main file's form versions) the bytes are an archive shard's."""
    try:
        data = parse_database_bytes(raw) if raw else {}
    except BadDatabaseBytes as bad:
        return [bad.detail or f"schema {bad.newer} 比本版本新"]
    if not any(docs for docs in data.values()):
        return ["没有任何记录（空的状态不能用来恢复）"]
    report = FileReport("backup", Path())
    check_archive(data, report, forms_docs)
    return report.errors


@dataclass
class Report:
    files: list[FileReport]
    backups: list[Path]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def archive(self) -> FileReport:
        return self.files[0]

    @property
    def drafts(self) -> FileReport:
        return self.files[1]

    @property
    def shards(self) -> list[FileReport]:
        return [f for f in self.files[2:]
                if f.label != ROSTER_LABEL and not f.label.startswith(LEDGER_LABEL)]  # fmt: skip

    @property
    def stored(self) -> list[FileReport]:
        """Every file beside the main one and the drafts: each shard and the roster."""
        return self.files[2:]
