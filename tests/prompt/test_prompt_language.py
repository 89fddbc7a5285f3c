"""questionary's own English never reaches the Chinese plain mode: no "(Use arrow keys)", no
"(Y/n)", no "Yes" or "done (2 selections)" answer lines; English runs get English hints."""

from __future__ import annotations

import re

from conftest import DOWN, ENTER, FINALIZE, SPACE, pick
from test_plain_fill_en import en_form, run_fill  # noqa: F401 - en_form is a fixture

QUESTIONARY_ENGLISH = re.compile(
    r"Use arrow keys|Use shortcuts|\(Y/n\)|\(y/N\)|\bYes\b|\bNo\b|done|selections|"
    r"to select|to toggle|to invert|Invalid input"
)

# 有, 差 (+ note), 1 hazard (+ note), 1.5 (+ note), both activities, 否, veto 否, finalize.
# fmt: off
KEYS = (pick(1) + pick(2) + "临时场地" + ENTER + "1" + ENTER + "一处隐患" + ENTER
        + "1.5" + ENTER + "设施陈旧" + ENTER + SPACE + DOWN + SPACE + ENTER
        + pick(2) + pick(1) + FINALIZE)
# fmt: on


def test_chinese_prompts_show_no_questionary_english(store, en_form):  # noqa: F811
    result, lines, screen = run_fill(store, en_form, "eb-001", KEYS, "zh")
    assert result.status == "final"
    (doc,) = store.submissions()
    assert doc["answers"]["b-multi"]["value"] == ["讲座", "参观"]
    assert not QUESTIONARY_ENGLISH.findall(screen), set(QUESTIONARY_ENGLISH.findall(screen))
    assert "（方向键选择，回车确认）" in screen  # select's hint
    assert "? 活动（可多选） [讲座（1 分）、参观（1 分）]" in screen  # two ticked, named
    assert (
        "? 提交后不能再修改（只能修订），确定提交？ 确定提交" in screen
    )  # the confirm picked by name


def test_english_prompts_keep_english_hints(store, en_form):  # noqa: F811
    keys = KEYS.replace("临时场地", "x").replace("一处隐患", "y").replace("设施陈旧", "z")
    result, lines, screen = run_fill(store, en_form, "eb-002", keys, "en")
    assert result.status == "final"
    assert "(arrow keys move, Enter picks)" in screen
    assert "? Activities (pick any) [Lectures (1 pts), Visits (1 pts)]" in screen
    assert "Finalize? Yes" in screen and "done (" not in screen
