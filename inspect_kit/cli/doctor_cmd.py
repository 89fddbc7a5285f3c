"""`inspect-kit doctor [--restore] [--yes] [--clean]`: check the databases; restore a backup."""

from __future__ import annotations

import sys

import click

from inspect_kit.base.safe_text import safe_text
from inspect_kit.cli import Kit, UserError, pass_kit
from inspect_kit.i18n.catalog import tr


def _shown(path) -> str:
    from inspect_kit.store.database import shown_path

    return shown_path(path)


@click.command()
@click.option("--restore", "do_restore", is_flag=True,
              help="Put back the newest backup that passes every check (asks first).")  # fmt: skip
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--clean", is_flag=True, help="Delete temp files left by interrupted writes.")
@click.option("--repair", is_flag=True,
              help="Rebuild the sheet index from the archive shards.")  # fmt: skip
@click.option("--verify", is_flag=True,
              help="Check every device's signed, hash-chained record of events.")  # fmt: skip
@pass_kit
def doctor(kit: Kit, do_restore: bool, yes: bool, clean: bool, repair: bool,
           verify: bool) -> None:  # fmt: skip
    """检查数据库，必要时从备份恢复 / check the databases; restore from a backup."""
    from inspect_kit.store import doctor as checks

    workspace = kit.workspace
    report = checks.check_workspace(workspace)
    _print_report(report)
    if verify and report.archive.ok:
        from inspect_kit.cli.verify_output import verify_record

        verify_record(kit)
    if clean:
        from inspect_kit.store.database import Database

        main = checks.archive_database(workspace)
        removed = main.cleanup_temp_files()
        removed += Database(workspace.drafts_path, name="drafts").cleanup_temp_files()
        removed += sum(Database(f.path, name=f.path.stem, lock_with=main).cleanup_temp_files()
                       for f in report.shards)  # fmt: skip
        click.echo(f"已删除 {removed} 个中断写入留下的临时文件（不足 60 秒的保留）。")
    if repair and not do_restore:
        if not report.archive.ok or any(f.damaged for f in report.shards):
            raise UserError(tr("cli.doctor.restore_first", kit.lang,
                               command=kit.command("doctor", "--restore")))  # fmt: skip
        rows_before, rows_after = checks.repair(workspace)
        click.echo(f"已按分片重建索引：{rows_before} 条 → {rows_after} 条。")
        report = checks.check_workspace(workspace)
        if report.ok:
            click.echo("检查通过。")
            return
        _print_report(report)
    if not do_restore:
        if not report.ok:
            hint = ""
            if report.drafts.damaged:
                hint = tr("cli.doctor.move_drafts", kit.lang,
                          command=kit.command("doctor", "--restore"))  # fmt: skip
            elif any(not f.ok for f in report.files if f is not report.drafts):
                hint = tr(
                    "cli.doctor.restore", kit.lang, command=kit.command("doctor", "--restore")
                )
            raise UserError(f"发现问题，见上。{hint}")
        click.echo("检查通过。")
        return

    if report.drafts.damaged:
        _confirm(yes, f"把损坏的草稿文件 {_shown(workspace.drafts_path)} 另存到一旁"
                      "（未提交的草稿需要重新填写，已提交的评分表不受影响）？")  # fmt: skip
        aside = checks.set_aside(workspace.drafts_path, "drafts")
        click.echo(f"已把损坏的草稿文件另存为 {_shown(aside)}；下次保存草稿时会新建。")
        if report.archive.ok and all(f.ok for f in report.shards):
            return  # the archive is fine: do not roll it back as well
    steps = checks.restore_plan(workspace, report)
    for step in steps:
        for candidate in step.skipped:
            click.echo(f"跳过备份 {_shown(candidate.path)}：{candidate.problems[0]}")
    if missing := [s for s in steps if s.backup is None]:
        raise UserError(f"{_shown(missing[0].path)} 没有通过检查的备份可以恢复；"
                        "数据库未做任何改动。")  # fmt: skip
    if report.ok and report.archive.exists:
        click.echo(
            "注意：当前数据库检查通过；恢复会回到备份时的状态，之后的改动只留在另存的文件中。"
        )
    listing = "；".join(f"用备份 {_shown(s.backup)} 替换 {_shown(s.path)}" for s in steps)
    _confirm(yes, f"{listing}（原文件另存，不删除）？")
    for step in steps:
        assert step.backup is not None
        kept_as = checks.restore_file(step.database, step.backup)
        click.echo(f"已恢复备份 {_shown(step.backup)}。"
                   + (f"原文件另存为 {_shown(kept_as)}。" if kept_as else ""))  # fmt: skip
    after = checks.check_workspace(workspace)
    if after.ok and any(after.archive.warnings):
        checks.repair(workspace)  # index rows for sheets the restored main file did not list
        after = checks.check_workspace(workspace)
    if not after.ok:
        _print_report(after)
        raise UserError("恢复后的数据库仍有问题，见上。")
    counts = after.archive.counts
    click.echo(f"恢复后检查通过：{counts.get('sheets', 0)} 张评分表，"
               f"{after.archive.rechecked} 个版本的分数重算一致。")  # fmt: skip


def _confirm(yes: bool, question: str) -> None:
    if yes:
        return
    if not (sys.stdin and sys.stdin.isatty()):
        raise UserError(f"{question}需要确认：请在终端中运行，或加 --yes。未做任何改动。")
    if not click.confirm(question, default=False):
        raise UserError("已取消，未做任何改动。")


def _print_report(report) -> None:
    for file in report.files:
        where = _shown(file.path)
        if file in report.shards and file.ok and not file.warnings:
            continue  # a healthy shard is counted in the database's line
        if not file.exists:
            click.echo(f"{file.label} {where}：尚未创建。")
            continue
        c = file.counts
        if "revisions" in c:
            click.echo(f"{file.label} {where}：{c['sheets']} 张评分表（{c['revisions']} 个版本），"
                       f"{c['subjects']} 个对象，{c['forms']} 个表单版本，{c['events']} 条记录；"
                       f"{file.rechecked} 个版本的分数重算一致。")  # fmt: skip
        elif "drafts" in c:
            click.echo(f"{file.label} {where}：{c['drafts']} 份草稿。")
        else:
            click.echo(f"{file.label} {where}：")
        for line in file.errors:
            click.echo(safe_text(f"  ✗ {line}"))
        for line in file.warnings:
            click.echo(safe_text(f"  ! {line}"))
    if report.backups:
        click.echo(f"备份：{len(report.backups)} 份，最新 {_shown(report.backups[0])}")
    else:
        click.echo("备份：无（每次提交前会自动备份）")
