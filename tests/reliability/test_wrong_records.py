"""Records that parse but have the wrong types (issue 16, item 10): every command stops with
one line naming the file, the record and the field (exit 1, no traceback), nothing is written,
and `doctor --restore` puts back the newest backup that passes."""

from __future__ import annotations

import orjson
import pytest
from rel_helpers import assert_clean_failure, run_cli

from inspect_kit.store.files import main_tree, write_main_tree
from inspect_kit.store.ledger import companion_rel

pytestmark = pytest.mark.reliability


def first_shard(ws):
    return sorted((ws.results_dir / "archive").glob("[!.]*/*.json"))[0]


def sheet(change):
    def apply(ws):
        path = first_shard(ws)
        data = orjson.loads(path.read_bytes())
        change(data["submissions"]["1"])
        path.write_bytes(orjson.dumps(data))
        return path

    return apply


def main_file(change):
    """A change to the main tree, written as the store writes it; returns the file that now
    holds the changed index row (its shard's companion: store.ledger)."""

    def apply(ws):
        data = main_tree(ws.db_path)
        change(data)
        write_main_tree(ws.db_path, data)
        return ws.results_dir / "archive" / companion_rel(data["sheets"]["1"]["shard"])

    return apply


def roster(change):
    def apply(ws):
        path = ws.results_dir / "archive" / ".roster" / "subjects.json"
        data = orjson.loads(path.read_bytes())
        change(data["subjects"]["1"])
        path.write_bytes(orjson.dumps(data))
        return path

    return apply


CASES = {
    "round as int": (sheet(lambda d: d.update(round=2026)), "round"),
    "score.final as text": (sheet(lambda d: d["score"].update(final="99")), "score.final"),
    "subject_name null": (sheet(lambda d: d.update(subject_name=None)), "subject_name"),
    "sheet without uuid": (sheet(lambda d: d.pop("uuid")), "uuid"),
    "answers as list": (sheet(lambda d: d.update(answers=[])), "answers"),
    "revision as text": (sheet(lambda d: d.update(revision="1")), "revision"),
    "index row without uuid": (main_file(lambda d: d["sheets"]["1"].pop("uuid")), "uuid"),
    "subject without name": (roster(lambda d: d.pop("name")), "name"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_wrong_record_is_one_line_and_restored(demo_workspace, case):
    ws = demo_workspace
    change, field = CASES[case]
    uuid = main_tree(ws.db_path)["sheets"]["2"]["uuid"]
    path = change(ws)
    bad = path.read_bytes()
    commands = [["results", "list"], ["results", "show", uuid], ["panel", "edu-base-inspection"],
                ["results", "void", uuid, "--reason", "测试"], ["doctor"]]  # fmt: skip
    if case == "subject without name":
        commands = [["subjects", "list"], ["doctor"]]
    for args in commands:
        text = assert_clean_failure(run_cli(ws, *args))
        assert field in text, (args, text)
        assert path.read_bytes() == bad, args
    result = run_cli(ws, "doctor", "--restore", "--yes")
    assert result.exit_code == 0, result.output
    assert run_cli(ws, "doctor").exit_code == 0
    assert run_cli(ws, "results", "list").exit_code == 0
