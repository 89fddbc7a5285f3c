"""Rectification items (整改项) in every output and in the record's safety: photos as evidence
travel in bundles, a tampered revision is caught by doctor --verify, the XLSX 整改 sheet and the
pack's summary count what `rectify list` counts, and the demo adds its items once per seed."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

from click.testing import CliRunner

from inspect_kit.base import clock
from inspect_kit.base.paths import Workspace
from inspect_kit.cli import cli
from inspect_kit.services.rectify import RectifyService
from inspect_kit.store.rectifications import RECTIFICATIONS, records
from inspect_kit.store.store import Store, Subject


def run(root: Path, *args: str, config: Path | None = None, today: str | None = None):
    env = {"INSPECT_KIT_TODAY": today} if today else {}
    if config is not None:
        env["INSPECT_KIT_CONFIG"] = str(config)
    return CliRunner().invoke(cli, ["--workspace", str(root), *args], env=env,
                              prog_name="inspect-kit")  # fmt: skip


def unit(root: Path) -> Store:
    (root / "results").mkdir(parents=True)
    store = Store(Workspace(root))
    store.add_subjects([Subject("eb-001", "红星教育基地", "education-base", "鄞州区"),
                        Subject("eb-002", "青山教育基地", "education-base", "海曙区")])  # fmt: skip
    return store


def test_a_photo_given_as_evidence_is_kept_and_travels_in_the_bundle(tmp_path):
    a = tmp_path / "a"
    unit(a)
    assert run(a, "rectify", "add", "--subject", "eb-001", "--requirement", "更换灭火器",
               "--deadline", "2026-07-01").exit_code == 0  # fmt: skip
    (item,) = json.loads(run(a, "rectify", "list", "--json").output)
    photo = tmp_path / "after.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    fake = tmp_path / "notes.jpg"
    fake.write_text("not a photo", encoding="utf-8")
    refused = run(a, "rectify", "update", item["uuid"][:8], "--status", "reported",
                  "--photo", str(fake))  # fmt: skip
    assert refused.exit_code == 1 and len(records(Store(Workspace(a)), all_revisions=True)) == 1
    done = run(a, "rectify", "update", item["uuid"][:8], "--status", "reported", "--note",
               "已更换", "--photo", str(photo))  # fmt: skip
    assert done.exit_code == 0, done.output
    kept = a / "results" / "attachments" / item["uuid"] / "after.jpg"
    assert kept.read_bytes() == photo.read_bytes()

    # the bundle carries the item's photo; a second laptop gets both
    b = tmp_path / "b"
    (b / "results").mkdir(parents=True)
    store_a = Store(Workspace(a))
    from inspect_kit.exports.bundle import write_bundle
    from inspect_kit.store.rectifications import for_bundle

    docs, events = for_bundle(store_a)
    out = tmp_path / "items.zip"
    roster = [s.to_dict() for s in store_a.subjects()]
    write_bundle(out, records=[], form_versions=[], subjects=roster, events=events,
                 attachments_dir=a / "results" / "attachments", device="a", kit_version="t",
                 created_at="2026-06-01T10:00:00+08:00", rectifications=docs)  # fmt: skip
    with zipfile.ZipFile(out) as zf:
        assert f"attachments/{item['uuid']}/after.jpg" in zf.namelist()
    imported = run(b, "results", "import", str(out), "--trust-unsigned")
    assert imported.exit_code == 0, imported.output
    assert (b / "results" / "attachments" / item["uuid"] / "after.jpg").exists()
    (got,) = json.loads(run(b, "rectify", "list", "--json").output)
    assert got["status"] == "reported" and got["log"][-1]["photos"] == ["after.jpg"]


def test_a_tampered_revision_is_caught_by_verify(tmp_path):
    a = tmp_path / "a"
    unit(a)
    assert run(a, "rectify", "add", "--subject", "eb-001", "--requirement", "补挂标牌",
               "--deadline", "2026-07-01").exit_code == 0  # fmt: skip
    assert "1 个整改项版本与其签名记录核对一致" in run(a, "doctor", "--verify").output
    path = a / "results" / "inspect-kit.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    (row,) = data[RECTIFICATIONS].values()
    row["deadline"] = "2027-12-31"  # quietly given more time
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    checked = run(a, "doctor", "--verify")
    assert checked.exit_code == 1 and "整改项" in checked.output and "不符" in checked.output
    row["status"] = "done?"  # a record of the wrong shape: refused in one line, not a traceback
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    listed = run(a, "rectify", "list")
    assert listed.exit_code == 1 and "status" in listed.output
    assert "整改项" in run(a, "doctor").output


def test_xlsx_sheet_and_pack_rows_count_what_the_list_counts(tmp_path, edu_form):
    from inspect_kit.demo.generator import DemoPlan, build_demo

    root = tmp_path / "w"
    (root / "results").mkdir(parents=True)
    store = Store(Workspace(root))
    subjects, finals, _ = build_demo([edu_form], DemoPlan(subjects=3, raters=2, rounds=1, seed=5),
                                     last_round=2026)  # fmt: skip
    store.add_subjects(subjects)
    store.bulk_finalize(finals)
    clock.set_today("2026-12-01")
    try:
        from inspect_kit.demo.rectifications import write_demo_items

        added = write_demo_items(store, 5)
        assert added > 0 and write_demo_items(store, 5) == 0  # once per seed
        service = RectifyService(store)
        listed = service.listed()
        assert listed
        for x in listed:  # deadlines 15–60 days after the visit
            visit = dt.date.fromisoformat(x.item.inspected_on or "")
            assert 15 <= (x.item.deadline_date() - visit).days <= 60
        assert {x.item.status for x in listed} >= {"open", "verified"}
        rows = service.pack_rows("edu-base-inspection", "2026")
        assert sum(r["total"] for r in rows) == len(listed)
        assert sum(r["overdue"] for r in rows) == sum(x.overdue for x in listed)
        assert sum(r["done"] for r in rows) == len(service.listed(status="done"))
    finally:
        clock.set_today(None)
    out = tmp_path / "x.xlsx"
    result = run(
        root, "results", "export", "--format", "xlsx", "--out", str(out), today="2026-12-01"
    )
    assert result.exit_code == 0, result.output
    import openpyxl

    sheet = openpyxl.load_workbook(out)["整改"]
    assert sheet.max_row - 1 == len(listed)
    overdue = [r[12].value for r in sheet.iter_rows(min_row=2)]
    assert overdue.count("已逾期") == sum(x.overdue for x in listed)
