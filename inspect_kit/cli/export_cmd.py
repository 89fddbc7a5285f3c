"""`inspect-kit results export`: CSV, XLSX, JSON or a USB bundle of finalized sheets."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import click

from inspect_kit.cli import Kit, UserError, pass_kit
from inspect_kit.cli.results_cmd import checked_round, filter_options


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "json", "bundle"]),
    required=True,
    help="csv / xlsx for spreadsheets, json for full records, "
    "bundle (.zip) to carry sheets to another laptop.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write."
)
@filter_options
@click.option(
    "--labels",
    type=click.Choice(["zh", "ids"]),
    default="zh",
    show_default=True,
    help="Column headers: Chinese, or item ids (readable by `results import-sheets`).",
)
@pass_kit
def export(
    kit: Kit, fmt: str, out: Path, form_id, round_, subject, rater, status, labels: str
) -> None:
    """导出评分表 / export finalized sheets (newest revision of each)."""
    from inspect_kit.base.errors import InspectKitError

    round_ = checked_round(kit, form_id, round_)
    store = kit.store
    records = store.submissions(
        form=form_id, round=round_, subject=subject, rater=rater, status=status
    )
    if not records:
        raise InspectKitError("没有符合条件的评分表，未写出文件。")
    filters = dict(form=form_id, round=round_, subject=subject, rater=rater, status=status)
    try:
        lines = _write(kit, fmt, out, records, labels, filters)
    except OSError as e:
        raise InspectKitError(f"无法写入 {out}：{e.strerror or e}。") from None
    for line in lines:  # printed after writing, so a closed pipe is not a write failure
        click.echo(line, err=line.startswith("  未打包"))


def _write(kit: Kit, fmt: str, out: Path, records: list[dict], labels: str,
           filters: dict) -> list[str]:  # fmt: skip
    """Write the file; returns the lines to print."""
    if fmt == "bundle":
        return _bundle(kit, out, records, filters)
    forms = {sha: kit.store.stored_form(sha) for sha in sorted({r["form_sha256"] for r in records})}
    if fmt == "csv":
        from inspect_kit.exports.csv_export import write_csv
        from inspect_kit.exports.row_tables import write_row_csvs

        count = write_csv(out, records, forms, labels)  # type: ignore[arg-type]
        lines = [f"已导出 {count} 张评分表（CSV，UTF-8 带 BOM）→ {out}"]
        for path, n in write_row_csvs(out, records, forms, labels):  # type: ignore[arg-type]
            lines.append(f"  表格题的行 {n} 行 → {path}")
        return lines
    if fmt == "xlsx":
        from inspect_kit.exports.xlsx_export import write_xlsx

        roster = {s.id: s.to_dict() for s in kit.store.subjects()}
        zone = kit.settings.timezone
        conflicts = kit.panels.conflicts()  # 回避: left out of the 汇总 as in every panel view
        states = kit.store.review_states()  # `review: required`: the 汇总 counts approved sheets
        items = _rectifications(kit, records, filters)

        def write(tmp: Path) -> dict[str, int]:
            return write_xlsx(tmp, records, forms, labels, roster=roster, timezone=zone,  # type: ignore[arg-type]
                              conflicts=conflicts, review_states=states,
                              rectifications=items)  # fmt: skip

        counts = _via_temp(out, write)
        shown = "，".join(f"{name} {n} 行" for name, n in counts.items())
        return [f"已导出 {len(records)} 张评分表（{shown}）→ {out}"]
    from inspect_kit.exports.json_export import write_json

    count = write_json(out, records)
    return [f"已导出 {count} 张评分表（JSON）→ {out}"]


def _rectifications(kit: Kit, records: list[dict], filters: dict) -> list:
    """The 整改 sheet's rows: the items of the exported sheets' units, by the same filters."""
    from inspect_kit.services.rectify import RectifyService

    subjects = {r["subject"] for r in records}
    listed = RectifyService(kit.store).listed(form=filters.get("form"), round=filters.get("round"))
    return [(x.item, x.overdue, x.district) for x in listed if x.item.subject in subjects]


def _via_temp(out: Path, write: Any) -> Any:
    """Write into a temp file beside `out`, renamed over it only when complete: a full disk
    leaves no 0-byte or half workbook, and one line instead of a traceback (issue 16)."""
    import secrets

    from xlsxwriter.exceptions import XlsxWriterException

    from inspect_kit.base.fsio import replace_file, why

    tmp = out.with_name(f".tmp-{out.stem}-{secrets.token_hex(4)}{out.suffix}")
    try:
        result = write(tmp)
        replace_file(tmp, out)
    except (OSError, XlsxWriterException) as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        cause = e if isinstance(e, OSError) else (e.__cause__ or e.__context__)
        reason = why(cause) if isinstance(cause, OSError) else str(e)
        raise UserError(f"写入 {out} 失败：{reason}。没有留下不完整的文件。") from None
    return result


def _bundle(kit: Kit, out: Path, records: list[dict], filters: dict) -> list[str]:
    import platform

    from inspect_kit import __version__
    from inspect_kit.base.signing import device_key
    from inspect_kit.domain.sheet import now_iso
    from inspect_kit.exports.bundle import write_bundle
    from inspect_kit.store.rectifications import for_bundle

    store = kit.store
    uuids = {r["uuid"] for r in records}
    revisions = [r for r in store.submissions(all_revisions=True) if r["uuid"] in uuids]
    revisions.sort(key=lambda r: (r["uuid"], r["revision"]))
    shas = {r["form_sha256"] for r in revisions}
    subject_ids = {r["subject"] for r in revisions}
    signer = device_key()
    items, item_events = for_bundle(store, subjects=subject_ids, form=filters.get("form"),
                                    round=filters.get("round"))  # fmt: skip
    summary = write_bundle(
        out,
        records=revisions,
        form_versions=[f for f in store.form_versions() if f["sha256"] in shas],
        subjects=[s.to_dict() for s in store.subjects() if s.id in subject_ids],
        events=[e for e in store.events() if e.get("uuid") in uuids] + item_events,
        attachments_dir=kit.workspace.attachments_dir,
        device=platform.node(),
        kit_version=__version__,
        created_at=now_iso(),
        filters=filters,
        signer=signer,
        rectifications=items,
    )
    assert signer is not None
    return [
        f"已打包 {len(uuids)} 张评分表（共 {summary.sheets} 个版本）、{summary.forms} 个表单版本、"
        f"{summary.subjects} 个对象、{summary.attachments} 个附件"
        + (f"、{summary.rectifications} 条整改项记录" if summary.rectifications else "")
        + f" → {out}",
        *(f"  未打包的附件：{line}" for line in summary.skipped),
        f"已用本机密钥签名（指纹 {signer.fingerprint}）；办公室可先核对并固定它："
        f"inspect-kit devices trust {signer.public_key} --name 名称",
        f"在另一台电脑上导入：inspect-kit results import {out.name}",
    ]
