"""`inspect-kit doctor --verify`: every device's signed, hash-chained record, in plain words."""

from __future__ import annotations

import click

from inspect_kit.base.safe_text import safe_text
from inspect_kit.cli import Kit, UserError


def verify_record(kit: Kit) -> None:
    """Print what the check of the events table found; UserError (exit 1) on any break."""
    from inspect_kit.base.signing import device_key
    from inspect_kit.store.devices import trusted_devices
    from inspect_kit.store.event_chain import verify_chains, verify_sheets

    if not kit.workspace.db_path.exists():
        click.echo("记录链检查：还没有数据库，没有可检查的记录。")
        return
    with kit.store.db.snapshot() as db:
        rows = dict((db.storage.read() or {}).get("events") or {})
    own = device_key(create=False)
    own_key = own.public_key if own else None
    pinned = {d.public_key: d.name for d in trusted_devices(kit.workspace)}
    report = verify_chains(rows, own_key)
    click.echo(f"记录链检查：{len(rows)} 条记录")
    for chain in report.chains:
        who = ("本机" if chain.public_key == own_key
               else f"受信任设备 {pinned[chain.public_key]}" if chain.public_key in pinned
               else "未固定的设备")  # fmt: skip
        names = "、".join(sorted(n for n in chain.names if n)) or "?"
        state = "签名与链接完整" if not chain.problems else f"{len(chain.problems)} 处问题"
        click.echo(safe_text(f"  {who} {names}（指纹 {chain.fingerprint}）：{chain.events} 条，"
                             f"{state}"))  # fmt: skip
        for line in chain.problems:
            click.echo(safe_text(f"    ✗ {line}"))
        for line in chain.gaps:
            click.echo(safe_text(f"    · {line}（其他设备的数据包只带所导出评分表的记录）"))
    for line in report.problems:
        click.echo(safe_text(f"  ✗ {line}"))
    checked, changed = verify_sheets(rows, kit.store.submissions(all_revisions=True), report.signed)
    click.echo(f"  {checked} 个评分表版本与其签名记录核对" + ("一致。" if not changed else "："))
    for line in changed:
        click.echo(safe_text(f"    ✗ {line}"))
    from inspect_kit.store.rectifications import records as rectification_records

    # 整改项 revisions are vouched for the same way (their events carry the record's hash)
    items, item_changes = verify_sheets(
        rows, rectification_records(kit.store, all_revisions=True), report.signed
    )
    if items or item_changes:
        click.echo(
            f"  {items} 个整改项版本与其签名记录核对" + ("一致。" if not item_changes else "：")
        )
    for line in item_changes:
        click.echo(safe_text(f"    ✗ {line.replace('评分表', '整改项', 1)}"))
    changed = changed + item_changes
    if report.unsigned:
        click.echo(f"  {report.unsigned} 条记录没有签名（unsigned, before signing was "
                   "introduced）：启用签名之前写入的，或来自旧版本，不算损坏。")  # fmt: skip
    problems = len(report.problems) + sum(len(c.problems) for c in report.chains) + len(changed)
    if problems:
        from inspect_kit.i18n.catalog import tr

        raise UserError(tr("verify.failed", kit.lang, n=problems))
    click.echo("记录链检查通过。")
