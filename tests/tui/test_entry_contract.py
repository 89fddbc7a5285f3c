"""Issue 11's interaction contract on the fill screen, asserted on what the drafts file holds
after exact key sequences (each misrecording sequence of the issue has a test named for it)."""

from __future__ import annotations

import json

from tui_helpers import settle, tui_app

from inspect_kit.services.drafts import DraftSession


def drafts_file(workspace) -> dict:
    """The one draft as the drafts file holds it (read from disk, not from the screen)."""
    (draft,) = json.loads(workspace.drafts_path.read_text("utf-8"))["drafts"].values()
    return draft


def answered(workspace) -> dict:
    """Item and veto ids the drafts file holds an answer for (a value or N/A, a veto 是/否)."""
    draft = drafts_file(workspace)
    items = {k: a for k, a in draft["answers"].items()
             if a.get("value") is not None or a.get("na")}  # fmt: skip
    vetoes = {k: v for k, v in draft["vetoes"].items() if v.get("fired") is not None}
    return {**items, **vetoes}


def new_draft(workspace, store, edu_form) -> str:
    session = DraftSession.start(store, workspace, edu_form, subject="eb-002",
                                 subject_name="月湖红色记忆馆", rater="测试员",
                                 round="2026")  # fmt: skip
    session.close()
    return session.sheet.uuid


async def goto(app, pilot, item_id: str) -> None:
    app.screen.jump_to(item_id)
    await settle(app, pilot)


