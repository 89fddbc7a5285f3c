"""The meeting pack as plain data for `typst/pack.typ`: cover, method, ranking, round figures.

Every number is read from the round's `PanelView` (and the previous round's, for the
comparison) and only formatted here; the few round-wide summaries the panel does not hold
(达标率, mean score, counts by district and level) are counts and means of the panel's own
per-subject results. Per-subject sections: `subject_data`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspect_kit.domain.method_text import method_text
from inspect_kit.domain.panel_view import PanelView
from inspect_kit.domain.panel_words import apart_words, rule_sentences
from inspect_kit.domain.sheet_review import tally_line
from inspect_kit.domain.subject_result import SheetResult, SubjectResult
from inspect_kit.pack.subject_data import (
    _place,
    grade_color,
    score_text,
    subject_data,
    subject_flags,
    when,
)
from inspect_kit.pack.trust_data import trust_data

PER_RATER_COLUMNS = 12
"""Up to this many raters in a round the ranking table has a column per rater."""
REASONS_SHOWN = 30


@dataclass(frozen=True)
class PackOptions:
    """What the cover says beyond the panel (options of `report`, defaults from settings)."""

    organizer: str = ""
    meeting_date: dt.date | None = None
    period: str = ""
    """Inspection period; empty: the span of the sheets' finalize dates."""
    final: bool = False
    """定稿 rather than 讨论稿."""


