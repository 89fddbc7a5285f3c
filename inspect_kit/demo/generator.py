"""Realistic sample data: rosters, sheets from raters of different leniency, several rounds.

Deterministic for a seed. Used by `inspect-kit demo`, the tests and the benchmark.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid as uuid_lib
from dataclasses import dataclass
from pathlib import Path

from inspect_kit.base.paths import builtin_forms_dir
from inspect_kit.demo.table_rows import demo_rows
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
from inspect_kit.domain.sheet import Sheet
from inspect_kit.domain.subject import Subject
from inspect_kit.formfiles.loader import LoadedForm

RATERS = ["王建国", "李秀英", "张志强", "刘桂兰", "陈永红", "杨立新", "赵淑华", "黄国平", "周海燕"]
REASONS = [
    "现场查看未见相关材料", "台账记录不完整，缺少部分月份", "制度未上墙", "资料与实际情况不符",
    "负责人未能提供任命文件", "活动记录缺少照片和签到表", "设施有损坏未及时维修",
    "培训记录只有通知，没有签到和内容", "部分项目未落实到位", "座谈中反映开展次数不足",
]  # fmt: skip
REMARKS = ["整体情况良好，台账规范", "阵地建设有特色，建议加强宣传", "需进一步完善制度和档案管理",
           "活动丰富，五老作用发挥明显", "场所较小，建议争取更多支持"]  # fmt: skip
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
        return rng.choice(REMARKS)
    if isinstance(item, DateItem):
        return when.isoformat()
    if isinstance(item, SignatureItem):
        return rater
    if isinstance(item, TableItem):
        return demo_rows(item, quality, rng, when)
    return None


def fill_sheet(sheet: Sheet, quality: float, rng: random.Random, *, na_rate: float = 0.08,
               veto_rate: float = 0.004, complete: bool = True) -> None:  # fmt: skip
    """Answer a sheet as an inspector would, with 扣分理由 for every deduction."""
    when = dt.date(int(sheet.round), 1, 1) + dt.timedelta(days=rng.randint(90, 330))
    when = min(when, dt.date.today() - dt.timedelta(days=1))  # no sheet dated in the future
    for _, item in sheet.form.iter_items():
        if not complete and rng.random() < 0.4:
            continue
        if isinstance(item, NoteItem | PhotoItem) or item.id not in sheet.visible():
            continue
        if item.allow_na and rng.random() < na_rate:
            sheet.set_na(item.id)
            continue
        value = demo_value(item, quality, rng, when, sheet.rater)
        if value is None:
            continue
        sheet.set_value(item.id, value)
        item_score = sheet.score().items[item.id]
        if item_score.lost > 0:
            sheet.set_note(item.id, rng.choice(REASONS))
    for veto in sheet.form.vetoes:
        if not complete and rng.random() < 0.5:
            continue
        fired = rng.random() < veto_rate
        sheet.set_veto(veto.id, fired, "检查中发现，已核实" if fired else "")
    sheet.started_at = (
        dt.datetime.combine(when, dt.time(9, rng.randint(0, 59)))
        .astimezone()
        .isoformat(timespec="seconds")
    )
    sheet.finalized_at = (
        dt.datetime.combine(when, dt.time(11, rng.randint(0, 59)))
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
        base_quality = {s.id: rng.betavariate(5, 1.6) for s in roster}
        for round_ in rounds:
            for subject in roster:
                quality = min(0.99, base_quality[subject.id] + rng.gauss(0.02, 0.05))
                for rater in raters:
                    sheet = Sheet(form=form, form_sha256=loaded.sha256, subject=subject.id,
                                  subject_name=subject.name, rater=rater.name, round=round_,
                                  uuid=demo_uuid(plan.seed, form.form, round_, subject.id,
                                                 rater.name))  # fmt: skip
                    fill_sheet(sheet, min(0.99, max(0.05, quality + rater.leniency)), rng)
                    finals.append((sheet, loaded))
            for subject in rng.sample(roster, min(plan.self_assessments, len(roster))):
                sheet = Sheet(form=form, form_sha256=loaded.sha256, subject=subject.id,
                              subject_name=subject.name, rater=f"{subject.name[:6]}自评",
                              round=round_, role="self",
                              uuid=demo_uuid(plan.seed, form.form, round_, subject.id,
                                             "self"))  # fmt: skip
                fill_sheet(sheet, min(0.99, base_quality[subject.id] + 0.1), rng, veto_rate=0)
                finals.append((sheet, loaded))
        for subject in rng.sample(roster, min(plan.drafts, len(roster))):
            sheet = Sheet(form=form, form_sha256=loaded.sha256, subject=subject.id,
                          subject_name=subject.name, rater=raters[0].name, round=rounds[-1],
                          uuid=demo_uuid(plan.seed, form.form, "draft", subject.id))  # fmt: skip
            fill_sheet(sheet, base_quality[subject.id], rng, complete=False, veto_rate=0)
            drafts.append(sheet)
    return subjects, finals, drafts


def demo_forms(paths: list[Path] | None = None) -> list[LoadedForm]:
    from inspect_kit.formfiles.catalog import form_files
    from inspect_kit.formfiles.loader import load_form_file

    return [load_form_file(p, builtin=True) for p in paths or form_files(builtin_forms_dir())]
