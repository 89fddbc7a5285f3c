"""A `table` item's rows (活动台账 on edu-base-inspection) round-trip: an answer file stores
them, the CSV export writes a file per table item and the XLSX a sheet per table item, linked to
the sheet by uuid and row number, and reading those back gives the stored rows."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from inspect_kit.cli import cli
from inspect_kit.domain.answers import normalize_value
from inspect_kit.exports.csv_export import unneutralise, write_csv
from inspect_kit.exports.row_tables import csv_path, write_row_csvs
from inspect_kit.exports.xlsx_export import write_xlsx
from inspect_kit.store.store import Store, Subject
from tests.unit.test_answer_files import GOOD

ROWS_YAML = """\
act-log:
  note: 只有3场有完整记录
  value:
    - {日期: 2026年1月10日, 主题: 元旦升旗仪式, 参加人数: 60}
    - [2026/2/20, "=HYPERLINK(\\"http://x\\")", 35]
    - {date: 2026-03-05, theme: "清明祭英烈 [/red]\\e[2J", people: "120"}
"""
STORED = [
    {"date": "2026-01-10", "theme": "元旦升旗仪式", "people": 60},
    {"date": "2026-02-20", "theme": '=HYPERLINK("http://x")', "people": 35},
    {"date": "2026-03-05", "theme": "清明祭英烈 [/red]\x1b[2J", "people": 120},
]


def _good_with(rows_yaml: str) -> str:
    start = GOOD.index("act-log:")
    end = GOOD.index("act-themes:", start)
    return GOOD[:start] + rows_yaml + GOOD[end:]


@pytest.fixture
def filled(workspace):
    store = Store(workspace)
    store.add_subjects([Subject("eb-001", "红星教育基地", "education-base"),
                        Subject("eb-002", "蓝天教育基地", "education-base")])  # fmt: skip
    none = _good_with("act-log: {value: [], note: 无活动记录}\n")
    for subject, text in (("eb-001", _good_with(ROWS_YAML)), ("eb-002", none)):
        path = workspace.root / f"{subject}.yaml"
        path.write_text(text.replace("\\e", "\\x1b"), encoding="utf-8")
        result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "fill",
                                          "edu-base-inspection", "--subject", subject,
                                          "--answers", str(path)])  # fmt: skip
        assert result.exit_code == 0, result.output
    return store


def _forms(store, records):
    return {r["form_sha256"]: store.stored_form(r["form_sha256"]) for r in records}


def test_an_answer_file_stores_the_rows_and_they_score_by_row_count(filled):
    by_subject = {r["subject"]: r for r in filled.submissions()}
    first = by_subject["eb-001"]
    assert first["answers"]["act-log"]["value"] == STORED
    # 3 rows: below the ≥5 band → 0 of 8; 12 rows in GOOD scored 8, so the total drops by 8
    assert first["score"]["items"]["act-log"] == {"max": 8, "points": 0, "answered": True,
                                                   "lost": 8}  # fmt: skip
    assert by_subject["eb-002"]["answers"]["act-log"]["value"] == []  # "no records", answered


def test_an_answer_file_row_with_a_bad_cell_names_line_row_and_column(workspace, filled):
    path = workspace.root / "bad.yaml"
    path.write_text(_good_with("act-log:\n  - {日期: 3月32日, 主题: x, 参加人数: 9.5}\n"),
                    encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "fill",
                                      "edu-base-inspection", "--subject", "eb-001",
                                      "--answers", str(path)])  # fmt: skip
    assert result.exit_code == 1
    assert "act-log: 第 1 行「日期」：没有“3月32日”这一天" in result.output


@pytest.mark.parametrize("labels", ["ids", "zh"])
def test_csv_writes_a_file_per_table_item_that_reads_back_as_the_stored_rows(filled, tmp_path,
                                                                             labels):  # fmt: skip
    records = filled.submissions()
    out = tmp_path / "sheets.csv"
    write_csv(out, records, _forms(filled, records), labels)
    written = write_row_csvs(out, records, _forms(filled, records), labels)
    assert written == [(csv_path(out, "act-log"), 3)]  # the no-records sheet adds no line
    with open(csv_path(out, "act-log"), encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    first = next(r for r in records if r["subject"] == "eb-001")
    ids = ["uuid", "revision", "subject", "subject_name", "rater", "row", "date", "theme", "people"]
    zh = ["编号", "版本", "对象编号", "对象名称", "评分人", "行号", "日期", "主题", "参加人数"]
    head = ids if labels == "ids" else zh
    assert lines[0] == head
    assert lines[2][5] == "2" and lines[2][7] == '\'=HYPERLINK("http://x")'  # a formula stays text
    back = [dict(zip(["date", "theme", "people"], [c[6], unneutralise(c[7]), int(c[8])],
                     strict=True)) for c in lines[1:]]  # fmt: skip
    assert back == STORED
    assert {c[0] for c in lines[1:]} == {first["uuid"]} and [c[5] for c in lines[1:]] == [
        "1", "2", "3"]  # fmt: skip
    if labels == "ids":  # the main CSV's cell is the rows as JSON: import-sheets reads it back
        with open(out, encoding="utf-8-sig", newline="") as f:
            main = {r["uuid"]: r for r in csv.DictReader(f)}
        item = _forms(filled, records)[first["form_sha256"]].item("act-log")
        assert normalize_value(item, main[first["uuid"]]["act-log"]) == STORED


def test_xlsx_has_a_sheet_per_table_item_with_typed_cells(filled, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    records = filled.submissions()
    out = tmp_path / "sheets.xlsx"
    counts = write_xlsx(out, records, _forms(filled, records))
    name = "全年主题教育活动台账（每场一行）"
    assert counts[name] == 3
    sheet = openpyxl.load_workbook(out)[name]
    lines = [[c.value for c in row] for row in sheet.iter_rows()]
    assert lines[0] == ["编号", "版本", "对象编号", "对象名称", "评分人", "行号", "日期", "主题",
                        "参加人数"]  # fmt: skip
    first = next(r for r in records if r["subject"] == "eb-001")
    assert [r[:6] for r in lines[1:]] == [
        [first["uuid"], 1, "eb-001", "红星教育基地", "王建国", n] for n in (1, 2, 3)
    ]
    back = [dict(zip(["date", "theme", "people"], r[6:], strict=True)) for r in lines[1:]]
    # numbers as numbers; the formula text stays text; XLSX cannot hold a raw ESC, so
    # xlsxwriter writes it as Excel's own escape (_x001B_), never as a terminal sequence
    assert back[:2] == STORED[:2] and back[2]["people"] == 120
    assert back[2]["theme"] == "清明祭英烈 [/red]_x001B_[2J"
    assert sheet.cell(row=3, column=8).data_type == "s"


def test_results_show_lists_the_rows_with_hostile_text_made_safe(workspace, filled):
    first = next(r for r in filled.submissions() if r["subject"] == "eb-001")
    result = CliRunner().invoke(cli, ["--workspace", str(workspace.root), "results", "show",
                                      first["uuid"]])  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.output
    assert "  全年主题教育活动台账（每场一行）：3 条记录" in out
    assert "    1. 2026-01-10 | 元旦升旗仪式 | 60" in out
    assert "    3. 2026-03-05 | 清明祭英烈 [/red]" in out  # markup as typed
    assert "\x1b" not in out  # the escape sequence is dropped, never sent to the terminal


def test_the_review_lists_each_row_under_its_item(filled, edu_form):
    from inspect_kit.domain.sheet import Sheet
    from inspect_kit.tui.screens.review_rows import ROW_SEP, review_rows

    doc = next(r for r in filled.submissions() if r["subject"] == "eb-001")
    sheet = Sheet.from_record(doc, edu_form.form)
    rows = review_rows(sheet, sheet.score(), "zh")
    at = next(i for i, r in enumerate(rows) if r.key == "act-log")
    assert rows[at].answer == "3 条记录" and rows[at].points == "0/8"
    assert [r.key for r in rows[at + 1 : at + 4]] == [f"act-log{ROW_SEP}{n}" for n in (1, 2, 3)]
    assert rows[at + 2].item == '    2. 2026-02-20 | =HYPERLINK("http://x") | 35'
