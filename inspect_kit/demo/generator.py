"""Realistic sample data: rosters, sheets from raters of different leniency, several rounds.

Deterministic for a seed. Used by `inspect-kit demo`, the tests and the benchmark.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import uuid as uuid_lib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from inspect_kit.base.paths import builtin_forms_dir
from inspect_kit.demo.table_rows import demo_rows
from inspect_kit.domain.answers import item_points
from inspect_kit.domain.model import (
    ChoiceItem,
    DateItem,
    DeductItem,
    Form,
    Item,
    MultiItem,
    NoteItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    SignatureItem,
    TableItem,
    TextItem,
    YesNoItem,
)
from inspect_kit.domain.scoring import for_subject
from inspect_kit.domain.sheet import Sheet
from inspect_kit.domain.subject import Subject, SubjectFacts
from inspect_kit.formfiles.loader import LoadedForm

RATERS = ["王建国", "李秀英", "张志强", "刘桂兰", "陈永红", "杨立新", "赵淑华", "黄国平", "周海燕"]
# How an inspector words a finding, by how it was checked (the item's first method).
FOUND_BY = {"实地查看": "现场查看", "查阅资料": "查阅台账", "座谈": "座谈了解",
            "个别访谈": "访谈了解", "问卷": "问卷统计", "听取汇报": "听取汇报"}  # fmt: skip
OPINIONS = {
    "good": ["整体工作扎实，台账规范，特色明显", "组织健全，活动经常，五老作用发挥明显",
             "各项工作落实到位，建议总结经验加以推广"],
    "fair": ["基础工作较好，个别环节有待加强", "工作正常开展，台账管理需进一步规范",
             "活动开展较经常，但记录和总结不够完整"],
    "poor": ["多项基础工作未落实，需限期整改", "制度和台账不健全，活动开展不经常",
             "存在较多问题，建议主办单位加强领导和经费保障"],
}  # fmt: skip
DISTRICTS = ["海曙区", "江北区", "鄞州区", "北仑区", "镇海区", "奉化区", "余姚市", "慈溪市"]
KIND_WORDS = {
    "education-base": ("青少年教育基地", "eb"),
    "committee": ("社区关工委", "cm"),
    "enterprise": ("有限公司关工委", "ent"),
    "four-oclock-school": ("社区四点钟学校", "fs"),
}


DEMO_NAMESPACE = uuid_lib.UUID("6f1c2a8e-5b1d-4c1e-9d57-2f6a0c1b7e11")


def demo_uuid(seed: int, *parts: str) -> str:
    """Same seed, same sheet ids: running the demo twice adds nothing the second time."""
    return str(uuid_lib.uuid5(DEMO_NAMESPACE, "/".join([str(seed), *parts])))


@dataclass(frozen=True)
class Rater:
    name: str
    leniency: float
    """Added to a subject's quality when this rater judges (-0.15 strict .. +0.15 lenient)."""


def roster_for(kind: str, count: int, rng: random.Random) -> list[Subject]:
    """The shipped sample roster for a kind, extended with made-up entries when more are asked."""
    from inspect_kit.intake.roster import read_roster

    subjects: list[Subject] = []
    folder = builtin_forms_dir() / "rosters"
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        subjects += [s for s in read_roster(path) if s.kind == kind]
    word, prefix = KIND_WORDS.get(kind, ("单位", kind[:3]))
    n = len(subjects)
    while len(subjects) < count:
        n += 1
        district = rng.choice(DISTRICTS)
        subjects.append(Subject(id=f"{prefix}-{n:03d}", name=f"{district}第{n}{word}", kind=kind,
                                district=district, level="县级"))  # fmt: skip
    return subjects[:count]


def _pick_by_quality(options: list, quality: float, rng: random.Random):
    ranked = sorted(options, key=lambda o: o.points, reverse=True)
    index = min(len(ranked) - 1, int(max(0.0, rng.gauss(1 - quality, 0.2)) * len(ranked)))
    return ranked[index]


