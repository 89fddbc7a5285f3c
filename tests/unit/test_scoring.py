"""The scoring engine (DESIGN §3): hand-computed worked examples on every built-in form, and
hypothesis properties over random complete answer sets.

Order under test: item points → section earned / possible (after N/A) × section points →
total (sum, 1 decimal) → bonus (capped, added) → first band whose min and section_min hold →
vetoes override.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspect_kit.domain.answers import Answer, AnswerSet, VetoAnswer, normalize_value
from inspect_kit.domain.model import (
    ChoiceItem,
    DateItem,
    DeductItem,
    Form,
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
from inspect_kit.domain.scoring import score, visible_items
from inspect_kit.domain.sheet import Sheet
from inspect_kit.formfiles.loader import parse_form_text

EDU, COM, ENT, FOS = ("edu-base-inspection", "five-good-committee", "five-good-enterprise",
                      "four-oclock-school")  # fmt: skip


# ---------------------------------------------------------------- helpers


ROWS_10 = [[f"2026-03-{d:02d}", f"活动{d}", 30] for d in range(1, 11)]
"""Ten activities in the 活动台账 (one row each)."""
ROWS_8 = ROWS_10[:8]


def best_value(item):
    """The value earning the item's full marks (a plausible value for unscored items)."""
    if isinstance(item, YesNoItem):
        return item.good == "yes"
    if isinstance(item, ChoiceItem):
        return max(
            (o for o in item.options if not o.veto and not o.fail), key=lambda o: o.points
        ).label
    if isinstance(item, MultiItem):
        return [o.label for o in item.options if not o.veto and not o.fail]
    if isinstance(item, ScoreItem):
        return item.max
    if isinstance(item, DeductItem):
        return [] if item.defects else 0
    if isinstance(item, NumberItem):
        if item.bands:
            return max(b.min for b in item.bands)
        if item.per:
            return math.ceil((item.max or 0) / item.per)
        return item.min_value
    if isinstance(item, TextItem):
        return "情况良好"
    if isinstance(item, SignatureItem):
        return "王建国"
    if isinstance(item, DateItem):
        return "2026-05-01"
    if isinstance(item, PhotoItem):
        return ["p1.jpg"]
    if isinstance(item, TableItem):
        return table_rows_for(item, max(b.min for b in item.bands) if item.bands
                              else math.ceil((item.max or 0) / (item.per or 1)))  # fmt: skip
    return None


def table_rows_for(item: TableItem, amount: float) -> list[dict]:
    """Rows whose count (or scored column's sum) is `amount`."""

    def row(n: int, value: float = 1) -> dict:
        cells = {"date": "2026-05-01", "text": f"活动{n}", "number": 1}
        found = {c.id: cells.get(c.type) or c.options[0] for c in item.columns}
        if item.score_by != "rows":
            found[item.score_by] = value
        return found

    if item.score_by == "rows":
        return [row(n) for n in range(1, int(amount) + 1)]
    return [row(1, amount)]


def full_marks(form: Form, **overrides) -> AnswerSet:
    """Every item at full marks, bonus items at nothing, no veto fired, then `overrides`
    (id -> raw value, or Answer for N/A / notes). Unscored yes/no items are answered 'no'."""
    items: dict[str, Answer] = {}
    for section, item in form.iter_items():
        if isinstance(item, NoteItem):
            continue
        value = best_value(item)
        if section.bonus:
            value = 0 if isinstance(item, NumberItem) else False
        if isinstance(item, YesNoItem) and not item.scored:
            value = False
        items[item.id] = Answer(value=normalize_value(item, value))
    for item_id, raw in overrides.items():
        if isinstance(raw, Answer):
            items[item_id] = raw
        else:
            item = form.item(item_id)
            items[item_id] = Answer(value=normalize_value(item, raw), note="扣分理由")
    return AnswerSet(items=items, vetoes={v.id: VetoAnswer(fired=False) for v in form.vetoes})


def variant(form_text: str, *edits: tuple[str, str]) -> Form:
    for old, new in edits:
        assert old in form_text, old
        form_text = form_text.replace(old, new, 1)
    return parse_form_text(form_text, "variant.yaml")


def sec(record, section_id):
    return next(s for s in record.sections if s.id == section_id)


@pytest.fixture(scope="module")
def forms(builtin_forms):
    return {stem: lf.form for stem, lf in builtin_forms.items()}


@pytest.fixture(scope="module")
def sources(builtin_forms):
    return {stem: lf.source for stem, lf in builtin_forms.items()}


# ---------------------------------------------------------------- full marks on every form


@pytest.mark.parametrize("stem", [EDU, COM, ENT, FOS])
def test_full_marks_sheet_scores_the_total_and_the_top_grade(forms, stem):
    form = forms[stem]
    record = score(form, full_marks(form))
    assert record.total == 100 and record.possible_so_far == 100
    assert record.bonus == 0 and record.final == 100
    assert record.band == record.grade == form.grades[0].grade
    assert record.grade_reason is None
    assert record.complete and not record.unanswered and not record.missing_notes
    for s in record.sections:
        if not s.bonus and s.points:
            assert s.scaled == s.points and s.ratio == 1.0


# ---------------------------------------------------------------- edu-base-inspection