async def test_enter_on_unanswered_choice(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.current_item == "sign-posted"
        choices = app.screen.query_one("#item-sign-posted Choices")
        assert choices.cursor is None and "reverse" not in str(choices.render().spans)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.current_item == "info-posted"  # moved on, answered nothing
        await pilot.press("enter", "enter")  # a defect list and a choice: still nothing
        await settle(app, pilot)
    assert answered(workspace) == {}


async def test_enter_on_unanswered_veto(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await goto(app, pilot, "veto-safety")
        await pilot.press("enter", "up", "down", "enter")
        await settle(app, pilot)
        assert answered(workspace) == {}
        await goto(app, pilot, "veto-safety")
        await pilot.press("2")  # 发生: fired, and the 情况说明 is asked for at once
        await settle(app, pilot)
        note = app.screen.query_one("#item-veto-safety .item-note")
        assert note.has_focus
        await pilot.press(*"3人受伤")
        await settle(app, pilot)
    assert drafts_file(workspace)["vetoes"]["veto-safety"] == {"fired": True, "note": "3人受伤"}


async def test_enter_after_na(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await goto(app, pilot, "facility-access")
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        await pilot.press("enter", "ctrl+b", "ctrl+n", "enter", "up", "enter")
        await settle(app, pilot)
        assert app.screen.current_item != "facility-access"
        await goto(app, pilot, "facility-access")
        await pilot.press("tab", "shift+tab", "pagedown", "pageup")
        await settle(app, pilot)
    answer = drafts_file(workspace)["answers"]["facility-access"]
    assert answer["na"] is True and answer.get("value") is None
    assert set(answered(workspace)) == {"facility-access"}


async def test_two_digits_three_answers(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("1", "3")  # both land on 1.1, the item in view: the last one counts
        await settle(app, pilot)
        assert app.screen.current_item == "sign-posted"
        assert set(answered(workspace)) == {"sign-posted"}
        assert answered(workspace)["sign-posted"]["value"] == "不规范"
        await pilot.press("1", "enter", "1")  # 规范, on to 1.2, tick its first defect
        await settle(app, pilot)
    got = answered(workspace)
    assert set(got) == {"sign-posted", "info-posted"}
    assert got["sign-posted"]["value"] == "规范" and got["info-posted"]["value"] == ["功能介绍"]


async def test_reason_goes_to_next_item(workspace, roster, edu_form):
    # Was: a losing digit then Enter jumped to the next item, and the reason typed there
    # ticked options. Now Enter after a loss stops in that item's 扣分理由.
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await goto(app, pilot, "team-guides")  # (6.2's count is a table now: test_table_fill)
        await pilot.press("1", "enter", *"复核后名册有1名讲解员", "enter")
        await settle(app, pilot)
        assert app.screen.current_item == "team-wulao"
    got = drafts_file(workspace)["answers"]
    assert got["team-guides"] == {"value": 1, "na": False, "note": "复核后名册有1名讲解员"}
    assert set(answered(workspace)) == {"team-guides"}  # 4.3 untouched


async def test_full_marks_stay_until_the_inspector_moves_on(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        assert app.screen.current_item == "sign-posted"  # no auto-advance
        await pilot.press("tab")  # no points lost: Tab goes to the next item, not the note
        await settle(app, pilot)
        assert app.screen.current_item == "info-posted"
        assert app.screen.focused is app.screen.query_one("#item-info-posted Choices")


async def test_space_picks_only_where_the_cursor_was_moved(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("space")
        await settle(app, pilot)
        assert answered(workspace) == {}
        await pilot.press("down", "down", "space")  # cursor to 基本规范, Space picks it
        await settle(app, pilot)
        assert answered(workspace)["sign-posted"]["value"] == "基本规范"


async def test_none_of_these_is_the_explicit_empty_answer(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await goto(app, pilot, "info-posted")  # defects 功能介绍, 开放时间, 联系人; 4 = none
        await pilot.press("2")
        await settle(app, pilot)
        assert answered(workspace)["info-posted"]["value"] == ["开放时间"]
        await pilot.press("2")  # un-ticking the last tick answers nothing
        await settle(app, pilot)
        assert "info-posted" not in answered(workspace)
        await pilot.press("4")
        await settle(app, pilot)
        assert answered(workspace)["info-posted"]["value"] == []


async def test_decimal_in_an_integer_field_is_refused(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await goto(app, pilot, "team-guides")
        await pilot.press(*"1.5")
        await settle(app, pilot)
        status = str(app.screen.query_one("#item-team-guides .item-status").content)
        assert "整数" in status and "未保存" in status
        assert "team-guides" not in answered(workspace)  # not 15, not anything
        await pilot.press("backspace", "backspace")
        await settle(app, pilot)
        assert answered(workspace)["team-guides"]["value"] == 1


async def test_crash_resume_puts_the_cursor_in_the_reason_box(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "enter", *"字迹")
        await settle(app, pilot)
    # the app is gone as after a killed terminal; the next one resumes where typing was
    app2 = tui_app(workspace, open_draft=uuid)
    async with app2.run_test(size=(80, 24)) as pilot:
        await settle(app2, pilot)
        note = app2.screen.query_one("#item-sign-posted .item-note")
        assert note.has_focus and note.cursor_position == 2
        await pilot.press(*"褪色")
        await settle(app2, pilot)
    assert drafts_file(workspace)["answers"]["sign-posted"]["note"] == "字迹褪色"


async def test_question_mark_types_into_text_fields(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await goto(app, pilot, "inspector-opinion")
        await pilot.press(*"为何?")
        await settle(app, pilot)
        await pilot.press("tab")
        await settle(app, pilot)
        await pilot.press(*"李?")  # the signature: a one-line field
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "FillScreen"  # no help screen popped up
    got = drafts_file(workspace)["answers"]
    assert (
        got["inspector-opinion"]["value"] == "为何?"
        and got["inspector-signature"]["value"] == "李?"
    )


async def test_photo_removed_and_stale_error_cleared(workspace, roster, edu_form, tmp_path):
    photo = tmp_path / "标牌.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await goto(app, pilot, "site-photos")
        status = app.screen.query_one("#item-site-photos .item-status")
        await pilot.press(*str(tmp_path / "无此文件.jpg"), "enter")
        await settle(app, pilot)
        assert "✗" in str(status.content)
        await pilot.press("backspace")  # editing the path: the old message goes
        await settle(app, pilot)
        assert "✗" not in str(status.content)
        await pilot.press("ctrl+u", *str(photo), "enter")
        await settle(app, pilot)
        assert drafts_file(workspace)["answers"]["site-photos"]["attachments"] == ["标牌.jpg"]
        await pilot.press("tab", "delete")  # Tab to the photo list, Delete removes it
        await settle(app, pilot)
        assert app.screen.current_item == "site-photos"
    answer = drafts_file(workspace)["answers"]["site-photos"]
    assert answer.get("attachments", []) == [] and answer.get("value") is None


async def test_provisional_grade_is_the_projection(workspace, roster, edu_form):
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        header = app.screen.query_one("#fill-score")
        assert "预估 —" in str(header.content)
        await pilot.press("1")  # 3 of 3 so far: 优秀, not 不合格
        await settle(app, pilot)
        assert "预估 优秀（100分）" in str(header.content)


def type_ahead(app, keys: list[str]) -> None:
    """Queue keys at once, as a fast typist (or a busy machine) delivers them: no waiting
    between keys, unlike Pilot.press."""
    from textual import events
    from textual.keys import _character_to_key

    named = {"tab": "\t", "enter": "\r"}
    for key in keys:
        if key in named:
            event = events.Key(key, named[key])
        else:
            event = events.Key(key if key.isalnum() else _character_to_key(key), key)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_keys_typed_ahead_land_where_focus_moved(workspace, roster, edu_form):
    # Seen in tmux under load: Widget.focus() is deferred, so the signature typed right
    # after Tab went into the opinion box.
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await goto(app, pilot, "inspector-opinion")
        type_ahead(app, [*"基本达标", "tab", *"王检查", "enter", "2", "enter", "1"])
        await settle(app, pilot)
        await settle(app, pilot)
    got = drafts_file(workspace)
    assert got["answers"]["inspector-opinion"]["value"] == "基本达标"
    assert got["answers"]["inspector-signature"]["value"] == "王检查"
    # Enter left the signature for the first veto; 2 fired it and moved to its 情况说明,
    # Enter went on and 1 answered the second veto
    assert got["vetoes"]["veto-safety"]["fired"] is True
    assert got["vetoes"]["veto-politics"]["fired"] is False


async def test_photo_then_keys_typed_ahead(workspace, roster, edu_form, tmp_path):
    # Seen in tmux: Enter on the photo list moved on by a message, so the next "1" was
    # swallowed by the list and 整改 was never answered.
    photo = tmp_path / "标牌.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    uuid = new_draft(workspace, roster, edu_form)
    app = tui_app(workspace, open_draft=uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await goto(app, pilot, "site-photos")
        type_ahead(app, [*str(photo), "enter", "enter", "enter", "1", "enter", *"换灭火器"])
        await settle(app, pilot)
        await settle(app, pilot)
    got = drafts_file(workspace)["answers"]
    assert got["site-photos"]["attachments"] == ["标牌.jpg"]
    assert got["rectify-needed"]["value"] is True
    assert got["rectify-items"]["value"] == "换灭火器"