def demo_value(item: Item, quality: float, rng: random.Random, when: dt.date, rater: str):
    """A plausible answer for an item from a subject of this quality (0 poor .. 1 excellent)."""
    good = rng.random() < quality
    if isinstance(item, YesNoItem):
        return good if item.good == "yes" else not good
    if isinstance(item, ChoiceItem):
        return _pick_by_quality(
            [o for o in item.options if not o.veto and not o.fail], quality, rng
        ).label
    if isinstance(item, MultiItem):
        return [o.label for o in item.options if not o.veto and rng.random() < quality]
    if isinstance(item, ScoreItem):
        share = min(1.0, max(0.0, rng.gauss(quality, 0.12)))
        return round(item.max * share / item.step) * item.step
    if isinstance(item, DeductItem):
        worst = len(item.defects) or max(1, math.ceil(item.max / item.per))
        count = sum(rng.random() > quality for _ in range(worst)) if rng.random() > quality else 0
        return list(rng.sample(list(item.defects), count)) if item.defects else count
    if isinstance(item, NumberItem):
        if item.bands:
            top = max(b.min for b in item.bands) or 10
            value: float = max(0, round(rng.gauss(quality, 0.25) * top * 1.2))
        elif item.per:
            value = max(0, round(rng.gauss(quality, 0.3) * (item.max or 3) / item.per))
        else:
            value = rng.randint(0, 20)
        if item.max_value is not None:
            value = min(value, item.max_value)
        return max(value, item.min_value)
    if isinstance(item, TextItem):
        return rng.choice(OPINIONS["fair"])
    if isinstance(item, DateItem):
        return when.isoformat()
    if isinstance(item, SignatureItem):
        return rater
    if isinstance(item, TableItem):
        return demo_rows(item, quality, rng, when)
    return None


def _checkpoints(item: Item) -> list[str]:
    """The things the guidance says to look at ("查看消防通道、灭火器有效期、疏散标识…")."""
    guidance = (item.guidance or "").replace("\n", "")
    match = re.search(r"(?:查看|查阅|核对|抽查)([^。；;，]*)", guidance)
    if not match:
        return []
    parts = [p.strip("等及和与") for p in re.split(r"[、，]", match.group(1))]
    return [p for p in parts if 1 < len(p) <= 12]


def deduction_reason(item: Item, value, rng: random.Random) -> str:
    """A 扣分理由 that fits this item: from its defects, options, bands and guidance."""
    how = FOUND_BY.get(item.methods[0] if item.methods else "", "检查发现")
    if isinstance(item, DeductItem) and item.defects and isinstance(value, list):
        return f"{how}：{'、'.join(value)}"
    if isinstance(item, DeductItem):
        spots = _checkpoints(item)
        where = "、".join(rng.sample(spots, min(len(spots), int(value or 1)))) if spots else ""
        return f"{how}发现{value}处问题" + (f"（{where}）" if where else "")
    if isinstance(item, ChoiceItem):
        return f"{how}，实际为“{value}”"
    if isinstance(item, MultiItem):
        missing = [o.label for o in item.options if o.label not in (value or [])]
        return f"{how}，未见：{'、'.join(missing)}" if missing else f"{how}，部分未落实"
    if isinstance(item, YesNoItem):
        no = item.labels[1] if item.good == "yes" else item.labels[0]
        return f"{how}，{item.text}：{no}"
    if isinstance(item, NumberItem):
        unit = item.unit or ""
        return f"{how}，{item.text}为{value}{unit}，未达到满分要求"
    if isinstance(item, ScoreItem):
        spots = _checkpoints(item)
        spot = rng.choice(spots) if spots else item.text
        return f"{how}，{spot}方面有欠缺"
    return f"{how}，{item.text}未完全落实"


def rectification_text(sheet: Sheet) -> str:
    """整改事项: the sheet's biggest deductions, each a problem to fix."""
    record = sheet.score()
    lost = sorted((s for s in record.items.values() if s.lost > 0), key=lambda s: -s.lost)[:3]
    lines = []
    for n, item_score in enumerate(lost, 1):
        item = sheet.form.item(item_score.id)
        lines.append(f"{n}. {item.text}：{sheet.answer(item.id).note}")
    return "；".join(lines) or "无"


