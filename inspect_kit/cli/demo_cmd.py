"""`inspect-kit demo`: fill the workspace database with realistic sample data."""

from __future__ import annotations

import click

from inspect_kit.cli import Kit, pass_kit


@click.command()
@click.option("--subjects", default=12, show_default=True, help="Subjects per form.")
@click.option("--raters", default=5, show_default=True, help="Raters scoring each subject.")
@click.option("--rounds", default=2, show_default=True, help="Yearly rounds, ending this year.")
@click.option("--seed", default=2026, show_default=True, help="Same seed, same data.")
@click.option("--form", "form_ids", multiple=True, help="Only these forms (default: all built-in).")
@pass_kit
def demo(kit: Kit, subjects: int, raters: int, rounds: int, seed: int,
         form_ids: tuple[str, ...]) -> None:  # fmt: skip
    """示例数据 / fill the database with sample sheets (several raters, rounds, drafts)."""
    from inspect_kit.base.errors import InspectKitError
    from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms

    if min(subjects, raters, rounds) < 1:
        raise InspectKitError("--subjects、--raters、--rounds 都至少为 1")
    forms = [kit.catalog.get(f) for f in form_ids] if form_ids else demo_forms()
    plan = DemoPlan(subjects=subjects, raters=raters, rounds=rounds, seed=seed)
    roster, finals, drafts = build_demo(forms, plan)
    store = kit.store
    # Demo sheets have ids derived from the seed: what is already there is not added again.
    known = {d["uuid"] for d in store.submissions(all_revisions=True)}
    known |= {d["uuid"] for d in store.drafts()}
    finals = [(sheet, loaded) for sheet, loaded in finals if sheet.uuid not in known]
    drafts = [sheet for sheet in drafts if sheet.uuid not in known]
    store.add_subjects(roster)
    if finals:
        kit.drafts.finalize_many(finals)  # and out through the outbox, once sync is set up
    for sheet in drafts:
        store.save_draft(sheet)
    from inspect_kit.demo.generator import add_demo_rectifications

    items = add_demo_rectifications(store, seed)  # 整改项 for the demo's deductions
    if not finals and not drafts and not items:
        click.echo(f"示例数据（种子 {seed}）已经在 {kit.workspace.db_path} 中，未重复添加。")
    else:
        click.echo(f"已生成：{len(forms)} 张表单，{len(roster)} 个对象，"
                   f"{len(finals)} 张已提交评分表，{len(drafts)} 份草稿"
                   f" → {kit.workspace.db_path}")  # fmt: skip
    from inspect_kit.i18n.catalog import tr

    click.echo(tr("cli.demo.next", kit.lang, list=kit.command("results", "list"),
                  tui=kit.command()))  # fmt: skip
