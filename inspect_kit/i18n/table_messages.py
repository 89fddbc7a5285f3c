"""The sentences of `table` items (repeat rows) in Chinese and English: refused cells and rows,
the row count, the fill screen's row keys and row editor, the plain prompts' row questions.

Part of the one catalog (`inspect_kit.i18n.catalog`); kept in its own file only for size.
"""

from __future__ import annotations

TABLE_STRINGS: dict[str, tuple[str, str]] = {
    # refused values (domain/table_rows.py)
    "table.cell_error": ("「{column}」：{why}", "“{column}”: {why}"),
    "table.row_cell_error": ("第 {row} 行「{column}」：{why}", "row {row}, “{column}”: {why}"),
    "table.cell_needed": ("此格必填", "this cell is required"),
    "table.unknown_column": (
        "没有“{column}”这一列；列：{columns}",
        "There is no column “{column}”; columns: {columns}",
    ),
    "table.too_many_cells": ("一行最多 {n} 格", "A row has at most {n} cells"),
    "table.row_needed": (
        "每一行应为“列: 值”的映射或按列顺序的列表",
        "Each row is a mapping of column: value, or a list in column order",
    ),
    "table.empty_row": ("空行不能作为记录", "An empty row is not a record"),
    "table.rows_needed": (
        "表格需要一个行的列表（每行一条记录）",
        "A table needs a list of rows (one record per row)",
    ),
    "table.too_many_rows": ("最多 {max} 行", "At most {max} rows"),
    "table.rows_count": ("{n} 条记录", "{n} rows"),
    "table.sum_of": ("，{column}合计 {total}", ", {column} total {total}"),
    "table.row_number": ("序号", "Row"),
    # fill screen (tui/widgets/table_rows.py, tui/screens/row_editor.py)
    "table.keys": (
        "a 添加一行  e 修改  Delete 删除  n 无记录  0 不适用",
        "a add a row  e edit  Delete delete  n no records  0 N/A",
    ),
    "table.editor_title": ("{item}：第 {row} 行", "{item}: row {row}"),
    "table.editor_keys": (
        "Tab/Enter 下一格  Ctrl+S 保存此行  Esc 取消",
        "Tab/Enter next cell  Ctrl+S save this row  Esc cancel",
    ),
    "table.save": ("保存此行", "Save this row"),
    "key.row_save": ("保存此行", "Save row"),
    "key.row_cancel": ("取消", "Cancel"),
    "table.cancel": ("取消", "Cancel"),
    "table.choice_hint": ("填序号或选项：{choices}", "type a number or an option: {choices}"),
    "table.optional": ("可不填", "optional"),
    "table.deleted": ("已删除第 {row} 行", "Row {row} deleted"),
    # plain prompts (prompt/table_questions.py)
    "plain.table_intro": (
        "逐行填写“{item}”，每行一条记录；某行第一格直接回车即结束（已有 {n} 行）。",
        "Enter “{item}” row by row, one record per row; Enter on a row's first cell ends"
        " (rows so far: {n}).",
    ),
    "plain.table_cell": ("第 {row} 行 · {column}", "Row {row} · {column}"),
    "plain.table_menu": ("“{item}”：{summary}", "“{item}”: {summary}"),
    "plain.table_keep": ("（保持不变）", "(keep as it is)"),
    "plain.table_add": ("继续添加行", "Add rows"),
    "plain.table_edit": ("修改第 {row} 行：{cells}", "Edit row {row}: {cells}"),
    "plain.table_delete": ("删除第 {row} 行：{cells}", "Delete row {row}: {cells}"),
    "plain.table_none": ("无记录（0 行）", "No records (0 rows)"),
    "plain.table_clear": ("清除作答", "Clear the answer"),
}