def opinion_text(sheet: Sheet, rng: random.Random) -> str:
    share = sheet.score().total / (sheet.form.total or 100)
    return rng.choice(OPINIONS["good" if share >= 0.88 else "fair" if share >= 0.72 else "poor"])


def visit_time(round_: str, rng: random.Random) -> dt.datetime:
    """A panel's visit: a working day (Monday to Friday) between March and November of the
    round's year, never in the future, starting between 08:30 and 14:30."""
    year = int(round_.split("-")[0])
    day = dt.date(year, 3, 1) + dt.timedelta(days=rng.randint(0, 270))
    day = min(day, dt.date.today() - dt.timedelta(days=1))
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    start = dt.time(8, 30) if rng.random() < 0.5 else dt.time(13, 30)
    minutes = rng.randint(0, 60)
    return dt.datetime.combine(day, start) + dt.timedelta(minutes=minutes)


def fill_sheet(sheet: Sheet, quality: float, rng: random.Random, *, na_rate: float = 0.08,
               veto_rate: float = 0.004, complete: bool = True, visit: dt.datetime | None = None,
               fired: Collection[str] | None = None) -> None:  # fmt: skip
    """Answer a sheet as an inspector would, with a fitting 扣分理由 for every deduction.

    `visit` is the panel's visit (every rater of a subject and round the same day); `fired`
    the vetoes that apply to the subject (decided once for the panel; None: each veto fires at
    `veto_rate` for this sheet alone)."""
    if visit is None:
        visit = visit_time(sheet.round, rng)
    when = visit.date()
    for section, item in sheet.form.iter_items():
        if not complete and rng.random() < 0.4:
            continue
        if isinstance(item, NoteItem | PhotoItem) or (
            item.show_if and item.id not in sheet.visible()
        ):
            continue
        if item.allow_na and rng.random() < na_rate:
            sheet.set_na(item.id)
            continue
        if isinstance(item, TextItem) and "整改" in item.text:
            value = rectification_text(sheet)
        elif isinstance(item, TextItem):
            value = opinion_text(sheet, rng)
        else:  # awards and media reports (加分) are rarer than the basics
            value = demo_value(item, quality * (0.4 if section.bonus else 1), rng, when,
                               sheet.rater)  # fmt: skip
        if value is None:
            continue
        sheet.set_value(item.id, value)
        if not section.bonus and item.scored:
            scored = for_subject(item, sheet.answers.subject)  # the subject's own bands
            points = item_points(scored, sheet.answer(item.id).value)
            if points is not None and points < scored.max_points - 1e-9:
                sheet.set_note(item.id, deduction_reason(item, sheet.answer(item.id).value, rng))
    for veto in sheet.form.vetoes:
        if not complete and rng.random() < 0.5:
            continue
        applies = veto.id in fired if fired is not None else rng.random() < veto_rate
        sheet.set_veto(
            veto.id, applies, f"经{FOUND_BY['查阅资料']}核实：{veto.text}" if applies else ""
        )
    start = visit + dt.timedelta(minutes=rng.randint(0, 20))
    sheet.started_at = start.astimezone().isoformat(timespec="seconds")
    sheet.finalized_at = (
        (start + dt.timedelta(minutes=rng.randint(45, 120)))
        .astimezone()
        .isoformat(timespec="seconds")
    )


@dataclass
class DemoPlan:
    subjects: int = 12
    raters: int = 5
    rounds: int = 2
    seed: int = 2026
    drafts: int = 2
    self_assessments: int = 2


