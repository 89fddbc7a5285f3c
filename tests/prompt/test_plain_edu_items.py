"""Plain mode on single items of edu-base-inspection, through pipe input: the field checks in
plain words (9.5 into 场次, dates as inspectors write them), photos added and removed, and an
amendment whose reason lands on the amended item. Each asserts what the drafts file holds."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from conftest import CTRL_U, DOWN, ENTER, SPACE
from PIL import Image
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput

from inspect_kit.domain.sheet import Sheet
from inspect_kit.prompt.io import Prompter
from inspect_kit.prompt.plain import PlainFill
from inspect_kit.services.drafts import DraftSession


class WideOutput(PlainTextOutput):
    def get_size(self) -> Size:
        return Size(rows=40, columns=400)


class Recording(Prompter):
    """A Prompter that keeps every refusal its text checks gave (a frame showing one may be
    skipped when the keys arrive at once, so the refused alone is not a reliable witness)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusals: list[str] = []

    def text(self, message, default="", validate=None, **kwargs):
        def check(value):
            verdict = validate(value) if validate else True
            if isinstance(verdict, str):
                self.refusals.append(verdict)
            return verdict

        return super().text(message, default, check, **kwargs)


@pytest.fixture
def session(store, edu_form):
    sheet = Sheet(form=edu_form.form, form_sha256=edu_form.sha256, subject="eb-001",
                  subject_name="红星教育基地", rater="王建国", round="2026")  # fmt: skip
    held = DraftSession.hold(store, store.workspace, edu_form, sheet)
    store.start_sheet(edu_form, held.sheet)
    yield held
    held.close()


def ask(session, keys: str, *item_ids: str) -> str:
    """Ask the items in turn with `keys` piped in; returns the refusals, one a line."""
    with create_pipe_input() as inp:
        inp.send_text(keys)
        inp.close()
        prompter = Recording(input=inp, output=WideOutput(io.StringIO()), stream=io.StringIO())
        filler = PlainFill(session, prompter)
        for item_id in item_ids:
            filler.ask_step(next(s for s in filler.steps if s.key == item_id), back=True)
    return "\n".join(prompter.refusals)


def stored(session, item_id: str) -> dict:
    return session.store.draft(session.sheet.uuid)["answers"].get(item_id, {})


def test_a_decimal_in_an_integer_item_is_refused_never_stored_as_15(session):
    """Issue 11: typing 9.5 into 6.2 (场次) stored 95, full marks, with no message. 6.2 is a
    table now (tests/prompt/test_plain_table.py); the head count of 4.2 is whole numbers too."""
    keys = "1.5" + ENTER + CTRL_U + "1" + ENTER + "只有1名讲解员" + ENTER
    refused = ask(session, keys, "team-guides")
    assert "“1.5”不是整数：此项只填整数，如 9 或 10（不能有小数）" in refused
    assert stored(session, "team-guides") == {"value": 1, "na": False, "note": "只有1名讲解员"}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2026年5月20日", "2026-05-20"),
        ("2026/5/20", "2026-05-20"),
        ("2026-05-20", "2026-05-20"),
        ("5月20日", f"{dt.date.today().year}-05-20"),
        ("昨天", (dt.date.today() - dt.timedelta(days=1)).isoformat()),
    ],
)
def test_dates_typed_the_way_inspectors_write_them(session, typed, meant):
    session.set_value("rules-emergency", "有预案有演练")  # shows the drill date
    ask(session, typed + ENTER, "rules-drill-date")
    assert stored(session, "rules-drill-date")["value"] == meant


def test_a_date_that_is_not_one_is_refused_with_the_forms_it_takes(session):
    session.set_value("rules-emergency", "有预案有演练")
    refused = ask(session, "2026-02-30" + ENTER + CTRL_U + "下周" + ENTER + CTRL_U + "今天" + ENTER,
                 "rules-drill-date")  # fmt: skip
    assert "没有“2026-02-30”这一天" in refused
    assert "“下周”不是日期；可以写 2026-05-20、2026/5/20" in refused
    assert stored(session, "rules-drill-date")["value"] == dt.date.today().isoformat()


def png(path, colour):
    Image.new("RGB", (4, 4), colour).save(path, format="PNG")
    return path


def test_photos_are_added_then_removed_from_the_draft_and_its_folder(session, tmp_path):
    first, second = png(tmp_path / "门牌.png", "red"), png(tmp_path / "展厅.png", "blue")
    folder = session.workspace.attachments_dir / session.sheet.uuid
    ask(session, f"{first}; {second}" + ENTER, "site-photos")
    assert stored(session, "site-photos")["attachments"] == ["门牌.png", "展厅.png"]
    assert {p.name for p in folder.iterdir()} == {"门牌.png", "展厅.png"}

    # Asked again, the field holds "门牌.png; 展厅.png": keep only 展厅.png.
    ask(session, CTRL_U + "展厅.png" + ENTER, "site-photos")
    assert stored(session, "site-photos")["attachments"] == ["展厅.png"]
    assert [p.name for p in folder.iterdir()] == ["展厅.png"]

    # Emptied: no photo left on the item or in the folder.
    ask(session, CTRL_U + ENTER, "site-photos")
    assert not stored(session, "site-photos").get("attachments")
    assert list(folder.iterdir()) == []


def test_a_path_that_is_no_file_is_refused_and_nothing_is_attached(session, tmp_path):
    photo = png(tmp_path / "sign.png", "red")
    refused = ask(session, "../nope.jpg" + ENTER + CTRL_U + str(photo) + ENTER, "site-photos")
    assert "找不到照片文件 ../nope.jpg" in refused
    assert stored(session, "site-photos")["attachments"] == ["sign.png"]


def test_an_amended_count_keeps_its_reason_and_the_next_item_untouched(session):
    """Issue 11: an amend changed 6.2 from 9 to 10 and its reason "复核后有完整记录的活动为10场"
    un-ticked 爱国主义 on 6.3. Here (on the count of 4.2, 6.2 being a table now) the reason
    stays on the count and the next item keeps its answer."""
    session.set_value("team-guides", 0)
    session.set_note("team-guides", "无讲解员名册")
    session.set_value("team-wulao", "有")
    before = session.sheet.score().total
    reason = "复核后名册有1名讲解员"
    ask(session, CTRL_U + "1" + ENTER + CTRL_U + reason + ENTER, "team-guides")
    assert stored(session, "team-guides") == {"value": 1, "na": False, "note": reason}
    assert stored(session, "team-wulao")["value"] is True
    assert session.sheet.score().total == before + 2  # rose by the band's 2 points, never fell


def test_ticks_on_a_multi_item_are_what_was_ticked(session):
    ask(session, SPACE + DOWN * 4 + SPACE + ENTER + "只开展两类" + ENTER, "act-themes")
    assert stored(session, "act-themes") == {"value": ["爱国主义", "科普"], "na": False,
                                             "note": "只开展两类"}  # fmt: skip
    # Asked again, Enter keeps both ticks (shown ticked) and Enter keeps the reason shown.
    ask(session, ENTER + ENTER, "act-themes")
    assert stored(session, "act-themes") == {"value": ["爱国主义", "科普"], "na": False,
                                             "note": "只开展两类"}  # fmt: skip