def test_edu_worked_example_with_deductions_and_bonus(forms):
    form = forms[EDU]
    answers = full_marks(
        form,
        **{
            # 一、有标牌 5: 基本规范 2 + info-posted 2 − 1×1 = 1                    → 3 / 5
            "sign-posted": "基本规范", "info-posted": ["开放时间"],
            # 二、有场所 10: 固定场所 5 + site-safety 5 − 2 = 3                       → 8 / 10
            "site-safety": 2,
            # 三、有设施 13: 4.5 + 2 + (3 − 1) + 2 + 1                                → 11.5 / 13
            "facility-theme": 4.5, "facility-repair": 1,
            # 四、有队伍 13: 3 + guides 1 → 2 + wulao 无 0 + 4                        → 9 / 13
            "team-guides": 1, "team-wulao": "无",
            # 五、有制度 14: (4 − 1) + 有预案无演练 2 + 2 + 经费不稳定 2              → 9 / 14
            "rules-posted": ["制度上墙"], "rules-emergency": "有预案无演练",
            "rules-funds": "经费不稳定或无台账",
            # 六、有活动 25: 4 + act-log 10 rows → 6 (县级 bands: no subject facts)
            #               + 2 themes 4 + (4 − 2) 2 + 260 days → 2                 → 18 / 25
            "act-log": [[f"2026-03-{d:02d}", f"活动{d}", 30] for d in range(1, 11)],
            "act-themes": ["爱国主义", "法治"], "act-partner": ["无共建协议"],
            "act-open-days": 260,
            # 七、有成效 20: 3000 → 6 + 85% → 3 + 4 + 3                               → 16 / 20
            "out-visitors": 3000, "out-satisfaction": 85,
            # 加分: award 1 → 1, media 是 → 1                                          → bonus 2
            "bonus-award": 1, "bonus-media": True,
        },
    )  # fmt: skip
    record = score(form, answers)
    assert [
        sec(record, s).scaled
        for s in ("sign", "site", "facilities", "team", "rules", "activities", "outcomes")
    ] == [3, 8, 11.5, 9, 9, 18, 16]
    # total 3 + 8 + 11.5 + 9 + 9 + 18 + 16 = 74.5; final 74.5 + 2 = 76.5 → 合格 (60 ≤ 76.5 < 80)
    assert record.total == 74.5
    assert record.bonus_raw == 2 and record.bonus == 2 and record.final == 76.5
    assert record.shown_total() == "74.5 + 2"
    assert record.band == record.grade == "合格"
    assert record.items["info-posted"].points == 1 and record.items["info-posted"].lost == 1
    assert record.items["act-partner"].points == 2
    assert record.items["act-open-days"].points == 2
    assert record.items["team-wulao"].points == 0
    assert record.complete and not record.missing_notes


def test_edu_bonus_is_capped_at_bonus_cap_and_the_score_at_score_cap(forms, sources):
    form = forms[EDU]
    assert form.score_cap == 100 and form.bonus_counts
    # award 7 → per 1 × 7 capped at the item's max 3; brand 1; media 1 → 5 = bonus_cap 5;
    # total 100 + bonus 5 = 105, shown capped at score_cap 100
    record = score(form, full_marks(form, **{"bonus-award": 7, "bonus-brand": True,
                                            "bonus-media": True}))  # fmt: skip
    assert record.items["bonus-award"].points == 3
    assert record.bonus_raw == 5 and record.bonus == 5 and record.final == 100
    # Without the score cap the same sheet shows 105
    uncapped = variant(sources[EDU], ("score_cap: 100 ", "# score_cap: 100 "))
    record = score(uncapped, full_marks(uncapped, **{"bonus-award": 7, "bonus-brand": True,
                                                    "bonus-media": True}))  # fmt: skip
    assert record.final == 105
    # bonus_cap 3 (no score cap): 5 raw bonus points count as 3 → final 100 + 3
    capped = variant(sources[EDU], ("bonus_cap: 5", "bonus_cap: 3"),
                     ("score_cap: 100 ", "# score_cap: 100 "))  # fmt: skip
    record = score(capped, full_marks(capped, **{"bonus-award": 7, "bonus-brand": True,
                                                "bonus-media": True}))  # fmt: skip
    assert record.bonus_raw == 5 and record.bonus == 3
    assert record.total == 100 and record.final == 103


def test_bonus_that_does_not_count_toward_the_grade_is_shown_but_not_graded(sources):
    form = variant(sources[EDU], ("bonus_counts: true", "bonus_counts: false"))
    # 七 visitors 3000 → 6 (−2), satisfaction 85% → 3 (−2); 六 act-log 10 rows → 6 (−2),
    # 2 themes → 4 (−2), 260 days → 2 (−1); 四 wulao 无 (−2): total 100 − 11 = 89 (every
    # section ≥ 60%); bonus award 3 → final 92
    answers = full_marks(form, **{"out-visitors": 3000, "out-satisfaction": 85,
                                  "act-log": ROWS_10, "act-themes": ["爱国主义", "法治"],
                                  "act-open-days": 260, "team-wulao": False,
                                  "bonus-award": 3})  # fmt: skip
    record = score(form, answers)
    assert record.total == 89 and record.bonus == 3 and record.final == 92
    # graded on the total 89 alone: 良好 (80 ≤ 89 < 90), not 优秀
    assert record.band == record.grade == "良好"
    # the built-in form (bonus counts): the same sheet's 92 is 优秀
    assert score(parse_form_text(sources[EDU]), answers).grade == "优秀"


def test_edu_na_rescales_its_section(forms):
    form = forms[EDU]
    answers = full_marks(form, **{"facility-access": Answer(na=True), "facility-theme": 4.5,
                                  "facility-repair": 1})  # fmt: skip
    record = score(form, answers)
    facilities = sec(record, "facilities")
    # possible 13 − 1 (N/A) = 12; earned 4.5 + 2 + 2 + 2 = 10.5; scaled 10.5 / 12 × 13 = 11.375
    assert facilities.possible_raw == 12 and facilities.earned_raw == 10.5
    assert facilities.scaled == pytest.approx(10.5 / 12 * 13, abs=1e-4)
    assert facilities.ratio == pytest.approx(10.5 / 12)
    assert record.items["facility-access"].na and record.items["facility-access"].points is None
    # total 87 + 11.375 = 98.375 → 98.4
    assert record.total == 98.4
    # Without N/A the same answers with access 无 give 10.5 / 13 × 13 = 10.5 → 97.5
    record = score(form, full_marks(form, **{"facility-access": False, "facility-theme": 4.5,
                                             "facility-repair": 1}))  # fmt: skip
    assert record.total == 97.5


