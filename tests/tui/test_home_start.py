"""The TUI's start: the home screen lists what it listed last time without opening the store
while the database and drafts files are the very versions it read (tui/home_cache.py), then
reads the index rows behind them for the screens that list them; it reads the store again as
soon as either file changed or the remembered lists are damaged, and its footer is rebuilt only
when the keys it shows change."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable
from tui_helpers import settle, tui_app

from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
from inspect_kit.services.drafts import DraftSession
from inspect_kit.tui.home_cache import FILE_NAME
from inspect_kit.tui.index_rows import cached
from inspect_kit.tui.screens import home
from inspect_kit.tui.widgets.footer import KitFooter


@pytest.fixture
def archive(store):
    roster, finals, _ = build_demo(demo_forms(), DemoPlan(subjects=2, raters=2, rounds=1, seed=5,
                                                          drafts=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals[:-1])
    return store, finals[-1]


def listed(app) -> dict[str, list[str]]:
    screen = app.screen
    out = {}
    for table_id in ("forms", "drafts", "recent"):
        table = screen.query_one(f"#{table_id}", DataTable)
        out[table_id] = [str(table.coordinate_to_cell_key((r, 0)).row_key.value)
                         for r in range(table.row_count)]  # fmt: skip
    return out


class ListsRead:
    """Counts the home screen's reads of its lists from the store (home._read_lists) and
    whether the store was open when the lists were first put on screen."""

    def __init__(self, monkeypatch) -> None:
        self.reads = 0
        self.open_when_shown: list[bool] = []
        read, show = home._read_lists, home.HomeScreen.show_data

        def counted(app):
            self.reads += 1
            return read(app)

        def shown(screen, data):
            self.open_when_shown.append("store" in screen.app.__dict__)
            return show(screen, data)

        monkeypatch.setattr(home, "_read_lists", counted)
        monkeypatch.setattr(home.HomeScreen, "show_data", shown)


async def home_of(workspace, monkeypatch) -> tuple[dict[str, list[str]], bool, str]:
    """(what the home screen lists, whether its lists were read from the store, its message
    line)."""
    spy = ListsRead(monkeypatch)
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        shown = listed(app)
        message = str(app.screen.query_one("#home-message").render())
        return shown, spy.reads > 0, message


def a_draft(store, workspace, edu_form) -> str:
    session = DraftSession.start(store, workspace, edu_form, subject="eb-001",
                                 subject_name="东钱湖青少年科普教育基地", rater="测试员",
                                 round="2026")  # fmt: skip
    session.set_value("sign-posted", "规范")
    session.close()
    return session.sheet.uuid


async def test_an_unchanged_workspace_is_listed_before_the_store_opens_then_read_ahead(
    workspace, archive, edu_form, monkeypatch
):
    store, _ = archive
    draft = a_draft(store, workspace, edu_form)
    first, opened, message = await home_of(workspace, monkeypatch)
    assert opened and first["recent"] and first["drafts"] == [draft] and len(first["forms"]) == 4
    spy = ListsRead(monkeypatch)
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert listed(app) == first
        assert str(app.screen.query_one("#home-message").render()) == message
        # listed without reading the database or the drafts file, the store not even opened
        assert spy.reads == 0 and spy.open_when_shown == [False]
        # then the index rows are read behind the lists, for the screens that show them
        await pilot.pause(home.READ_AHEAD_AFTER_S + 0.1)
        await settle(app, pilot)
        assert cached(app.store) is not None


async def test_a_new_sheet_finalized_elsewhere_is_listed_at_the_next_start(
    workspace, archive, monkeypatch
):
    store, (sheet, loaded) = archive
    before, _, _ = await home_of(workspace, monkeypatch)
    store.finalize(sheet, loaded)  # another window or a command: the main file is replaced
    after, opened, _ = await home_of(workspace, monkeypatch)
    assert opened and sheet.uuid in after["recent"] and sheet.uuid not in before["recent"]


async def test_a_draft_saved_elsewhere_is_listed_at_the_next_start(
    workspace, archive, edu_form, monkeypatch
):
    store, _ = archive
    before, _, _ = await home_of(workspace, monkeypatch)
    draft = a_draft(store, workspace, edu_form)
    after, opened, _ = await home_of(workspace, monkeypatch)
    assert opened and before["drafts"] == [] and after["drafts"] == [draft]


@pytest.mark.parametrize("damage", [b"{not json", b'{"key": 1}', b""])
async def test_damaged_remembered_lists_are_read_again(workspace, archive, damage, monkeypatch):
    first, _, _ = await home_of(workspace, monkeypatch)
    (workspace.results_dir / ".cache" / FILE_NAME).write_bytes(damage)
    again, opened, _ = await home_of(workspace, monkeypatch)
    assert opened and again == first


async def test_f5_reads_the_store_even_when_nothing_changed(workspace, archive, monkeypatch):
    await home_of(workspace, monkeypatch)
    spy = ListsRead(monkeypatch)
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert spy.reads == 0
        await pilot.press("f5")
        await settle(app, pilot)
        assert spy.reads == 1


async def test_the_footer_is_rebuilt_only_when_its_keys_change(workspace, monkeypatch):
    built = []
    original = KitFooter.recompose

    async def counted(self):
        built.append((self.screen, self._built))
        return await original(self)

    monkeypatch.setattr(KitFooter, "recompose", counted)
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert len(built) == 1  # mounted, focused, lists loaded: the same keys throughout
        keys = {str(k.render()) for k in app.screen.query("FooterKey")}
        assert any("新建" in k for k in keys) and any("结果" in k for k in keys)
        await pilot.press("r")  # another screen, other keys
        await settle(app, pilot)
        assert any("排序" in str(k.render()) for k in app.screen.query("FooterKey"))
    screens = [type(screen).__name__ for screen, _ in built]
    assert screens.count("HomeScreen") == 1 and "ResultsScreen" in screens


async def test_footer_keys_are_built_in_the_footers_setting_not_restyled(workspace, monkeypatch):
    from textual.widgets._footer import FooterKey

    restyled = []
    original = FooterKey.update_node_styles

    def counted(self, animate: bool = True) -> None:
        restyled.append(self)
        original(self, animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", counted)
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        footer = app.screen.query_one(KitFooter)
        keys = [k for k in footer.query(FooterKey) if not k.has_class("-command-palette")]
        assert keys and not footer.compact
        assert not any(k.compact or k.has_class("-compact") for k in keys)
        palette = footer.query_one("FooterKey.-command-palette", FooterKey)
        assert palette.compact and palette.has_class("-compact")  # as Textual leaves it
        assert restyled == []  # never built compact and switched back once mounted


async def test_after_a_remembered_start_coming_back_to_home_reads_the_store(
    workspace, archive, edu_form, monkeypatch
):
    """The start's lists are the remembered ones (no read); the start's own resume of the home
    screen reads nothing, but coming back from another screen does: a draft saved meanwhile
    is listed."""
    store, _ = archive
    await home_of(workspace, monkeypatch)
    spy = ListsRead(monkeypatch)
    app = tui_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert spy.reads == 0 and listed(app)["drafts"] == []
        draft = a_draft(store, workspace, edu_form)  # another window saved a draft
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert spy.reads == 1
        assert listed(app)["drafts"] == [draft]
