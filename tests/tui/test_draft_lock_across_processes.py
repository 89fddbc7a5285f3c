"""One writer per draft across processes (issue 10): a TUI window holding a draft refuses
`fill --plain`, `fill --answers` and `results amend` started from other processes, and a plain
fill holding a draft refuses the TUI. Each refusal is one line, and nothing is lost: after every
case the drafts file still holds exactly what the first writer entered."""

from __future__ import annotations

import os
import pty
import random
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from tui_helpers import settle, start_sheet, tui_app

from inspect_kit.services.revisions import Revisions
from inspect_kit.store.store import Store
from inspect_kit.tui.screens.fill import FillScreen

REFUSED = "已在另一个窗口或进程中打开"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")


def kit(workspace, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """`inspect-kit ARGS` in a new process, without a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "inspect_kit", "--workspace", str(workspace.root), *args],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, **kwargs,
    )  # fmt: skip


class PtyKit:
    """`inspect-kit ARGS` in a new process on a pseudo-terminal, as an inspector runs it."""

    def __init__(self, workspace, *args: str) -> None:
        master, slave = pty.openpty()
        env = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "LINES": "30"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "inspect_kit", "--workspace", str(workspace.root), *args],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.master = master
        self.seen = ""

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {text!r}; screen: {self.seen[-800:]!r}"
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk and self.proc.poll() is not None:
                    continue
                self.seen += ANSI.sub("", chunk.decode("utf-8", "replace"))
        return self.seen

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 30) -> int:
        code = self.proc.wait(timeout=timeout)
        os.close(self.master)
        return code


def drafts(workspace) -> list[dict]:
    return Store(workspace).drafts()


def answers_of(workspace, sheet_uuid: str) -> dict:
    return {k: v.get("value") for k, v in Store(workspace).draft(sheet_uuid)["answers"].items()}


async def _tui_with_a_started_sheet(app, pilot) -> str:
    await start_sheet(app, pilot, subject="月湖")
    await pilot.press("1")  # sign-posted = 规范
    await settle(app, pilot)
    return app.screen.sheet.uuid


async def test_plain_fill_on_a_draft_open_in_the_tui_is_refused(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        sheet_uuid = await _tui_with_a_started_sheet(app, pilot)
        before = answers_of(workspace, sheet_uuid)
        assert before == {"sign-posted": "规范"}
        plain = PtyKit(workspace, "fill", "edu-base-inspection", "--subject", "eb-002",
                       "--rater", "测试员", "--round", "2026", "--plain")  # fmt: skip
        screen = plain.wait_for(REFUSED)
        assert plain.finish() == 1
        refusal = [line for line in screen.splitlines() if REFUSED in line]
        assert len(refusal) == 1 and "Traceback" not in screen
        # the TUI goes on, and its next keystroke still stores what the inspector chose
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert answers_of(workspace, sheet_uuid) == before
        assert [d["uuid"] for d in drafts(workspace)] == [sheet_uuid]


async def test_answer_file_for_a_draft_open_in_the_tui_is_refused(workspace, roster, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("sign-posted: 不规范\nfinalize: false\n", encoding="utf-8")
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        sheet_uuid = await _tui_with_a_started_sheet(app, pilot)
        for finalize in ("false", "true"):
            answers.write_text(f"sign-posted: 不规范\nfinalize: {finalize}\n", encoding="utf-8")
            result = kit(workspace, "fill", "edu-base-inspection", "--subject", "eb-002",
                         "--rater", "测试员", "--round", "2026",
                         "--answers", str(answers))  # fmt: skip
            assert result.returncode == 1, result.stdout + result.stderr
            assert REFUSED in result.stderr and len(result.stderr.strip().splitlines()) == 1
            assert "Traceback" not in result.stderr
        assert answers_of(workspace, sheet_uuid) == {"sign-posted": "规范"}
        assert [d["uuid"] for d in drafts(workspace)] == [sheet_uuid]
        assert Store(workspace).submissions() == []


async def test_amend_of_a_sheet_whose_amendment_is_open_in_the_tui_is_refused(workspace, roster):
    app = tui_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        sheet_uuid = await _tui_with_a_started_sheet(app, pilot)
    # the inspector completes and finalizes it; an amendment of it is then opened in the TUI
    store = Store(workspace)
    from inspect_kit.demo.generator import fill_sheet
    from inspect_kit.formfiles.catalog import FormCatalog

    loaded = FormCatalog(workspace).get("edu-base-inspection")
    sheet = store.load_sheet(store.draft(sheet_uuid), loaded)
    fill_sheet(sheet, 0.9, random.Random(3))
    store.finalize(sheet, loaded)
    amended = Revisions(store, workspace).amend(sheet_uuid, "漏记一处扣分", "测试员")
    app = tui_app(workspace, open_draft=amended.uuid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, FillScreen)
        held = answers_of(workspace, sheet_uuid)
        for args in (["results", "amend", sheet_uuid, "--reason", "再改一次"],
                     ["results", "void", sheet_uuid, "--reason", "作废"]):  # fmt: skip
            result = kit(workspace, *args)
            assert result.returncode == 1, result.stdout + result.stderr
            assert REFUSED in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert answers_of(workspace, sheet_uuid) == held
        assert Store(workspace).draft(sheet_uuid)["revision"] == 2
        assert Store(workspace).submission(sheet_uuid)["status"] == "final"


async def test_the_tui_is_refused_a_draft_open_in_plain_mode(workspace, roster):
    plain = PtyKit(workspace, "fill", "edu-base-inspection", "--subject", "eb-002",
                   "--rater", "测试员", "--round", "2026", "--plain")  # fmt: skip
    try:
        plain.wait_for("规范")  # the first question is on screen: the draft exists, locked
        (draft,) = drafts(workspace)
        app = tui_app(workspace, open_draft=draft["uuid"])
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert not isinstance(app.screen, FillScreen)
            messages = [n.message for n in app._notifications]
            assert any(REFUSED in m for m in messages), messages
        plain.send("\x03")  # Ctrl-C: plain mode saves and prints how to resume
        plain.wait_for("inspect-kit")
        assert plain.finish() == 130
    finally:
        if plain.proc.poll() is None:
            plain.proc.kill()
    # freed: the TUI opens it now
    app = tui_app(workspace, open_draft=draft["uuid"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, FillScreen)
    assert Path(workspace.drafts_path).is_file()
