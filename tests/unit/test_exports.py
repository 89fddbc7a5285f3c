"""Exports: CSV (BOM, CRLF, Chinese, injection neutralised, read back equal), XLSX (three sheets,
text never a formula, widths), JSON, and the `results export` command."""

from __future__ import annotations

import csv
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from inspect_kit.base.paths import Workspace
from inspect_kit.cli import cli
from inspect_kit.demo.generator import DemoPlan, build_demo
from inspect_kit.domain.answers import item_points, normalize_value
from inspect_kit.domain.model import DeductItem, NoteItem, PhotoItem
from inspect_kit.domain.sheet import Sheet
from inspect_kit.exports.csv_export import csv_cell, neutralise, unneutralise, write_csv
from inspect_kit.exports.json_export import write_json
from inspect_kit.exports.table import NA_TEXT, columns
from inspect_kit.exports.xlsx_export import (
    DEDUCTIONS,
    DETAIL,
    METHOD,
    SUMMARY,
    text_width,
    write_xlsx,
)
from inspect_kit.store.store import Store, Subject

EVIL_NAME = '=HYPERLINK("http://x","点我")'


@pytest.fixture
def filled(store, edu_form):
    """3 subjects × 3 raters from the demo, plus one sheet with hostile text in it."""
    subjects, finals, _ = build_demo([edu_form], DemoPlan(subjects=3, raters=3, rounds=1, seed=7))
    store.add_subjects(subjects)
    store.add_subjects([Subject(id="evil-1", name=EVIL_NAME, kind="education-base")])
    evil = Sheet(
        form=edu_form.form,
        form_sha256=edu_form.sha256,
        subject="evil-1",
        subject_name=EVIL_NAME,
        rater="@王五",
        round=finals[0][0].round,
    )
    template = finals[0][0]
    for item_id, answer in template.answers.items.items():
        evil.answers.items[item_id] = answer
    for veto_id, veto in template.answers.vetoes.items():
        evil.answers.vetoes[veto_id] = veto
    evil.set_value("inspector-opinion", "-1+2 整改不到位")
    evil.set_value("info-posted", ["功能介绍"])
    # set_note strips blanks; a record from elsewhere (an imported file) may still lead with a tab.
    hostile = replace(evil.answers.items["info-posted"], note="\t=cmd|' /C calc'!A0")
    evil.answers.items["info-posted"] = hostile
    finals.append((evil, edu_form))
    store.bulk_finalize(finals)
    return store


def _forms(store, records):
    return {r["form_sha256"]: store.stored_form(r["form_sha256"]) for r in records}