def test_edu_section_below_section_min_lowers_excellent_to_pass(forms):
    form = forms[EDU]
    # 四、有队伍 13: leader 无 0 + guides 0 → 0 + wulao 2 + training 4 = 6 / 13 = 46.2% < 60%
    answers = full_marks(form, **{"team-leader": False, "team-guides": 0})
    record = score(form, answers)
    # total 87 + 6 = 93 → the score reaches 优秀; 良好 needs 60% too → 合格
    assert record.total == 93 and record.band == "优秀"
    assert record.grade == "合格"
    assert sec(record, "team").ratio == pytest.approx(6 / 13)
    # the reason names the floor that was missed (良好's 60%), not 优秀's
    assert record.grade_reason == (
        "总分达到“优秀”分数线，但“四、有队伍”得分低于本部分分值的 60%，"
        "未达到“良好”的分项要求，评为“合格”"
    )


def test_edu_section_exactly_at_section_min_keeps_the_grade(forms):
    form = forms[EDU]
    # 一、有标牌 5: 不规范 1 + info-posted 2 = 3 / 5 = 60% exactly → still 优秀 (95 ≥ 90)
    record = score(form, full_marks(form, **{"sign-posted": "不规范"}))
    assert sec(record, "sign").ratio == pytest.approx(0.6)
    assert record.total == 98 and record.grade == "优秀" and record.grade_reason is None


def test_edu_veto_forces_the_veto_grade(forms):
    form = forms[EDU]
    answers = full_marks(form)
    answers.vetoes["veto-safety"] = VetoAnswer(fired=True, note="事故通报")
    record = score(form, answers)
    assert record.total == 100 and record.band == "优秀"
    assert record.grade == "不合格" == form.veto_grade
    assert [v.id for v in record.vetoes] == ["veto-safety"]
    assert record.vetoes[0].note == "事故通报" and record.vetoes[0].source == "veto"
    assert record.grade_reason.startswith("一票否决：") and "安全责任事故" in record.grade_reason


def test_edu_partial_draft_scores_so_far(forms):
    form = forms[EDU]
    answers = AnswerSet(items={
        "sign-posted": Answer(value="规范"),        # 3 of 3
        "info-posted": Answer(value=[]),            # 2 of 2
        "site-fixed": Answer(value="临时或借用"),    # 2 of 5 (note missing)
    })  # fmt: skip
    record = score(form, answers)
    # so far: sign 5 of 5, site 2 of 5 answered (× 10/10) → total 7, possible so far 10
    assert record.total == 7 and record.possible_so_far == 10
    assert not record.complete
    assert "site-safety" in record.unanswered and "veto-safety" in record.unanswered
    assert "sign-posted" not in record.unanswered
    assert record.missing_notes == ("site-fixed",)
    assert record.items["site-safety"].points is None and not record.items["site-safety"].answered
    assert record.grade == "不合格"  # 7 points so far


def test_missing_deduction_note_is_reported_per_item(forms):
    form = forms[EDU]
    answers = full_marks(form)
    answers.items["site-safety"] = Answer(value=2)  # lost 2, no note
    answers.items["facility-theme"] = Answer(value=4.0, note="  ")  # blank note counts as none
    record = score(form, answers)
    assert set(record.missing_notes) == {"site-safety", "facility-theme"}
    assert record.items["site-safety"].note_missing
    answers.items["site-safety"] = Answer(value=2, note="灭火器过期")
    assert "site-safety" not in score(form, answers).missing_notes


def test_bonus_not_earned_needs_no_deduction_note(forms):
    form = forms[EDU]
    answers = full_marks(
        form,
        **{
            "bonus-award": Answer(value=0),
            "bonus-brand": Answer(value=False),
            "bonus-media": Answer(value=True),
        },
    )
    record = score(form, answers)
    assert record.bonus == 1 and record.missing_notes == ()


# ---------------------------------------------------------------- five-good-committee


def test_committee_worked_example(forms):
    form = forms[COM]
    answers = full_marks(
        form,
        **{
            # 一 20: lead-team 3 − 2×1.5 = 0; 落实1项 1.5; staff 2 − 1 = 1; network 3;
            #        office 3 − 1 = 2; premises 2; funds 3000 → 1.5; press 1 title 0.5  → 11.5
            "lead-team": ["成员不足3人", "无老领导任常务副主任"], "lead-chair": "落实1项",
            "lead-staff": ["无联络员"], "lead-office": ["无检查"], "lead-funds": 3000,
            "lead-press": ["《中国火炬》"],
            # 二 20: multi 1 + 2 = 3; theme 5; 活动不经常 3; holiday 2                  → 13
            "wulao-team": ["五老名册完整、队伍充实", "年内举办培训班"],
            "wulao-groups": "活动不经常", "wulao-holiday": ["有教育实践基地"],
            # 三 20 (not a school: rules-three shown, rules-three-school hidden):
            #        4 + (4 − 3×1.5 → 0, never below 0) + briefing 2 + 配合不经常 1.5 + 3 + 4 → 14.5
            "rules-three": ["未纳入党委议事日程", "未纳入精神文明建设规划", "未纳入目标考核"],
            "rules-briefing": 2, "rules-coordination": "配合不经常",
            # 四 20: count 3 → 4.5; care 4; 正常运行 3; 不定期讲座 2; 95% → 3            → 16.5
            "act-theme-count": 3, "act-family": "不定期开展讲座", "act-satisfaction": 95,
            # 五 20: 县级品牌 6; research 3; info 1 → 1.5; 市级 5                         → 15.5
            "inno-brand": "县级品牌", "inno-info": 1, "inno-promoted": "市级",
            # bonus: award 2; info-used 5 → per 1 capped at 2                          → 4
            "bonus-award": 2, "bonus-info-used": 5,
        },
    )  # fmt: skip
    record = score(form, answers)
    assert [s.scaled for s in record.sections if not s.bonus and s.points] == [
        11.5,
        13,
        14.5,
        16.5,
        15.5,
    ]
    assert record.items["rules-three"].points == 0 and record.items["rules-three"].lost == 4
    assert record.items["rules-three-school"].hidden
    assert record.items["lead-press"].points == 0.5
    # total 11.5 + 13 + 14.5 + 16.5 + 15.5 = 71; final 71 + 4 = 75 ≥ 75 → band 达标,
    # but 一 is 11.5 / 20 = 57.5% < 达标's 60% → 未达标
    assert record.total == 71 and record.bonus == 4 and record.final == 75
    assert record.band == "达标" and record.grade == "未达标"
    assert "一、领导班子建设好" in record.grade_reason and "60%" in record.grade_reason


