"""`inspect-kit doctor [--restore] [--yes] [--clean] [--full]`: check the databases; restore a
backup."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from inspect_kit.base.safe_text import safe_text
from inspect_kit.cli import Kit, UserError, pass_kit
from inspect_kit.i18n.catalog import tr


def _shown(path) -> str:
    from inspect_kit.store.database import shown_path

    return shown_path(path)


@click.command()
@click.option("--restore", "do_restore", is_flag=True,
              help="Put back the newest backup of every damaged file that passes every check "
                   "(asks first).")  # fmt: skip
@click.option(
    "--from",
    "from_backup",
    type=click.Path(path_type=Path),
    default=None,
    help="Put back this backup (see --list) instead of the newest one.",
)
@click.option(
    "--list",
    "list_backups",
    is_flag=True,
    help="List every file's backups, newest first, with what the checks find.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--clean", is_flag=True, help="Delete temp files left by interrupted writes.")
@click.option("--repair", is_flag=True,
              help="Rebuild the sheet index from the archive shards.")  # fmt: skip
@click.option("--verify", is_flag=True,
              help="Check every device's signed, hash-chained record of events.")  # fmt: skip
@click.option("--full", is_flag=True,
              help="Check every file again, also those unchanged since a check found them "
                   "healthy (plain doctor skips those).")  # fmt: skip
@pass_kit
def doctor(kit: Kit, do_restore: bool, from_backup: Path | None, list_backups: bool, yes: bool,
           clean: bool, repair: bool, verify: bool, full: bool) -> None:  # fmt: skip
    """检查数据库，必要时从备份恢复 / check the databases; restore from a backup."""
    from inspect_kit.store import doctor as checks

    workspace = kit.workspace
    if list_backups:
        _list_backups(workspace)
        return
    # Files unchanged since a check found them healthy are not checked again (store.
    # doctor_memory); --full, and every check before a restore or repair, reads everything.
    report = checks.check_workspace(workspace, use_memory=not (full or do_restore or repair))
    _print_report(report)
    if report.archive.remembered:
        click.echo(tr("cli.doctor.remembered", kit.lang, n=report.archive.remembered,
                      command=kit.command("doctor", "--full")))  # fmt: skip
    if verify and report.archive.ok:
        from inspect_kit.cli.verify_output import verify_record

        verify_record(kit)
    if clean:
        from inspect_kit.store.database import Database

        main = checks.archive_database(workspace)
        removed = main.cleanup_temp_files()
        removed += Database(workspace.drafts_path, name="drafts").cleanup_temp_files()
        removed += sum(Database(f.path, name=f.path.stem, lock_with=main).cleanup_temp_files()
                       for f in report.stored)  # fmt: skip
        click.echo(f"已删除 {removed} 个中断写入留下的临时文件（不足 60 秒的保留）。")
    if repair and not do_restore and from_backup is None:
        if not report.archive.ok or any(f.damaged for f in report.stored):
            raise UserError(tr("cli.doctor.restore_first", kit.lang,
                               command=kit.command("doctor", "--restore")))  # fmt: skip
        rows_before, rows_after = checks.repair(workspace)
        click.echo(f"已按分片重建索引：{rows_before} 条 → {rows_after} 条。")
        report = checks.check_workspace(workspace)
        if report.ok:
            click.echo("检查通过。")
            return
        _print_report(report)
    if from_backup is not None:
        _restore_from(workspace, from_backup, yes)
        return
    if not do_restore:
        if not report.ok:
            # every damaged file, drafts included, has its own backups to restore from
            hint = tr("cli.doctor.restore", kit.lang, command=kit.command("doctor", "--restore"))
            raise UserError(f"发现问题，见上。{hint}")
        click.echo("检查通过。")
        return
    _restore(workspace, report, yes)


def _restore(workspace, report, yes: bool) -> None:
    """Preview and confirm, then choose and apply again under the locks: a write that lands
    between the preview and the restore is in the newest backup chosen then, never lost."""
    from inspect_kit.store import doctor as checks

    steps = _plan(workspace, report)
    if report.ok and report.archive.exists:
        click.echo(
            "注意：当前数据库检查通过；恢复会回到备份时的状态，之后的改动只留在另存的文件中。"
        )
    listing = "；".join(
        f"用备份 {_shown(s.backup)} 替换 {_shown(s.path)}" if s.backup is not None
        else f"把损坏的草稿文件 {_shown(s.path)} 另存到一旁（没有完好的草稿备份，"
             "未提交的草稿需要重新填写）"
        for s in steps
    )  # fmt: skip
    _confirm(yes, f"{listing}（原文件另存，不删除）？")
    with checks.archive_database(workspace).locked(), checks.drafts_database(workspace).locked():
        steps = _plan(workspace, checks.check_workspace(workspace), quiet=True)
        for step in steps:
            _apply(workspace, step)
        _after(workspace)


def _plan(workspace, report, *, quiet: bool = False) -> list:
    from inspect_kit.store import doctor as checks

    steps = checks.restore_plan(workspace, report)
    for step in steps:
        for candidate in step.skipped if not quiet else ():
            click.echo(f"跳过备份 {_shown(candidate.path)}：{candidate.problems[0]}")
    missing = [s for s in steps if s.backup is None and s.path != workspace.drafts_path]
    if missing:
        raise UserError(f"{_shown(missing[0].path)} 没有通过检查的备份可以恢复；未做任何改动。"
                        "运行 `inspect-kit doctor --list` 查看所有备份。")  # fmt: skip
    return steps


def _apply(workspace, step) -> None:
    from inspect_kit.store import doctor as checks

    if step.backup is None:  # the drafts file, without a good backup
        aside = checks.set_aside(workspace.drafts_path, "drafts")
        click.echo(f"已把损坏的草稿文件另存为 {_shown(aside)}；下次保存草稿时会新建。")
        return
    if checks.same_bytes(step.path, step.backup):
        click.echo(f"{_shown(step.path)} 与最新备份相同，无需恢复。")
        return
    kept_as = checks.restore_file(step.database, step.backup)
    click.echo(f"已恢复备份 {_shown(step.backup)}。"
               + (f"原文件另存为 {_shown(kept_as)}。" if kept_as else ""))  # fmt: skip


def _after(workspace) -> None:
    """Check again, rebuild the index when the restored files disagree only on it, and end
    on a passing state or one next step."""
    from inspect_kit.store import doctor as checks

    after = checks.check_workspace(workspace)
    if after.ok and any(after.archive.warnings):
        checks.repair(workspace)  # index rows for sheets the restored main file did not list
        after = checks.check_workspace(workspace)
    if not after.ok:
        _print_report(after)
        raise UserError(
            "恢复后仍有问题，见上。运行 `inspect-kit doctor --list` 查看每个文件的备份，"
            "再用 `inspect-kit doctor --from 备份文件` 选一个更早的。"
        )
    counts = after.archive.counts
    click.echo(f"恢复后检查通过：{counts.get('sheets', 0)} 张评分表，"
               f"{after.archive.rechecked} 个版本的分数重算一致。")  # fmt: skip


def _restore_from(workspace, backup: Path, yes: bool) -> None:
    """Put back one chosen backup (an older one when the newest is bad)."""
    from inspect_kit.store import doctor as checks

    owner = checks.backup_owner(workspace, backup)
    if owner is None:
        raise UserError(f"{_shown(backup)} 不是这个工作区的备份；"
                        "运行 `inspect-kit doctor --list` 查看可用的备份。")  # fmt: skip
    label, database = owner
    problems = checks.backup_problems(workspace, database, backup)
    if problems:
        raise UserError(f"备份 {_shown(backup)} 无法使用（{problems[0]}），未做任何改动。"
                        "请从 `inspect-kit doctor --list` 中另选一个。")  # fmt: skip
    _confirm(
        yes, f"用备份 {_shown(backup)} 替换{label} {_shown(database.path)}（原文件另存，不删除）？"
    )
    with checks.archive_database(workspace).locked(), checks.drafts_database(workspace).locked():
        kept_as = checks.restore_file(database, backup)
        click.echo(f"已恢复备份 {_shown(backup)}。"
                   + (f"原文件另存为 {_shown(kept_as)}。" if kept_as else ""))  # fmt: skip
        _after(workspace)


def _list_backups(workspace) -> None:
    from inspect_kit.store import doctor as checks

    for label, database in checks.all_databases(workspace):
        found = database.backups()
        if not found:
            continue
        click.echo(f"{label} {_shown(database.path)}：")
        for path in found:
            problems = checks.backup_problems(workspace, database, path)
            state = "✓ 可用" if not problems else f"✗ {problems[0]}"
            click.echo(f"  {_shown(path)}  {state}")
    click.echo("用 `inspect-kit doctor --from 备份文件` 恢复其中一个。")


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
        if file in report.stored and file.ok and not file.warnings:
            continue  # a healthy shard is counted in the database's line
        if not file.exists:
            click.echo(f"{file.label} {where}：尚未创建。")
            continue
        c = file.counts
        if "revisions" in c:
            click.echo(f"{file.label} {where}：{c['sheets']} 张评分表（{c['revisions']} 个版本），"
                       f"{c['subjects']} 个对象，{c['forms']} 个表单版本，{c['events']} 条记录"
                       + (f"，{c['rectifications']} 个整改项" if c.get("rectifications") else "")
                       + f"；{file.rechecked} 个版本的分数重算一致。")  # fmt: skip
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
