"""The command line through click's CliRunner, each run against a temporary workspace.

Failures must be one plain line on exit 1 with no traceback; the acceptance check is
`demo` then `results list --json`, every stored score equal to a recomputation.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspect_kit.base.paths import Workspace
from inspect_kit.cli import cli
from inspect_kit.domain.answers import AnswerSet
from inspect_kit.domain.scoring import score
from inspect_kit.store.store import Store

FORM_IDS = {"edu-base-inspection", "five-good-committee", "five-good-enterprise",
            "four-oclock-school"}  # fmt: skip


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(cli, ["--workspace", str(tmp_path), *args])
        assert "Traceback" not in result.output
        if ok:
            assert result.exit_code == 0, result.output
            assert result.exception is None, result.exception
        else:
            assert result.exit_code == 1, result.output
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                repr(result.exception))  # fmt: skip
        return result

    invoke.root = tmp_path
    return invoke


def store_of(root: Path) -> Store:
    return Store(Workspace(root))


# ---------------------------------------------------------------- help and forms


@pytest.mark.parametrize("args", [["--help"], ["forms", "--help"], ["results", "--help"],
                                  ["subjects", "--help"], ["demo", "--help"]])  # fmt: skip
def test_help_exits_0(run, args):
    assert "用法：" in run(*args).output  # the default language: zh


def test_forms_list_shows_the_four_builtin_forms(run):
    output = run("forms", "list").output
    for form_id in FORM_IDS:
        assert form_id in output
    rows = json.loads(run("forms", "list", "--json").output)
    assert {r["form"] for r in rows} == FORM_IDS
    assert all(r["builtin"] and r["total"] == 100 for r in rows)


def test_forms_show_prints_sections_items_and_vetoes(run):
    output = run("forms", "show", "edu-base-inspection").output
    assert "一、有标牌（5 分）" in output and "sign-posted" in output
    assert "优秀 ≥90（各部分 ≥60%）" in output and "veto-safety" in output
    english = run("--lang", "en", "forms", "show", "edu-base-inspection").output
    assert "Annual inspection" in english and "1. Signage" in english


def test_forms_schema_is_valid_json_schema(run):
    schema = json.loads(run("forms", "schema").output)
    assert schema["type"] == "object"
    assert {"form", "version", "sections", "grades"} <= set(schema["properties"])
    assert {"form", "version", "title", "subject", "grades", "sections"} <= set(schema["required"])


def test_forms_validate_good_and_bad(run):
    good = run("forms", "validate").output
    assert good.count("✓") == 4
    bad = run.root / "BAD.yaml"
    bad.write_text("form: x\nversion: one\n", encoding="utf-8")
    result = run("forms", "validate", str(bad), ok=False)
    assert "BAD.yaml:2: version: " in result.output
    assert "1 个表单文件有错误" in result.output


def test_unknown_form_is_one_line_exit_1(run):
    result = run("forms", "show", "no-such-form", ok=False)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "no-such-form" in lines[0]


def test_unknown_command_exits_nonzero(run):
    result = CliRunner().invoke(cli, ["--workspace", str(run.root), "frobnicate"])
    assert result.exit_code == 2 and "Traceback" not in result.output


# ---------------------------------------------------------------- subjects


def test_subjects_add_and_list(run):
    run("subjects", "add", "--id", "eb-901", "--name", "测试基地", "--kind", "education-base",
        "--district", "鄞州区")  # fmt: skip
    assert "eb-901" in run("subjects", "list").output
    rows = json.loads(run("subjects", "list", "--json").output)
    assert rows == [{"id": "eb-901", "name": "测试基地", "kind": "education-base",
                     "district": "鄞州区", "level": "", "tags": []}]  # fmt: skip
    assert run("subjects", "list", "--kind", "committee").output.startswith("名册为空")
    result = run("subjects", "add", "--id", "eb-901", "--name", "x", "--kind", "k", ok=False)
    assert "eb-901" in result.output
    result = run("subjects", "add", "--id", "bad id", "--name", "x", "--kind", "k", ok=False)
    assert len(store_of(run.root).subjects()) == 1


CSV = ("id,name,kind,district,level,tags\n"
       "eb-201,月湖红色记忆馆,education-base,海曙区,市级,党史\n"
       "fs-201,紫荆社区四点钟学校,four-oclock-school,鄞州区,社区级,免费;托管\n")  # fmt: skip


@pytest.mark.parametrize(
    "encoded",
    [CSV.encode("utf-8"), b"\xef\xbb\xbf" + CSV.encode("utf-8"), CSV.encode("gb18030")],
    ids=["utf8", "utf8-bom", "gb18030"],
)
def test_subjects_import_csv_in_each_encoding(run, encoded):
    path = run.root / "roster.csv"
    path.write_bytes(encoded)
    assert "新增 2 个" in run("subjects", "import", str(path)).output
    subjects = {s.id: s for s in store_of(run.root).subjects()}
    assert subjects["eb-201"].name == "月湖红色记忆馆"
    assert subjects["fs-201"].tags == ("免费", "托管")
    assert "更新 2 个" in run("subjects", "import", str(path)).output
    assert len(store_of(run.root).subjects()) == 2


def test_subjects_import_with_bad_rows_imports_nothing(run):
    path = run.root / "bad.csv"
    path.write_bytes(("id,name,kind\nok-1,好,committee\n,缺编号,committee\nok-1,重复,committee\n"
                      ).encode("gb18030"))  # fmt: skip
    result = run("subjects", "import", str(path), ok=False)
    assert "bad.csv:3:" in result.output and "bad.csv:4:" in result.output
    assert store_of(run.root).subjects() == []


def test_subjects_import_missing_file(run):
    result = run("subjects", "import", str(run.root / "none.csv"), ok=False)
    assert "none.csv" in result.output


# ---------------------------------------------------------------- demo and results


@pytest.fixture(scope="module")
def demo_results(tmp_path_factory):
    """One demo run per module (it is the slow part); each test gets its own copy."""
    root = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["--workspace", str(root), "demo", "--subjects", "4",
                                      "--raters", "3", "--rounds", "2", "--seed", "9"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return root / "results"


@pytest.fixture
def demo_ws(run, demo_results):
    shutil.copytree(demo_results, run.root / "results")
    return run


def test_demo_then_results_list_json_scores_equal_a_recomputation(demo_ws):
    """Acceptance: every sheet's stored score equals the rules of DESIGN §3 applied again."""
    docs = json.loads(demo_ws("results", "list", "--json").output)
    st = store_of(demo_ws.root)
    # 4 forms × 4 subjects × 3 raters × 2 rounds + 2 self-assessments × 2 rounds × 4 forms
    assert len(docs) == 4 * 4 * 3 * 2 + 4 * 2 * 2
    assert {d["form"] for d in docs} == FORM_IDS
    for doc in docs:
        form = st.stored_form(doc["form_sha256"])
        recomputed = score(form, AnswerSet.from_record(doc))
        assert doc["score"] == recomputed.to_stored(), doc["uuid"]
        assert doc["status"] == "final" and doc["score"]["complete"]
    assert any(d["score"]["vetoes"] for d in docs) or len(docs) < 200
    assert any(a.get("na") for d in docs for a in d["answers"].values())
    assert len(st.drafts()) == 8


