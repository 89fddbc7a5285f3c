"""Helpers shared by the reliability tests (a uniquely named module: `conftest` is ambiguous)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from inspect_kit.base.paths import Workspace

CHILD = Path(__file__).with_name("writer_child.py")


def fill_demo(workspace: Workspace, seed: int = 7) -> None:
    """A small but real demo: every built-in form, 2 subjects, 2 raters, 1 round, 1 draft each."""
    from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms
    from inspect_kit.store.store import Store

    plan = DemoPlan(subjects=2, raters=2, rounds=1, seed=seed, drafts=1, self_assessments=1)
    roster, finals, drafts = build_demo(demo_forms(), plan)
    store = Store(workspace)
    store.add_subjects(roster)
    store.bulk_finalize(finals)
    for sheet in drafts:
        store.save_draft(sheet)


def run_cli(workspace: Workspace, *args: str, input: str | None = None) -> Result:
    from inspect_kit.cli import cli

    return CliRunner().invoke(cli, ["--workspace", str(workspace.root), *args], input=input)


def assert_clean_failure(result: Result) -> str:
    """Exit 1 with a plain message: no traceback, no unexpected exception. Returns the text."""
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code == 1, text
    assert "Traceback" not in text
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    return text


def spawn(mode: str, root: Path, count: int, tag: str, go: Path | None = None) -> subprocess.Popen:
    args = [sys.executable, str(CHILD), mode, str(root), str(count), tag]
    if go is not None:
        args.append(str(go))
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_ready(proc: subprocess.Popen) -> None:
    line = proc.stdout.readline()  # type: ignore[union-attr]
    assert line == "ready\n", line + proc.stderr.read()  # type: ignore[union-attr]


def reported(out: str) -> list[str]:
    """Complete lines only: a line cut by a kill has no newline and was never fully reported."""
    return [line for line in out.split("\n")[:-1] if line]
