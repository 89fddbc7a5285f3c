"""The rules between a `table` item's fields that types alone cannot express: unique column ids,
options only on choice columns, `score_by` naming a number column, bands or per, row limits.
Each problem comes with its path, so the loader can give its line."""

from __future__ import annotations

from inspect_kit.domain.model import Column, TableItem
from inspect_kit.formfiles.yaml_lines import PathKey

NUMBER_ONLY = "unit, min_value, max_value and integer are for number columns, not a {} column"


def check_table(item: TableItem, i_path: PathKey) -> list[tuple[PathKey, str]]:
    problems: list[tuple[PathKey, str]] = []
    ids = [c.id for c in item.columns]
    for index, column in enumerate(item.columns):
        where: PathKey = (*i_path, "columns", index)
        if ids.index(column.id) != index:
            problems.append(((*where, "id"), f"column id '{column.id}' is used twice"))
        problems += _check_column(column, where)
    problems += _check_scoring(item, i_path, ids)
    if item.min_rows > item.max_rows:
        problems.append(
            ((*i_path, "min_rows"),
             f"min_rows {item.min_rows} is more than max_rows {item.max_rows}")
        )  # fmt: skip
    return problems


def _check_column(column: Column, where: PathKey) -> list[tuple[PathKey, str]]:
    problems: list[tuple[PathKey, str]] = []
    if column.type == "choice":
        if len(column.options) < 2:
            problems.append(((*where, "options"), "a choice column needs at least 2 options"))
        elif len(set(column.options)) != len(column.options):
            problems.append(((*where, "options"), "option labels must be unique"))
        if column.options_en and len(column.options_en) != len(column.options):
            problems.append(((*where, "options_en"), "options_en must name each option, in order"))
    elif column.options or column.options_en:
        problems.append(
            ((*where, "options"), f"only a choice column has options, not a {column.type} column")
        )
    number_keys = (column.unit, column.max_value is not None, column.min_value != 0,
                   not column.integer)  # fmt: skip
    if column.type != "number" and any(number_keys):
        problems.append((where, NUMBER_ONLY.format(column.type)))
    return problems


def _check_scoring(item: TableItem, i_path: PathKey, ids: list[str]) -> list[tuple[PathKey, str]]:
    problems: list[tuple[PathKey, str]] = []
    where = (*i_path, "score_by")
    if item.score_by != "rows":
        if item.score_by not in ids:
            known = ", ".join(ids)
            problems.append(
                (where, f"score_by '{item.score_by}' is not a column; use rows or one of: {known}")
            )
        elif (kind := item.column(item.score_by).type) != "number":
            problems.append(
                (where, f"score_by '{item.score_by}' is a {kind} column; bands and per score "
                        "rows or the sum of a number column")
            )  # fmt: skip
        elif not item.bands and item.per is None:
            problems.append((where, "score_by needs bands or per (nothing scores otherwise)"))
    if item.bands and item.per is not None:
        problems.append(((*i_path, "bands"), "use either bands or per, not both"))
    if item.per is not None and item.max is None:
        problems.append(((*i_path, "max"), "per needs max (the cap on points)"))
    return problems
