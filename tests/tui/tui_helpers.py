"""Helpers for driving the TUI with Pilot: starting a sheet, a keyboard filler for whole sheets."""

from __future__ import annotations

import asyncio

from inspect_kit.domain.model import (
    ChoiceItem,
    DateItem,
    DeductItem,
    MultiItem,
    NumberItem,
    PhotoItem,
    ScoreItem,
    SignatureItem,
    TableItem,
    TextItem,
    YesNoItem,
)


def tui_app(workspace, *, lang: str | None = None, open_draft: str | None = None):
    """The app as the CLI composes it (`inspect-kit --workspace W [--lang L] tui`)."""
    from inspect_kit.cli import Kit
    from inspect_kit.cli.tui_cmd import tui_app as compose

    return compose(Kit(workspace.root, workspace.db_override, lang), open_draft)


async def settle(app, pilot) -> None:
    """Let workers finish (a failed one too: the app shows its error) and the screen repaint."""
    await asyncio.gather(*(worker.wait() for worker in list(app.workers)),
                         return_exceptions=True)  # fmt: skip
    await pilot.pause()
    await pilot.pause()


async def start_sheet(app, pilot, subject: str = "月湖", rater: str = "测试员",
                      round_: str = "2026") -> None:  # fmt: skip
    """Home → n → pick the first form (edu-base-inspection) → subject → rater → round."""
    await settle(app, pilot)
    await pilot.press("n")
    await settle(app, pilot)
    await pilot.press(*subject, "enter")
    await pilot.pause()
    rater_input = app.screen.query_one("#new-rater")
    rater_input.value = ""
    await pilot.press(*rater, "enter")
    round_input = app.screen.query_one("#new-round")
    round_input.value = ""
    await pilot.press(*round_, "enter")
    await settle(app, pilot)


def keys_for(item, *, lose_points: bool = False) -> list[str]:
    """Keys that answer an item (full marks unless lose_points) and then press Enter: that
    goes on to the next item, or to the 扣分理由 when the item lost points. Every answer is an
    explicit act (a number key; "none of these" is the entry after the last defect)."""
    if isinstance(item, YesNoItem):
        return ["2" if lose_points else "1", "enter"]
    if isinstance(item, ChoiceItem):
        return [str(len(item.options)) if lose_points else "1", "enter"]
    if isinstance(item, MultiItem):
        return ["1", "2", "3", "enter"]
    if isinstance(item, DeductItem):
        if item.defects:
            return ["1" if lose_points else str(len(item.defects) + 1), "enter"]
        return ["1" if lose_points else "0", "enter"]
    if isinstance(item, ScoreItem):
        return [*f"{item.max - 1 if lose_points else item.max:g}", "enter"]
    if isinstance(item, NumberItem):
        best = max((b.min for b in item.bands), default=100)
        if item.max_value is not None:
            best = min(best, item.max_value)
        return [*("0" if lose_points else f"{best:g}"), "enter"]
    if isinstance(item, DateItem):
        return [*"2026-05-01", "enter"]
    if isinstance(item, TextItem):
        # A multiline box takes Enter as a new line; Ctrl+N moves on from it.
        return [*"整改台账", "ctrl+n" if item.multiline else "enter"]
    if isinstance(item, SignatureItem):
        return [*"测试员", "enter"]
    if isinstance(item, PhotoItem):
        return ["enter"]
    if isinstance(item, TableItem):
        if lose_points:
            return ["n", "enter"]  # "no records": answered, earns nothing
        rows = int(max((b.min for b in item.bands), default=1))
        return [*[key for n in range(1, rows + 1) for key in table_row_keys(item, n)], "enter"]
    return ["ctrl+n"]


def table_row_keys(item, n: int, cells: dict[str, str] | None = None) -> list[str]:
    """`a`, then each cell typed and Enter to the next, then Ctrl+S: one row added."""
    cells = cells or {}
    typed = {"date": f"2026-03-{n % 28 + 1:02d}", "text": f"活动{n}", "number": "30",
             "choice": "1"}  # fmt: skip
    keys = ["a"]
    for column in item.columns:
        keys += [*cells.get(column.id, typed[column.type]), "enter"]
    return [*keys, "ctrl+s"]


async def fill_current_sheet(app, pilot, *, deduct: dict[str, str] | None = None,
                             veto_keys: str = "1", limit: int = 200) -> list[str]:  # fmt: skip
    """Answer every item from the focused one on, by keyboard, following the focus.

    `deduct` maps item ids to a 扣分理由: those items lose points and get the note typed.
    Returns the item ids visited, in order.
    """
    deduct = deduct or {}
    screen = app.screen
    form = screen.sheet.form
    vetoes = {v.id for v in form.vetoes}
    visited: list[str] = []
    for _ in range(limit):
        item_id = screen.current_item
        if item_id is None or (visited and visited[-1] == item_id and item_id in vetoes
                               and item_id == form.vetoes[-1].id):  # fmt: skip
            break
        visited.append(item_id)
        if item_id in vetoes:
            await pilot.press(veto_keys, "enter")
            await settle(app, pilot)
            if item_id == form.vetoes[-1].id:
                break
            continue
        item = form.item(item_id)
        await pilot.press(*keys_for(item, lose_points=item_id in deduct))
        await settle(app, pilot)
        if item_id in deduct:
            await pilot.press(*deduct[item_id], "enter")
            await settle(app, pilot)
    return visited