def test_township_base_with_8_activities_is_not_penalised_by_the_county_threshold(builtin_forms):
    from inspect_kit.domain.subject import SubjectFacts

    form = builtin_forms[EDU].form
    town = SubjectFacts(kind="education-base", level="乡镇级")
    county = SubjectFacts(kind="education-base", level="县级")
    answers = full_marks(form, **{"act-log": ROWS_8, "out-visitors": 1500})
    # 乡镇级: 8 activities meet the 乡镇级 requirement of 8 → 8 of 8; 1500 visitors are in the
    # 乡镇级 band 1000–1999 → 6 of 8; total 100 − 2 = 98
    answers.subject = town
    record = score(form, answers)
    assert record.items["act-log"].points == 8 and record.items["out-visitors"].points == 6
    assert record.total == 98
    # 县级: 8 of the required 12 → 8 − 4 = 4; 1500 visitors in the 500–1999 band → 4;
    # total 100 − 4 − 4 = 92
    answers.subject = county
    record = score(form, answers)
    assert record.items["act-log"].points == 4 and record.items["out-visitors"].points == 4
    assert record.total == 92
    # A sheet without subject facts (stored before v2) is scored by the default, 县级, bands
    answers.subject = None
    assert score(form, answers).total == 92


def test_committee_school_gets_the_moral_education_check_and_others_do_not(builtin_forms):
    from inspect_kit.domain.subject import SubjectFacts

    loaded = builtin_forms[COM]
    school = SubjectFacts(kind="committee", level="校级", tags=("学校", "小学"))
    community = SubjectFacts(kind="committee", level="村级", tags=("社区",))
    for facts, shown, hidden in ((school, "rules-three-school", "rules-three"),
                                 (community, "rules-three", "rules-three-school")):  # fmt: skip
        sheet = Sheet(form=loaded.form, form_sha256=loaded.sha256, subject="cm", rater="王",
                      subject_name="关工委", round="2026", facts=facts)  # fmt: skip
        assert shown in sheet.visible() and hidden not in sheet.visible()
    assert "未纳入学校德育工作计划" not in loaded.form.item("rules-three").defects
    assert "未纳入学校德育工作计划" in loaded.form.item("rules-three-school").defects
    # A school missing only the 德育 plan: rules-three-school 4 − 1 = 3;
    # 三 = 4 + 3 + 2 + 3 + 3 + 4 = 19 of 20 → total 99
    answers = full_marks(loaded.form, **{"rules-three-school": ["未纳入学校德育工作计划"]})
    answers.subject = school
    record = score(loaded.form, answers)
    assert sec(record, "rules").scaled == 19 and record.total == 99
    assert record.items["rules-three"].hidden and record.items["rules-three-school"].points == 3
    # The same answers for a community: that item is hidden, its value dropped from the score
    answers.subject = community
    record = score(loaded.form, answers)
    assert sec(record, "rules").scaled == 20 and record.total == 100


def test_committee_section_min_lowers_model_to_standard(forms):
    form = forms[COM]
    # 一 = 20 − 3 (network 0) − 3 (funds 1500 元 → 0) = 14 / 20 = 70% < 示范's 80% but ≥ 60%;
    # total 94
    record = score(form, full_marks(form, **{"lead-network": 0, "lead-funds": 1500}))
    assert record.total == 94 and record.band == "示范" and record.grade == "达标"
    assert "80%" in record.grade_reason and "“示范”的分项要求" in record.grade_reason


def test_committee_bonus_lifts_the_grade_and_is_capped(forms, sources):
    form = forms[COM]
    # act-satisfaction 65% → 0 (of 3) and inno-info 0 → 0 (of 3): total 100 − 3 − 3 = 94;
    # bonus award 3 (max 3) + info-used 2 (max 2) = 5 = bonus_cap 5 → final 99
    answers = full_marks(form, **{"act-satisfaction": 65, "inno-info": 0,
                                  "bonus-award": 3, "bonus-info-used": 2})  # fmt: skip
    record = score(form, answers)
    assert record.total == 94 and record.bonus_raw == 5 and record.bonus == 5 and record.final == 99
    capped = variant(sources[COM], ("bonus_cap: 5", "bonus_cap: 2"))
    record = score(
        capped,
        full_marks(
            capped,
            **{"act-satisfaction": 65, "inno-info": 0, "bonus-award": 3, "bonus-info-used": 2},
        ),
    )
    # raw 3 + 2 = 5 above the cap 2 → final 94 + 2 = 96
    assert record.bonus_raw == 5 and record.bonus == 2 and record.final == 96


def test_committee_na_rescales_its_section(sources):
    form = variant(sources[COM], ("        labels: [有, 无]\n        points: 3\n",
                                  "        labels: [有, 无]\n        points: 3\n        allow_na: true\n"))  # fmt: skip  # noqa: E501
    # 五 20: inno-research (3) N/A → possible 17; earned 8 + 1.5 (info 1) + 6 = 15.5;
    # scaled 15.5 / 17 × 20 = 18.235… → total 80 + 18.235 = 98.2
    record = score(form, full_marks(form, **{"inno-research": Answer(na=True), "inno-info": 1}))
    innovation = sec(record, "innovation")
    assert innovation.possible_raw == 17 and innovation.earned_raw == 15.5
    assert innovation.scaled == pytest.approx(15.5 / 17 * 20, abs=1e-4)
    assert record.total == 98.2