def test_results_list_filters_and_text(demo_ws):
    text = demo_ws("results", "list", "--form", "four-oclock-school", "--round", "2026").output
    assert "共 " in text and "edu-base-inspection" not in text
    docs = json.loads(demo_ws("results", "list", "--json", "--subject", "fs-001").output)
    assert docs and {d["subject"] for d in docs} == {"fs-001"}


def test_results_show_and_void(demo_ws):
    docs = json.loads(demo_ws("results", "list", "--json", "--form", "edu-base-inspection").output)
    target = docs[0]
    prefix = target["uuid"][:8]
    shown = demo_ws("results", "show", prefix).output
    assert target["subject_name"] in shown
    as_json = json.loads(demo_ws("results", "show", prefix, "--json").output)
    assert as_json["uuid"] == target["uuid"] and as_json["history"]

    demo_ws("results", "void", prefix, "--reason", "重复录入")
    st = store_of(demo_ws.root)
    revisions, events = st.history(target["uuid"])
    assert [r["status"] for r in revisions] == ["final", "void"]
    assert events[-1]["event"] == "voided" and events[-1]["reason"] == "重复录入"
    listed = json.loads(demo_ws("results", "list", "--json", "--status", "void").output)
    assert [d["uuid"] for d in listed] == [target["uuid"]]
    result = demo_ws("results", "void", prefix, "--reason", "再次", ok=False)
    assert "已经作废" in result.output


def test_results_show_unknown_uuid_is_one_line(run):
    result = run("results", "show", "deadbeef", ok=False)
    assert len([x for x in result.output.splitlines() if x.strip()]) == 1


def test_results_list_empty(run):
    assert "没有已提交的评分表" in run("results", "list").output
    assert json.loads(run("results", "list", "--json").output) == []


def test_demo_refuses_zero(run):
    result = run("demo", "--subjects", "0", ok=False)
    assert "至少为 1" in result.output


def test_demo_is_deterministic_for_a_seed(tmp_path):
    totals = []
    for name in ("a", "b"):
        root = tmp_path / name
        result = CliRunner().invoke(cli, ["--workspace", str(root), "demo", "--subjects", "2",
                                          "--raters", "2", "--rounds", "1", "--seed", "11",
                                          "--form", "four-oclock-school"])  # fmt: skip
        assert result.exit_code == 0, result.output
        docs = store_of(root).submissions()
        totals.append(sorted((d["subject"], d["rater"], d["score"]["total"]) for d in docs))
    assert totals[0] == totals[1] and totals[0]


def test_db_option_points_at_another_file(tmp_path):
    db = tmp_path / "elsewhere" / "kit.json"
    result = CliRunner().invoke(
        cli,
        [
            "--workspace",
            str(tmp_path),
            "--db",
            str(db),
            "subjects",
            "add",
            "--id",
            "x-1",
            "--name",
            "甲",
            "--kind",
            "committee",
        ],
    )
    assert result.exit_code == 0, result.output
    assert db.exists()
    assert not (tmp_path / "results" / "inspect-kit.json").exists()
