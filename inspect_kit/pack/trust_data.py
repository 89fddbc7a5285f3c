"""The meeting pack's trust pages as plain data for `typst/trust.typ`: rater agreement, the
稳健性 table, declared conflicts (回避), re-score rounds (first and final side by side) and
rater calibration over rounds. Every figure is the view's (`PanelView`), worded by
`domain.trust_text`; nothing is computed here."""

from __future__ import annotations

from typing import Any

from inspect_kit.domain.panel_view import PanelView
from inspect_kit.domain.trust_text import (
    _n,
    _score,
    reading_word,
    robustness_cell,
)
from inspect_kit.i18n.catalog import tr


def _icc_row(figure: Any) -> list[str]:
    name = "总分" if figure.scope == "total" else figure.title
    icc = figure.icc
    if icc is None:
        return [name, "无法计算", "", "", "", ""]
    block = (
        "" if figure.complete else f"（{len(figure.block_subjects)}×{len(figure.block_raters)}）"
    )
    return [
        name + block,
        f"{_n(icc.icc1)} [{_n(icc.icc1_ci[0])}, {_n(icc.icc1_ci[1])}]",
        reading_word(figure.reading_single),
        f"{_n(icc.icck)} [{_n(icc.icck_ci[0])}, {_n(icc.icck_ci[1])}]",
        reading_word(figure.reading_mean),
        str(icc.raters),
    ]


def trust_data(view: PanelView) -> dict[str, Any]:
    a = view.agreement
    names = {s.subject: s.subject_name for s in view.subjects}
    incomplete = a.total.icc is not None and not a.total.complete
    rounds = [r.round for r in view.calibration[0].rounds] if view.calibration else []
    return {
        "icc": [_icc_row(a.total), *(_icc_row(s) for s in a.sections)],
        "alpha": f"{_n(a.total_alpha)}（{reading_word(a.total_alpha_reading)}）",
        "block_note": tr(
            "trust.block",
            "zh",
            n=len(a.total.block_subjects),
            k=len(a.total.block_raters),
            all_n=a.total.subjects,
            all_k=a.total.raters,
        ).strip()
        if incomplete
        else "",  # fmt: skip
        "thresholds": tr("trust.thresholds", "zh"),
        "method": "ICC 按 Shrout & Fleiss（1979）二因素随机模型、绝对一致计算，95% 置信区间按 "
        "McGraw & Wong（1996）；评分项用 Krippendorff α（是否/选择题按序数，其余按等距），"
        "不适用和未评的不计入。",
        "items": len([i for i in a.items if i.alpha is not None]),
        "low": [[i.text, i.section, _n(i.alpha), str(i.units)] for i in a.low_items],
        "robustness": [
            [
                str(r.rank),
                r.subject_name,
                f"{r.rank_low}–{r.rank_high}" if r.rank_low != r.rank_high else str(r.rank),
                robustness_cell(view, r.subject, row=r),
                not r.grade_stable,
            ]
            for r in view.robustness
        ],  # fmt: skip
        "conflicts": [
            [
                names.get(d["subject"]) or d.get("subject_name") or d["subject"],
                d["rater"],
                str(d.get("conflict_reason") or "未写理由"),
                d["uuid"][:8],
            ]
            for d in view.conflicted
        ],  # fmt: skip
        "rescores": [
            {
                "subject": names.get(s.round.subject, s.round.subject),
                "head": f"开启理由：{s.round.reason}（{s.round.by}，{s.round.at[:16]}）；小组得分 "
                f"{_score(s.first_score)} → {_score(s.final_score)}，分差 "
                f"{_score(s.first_spread)} → {_score(s.final_spread)}，等次 "
                f"{s.first_grade or '–'} → {s.final_grade or '–'}",
                "rows": [
                    [r.rater, _score(r.first), _score(r.final), r.reason if r.amended else "未修改"]
                    for r in s.rows
                ],  # fmt: skip
            }
            for s in view.rescores
        ],
        "rounds": rounds if len(rounds) >= 2 else [],
        "calibration": [
            [
                c.rater,
                *("–" if r.deviation is None else f"{r.deviation:+.2f}" for r in c.rounds),
                "–" if c.drift is None else f"{c.drift:+.2f}" + (" ⚠" if c.notable else ""),
            ]
            for c in view.calibration
        ]
        if len(rounds) >= 2
        else [],  # fmt: skip
    }