def test_committee_veto_forces_not_met(forms):
    form = forms[COM]
    answers = full_marks(form, **{"bonus-award": 3})
    answers.vetoes["veto-inactive"] = VetoAnswer(fired=True)
    record = score(form, answers)
    # 100 + 3 shown capped at score_cap 100
    assert record.final == 100 and record.band == "示范" and record.grade == "未达标"


def test_committee_partial_draft(forms):
    form = forms[COM]
    answers = AnswerSet(items={"lead-team": Answer(value=["成员不足3人"], note="只有2人"),
                               "wulao-theme": Answer(value=2.5, note="形式单一")})  # fmt: skip
    record = score(form, answers)
    # so far: lead-team 3 − 1.5 = 1.5 of 3, wulao-theme 2.5 of 5 → total 4, possible 8
    assert record.total == 4 and record.possible_so_far == 8 and not record.complete


# ---------------------------------------------------------------- five-good-enterprise


def test_enterprise_worked_example(forms):
    form = forms[ENT]
    answers = full_marks(
        form,
        **{
            # 一 20: 中层 3; deputy 6 − 3 = 3; integration 2 + 2 = 4; funds 2    → 12 (60%)
            "ent-chair": "中层管理人员任主任", "ent-deputy": ["无联络员"],
            "ent-integration": ["纳入企业党建或工会工作", "有关工委标牌"],
            # 二 15: backbone 4 → 3; 记录不全 3; training 5                      → 11
            "ent-backbone": 4, "ent-mentor": "记录不全",
            # 三 15: rules 5 − 1 = 4; plan 5; report 1 → 2.5                    → 11.5
            "ent-rules": ["例会制度"], "ent-report": 1,
            # 四 35: ideology 3 → 6; skills 7.5; children 3+3+3 = 9 capped 8; charity 5; 75% → 3
            #                                                                   → 29.5
            "ent-ideology": 3, "ent-skills": 7.5,
            "ent-children": ["暑期托管班", "假日学校或四点钟学校", "企业家长学校"],
            "ent-charity": 5, "ent-satisfaction": 75,
            # 五 15: brand 3 × 4 = 12 capped 8; 县级 5                           → 13
            "ent-promoted": "县级",
        },
    )  # fmt: skip
    record = score(form, answers)
    assert [s.scaled for s in record.sections if s.points] == [12, 11, 11.5, 29.5, 13]
    assert record.items["ent-children"].points == 8 and record.items["ent-brand"].points == 8
    # total 12 + 11 + 11.5 + 29.5 + 13 = 77; no bonus on this form
    assert record.total == 77 and record.bonus == 0 and record.final == 77
    # 达标 needs ≥ 75 and every section ≥ 60%: 一 is exactly 60% → 达标
    assert record.band == record.grade == "达标"
    assert sec(record, "leadership").ratio == pytest.approx(0.6)


def test_enterprise_section_min_lowers_five_star_past_model(forms):
    form = forms[ENT]
    # 二 15: backbone 4 → 3 (of 5), mentor 记录不全 3 (of 5): 11 / 15 = 73% < 80%; total 96
    record = score(form, full_marks(form, **{"ent-backbone": 4, "ent-mentor": "记录不全"}))
    assert record.total == 96 and record.band == "五星"
    assert record.grade == "达标"  # 示范 also needs 80% of every section
    assert "二、骨干队伍作用好" in record.grade_reason and "80%" in record.grade_reason


def test_enterprise_na_rescales_its_section(sources):
    form = variant(sources[ENT], ("        max: 6\n        step: 0.5\n",
                                  "        max: 6\n        step: 0.5\n        allow_na: true\n"))  # fmt: skip  # noqa: E501
    # 四 35: charity (6) N/A → possible 29; earned 8 + 6 + 8 + 5 = 27 (skills 6 of 8);
    # scaled 27 / 29 × 35 = 32.586… → total 65 + 32.586 = 97.6
    record = score(form, full_marks(form, **{"ent-charity": Answer(na=True), "ent-skills": 6}))
    acts = sec(record, "activities")
    assert acts.possible_raw == 29 and acts.earned_raw == 27
    assert acts.scaled == pytest.approx(27 / 29 * 35, abs=1e-4)
    assert record.total == 97.6 and record.grade == "五星"


def test_enterprise_has_no_bonus_and_veto_forces_not_met(forms):
    form = forms[ENT]
    answers = full_marks(form)
    answers.vetoes["veto-labour"] = VetoAnswer(fired=True)
    record = score(form, answers)
    assert record.bonus == 0 and record.final == 100
    assert record.grade == "未达标" and record.vetoes[0].id == "veto-labour"


def test_enterprise_partial_draft(forms):
    form = forms[ENT]
    answers = AnswerSet(items={"ent-skills": Answer(value=4.0, note="培训偏少")})
    record = score(form, answers)
    # 四: 4 of 8 answered, factor 35 / 35 → total 4, possible 8
    assert record.total == 4 and record.possible_so_far == 8


# ---------------------------------------------------------------- four-oclock-school


FOS_BASIC = ("org", "premises", "staff", "training", "safety", "enrolment")
FOS_OTHER = ("plan", "tutoring", "moral", "satisfaction", "features")


