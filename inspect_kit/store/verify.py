"""What an import verifies beyond shape (issue 16, item 4): stored scores, field types and the
revision chain of every incoming sheet, before anything is written.

Why: an import took stored scores as they came (a bundle whose sheets all claimed 100 ranked
them 100) and accepted a lone "revision 7" of a local sheet (void, no `supersedes`, no reason,
no event), which then replaced the sheet in every panel. Now every new sheet is re-scored under
the form version it names, and a revision > 1 needs an unbroken `supersedes` chain to a revision
this database has or the source carries, a reason, and its event. A source with any problem is
refused with a listing; nothing changes.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import repeat
from typing import Any

from inspect_kit.base.errors import InspectKitError
from inspect_kit.domain.model import Form
from inspect_kit.domain.scoring_plan import ScoringPlan
from inspect_kit.formfiles.loader import parse_form_text
from inspect_kit.store.record_types import Types, column_fits, columns_fit, exact

SCORE_FIELDS = ("total", "bonus", "final", "grade")
REVISION_EVENTS = ("amended", "voided")
MAX_LISTED = 10
_NUMBER = (int, float)


def _is(value: Any, types: type | tuple[type, ...]) -> bool:
    return isinstance(value, types) and not isinstance(value, bool)


_FIELDS: tuple[tuple[str, type | tuple[type, ...], bool], ...] = (
    ("round", str, True),
    ("revision", int, True),
    ("subject", str, True),
    ("subject_name", str, False),
    ("rater", str, True),
    ("role", str, False),
    ("finalized_at", str, False),
    ("amend_reason", str, False),
    ("supersedes", int, False),
    ("device", str, False),
)
"""(field, its type, required) of the fields every screen, panel and export relies on."""
_COLUMNS: dict[str, tuple[Types, bool]] = {
    name: (types if required or name == "subject_name" else (*exact(types), type(None)), required)
    for name, types, required in _FIELDS
}
"""_FIELDS as record_types.columns_fit reads them: an optional field may be null, except
subject_name (it may only be left out)."""
_SCORE_COLUMNS = {"total": frozenset(_NUMBER), "bonus": frozenset(_NUMBER),
                  "final": frozenset(_NUMBER), "grade": frozenset((str,))}  # fmt: skip


def field_problem(doc: Mapping[str, Any]) -> str | None:
    """The first field of a sheet record whose type is wrong (the fields every screen, panel
    and export relies on), named; None when all fit. For records that already passed the
    basic shape check (store.sources.record_problem)."""
    for name, types, required in _FIELDS:
        value = doc.get(name)
        # Optional fields may be absent or null, except subject_name: null there broke lists.
        if value is None and not required and (name != "subject_name" or name not in doc):
            continue
        if not _is(value, types):
            return f"字段 {name} 的类型不对（{value!r:.40}）"
    score_doc = doc.get("score") or {}
    for name in ("total", "bonus", "final"):
        if name in score_doc and not _is(score_doc[name], _NUMBER):
            return f"字段 score.{name} 应为数字（{score_doc[name]!r:.40}）"
    if "grade" in score_doc and not _is(score_doc["grade"], str):
        return f"字段 score.grade 应为文字（{score_doc['grade']!r:.40}）"
    return None


def fields_fit(docs: list[dict[str, Any]]) -> bool:
    """True when field_problem finds nothing in any of `docs`, decided a field at a time over
    all of them (record_types.columns_fit: exact type sets, C-speed map/set work); False when
    some record may be wrong (field_problem then names it). Tested to decide alike."""
    scores: list[Any] = list(map(dict.get, docs, repeat("score")))
    if not docs or set(map(type, scores)) != {dict}:
        return not docs
    return columns_fit(docs, _COLUMNS) and all(
        column_fits(scores, name, allowed, False) for name, allowed in _SCORE_COLUMNS.items()
    )


def revision_events(events: Iterable[Mapping[str, Any]]) -> Collection[tuple[Any, Any]] | None:
    """(uuid, revision) of every amended or voided event, for chain_problem to look up; None
    when some value cannot be a key (a list or an object: the events are then scanned)."""
    try:
        return {(e.get("uuid"), e.get("revision")) for e in events
                if e.get("event") in REVISION_EVENTS}  # fmt: skip
    except TypeError:
        return None


@lru_cache(maxsize=64)
def stored_form(source: str) -> Form | str:
    """A stored form version's text parsed, or why it does not parse. Cached by the text (one
    form version): the ten laptops of an import carry the same few versions, each checked on
    reading (store.sources) and used to re-score; parsing one took ~0.1-0.2 s."""
    try:
        return parse_form_text(source, "<stored form>")
    except InspectKitError as e:
        return str(e)


@lru_cache(maxsize=64)
def _plan(source: str) -> ScoringPlan | str:
    """The scoring plan of a form version (domain.scoring_plan): built once per version."""
    form = stored_form(source)
    return form if isinstance(form, str) else ScoringPlan(form)


def _same(a: Any, b: Any) -> bool:
    if _is(a, _NUMBER) and _is(b, _NUMBER):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return bool(a == b)


def score_problem(doc: Mapping[str, Any], form_text: str | None) -> str | None:
    """Why the stored score differs from a recomputation under its own form version."""
    if form_text is None:
        return "没有它所用的表单版本"
    plan = _plan(form_text)
    if isinstance(plan, str):
        return f"它所用的表单版本无法读取（{plan}）"
    try:
        # the compiled plan gives exactly scoring.score's figures, without building pydantic
        # records per sheet (tests/unit/test_scoring_plan.py)
        fresh = plan.figures(doc)
    except Exception as e:  # answers that do not fit the form: refused, never a traceback
        return f"无法按其答案重新计分（{type(e).__name__}）"
    stored = doc.get("score") or {}
    diffs = [f"{k} 为 {stored.get(k)!r}，重算为 {fresh[k]!r}"  # equal: the same, at once
             for k in SCORE_FIELDS
             if stored.get(k) != fresh[k] and not _same(stored.get(k), fresh[k])]  # fmt: skip
    return "分数与重算不符：" + "，".join(diffs) if diffs else None


def chain_problem(
    doc: Mapping[str, Any],
    known: set[tuple[str, int]],
    events: Iterable[Mapping[str, Any]],
    logged: Collection[tuple[Any, Any]] | None = None,
) -> str | None:
    """Why a revision > 1 is not an unbroken, explained successor of a revision `known`
    (this database's and the source's), with its event in the source; None when it is.
    `logged`: revision_events(events), looked up instead of scanning the events."""
    revision = doc["revision"]
    if revision == 1:
        return None
    supersedes = doc.get("supersedes")
    if not _is(supersedes, int) or supersedes != revision - 1:
        return f"第 {revision} 版没有写明它取代第 {revision - 1} 版（supersedes）"
    if (doc["uuid"], supersedes) not in known:
        return f"它取代的第 {supersedes} 版既不在本机，也不在导入的文件中"
    if not str(doc.get("amend_reason") or "").strip():
        return f"第 {revision} 版没有修改理由"
    if logged is not None:
        found = (doc["uuid"], revision) in logged
    else:
        found = any(
            e.get("uuid") == doc["uuid"] and e.get("revision") == revision
            and e.get("event") in REVISION_EVENTS
            for e in events
        )  # fmt: skip
    if not found:
        return f"第 {revision} 版没有对应的修改或作废记录"
    return None


def verify_new_sheets(
    added: list[dict[str, Any]],
    known: set[tuple[str, int]],
    events: Sequence[Mapping[str, Any]],
    form_texts: Mapping[str, str],
) -> list[str]:
    """Every problem of the sheets a source adds, one line each naming the sheet ([] = ok)."""
    problems = []
    fit = fields_fit(added)  # all fit: field_problem would find nothing in any
    logged = revision_events(events)
    for doc in added:
        why = (
            (None if fit else field_problem(doc))
            or chain_problem(doc, known, events, logged)
            or score_problem(doc, form_texts.get(doc["form_sha256"]))
        )
        if why:
            problems.append(f"评分表 {doc['uuid'][:8]} 第 {doc['revision']} 版：{why}")
    if len(problems) > MAX_LISTED:
        problems = problems[:MAX_LISTED] + [f"……另有 {len(problems) - MAX_LISTED} 张"]
    return problems