def build_demo(forms: list[LoadedForm], plan: DemoPlan, last_round: int | None = None
               ) -> tuple[list[Subject], list[tuple[Sheet, LoadedForm]], list[Sheet]]:  # fmt: skip
    """(subjects, finalized sheets, drafts) for these forms; nothing is written here."""
    rng = random.Random(plan.seed)
    last_round = last_round or dt.date.today().year
    rounds = [str(last_round - i) for i in range(plan.rounds)][::-1]
    names = RATERS[:] + [f"检查员{i}" for i in range(1, max(0, plan.raters - len(RATERS)) + 1)]
    rng.shuffle(names)
    raters = [Rater(n, rng.uniform(-0.12, 0.12)) for n in names[: plan.raters]]
    subjects: list[Subject] = []
    finals: list[tuple[Sheet, LoadedForm]] = []
    drafts: list[Sheet] = []
    for loaded in forms:
        form: Form = loaded.form
        roster = roster_for(form.subject, plan.subjects, rng)
        subjects += roster
        base_quality = {s.id: subject_quality(rng) for s in roster}
        for round_ in rounds:
            for subject in roster:
                finals += panel_sheets(loaded, subject, round_, raters, base_quality[subject.id],
                                       plan.seed, rng)  # fmt: skip
            for subject in rng.sample(roster, min(plan.self_assessments, len(roster))):
                sheet = new_sheet(loaded, subject, f"{subject.name}（自评）", round_,
                                  demo_uuid(plan.seed, form.form, round_, subject.id, "self"),
                                  role="self")  # fmt: skip
                fill_sheet(sheet, min(0.99, base_quality[subject.id] + 0.1), rng, fired=())
                finals.append((sheet, loaded))
        for subject in rng.sample(roster, min(plan.drafts, len(roster))):
            sheet = new_sheet(loaded, subject, raters[0].name, rounds[-1],
                              demo_uuid(plan.seed, form.form, "draft", subject.id))  # fmt: skip
            fill_sheet(sheet, base_quality[subject.id], rng, complete=False, fired=())
            drafts.append(sheet)
    return subjects, finals, drafts


def add_demo_rectifications(store, seed: int) -> int:
    """The demo's 整改项 (demo/rectifications.py) for the sheets now in `store`; returns how
    many revisions were added (none when the items are there already)."""
    from inspect_kit.demo.rectifications import write_demo_items

    return write_demo_items(store, seed)


def subject_quality(rng: random.Random) -> float:
    """How good a subject is (0..1): most are middling, few excellent, as in real rounds
    (常州: 10 五星 of 168 units, S24); tuned so the top grade goes to roughly one in ten."""
    return rng.betavariate(6, 3.2)


VETO_RATE = 0.03
"""The share of subject-rounds where one veto's facts are there for the panel to find."""
MISS_RATE = 0.2
"""The share of raters who miss those facts."""


def panel_veto(form: Form, rng: random.Random) -> str:
    """The veto whose facts are there for this panel to find ('' for none): decided once per
    subject and round, not per rater."""
    if form.vetoes and rng.random() < VETO_RATE:
        return rng.choice(form.vetoes).id
    return ""


def new_sheet(loaded: LoadedForm, subject: Subject, rater: str, round_: str, uuid: str,
              role: str = "inspector") -> Sheet:  # fmt: skip
    return Sheet(form=loaded.form, form_sha256=loaded.sha256, subject=subject.id,
                 subject_name=subject.name, rater=rater, round=round_, role=role, uuid=uuid,
                 facts=SubjectFacts.of(subject))  # fmt: skip


def panel_sheets(
    loaded: LoadedForm, subject: Subject, round_: str, raters: list[Rater], base: float,
    seed: int, rng: random.Random,
) -> list[tuple[Sheet, LoadedForm]]:  # fmt: skip
    """One panel's sheets: the raters visit the subject together on one working day and see
    the same facts (a veto's facts are there or not; a rater may miss them)."""
    form = loaded.form
    quality = min(0.99, base + rng.gauss(0.0, 0.05))
    visit = visit_time(round_, rng)
    veto = panel_veto(form, rng)
    out = []
    for rater in raters:
        sheet = new_sheet(loaded, subject, rater.name, round_,
                          demo_uuid(seed, form.form, round_, subject.id, rater.name))  # fmt: skip
        seen = {veto} if veto and rng.random() >= MISS_RATE else set()
        fill_sheet(sheet, min(0.99, max(0.05, quality + rater.leniency)), rng, visit=visit,
                   fired=seen)  # fmt: skip
        out.append((sheet, loaded))
    return out


def demo_forms(paths: list[Path] | None = None) -> list[LoadedForm]:
    from inspect_kit.formfiles.catalog import form_files
    from inspect_kit.formfiles.loader import load_form_file

    return [load_form_file(p, builtin=True) for p in paths or form_files(builtin_forms_dir())]