def test_neutralise_rule():
    for text in ("=1+1", "+1", "-1", "@x", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
        assert unneutralise(neutralise(text)) == text
    assert neutralise("正常文字") == "正常文字"
    assert unneutralise("'普通引号") == "'普通引号"
    # A real numeric field stays a number, a negative-looking text does not.
    assert csv_cell(-3) == "-3" and csv_cell(-2.5) == "-2.5"
    assert csv_cell("-3") == "'-3"


def test_csv_is_utf8_bom_crlf_and_chinese_intact(filled, tmp_path):
    records = filled.submissions()
    out = tmp_path / "sheets.csv"
    assert write_csv(out, records, _forms(filled, records), "zh") == len(records) == 12
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == len(records) + 1
    assert b"\n" not in raw.replace(b"\r\n", b"")
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert "对象名称" in rows[0] and "阵地标牌规范悬挂，名称与命名文件一致" in rows[0]
    names = {r["对象名称"] for r in rows}
    assert {s.name for s in filled.subjects() if s.id != "evil-1"} <= names
    assert {r["状态"] for r in rows} == {"已提交"}


def test_csv_neutralises_injection_but_keeps_numbers(filled, tmp_path):
    records = filled.submissions()
    out = tmp_path / "sheets.csv"
    write_csv(out, records, _forms(filled, records), "ids")
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = {r["subject"]: r for r in csv.DictReader(f)}
    evil = rows["evil-1"]
    assert evil["subject_name"] == "'" + EVIL_NAME
    assert evil["rater"] == "'@王五"
    assert evil["inspector-opinion"] == "'-1+2 整改不到位"
    assert evil["info-posted.note"].startswith("'\t=cmd")
    # Figures are numbers, not neutralised text.
    assert float(evil["total"]) == pytest.approx(
        filled.submissions(subject="evil-1")[0]["score"]["total"]
    )
    assert not any(v.startswith("'") for k, v in evil.items() if k.endswith(".points") and v)


def test_csv_with_ids_reads_back_equal_to_the_store(filled, tmp_path, edu_form):
    records = filled.submissions()
    out = tmp_path / "sheets.csv"
    write_csv(out, records, _forms(filled, records), "ids")
    with open(out, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        rows = {r["uuid"]: r for r in reader}
    form = edu_form.form
    value_items = [i for _, i in form.iter_items() if not isinstance(i, NoteItem)]
    for item in value_items:  # the value column is exactly the item id
        assert item.id in header and f"{item.id}.note" in header
    assert header[:3] == ["uuid", "revision", "form"]
    assert set(rows) == {r["uuid"] for r in records}
    checked = 0
    for record in records:
        row = {k: unneutralise(v) for k, v in rows[record["uuid"]].items()}
        assert row["subject_name"] == record["subject_name"]
        assert row["rater"] == record["rater"]
        assert float(row["final"]) == pytest.approx(record["score"]["final"])
        for section in record["score"]["sections"]:
            if f"section.{section['id']}" in row:
                # 2 decimals, halves up: off by at most 0.005 (11.375 → 11.38 exactly at it)
                assert float(row[f"section.{section['id']}"]) == pytest.approx(
                    section["scaled"], abs=0.005 + 1e-9
                )
        for item in value_items:
            answer = record["answers"].get(item.id) or {}
            cell = row[item.id]
            assert row[f"{item.id}.note"] == (answer.get("note") or "")
            if item.scored:
                stored = record["score"]["items"][item.id]["points"]
                assert (row[f"{item.id}.points"] == "") == (stored is None)
                if stored is not None:
                    assert float(row[f"{item.id}.points"]) == pytest.approx(stored)
            if answer.get("na"):
                assert cell == NA_TEXT
            elif isinstance(item, PhotoItem) or answer.get("value") is None:
                continue
            elif isinstance(item, DeductItem) and answer["value"] == []:
                assert item_points(item, normalize_value(item, cell)) == item.max_points
            else:
                assert normalize_value(item, cell) == answer["value"], item.id
                checked += 1
    assert checked > 100


def test_xlsx_sheets_rows_and_text_stays_text(filled, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    records = filled.submissions()
    out = tmp_path / "sheets.xlsx"
    counts = write_xlsx(out, records, _forms(filled, records))
    book = openpyxl.load_workbook(out)
    # then one sheet per table item (its rows: tests/unit/test_table_exports.py)
    assert book.sheetnames == [
        SUMMARY,
        DETAIL,
        DEDUCTIONS,
        METHOD,
        "全年主题教育活动台账（每场一行）",
    ]

    detail = book[DETAIL]
    assert detail.max_row == len(records) + 1 == counts[DETAIL] + 1
    assert detail.freeze_panes == "A2"
    headers = [c.value for c in detail[1]]
    name_col = headers.index("对象名称") + 1
    evil_cells = [
        detail.cell(r, name_col)
        for r in range(2, detail.max_row + 1)
        if detail.cell(r, name_col).value == EVIL_NAME
    ]
    assert len(evil_cells) == 1 and evil_cells[0].data_type == "s"
    total_col = headers.index("总分") + 1
    assert all(
        isinstance(detail.cell(r, total_col).value, int | float)
        for r in range(2, detail.max_row + 1)
    )
    # CJK-aware widths: the Chinese name column is wider than its header alone would need.
    letter = detail.cell(1, name_col).column_letter
    widest = max(
        text_width(str(detail.cell(r, name_col).value)) for r in range(2, detail.max_row + 1)
    )
    assert detail.column_dimensions[letter].width >= min(40, widest)

    deductions = book[DEDUCTIONS]
    expected = sum(
        1
        for r in records
        for _, item in _forms(filled, [r])[r["form_sha256"]].iter_items()
        if r["score"]["items"].get(item.id, {}).get("lost", 0) > 1e-9
        and not _forms(filled, [r])[r["form_sha256"]].section_of(item.id).bonus
    )
    assert deductions.max_row - 1 == expected == counts[DEDUCTIONS] > 0
    head = [c.value for c in deductions[1]]
    assert head[:5] == ["表单", "轮次", "对象编号", "对象名称", "评分人"] and "扣分理由" in head
    note_col = head.index("扣分理由") + 1
    evil_note = [
        deductions.cell(r, note_col)
        for r in range(2, deductions.max_row + 1)
        if str(deductions.cell(r, note_col).value).startswith("\t=cmd")
    ]
    assert evil_note and all(c.data_type == "s" for c in evil_note)

    summary = book[SUMMARY]
    subjects = {summary.cell(r, 4).value for r in range(2, summary.max_row + 1)}
    assert subjects == {r["subject"] for r in records}
    evil_row = next(
        r for r in range(2, summary.max_row + 1) if summary.cell(r, 4).value == "evil-1"
    )
    assert (
        summary.cell(evil_row, 5).data_type == "s" and summary.cell(evil_row, 5).value == EVIL_NAME
    )
    ranks = sorted(summary.cell(r, 3).value for r in range(2, summary.max_row + 1))
    assert ranks[0] == 1


def test_zh_headers_are_unique(filled, builtin_forms):
    records = filled.submissions()
    cols = columns(records, _forms(filled, records), "zh")
    headers = [c.header for c in cols]
    assert len(headers) == len(set(headers))


def test_json_export_holds_full_records(filled, tmp_path):
    records = filled.submissions()
    out = tmp_path / "sheets.json"
    write_json(out, records)
    assert json.loads(out.read_text(encoding="utf-8")) == records
    assert "点我" in out.read_text(encoding="utf-8")  # Chinese as is, not \\u escapes


def test_export_command_filters_and_refuses_empty(filled, workspace, tmp_path):
    runner = CliRunner()
    out = tmp_path / "one.csv"
    result = runner.invoke(
        cli,
        [
            "--workspace",
            str(workspace.root),
            "results",
            "export",
            "--format",
            "csv",
            "--out",
            str(out),
            "--subject",
            "evil-1",
        ],
    )
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.reader(f))) == 2
    result = runner.invoke(
        cli,
        [
            "--workspace",
            str(workspace.root),
            "results",
            "export",
            "--format",
            "xlsx",
            "--out",
            str(tmp_path / "x.xlsx"),
            "--subject",
            "nobody",
        ],
    )
    assert result.exit_code == 1 and "没有符合条件" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_ids_csv_is_read_back_by_import_sheets(store, edu_form, workspace, tmp_path):
    """`export --labels ids` → `results import-sheets` on another workspace gives equal sheets."""
    pytest.importorskip("inspect_kit.cli.fill_cmd")
    subjects, finals, _ = build_demo([edu_form], DemoPlan(subjects=3, raters=2, rounds=1, seed=11))
    store.add_subjects(subjects)
    store.bulk_finalize(finals)
    out = tmp_path / "ids.csv"
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "--workspace",
            str(workspace.root),
            "results",
            "export",
            "--format",
            "csv",
            "--labels",
            "ids",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output

    other = tmp_path / "other"
    (other / "results").mkdir(parents=True)
    Store(Workspace(other)).add_subjects(subjects)
    result = runner.invoke(
        cli,
        [
            "--workspace",
            str(other),
            "results",
            "import-sheets",
            str(out),
            "--form",
            edu_form.form.form,
        ],
    )
    assert result.exit_code == 0, result.output
    back = {r["uuid"]: r for r in Store(Workspace(other)).submissions()}
    mine = store.submissions()
    assert set(back) == {r["uuid"] for r in mine}
    for record in mine:
        again = back[record["uuid"]]
        assert again["score"]["final"] == pytest.approx(record["score"]["final"])
        assert again["score"]["grade"] == record["score"]["grade"]
        assert again["vetoes"] == record["vetoes"]
        for item_id, answer in record["answers"].items():
            if isinstance(edu_form.form.item(item_id), PhotoItem):
                continue
            assert again["answers"][item_id]["note"] == answer["note"], item_id
            assert again["answers"][item_id]["na"] == answer["na"], item_id


def test_exports_and_merge_import_no_ui_library():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import inspect_kit.exports.csv_export, inspect_kit.exports.xlsx_export\n"
        "import inspect_kit.exports.json_export, inspect_kit.exports.bundle\n"
        "import inspect_kit.store.merge\n"
        "bad = [m for m in ('textual', 'questionary', 'click', 'matplotlib') if m in sys.modules]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
