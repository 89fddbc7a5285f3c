"""`inspect-kit results import FILE...` and `results conflicts`: bring other laptops' sheets in."""

from __future__ import annotations

import json
from pathlib import Path

import click

from inspect_kit.base.safe_text import safe_json, safe_text
from inspect_kit.cli import Kit, pass_kit


def _who(kit: Kit) -> str:
    return kit.default_rater() or ""


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=Path))
@click.option("--trust-unsigned", is_flag=True,
              help="Also import bundles without a valid signature (older kits; "
                   "check the source).")  # fmt: skip
@pass_kit
def import_results(kit: Kit, files: tuple[Path, ...], trust_unsigned: bool) -> None:
    """合并其他电脑的评分表 / merge another laptop's database file or export bundle.

    Every file is checked first; if any is damaged, foreign or tampered with, nothing is imported.
    Bundles must be signed by this device, a trusted one (`devices trust`), or, while none is
    trusted, any device.
    """
    from inspect_kit.base.signing import device_key
    from inspect_kit.store.devices import check_bundle
    from inspect_kit.store.merge import merge_many, read_source

    store = kit.store
    sources = [read_source(path, own_db=store.db.path) for path in files]  # all checked first
    own = device_key()
    signers = [
        check_bundle(path, incoming.source, kit.workspace, own.public_key if own else None,
                     trust_unsigned=trust_unsigned)
        for path, incoming in zip(files, sources, strict=True) if incoming.kind == "bundle"
    ]  # fmt: skip
    for signer, incoming in zip(signers, [s for s in sources if s.kind == "bundle"], strict=True):
        click.echo(safe_text(signer.line(incoming.source)), err=signer.public_key is None)
    from inspect_kit.cli.review_cmd import import_lines

    reviews_before = store.review_states()
    conflicts = 0
    for report in merge_many(store, sources, who=_who(kit)):  # one pass: each file written once
        conflicts += report.conflicts
        for line in report.lines():
            click.echo(safe_text(line))
    for line in import_lines(reviews_before, store.review_states(), kit.lang):
        click.echo(safe_text(line))


def _total(doc: dict) -> str:
    score = doc.get("score") or {}
    return f"{score.get('final', '?'):g}" if isinstance(score.get("final"), int | float) else "?"


def _differences(local: dict, incoming: dict) -> list[str]:
    keys = sorted({*local, *incoming} - {"answers", "score"})
    out = [k for k in keys if local.get(k) != incoming.get(k)]
    a, b = local.get("answers") or {}, incoming.get("answers") or {}
    out += [f"答案 {k}" for k in sorted({*a, *b}) if a.get(k) != b.get(k)]
    if not out and local.get("score") != incoming.get("score"):
        out.append("score")
    return out


@click.command("conflicts")
@click.argument("sheet_uuid", required=False)
@click.argument("revision", required=False, type=int)
@click.option(
    "--keep",
    type=click.Choice(["local", "incoming"]),
    help="Resolve the conflict of SHEET_UUID [REVISION]: keep this laptop's version "
    "(local) or the imported one (incoming).",
)
@click.option("--all", "show_all", is_flag=True, help="Also list resolved conflicts.")
@click.option("--json", "as_json", is_flag=True, help="Full conflict records as JSON.")
@pass_kit
def conflicts(
    kit: Kit,
    sheet_uuid: str | None,
    revision: int | None,
    keep: str | None,
    show_all: bool,
    as_json: bool,
) -> None:
    """两台电脑改得不一样的评分表 / sheets two laptops changed differently; resolve with --keep."""
    from inspect_kit.store.merge import conflicts as list_conflicts
    from inspect_kit.store.merge import resolve_conflict

    store = kit.store
    if keep:
        if not sheet_uuid:
            raise click.UsageError("--keep 需要给出冲突的评分表编号（以及版本号）")
        done = resolve_conflict(store, sheet_uuid, revision, keep, who=_who(kit))  # type: ignore[arg-type]
        kept = (
            "本机版本"
            if keep == "local"
            else f"导入的版本（来自 {done.get('source_device') or done.get('source')}）"
        )
        click.echo(f"已处理冲突 {done['uuid'][:8]} 第 {done['revision']} 版：保留{kept}。")
        return
    docs = list_conflicts(store, include_resolved=show_all)
    if sheet_uuid:
        docs = [
            d
            for d in docs
            if d["uuid"].startswith(sheet_uuid) and (revision is None or d["revision"] == revision)
        ]
    if as_json:
        click.echo(safe_json(json.dumps(docs, ensure_ascii=False, indent=1)))
        return
    if not docs:
        click.echo("没有冲突。" if not show_all else "没有冲突记录。")
        return
    for d in docs:
        local, incoming = d["local"], d["incoming"]
        if d.get("kind") == "rectification":  # a 整改项 changed differently on two laptops
            from inspect_kit.cli.rectify_cmd import conflict_lines

            for line in conflict_lines(d, kit.lang):
                click.echo(safe_text(line))
            continue
        state = "未处理" if d.get("status") == "open" else f"已处理（保留 {d.get('kept')}）"
        click.echo(safe_text(
            f"{d['uuid'][:8]} 第 {d['revision']} 版  {d['form']} {d['round']} "
            f"{d['subject']} {d['rater']}  {state}"
        ))  # fmt: skip
        click.echo(safe_text(
            f"  本机  ：{_total(local)} 分 {local.get('status')}，提交于 "
            f"{local.get('finalized_at') or '?'}，设备 {local.get('device') or '?'}"
        ))  # fmt: skip
        click.echo(safe_text(
            f"  导入的：{_total(incoming)} 分 {incoming.get('status')}，提交于 "
            f"{incoming.get('finalized_at') or '?'}，设备 {incoming.get('device') or '?'}"
            f"（来自 {d.get('source')}，{d.get('found_at')}）"
        ))  # fmt: skip
        diff = _differences(local, incoming)
        click.echo(
            safe_text("  不同之处：" + ("、".join(diff[:8]) + ("等" if len(diff) > 8 else "")))
        )
    open_count = sum(1 for d in docs if d.get("status") == "open")
    from inspect_kit.i18n.catalog import tr

    command = kit.command("results", "conflicts", "--keep", "local|incoming", "编号", "版本")
    click.echo(tr("cli.conflicts.count", kit.lang, n=len(docs), open=open_count, command=command))