def test_four_oclock_worked_example(forms):
    form = forms[FOS]
    answers = full_marks(
        form,
        **{
            # 组织领导 10: host 2 + head 否 0 + 偶尔参与 1.5 + funds 3                   → 6.5
            "lead-head": False, "lead-wulao": "偶尔参与",
            # 办学条件 15: 4 + environment 3 + equipment 4 − 1 + hygiene 3 − 1          → 12
            "venue-environment": 3, "venue-equipment": ["图书"],
            "venue-hygiene": ["饮水设备未定期清洗消毒"],
            # 师资队伍 10: 3 + mix 2 + 1 = 3 + 个别场次不足 1.5                           → 7.5
            "staff-mix": ["五老", "在职教师"], "staff-on-duty": "个别场次不足",
            # 师资培训 5: 1 training → 1.5 + safety content 2                            → 3.5
            "training-count": 1,
            # 安全管理 15: pledge 6 − 3 + hand-over 6 + 有预案无演练 1.5                  → 10.5
            "safety-pledge": ["意外伤害保险"], "safety-plan": "有预案无演练",
            # 招生管理 5: 2 + priority 否 0 + 2 (pupils 35: not scored)                  → 4
            "enrol-priority": False, "enrol-pupils": 35,
            # 活动计划与开放 5: 有计划无课程表 1.5 + hours 2 − 1                          → 2.5
            "act-plan": "有计划无课程表", "act-hours": ["无寒暑假假日学校安排"],
            # 作业辅导 10: 85% → 4 + records 4 − 1                                       → 7
            "act-open-rate": 85, "act-records": ["活动照片"],
            # 德育 5: 3 themes × 1                                                        → 3
            "act-moral": ["爱国主义", "法治", "安全自护"],
            # 满意度 10: 82% → 8                                                         → 8
            "act-satisfaction": 82,
            # 特色指标 10: 4 + 2                                                          → 6
            "feature-course": "有稳定特色课程", "feature-recognition": "街道级",
        },
    )  # fmt: skip
    record = score(form, answers)
    assert [sec(record, s).scaled for s in FOS_BASIC] == [6.5, 12, 7.5, 3.5, 10.5, 4]
    assert [sec(record, s).scaled for s in FOS_OTHER] == [2.5, 7, 3, 8, 6]
    # total 44 + 26.5 = 70.5 → 一星 (70 ≤ 70.5 < 80); every 基本要求 section ≥ 60%
    # (组织领导 65%, 师资培训 70%, 安全管理 70% the lowest)
    assert record.total == 70.5 and record.final == 70.5 and record.bonus == 0
    assert record.grade == "一星" and record.grade_reason is None


def test_four_oclock_three_of_fifteen_on_safety_and_73_overall_gets_no_star(forms):
    form = forms[FOS]
    answers = full_marks(
        form,
        **{
            # 安全管理 15: pledge both missing 0 + hand-over 6 − 3 = 3 + 无预案 0   → 3 (20%)
            "safety-pledge": ["安全责任书", "意外伤害保险"],
            "safety-handover": ["家长交接签字"], "safety-plan": "无预案",
            # 特色指标 10 → 0 (−10); satisfaction 75% → 6 (−4); 3 of 5 themes... 4 → −1
            "feature-course": "无", "feature-recognition": "无",
            "act-satisfaction": 75, "act-moral": ["爱国主义", "法治", "安全自护", "心理健康"],
        },
    )  # fmt: skip
    record = score(form, answers)
    # total 100 − 12 − 10 − 4 − 1 = 73 → the score reaches 一星 (≥ 70) …
    assert sec(record, "safety").scaled == 3 and sec(record, "safety").ratio == pytest.approx(0.2)
    assert record.total == 73 and record.band == "一星"
    # … but 安全管理 3 / 15 = 20% < the 60% every star needs of each 基本要求 section → 不评星
    assert record.grade == "不评星"
    assert record.grade_reason == (
        "总分达到“一星”分数线，但“基本要求（五）安全管理”得分低于本部分分值的 60%，"
        "未达到“一星”的分项要求，评为“不评星”"
    )
    # With 安全管理 at 9 / 15 = 60% and the rest lower, 73 keeps 一星:
    # 100 − 6 (safety) − 10 (features) − 7 (satisfaction 60% → 3) − 4 (1 theme) = 73
    record = score(form, full_marks(form, **{
        "safety-pledge": ["意外伤害保险"], "safety-plan": "无预案",
        "feature-course": "无", "feature-recognition": "无",
        "act-satisfaction": 60, "act-moral": ["爱国主义"],
    }))  # fmt: skip
    assert sec(record, "safety").scaled == 9 and record.total == 73
    assert record.grade == "一星" and record.grade_reason is None


def test_four_oclock_empty_enrolment_also_blocks_a_star(forms):
    form = forms[FOS]
    # 招生管理 5: register 无 0 + priority 否 0 + 收费未公示 0 = 0 / 5; total 95 → band 三星
    record = score(form, full_marks(form, **{"enrol-register": False, "enrol-priority": False,
                                             "enrol-fees": "收费未公示"}))  # fmt: skip
    assert record.total == 95 and record.band == "三星" and record.grade == "不评星"


def test_four_oclock_floors_are_on_basic_requirements_only(forms):
    form = forms[FOS]
    # 特色指标 all 0: 10 points lost, ratio 0, total 90 → still 三星 (特色 has no floor)
    record = score(form, full_marks(form, **{"feature-course": "无", "feature-recognition": "无"}))
    assert record.total == 90 and sec(record, "features").ratio == 0
    assert record.grade == "三星"


def test_four_oclock_na_rescales_its_section(sources):
    form = variant(sources[FOS], ("        max: 4\n        step: 0.5\n",
                                  "        max: 4\n        step: 0.5\n        allow_na: true\n"))  # fmt: skip  # noqa: E501
    # 办学条件 15: environment (4) N/A → possible 11; equipment 4 − 1 → earned 4 + 3 + 3 = 10;
    # scaled 10 / 11 × 15 = 13.636…; 组织领导 head 否 → 8;
    # total 8 + 13.636 + 10 + 5 + 15 + 5 + 30 + 10 = 96.636 → 96.6 → 三星
    record = score(form, full_marks(form, **{"venue-environment": Answer(na=True),
                                             "venue-equipment": ["图书"],
                                             "lead-head": False}))  # fmt: skip
    premises = sec(record, "premises")
    assert premises.possible_raw == 11 and premises.earned_raw == 10
    assert premises.scaled == pytest.approx(10 / 11 * 15, abs=1e-4)
    assert record.total == 96.6 and record.grade == "三星"


