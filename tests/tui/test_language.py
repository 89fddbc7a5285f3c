"""The Chinese UI shows nothing English from Textual (footer, help, command palette), and with
--lang en the kit's own keys read in English: every binding of the app, its screens and the
widgets that take focus is collected and checked."""

from __future__ import annotations

import re

from textual.command import CommandInput, CommandList
from textual.widgets import Footer
from textual.widgets._footer import FooterKey
from tui_helpers import settle, start_sheet, tui_app

from inspect_kit.tui.screens.dialogs import HelpScreen
from inspect_kit.tui.screens.fill import FillScreen
from inspect_kit.tui.widgets.choices import Choices

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
TEXTUAL_PALETTE = {"Keys", "Maximize", "Minimize", "Quit", "Screenshot", "Theme",
                   "Search for commands…", "No matches found"}  # fmt: skip


def binding_texts(screen) -> dict[str, str]:
    """key -> description and tooltip of every active binding, as the footer and help read them."""
    texts = {}
    for key, active in screen.active_bindings.items():
        texts[key] = f"{active.binding.description} {active.tooltip or ''}".strip()
    for footer_key in screen.query(FooterKey):
        texts[f"footer {footer_key.key}"] = footer_key.description
    return texts


async def visit_focus(app, pilot, screen, found: dict[str, str], limit: int = 12) -> None:
    """Each kind of widget that can take focus on `screen`, focused in turn."""
    seen_types = set()
    for widget in list(screen.focus_chain)[:60]:
        if type(widget) in seen_types or len(seen_types) >= limit:
            continue
        seen_types.add(type(widget))
        widget.focus()
        await pilot.pause()
        for key, text in binding_texts(screen).items():
            found[f"{type(screen).__name__}/{type(widget).__name__}/{key}"] = text


async def palette_texts(app, pilot, query: str = "") -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause(0.3)
    palette = app.screen
    texts = [palette.query_one(CommandInput).placeholder]
    texts += [f"{a.binding.description} {a.tooltip}" for a in palette.active_bindings.values()]
    if query:
        await pilot.press(*query)
        await pilot.pause(0.9)  # the "no matches" line comes after half a second
    commands = palette.query_one(CommandList)
    for i in range(commands.option_count):
        prompt = commands.get_option_at_index(i).prompt
        texts.append(str(getattr(prompt, "renderable", prompt)))  # an Align around the no-match
    await pilot.press("escape")
    await pilot.pause()
    return texts


async def test_zh_footer_help_and_palette_show_no_english_from_textual(workspace, roster):
    app = tui_app(workspace, lang="zh")
    found: dict[str, str] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await visit_focus(app, pilot, app.screen, found)
        await pilot.press("ctrl+c")  # Textual's "Do you want to quit?" hint, in Chinese
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["要退出请按 ^q"]
        palette = await palette_texts(app, pilot)
        palette += await palette_texts(app, pilot, query="zzqx")
        for key in ("r", "escape", "p", "escape"):  # results browser, panel, back home
            await pilot.press(key)
            await settle(app, pilot)
            await visit_focus(app, pilot, app.screen, found)
        await start_sheet(app, pilot)
        assert isinstance(app.screen, FillScreen)
        await visit_focus(app, pilot, app.screen, found)
        palette += await palette_texts(app, pilot)
        await pilot.press("f1")  # the help lists the fill screen's active bindings, seen above
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        found.update({f"help/{k}": v for k, v in binding_texts(app.screen).items()})
        await pilot.press("escape")

    english = {where: text for where, text in found.items() if LATIN_WORD.search(text)}
    assert not english, english
    assert any("不适用" in text for text in found.values())  # the kit's own keys are there
    assert not [t for t in palette if LATIN_WORD.search(t) or t.split("\n")[0] in TEXTUAL_PALETTE]
    assert "搜索命令…" in palette and "没有匹配的命令" in palette
    assert any(t.startswith("退出\n") for t in palette)


async def test_en_footer_shows_the_kits_keys_in_english(workspace, roster):
    app = tui_app(workspace, lang="en")
    found: dict[str, str] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await start_sheet(app, pilot)
        assert isinstance(app.screen, FillScreen)
        await visit_focus(app, pilot, app.screen, found)
        footer = {k.key: k.description for k in app.screen.query_one(Footer).query(FooterKey)}
        labels = [label for c in app.screen.query(Choices) for label in c.labels]
        guides = [str(w.content) for w in app.screen.query(".item-guidance")]
        palette = await palette_texts(app, pilot, query="zzqx")
    chinese = {where: text for where, text in found.items() if CJK.search(text)}
    assert not chinese, chinese
    assert footer["ctrl+t"] == "N/A" and footer["f10"] == "Finalize"
    # the form's English: options (label_en) and the checklist of defects (defects_en)
    assert any(label.startswith("Compliant") for label in labels), labels
    assert {"Functions", "Opening hours", "Contact person"} <= set(labels), labels
    # each item's 检查要点 from guidance_en
    assert any(g.startswith("Guide: Check the sign's position") for g in guides), guides
    assert not [g for g in guides if CJK.search(g)], guides
    assert "Search for commands…" in palette and "No matches found" in palette
    assert not [t for t in palette if CJK.search(t)]


async def test_en_home_shows_grades_by_the_forms_grade_en(workspace, store):
    from textual.widgets import DataTable

    from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms

    roster, finals, _ = build_demo(demo_forms(), DemoPlan(subjects=2, raters=2, rounds=1,
                                                          drafts=0))  # fmt: skip
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    shown = {}
    for lang in ("zh", "en"):
        app = tui_app(workspace, lang=lang)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            recent = app.screen.query_one("#recent", DataTable)
            shown[lang] = {str(recent.get_row_at(i)[2]) for i in range(recent.row_count)}
    assert shown["zh"] and not any(LATIN_WORD.search(g) for g in shown["zh"])
    assert shown["en"] and not any(CJK.search(g) for g in shown["en"]), shown["en"]
