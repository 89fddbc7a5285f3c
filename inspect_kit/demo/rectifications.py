"""Demo rectification items (整改项, issue 13): for each unit's inspection in the demo, the
biggest deductions of one inspector's sheet become items with a requirement that fits the
item, a deadline 15–60 days after the visit, and a history: some reported, some verified
(one failing first), the rest open (overdue when their deadline has passed).

Deterministic for a seed and a date: the item uuids follow from the sheet and item, every
timestamp from the visit; items already in the store are left alone, so `demo` run twice adds
nothing. No change is dated after `today`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

from inspect_kit.domain.model import Form
from inspect_kit.domain.rectification import Rectification, change, item_uuid, open_item

PER_SHEET = 3
"""At most this many items per inspected unit and round."""
DEADLINE_DAYS = (15, 30, 30, 45, 60)

# (keywords in the item's text, what the unit must do): the first that matches.
REQUIREMENTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("标牌", "牌匾", "挂牌"), "按命名文件规范制作并悬挂阵地标牌，名称与命名文件一致"),
    (("安全", "消防", "灭火", "应急"), "更换过期消防器材，张贴疏散图，每季度开展安全检查"),
    (("台账", "档案", "记录", "资料"), "补齐活动台账（方案、照片、签到、总结），指定专人归档保管"),
    (("场所", "面积", "场地"), "落实固定活动场所，面积满足接待需要，并报送场地使用协议"),
    (("展陈", "设施", "器材", "设备"), "更新展陈内容和设施，使之与教育主题相符，损坏器材及时维修"),
    (("开放", "公示", "时间"), "按公示时间对外开放，在显著位置公示开放时间和联系人"),
    (("活动", "课程", "教育"), "制定年度活动计划，每季度至少组织一次主题教育活动"),
    (("队伍", "辅导员", "五老", "志愿者", "人员"), "充实辅导员和五老志愿者队伍，明确专人负责"),
    (("制度", "职责", "管理"), "建立健全管理制度和岗位职责，制度上墙公示"),
    (("经费", "资金", "保障"), "落实年度工作经费，专款专用并建立收支台账"),
    (("宣传", "报道", "媒体"), "加强工作宣传，及时报送活动信息"),
    (("满意度", "评价"), "开展满意度回访，针对意见逐条整改并公示结果"),
    (("培训", "技能"), "制定年度培训计划，每半年至少组织一次培训"),
    (("表彰", "推广", "经验"), "总结提炼工作经验，积极申报先进典型"),
)
REPORTS = ("已按要求整改完成，附整改前后照片", "已补齐相关材料并归档", "已落实，请复查")
FAILS = ("复查时仍未完全整改到位", "材料不完整，需继续补充")


def requirement_for(item_text: str, note: str) -> str:
    for words, text in REQUIREMENTS:
        if any(w in item_text for w in words):
            return text
    # Quotes inside quotes are single in Chinese (“三纳入”落实 → ‘三纳入’落实); the text after a
    # colon is the item's list of particulars, already in the note.
    named = item_text.split("：")[0].replace("“", "‘").replace("”", "’")
    return f"针对“{named}”存在的问题（{note or '扣分项'}）制定整改措施并落实到位"


def _stamp(day: dt.date, hour: int) -> str:
    return dt.datetime.combine(day, dt.time(hour, 0)).astimezone().isoformat(timespec="seconds")


def demo_items(
    docs: Sequence[Mapping[str, Any]],
    forms: Mapping[str, Form],
    *,
    seed: int,
    today: dt.date,
    responsible: Mapping[str, str] | None = None,
) -> list[Rectification]:
    """Every revision of the demo items for these finalized sheet records (`forms`: by sha)."""
    rng = random.Random(f"rectify-{seed}")
    chosen: dict[tuple[str, str, str], Mapping[str, Any]] = {}
    for doc in sorted(docs, key=lambda d: (d["form"], d["round"], d["subject"], d["rater"])):
        if doc.get("role") == "self" or doc.get("status") != "final":
            continue
        chosen.setdefault((doc["form"], doc["round"], doc["subject"]), doc)  # one inspector
    out: list[Rectification] = []
    for doc in chosen.values():
        form = forms[doc["form_sha256"]]
        lost = sorted(
            (
                (v.get("lost") or 0, k)
                for k, v in doc["score"]["items"].items()
                if (v.get("lost") or 0) > 0
            ),
            reverse=True,
        )[:PER_SHEET]
        visit = dt.date.fromisoformat(str(doc.get("started_at") or doc["finalized_at"])[:10])
        said: set[str] = set()
        old = visit < today - dt.timedelta(days=180)  # a past round: mostly settled by now
        for _, item_id in lost:
            item = form.item(item_id)
            note = (doc["answers"].get(item_id) or {}).get("note") or ""
            requirement = requirement_for(item.text, note)
            if requirement in said:
                continue  # two items, one fix: one item
            said.add(requirement)
            days = rng.choice(DEADLINE_DAYS)
            deadline = visit + dt.timedelta(days=days)
            made = open_item(
                uuid=item_uuid(doc["uuid"], item_id),
                subject=doc["subject"],
                subject_name=doc.get("subject_name") or "",
                requirement=requirement,
                deadline=deadline,
                by=doc["rater"],
                at=_stamp(visit, 12),
                form=doc["form"],
                round=str(doc["round"]),
                sheet=doc["uuid"],
                item=item_id,
                item_text=item.text,
                inspected_on=visit.isoformat(),
                inspectors=[doc["rater"]],
                device=doc.get("device") or "",
                responsible=(responsible or {}).get(doc["subject"], ""),
                note=note,
            )
            revisions = [made]
            fate = rng.random() * (0.45 if old else 1.0)
            reported_on = visit + dt.timedelta(days=max(5, days - rng.randint(0, 10)))
            checked_on = reported_on + dt.timedelta(days=rng.randint(5, 20))
            if fate < 0.6 and reported_on <= today:  # the unit reports back
                unit = made.responsible or f"{made.subject_name}负责人"
                revisions.append(
                    change(
                        revisions[-1],
                        "reported",
                        by=unit,
                        at=_stamp(reported_on, 16),
                        note=rng.choice(REPORTS),
                    )
                )
                if fate < 0.4 and checked_on <= today:  # and the re-inspection checks it
                    if fate < 0.08:  # not yet: open again, reported and checked once more
                        revisions.append(
                            change(
                                revisions[-1],
                                "failed",
                                by=doc["rater"],
                                at=_stamp(checked_on, 10),
                                note=rng.choice(FAILS),
                            )
                        )
                        later = checked_on + dt.timedelta(days=10)
                        if later > today:
                            out += revisions
                            continue
                        revisions.append(
                            change(
                                revisions[-1],
                                "reported",
                                by=unit,
                                at=_stamp(later, 16),
                                note="已再次整改",
                            )
                        )
                        checked_on = later + dt.timedelta(days=5)
                        if checked_on > today:
                            out += revisions
                            continue
                    revisions.append(
                        change(
                            revisions[-1],
                            "verified",
                            by=doc["rater"],
                            at=_stamp(checked_on, 10),
                            note="复查已整改到位",
                        )
                    )
            out += revisions
    return out


def write_demo_items(store: Any, seed: int, today: dt.date | None = None) -> int:
    """Write the demo items for every finalized sheet in `store` that has none yet; returns the
    number of revisions added."""
    from inspect_kit.base import clock
    from inspect_kit.store import rectifications as table

    docs = store.submissions()
    forms = {sha: store.stored_form(sha) for sha in {d["form_sha256"] for d in docs}}
    have = {d["uuid"] for d in table.records(store, all_revisions=True)}
    contacts = {s.id: f"{s.name}负责人" for s in store.subjects()}
    revisions = [
        r
        for r in demo_items(
            docs, forms, seed=seed, today=today or clock.today(), responsible=contacts
        )
        if r.uuid not in have
    ]
    return len(table.save(store, revisions)) if revisions else 0