def test_four_oclock_veto_forces_no_star(forms):
    form = forms[FOS]
    answers = full_marks(form)
    answers.vetoes["veto-handover"] = VetoAnswer(fired=True)
    answers.vetoes["veto-fees"] = VetoAnswer(fired=True)
    record = score(form, answers)
    assert record.grade == "不评星" and {v.id for v in record.vetoes} == {
        "veto-handover",
        "veto-fees",
    }
    assert "无家长交接制度" in record.grade_reason and "违规收费" in record.grade_reason


def test_four_oclock_partial_draft(forms):
    form = forms[FOS]
    answers = AnswerSet(items={"venue-fixed": Answer(value="临时或借用", note="借用活动室"),
                               "act-plan": Answer(value="计划与课程表齐全")})  # fmt: skip
    record = score(form, answers)
    # 办学条件: 2 of 4; 活动计划: 3 of 3 → total 5, possible so far 7
    assert record.total == 5 and record.possible_so_far == 7
    assert record.unanswered and "veto-fraud" in record.unanswered


def test_unanswered_veto_question_blocks_completion(forms):
    form = forms[FOS]
    answers = full_marks(form)
    answers.vetoes["veto-fraud"] = VetoAnswer(fired=None)
    record = score(form, answers)
    assert record.unanswered == ("veto-fraud",) and not record.complete
    assert record.grade == "三星"  # an unanswered veto does not fire


def test_whole_section_na_is_left_out_and_the_total_rescaled(sources):
    # edu 一、有标牌 both items allowed N/A and both N/A: the other sections count 95 → × 100/95
    form = variant(sources[EDU],
                   ("        type: choice\n        text: 阵地标牌",
                    "        type: choice\n        allow_na: true\n        text: 阵地标牌"),
                   ("        max: 2\n        per: 1\n", "        max: 2\n        per: 1\n        allow_na: true\n"))  # fmt: skip  # noqa: E501
    record = score(form, full_marks(form, **{"sign-posted": Answer(na=True),
                                             "info-posted": Answer(na=True),
                                             "site-safety": 5}))  # fmt: skip
    assert sec(record, "sign").ratio is None
    # 95 − 5 = 90 of 95 → 90 × 100 / 95 = 94.74 → 94.7
    assert record.total == 94.7


# ---------------------------------------------------------------- show_if


def test_hidden_items_neither_score_nor_keep_a_value(forms, sources):
    form = forms[EDU]
    answers = full_marks(form, **{"rules-emergency": "有预案无演练",
                                  "rules-drill-date": "2026-03-01"})  # fmt: skip
    record = score(form, answers)
    assert "rules-drill-date" not in visible_items(form, answers.items)
    assert record.items["rules-drill-date"].hidden and not record.items["rules-drill-date"].answered
    assert record.items["rectify-items"].hidden and "rectify-items" not in record.unanswered

    # A hidden *scored* item leaves the section's possible points too
    gated = variant(sources[EDU], ("        points: 1\n        allow_na: true\n",
                                   "        points: 1\n        allow_na: true\n"
                                   "        show_if: \"facility-updated == '有'\"\n"))  # fmt: skip
    record = score(gated, full_marks(gated, **{"facility-updated": False}))
    facilities = sec(record, "facilities")
    assert record.items["facility-access"].hidden and record.items["facility-access"].points is None
    # possible 13 − 1 hidden = 12; earned 12 − 2 (updated 无) = 10 → 10/12 × 13 = 10.833
    assert facilities.possible_raw == 12 and facilities.earned_raw == 10
    assert record.total == round(87 + 10 / 12 * 13, 1)


def test_sheet_drops_the_value_of_an_item_that_becomes_hidden(builtin_forms):
    loaded = builtin_forms[EDU]
    sheet = Sheet(form=loaded.form, form_sha256=loaded.sha256, subject="eb-001",
                  subject_name="基地", rater="王", round="2026")  # fmt: skip
    sheet.set_value("rectify-needed", "是")
    assert {"rectify-items", "rectify-deadline"} <= sheet.visible()
    sheet.set_value("rectify-items", "消防通道堆物")
    sheet.set_value("rectify-deadline", "2026-06-30")
    assert sheet.answer("rectify-items").value == "消防通道堆物"
    assert (
        "rectify-items" in sheet.score().items and not sheet.score().items["rectify-items"].hidden
    )
    sheet.set_value("rectify-needed", False)
    assert "rectify-items" not in sheet.answers.items
    assert "rectify-deadline" not in sheet.answers.items
    assert sheet.score().items["rectify-items"].hidden
    assert "rectify-items" not in sheet.to_record()["answers"]


# ---------------------------------------------------------------- hypothesis properties


def item_strategy(item):
    """Valid raw values for an item (canonicalised through normalize_value by the caller)."""
    if isinstance(item, YesNoItem):
        return st.booleans()
    if isinstance(item, ChoiceItem):
        return st.sampled_from([o.label for o in item.options])
    if isinstance(item, MultiItem):
        return st.lists(st.sampled_from([o.label for o in item.options]), unique=True)
    if isinstance(item, ScoreItem):
        steps = int(round(item.max / item.step))
        return st.integers(0, steps).map(lambda n: n * item.step)
    if isinstance(item, DeductItem):
        if item.defects:
            return st.lists(st.sampled_from(item.defects), unique=True)
        return st.integers(0, int(item.max / item.per) + 3)
    if isinstance(item, NumberItem):
        high = item.max_value if item.max_value is not None else 20000
        if item.integer:
            return st.integers(int(item.min_value), int(high))
        return st.floats(item.min_value, high, allow_nan=False).map(lambda v: round(v, 1))
    if isinstance(item, TextItem):
        return st.sampled_from(["情况良好", "需整改"])
    if isinstance(item, SignatureItem):
        return st.just("李秀英")
    if isinstance(item, DateItem):
        return st.dates().map(lambda d: d.isoformat())
    if isinstance(item, PhotoItem):
        return st.lists(st.sampled_from(["a.jpg", "b.jpg"]), min_size=1, unique=True)
    if isinstance(item, TableItem):
        return st.integers(0, 15).map(lambda n: table_rows_for(item, n))
    return st.none()


