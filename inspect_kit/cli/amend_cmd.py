"""`inspect-kit results amend UUID --reason TEXT`: open a new revision of a finalized sheet.

The old revision stays in the archive; the new one is a draft (answers copied, same form version)
that is finalized like any other sheet, which logs 'amended' with the reason.
"""

from __future__ import annotations

import importlib.util
import sys

import click

from inspect_kit.cli import Kit, UserError, pass_kit
from inspect_kit.i18n.catalog import tr


def _has_terminal() -> bool:
    return bool(sys.stdin and sys.stdin.isatty() and sys.stdout.isatty())


def _tui_available() -> bool:
    try:
        return importlib.util.find_spec("inspect_kit.tui.app") is not None
    except ModuleNotFoundError:  # the parent package is missing too
        return False


def _returned_reason(kit: Kit, sheet_uuid: str) -> str:
    """The amendment reason for a sheet the office returned (按退回意见修改：…), else ""."""
    doc = kit.store.submission(sheet_uuid)
    state = kit.store.review_state(doc["uuid"], doc["revision"])
    if state.state != "returned" or not state.reason:
        return ""
    return tr("oreview.amend_reason", kit.lang, reason=state.reason)


@click.command()
@click.argument("sheet_uuid")
@click.option("--reason", default=None, help="Why the sheet is being corrected (required).")
@pass_kit
def amend(kit: Kit, sheet_uuid: str, reason: str | None) -> None:
    """修订已提交的评分表 / open a new revision of a finalized sheet (needs a reason)."""
    suggested = _returned_reason(kit, sheet_uuid) if reason is None else ""
    if reason is None and _has_terminal():
        reason = click.prompt("修订理由", default=suggested, show_default=bool(suggested))
    elif reason is None and suggested:
        reason = suggested  # the office returned it: correcting is the reason
    if reason is None or not reason.strip():
        command = kit.command("results", "amend", sheet_uuid, "--reason", "漏记一处扣分")
        raise UserError(tr("cli.amend.reason", kit.lang, command=command))
    sheet = kit.revisions.amend(sheet_uuid, reason, kit.default_rater() or "unknown")
    click.echo(f"已创建修订草稿：{sheet.uuid}（第 {sheet.revision} 版，"
               f"修订第 {sheet.supersedes} 版），理由：{sheet.amend_reason}")  # fmt: skip
    if _has_terminal() and _tui_available():
        from inspect_kit.cli.tui_cmd import tui_app

        tui_app(kit, sheet.uuid).run()
        return
    # `fill --answers` would start a second sheet and `fill --plain` resumes first revisions
    # only: the drafts list of the app is where an amendment continues.
    click.echo(tr("cli.amend.next", kit.lang, tui=kit.command(), uuid=sheet.uuid[:8],
                  rev=sheet.revision))  # fmt: skip