def pack_data(
    view: PanelView,
    options: PackOptions,
    *,
    previous: PanelView | None = None,
    roster: Mapping[str, Any] | None = None,
    revisions: Sequence[Mapping[str, Any]] = (),
    charts: Sequence[tuple[str, str]] = (),
    ranking_chart: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """`charts`: (title, name) of the chart pages in order: a chart SVG's sys.inputs name, or
    `ranking-<n>` for page n of `ranking_chart` (`pack/ranking_chart.py`, drawn by typst)."""
    roster = roster or {}
    panel, form = view.panel, view.form
    docs: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for doc in view.records:
        docs[doc["subject"]].append(doc)
    return {
        "title": form.title,
        "round": view.round,
        "mark": "定稿" if options.final else "讨论稿",
        "cover": _cover(view, options, today or dt.date.today()),
        "counts": [
            {
                "grade": g.grade,
                "count": g.count,
                "color": grade_color(form, g.grade),
                "apart": "，".join(apart_words(g)),
            }
            for g in view.grade_tally
        ],  # fmt: skip
        "method": [{"title": p.title, "lines": list(p.lines)} for p in method_text(form)],
        "ranking": _ranking(view),
        "charts": [
            {"title": t, "input": name, "first": i == 0} for i, (t, name) in enumerate(charts)
        ],
        "ranking_chart": ranking_chart,
        "reasons_note": "检查组评分表上的扣分理由，按出现次数排列（不含加分项）。",
        "reasons": _reasons(view),
        "previous": _previous(view, previous) if previous else None,
        "grades": [g.grade for g in form.grades],
        "breakdown": _breakdown(view, roster),
        "subjects": [subject_data(view, s, docs[s.subject], roster) for s in panel.subjects],
        "voided": _voided(revisions),
        "trust": trust_data(view),
    }


def rule_text(view: PanelView) -> str:
    """The panel rule in the method page's words (its 小组计分 sentences)."""
    return rule_sentences(view.form)


def _cover(view: PanelView, options: PackOptions, today: dt.date) -> list[tuple[str, str]]:
    panel, form = view.panel, view.form
    selfs = sum(len(s.self_assessments) for s in panel.subjects) + len(panel.self_only)
    dates = sorted(when(d.get("finalized_at"))[:10] for d in view.records if d.get("finalized_at"))
    period = options.period or (f"{dates[0]} 至 {dates[-1]}" if dates else "")
    rows = [
        ("组织单位", options.organizer or "（未填写）"),
        ("会议日期", (options.meeting_date or today).isoformat()),
        ("轮次", view.round),
        ("检查时间", period or "（未填写）"),
        ("评分表", f"{form.title}（{form.form} 第 {form.version} 版）"),
        ("参评对象", f"{len(panel.subjects)} 个"),
        (
            "检查组评分表",
            f"{panel.sheets} 张" + (f"（另有自评 {selfs} 张，不计入）" if selfs else ""),
        ),
        ("评委", f"{len(panel.raters)} 人：" + "、".join(panel.raters)),
        ("计分规则", rule_text(view)),
        *([("审核", tally_line(view.review, label=False))] if view.review.required else []),
        ("生成日期", today.isoformat()),
    ]
    return rows


def _ranking(view: PanelView) -> dict[str, Any]:
    raters = list(view.panel.raters)
    per_rater = len(raters) <= PER_RATER_COLUMNS
    rows = []
    for s in view.panel.subjects:
        totals = {x.rater: _shown(s, x) for x in s.sheets}
        cells = [totals.get(r, "") for r in raters]
        flags = subject_flags(s)
        rows.append(
            {
                "rank": s.rank,
                "id": s.subject,
                "name": s.subject_name,
                "cells": cells,
                "raters_text": "、".join(f"{x.rater} {totals[x.rater]}" for x in s.sheets),
                "self": "、".join(s.fmt(x.final) for x in s.self_assessments),
                "score": score_text(s),
                "grade": s.grade,
                "color": grade_color(view.form, s.grade),
                "notes": flags,
                "flagged": bool(flags),
                "quorum": s.short_panel,
            }
        )
    note = "括号内为按规则去掉的分数；空格表示该评委未评此对象。" + rule_text(view)
    if view.review.required:  # only approved sheets are in the table; say what waits
        note = note.rstrip("。") + "。" + tally_line(view.review) + "。"
    return {"per_rater": per_rater, "raters": raters, "rows": rows, "note": note}


def _shown(s: SubjectResult, sheet: SheetResult) -> str:
    """A rater's total as shown; in brackets when the rule dropped it."""
    value = s.fmt(sheet.total)
    return f"({value})" if not sheet.kept or sheet.rater in s.dropped else value


def _reasons(view: PanelView) -> list[dict[str, Any]]:
    bonus = {x.title for x in view.form.bonus_sections}
    counts: Counter[str] = Counter()
    items: dict[str, dict[str, None]] = defaultdict(dict)
    for deductions in view.deductions.values():
        for d in deductions:
            if d.section in bonus:
                continue
            note = d.note.strip() or "（未写理由）"
            counts[note] += 1
            items[note][d.text] = None
    return [
        {"note": note, "count": n, "items": "；".join(list(items[note])[:3])}
        for note, n in counts.most_common(REASONS_SHOWN)
    ]


def _passing(view: PanelView) -> tuple[int, int]:
    """(subjects above the lowest grade, subjects): 达标 is any grade but the lowest."""
    lowest = view.form.grades[-1].grade
    n = len(view.panel.subjects)
    return n - view.grade_counts.get(lowest, 0), n


def _mean(subjects: Sequence[SubjectResult]) -> str:
    return f"{sum(s.final for s in subjects) / len(subjects):.2f}" if subjects else "—"


def _previous(view: PanelView, before: PanelView) -> dict[str, Any]:
    def share(v: PanelView) -> str:
        ok, n = _passing(v)
        return f"{ok} / {n}（{ok / n * 100:.1f}%）" if n else "—"

    rows = [
        ("参评对象", str(len(before.panel.subjects)), str(len(view.panel.subjects))),
        (f"达标率（{view.form.grades[-1].grade}以外）", share(before), share(view)),
        ("平均得分", _mean(before.panel.subjects), _mean(view.panel.subjects)),
    ]
    rows += [
        (f"{g}", str(before.grade_counts.get(g, 0)), str(n)) for g, n in view.grade_counts.items()
    ]
    old = {s.subject: s for s in before.panel.subjects}
    moved = [
        {
            "name": s.subject_name,
            "prev_score": score_text(old[s.subject]),
            "score": score_text(s),
            "prev_grade": old[s.subject].grade,
            "grade": s.grade,
        }
        for s in view.panel.subjects
        if s.subject in old and old[s.subject].grade != s.grade
    ]
    return {"round": before.round, "rows": rows, "moved": moved}


def _breakdown(view: PanelView, roster: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key, title in (("district", "区域"), ("level", "级别")):
        groups: dict[str, list[SubjectResult]] = defaultdict(list)
        for s in view.panel.subjects:
            place = _place(s, roster)[0 if key == "district" else 1]
            groups[place or "（未登记）"].append(s)
        rows = [
            {
                "name": name,
                "n": len(members),
                "mean": _mean(members),
                "counts": [sum(1 for s in members if s.grade == g.grade) for g in view.form.grades],
            }
            for name, members in sorted(groups.items())
        ]
        out.append({"title": f"按{title}", "key": title, "rows": rows})
    return out


def _voided(revisions: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Voided sheets and amended revisions of the round, with their reasons."""
    rows = []
    for doc in sorted(revisions, key=lambda d: (d["subject"], d["rater"], d["revision"])):
        if doc["status"] == "void":
            action = "作废"
        elif int(doc.get("revision", 1)) > 1:
            action = "修订"
        else:
            continue
        rows.append(
            {
                "subject": f"{doc.get('subject_name', '')}（{doc['subject']}）",
                "rater": doc["rater"],
                "action": action,
                "revision": f"第 {doc['revision']} 版",
                "reason": doc.get("amend_reason") or "",
                "at": when(doc.get("finalized_at")),
            }
        )
    return rows