@st.composite
def answer_sets(draw, form: Form, allow_na_everywhere: bool = False):
    items: dict[str, Answer] = {}
    for _, item in form.iter_items():
        if isinstance(item, NoteItem):
            continue
        if (item.allow_na or allow_na_everywhere) and draw(st.integers(0, 3)) == 0:
            items[item.id] = Answer(na=True)
            continue
        value = normalize_value(item, draw(item_strategy(item)))
        items[item.id] = Answer(value=value, note=draw(st.sampled_from(["", "扣分理由"])))
    vetoes = {v.id: VetoAnswer(fired=draw(st.integers(0, 9)) == 0) for v in form.vetoes}
    return AnswerSet(items=items, vetoes=vetoes)


def check_properties(form: Form, answers: AnswerSet) -> None:
    record = score(form, answers)
    assert 0 <= record.total <= form.total + 1e-9
    assert 0 <= record.bonus <= form.bonus_cap + 1e-9
    assert record.final <= record.total + form.bonus_cap + 1e-9
    assert record.final == pytest.approx(record.total + record.bonus)
    visible = visible_items(form, answers.items)
    for _, item in form.iter_items():
        item_score = record.items[item.id]
        if item.id not in visible:
            assert item_score.hidden and item_score.points is None
            continue
        if item_score.points is not None:
            assert -1e-9 <= item_score.points <= item.max_points + 1e-9
        if isinstance(item, DeductItem) and item_score.points is not None:
            assert item_score.points >= 0
        if answers.items[item.id].na:
            assert item_score.na and item_score.points is None
    included_points = 0.0
    for s in record.sections:
        if s.bonus:
            continue
        if s.ratio is None:
            continue  # every scored item N/A: left out, the total is rescaled
        included_points += s.points
        assert s.scaled <= s.points + 1e-6
        if s.possible_raw > 0:
            assert s.scaled == pytest.approx(s.earned_raw / s.possible_raw * s.points, abs=1e-3)
            assert s.ratio == pytest.approx(s.earned_raw / s.possible_raw)
    if included_points:
        raw = sum(s.scaled for s in record.sections if not s.bonus and s.ratio is not None)
        assert record.total == pytest.approx(raw * form.total / included_points, abs=0.051)
    floored = {g.grade: [s.ratio for s in record.sections
                         if not s.bonus and s.ratio is not None and g.floors(s.id)]
               for g in form.grades}  # fmt: skip
    fired = [v for v in form.vetoes if answers.vetoes[v.id].fired]
    if fired:
        assert record.grade == form.veto_grade
        assert {v.id for v in fired} <= {v.id for v in record.vetoes}
    else:
        grade = next(g for g in form.grades if g.grade == record.grade)
        assert record.final >= grade.min - 1e-9
        if grade.section_min is not None:
            assert all(r >= grade.section_min - 1e-9 for r in floored[grade.grade])
    for band in form.grades:
        low = any(r < (band.section_min or 0) - 1e-9 for r in floored[band.grade])
        if band.section_min is not None and low:
            assert record.grade != band.grade
    assert record.band == next(g.grade for g in form.grades if record.final >= g.min - 1e-9)
    assert record.complete == (not record.unanswered)
    assert record.complete  # every visible item and every veto question answered


PROPS = settings(max_examples=60, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@pytest.mark.parametrize("stem", [EDU, COM, ENT, FOS])
def test_properties_hold_for_random_complete_sheets(builtin_forms, stem):
    form = builtin_forms[stem].form

    @PROPS
    @given(answer_sets(form))
    def run(answers):
        check_properties(form, answers)

    run()


@pytest.mark.parametrize("stem", [EDU, COM])
def test_properties_hold_when_any_item_may_be_na(builtin_forms, stem):
    """A variant of the form where every item allows N/A: sections rescale, whole sections drop."""
    data = builtin_forms[stem].form.model_dump()
    for section in data["sections"]:
        for item in section["items"]:
            item["allow_na"] = True
    form = Form.model_validate(data)

    @PROPS
    @given(answer_sets(form))
    def run(answers):
        check_properties(form, answers)

    run()


@pytest.mark.parametrize("stem", [EDU, ENT])
def test_property_na_rescaling_matches_removing_the_item(builtin_forms, stem):
    """N/A on an item scores the section as if the item were not on the form."""
    form = builtin_forms[stem].form

    @PROPS
    @given(answer_sets(form), st.data())
    def run(answers, data):
        sections = [s for s in form.scored_sections if sum(i.scored for i in s.items) > 1]
        section = data.draw(st.sampled_from(sections))
        item = data.draw(st.sampled_from([i for i in section.items if i.scored]))
        answers.items[item.id] = Answer(na=True)
        s = next(x for x in score(form, answers).sections if x.id == section.id)
        others = [i for i in section.items if i.scored and not answers.items[i.id].na]
        possible = sum(i.max_points for i in others)
        if possible == 0:  # every scored item N/A: the section is left out
            assert s.ratio is None
            return
        earned = sum(score(form, answers).items[i.id].points or 0 for i in others)
        assert s.possible_raw == pytest.approx(possible)
        assert s.scaled == pytest.approx(earned / possible * section.points, abs=1e-3)
        assert s.scaled <= section.points + 1e-6

    run()


def test_per_form_lookups_belong_to_their_form_object(sources):
    """scoring._plan caches per form object: an entry under a reused id (the object it was
    made for is gone) is never handed to another form."""
    from inspect_kit.domain import scoring

    a = parse_form_text(sources[EDU], "a.yaml")
    b = parse_form_text(sources[EDU], "b.yaml")
    assert scoring._plan(a) is scoring._plan(a)
    assert scoring._plan(a) is not scoring._plan(b)
    stale = scoring._plan(a)
    scoring._PLANS[id(b)] = (a, stale)  # as if b took over a dead form's id
    assert scoring._plan(b) is not stale and scoring._PLANS[id(b)][0] is b
    assert score(a, full_marks(a)) == score(b, full_marks(b))
