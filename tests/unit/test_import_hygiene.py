"""Layers (DESIGN §5): the core never imports textual, questionary, click or matplotlib, and
`inspect-kit --help` stays light. Checked in fresh interpreters, since this process has
imported everything already."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

HEAVY = ("textual", "questionary", "click", "matplotlib")
CORE = ["inspect_kit.domain.model", "inspect_kit.formfiles.loader",
        "inspect_kit.domain.conditions", "inspect_kit.domain.answers",
        "inspect_kit.domain.scoring", "inspect_kit.domain.sheet", "inspect_kit.store.store",
        "inspect_kit.store.database", "inspect_kit.demo.generator", "inspect_kit.base.config",
        "inspect_kit.base.paths", "inspect_kit.base.errors", "inspect_kit.intake.roster",
        "inspect_kit.domain.sheet_text", "inspect_kit.domain.panel", "inspect_kit.exports",
        "inspect_kit.services.drafts", "inspect_kit.services.panels",
        "inspect_kit.services.revisions", "inspect_kit.i18n.catalog",
        "inspect_kit.formfiles.catalog", "inspect_kit.intake.answer_file"]  # fmt: skip
PRESENT = [m for m in CORE if importlib.util.find_spec(m) is not None]


def loaded_after(code: str) -> set[str]:
    """Top-level package names in sys.modules after running `code` in a new interpreter."""
    probe = (
        code
        + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60, check=True)  # fmt: skip
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_core_modules_are_present():
    assert {
        "inspect_kit.domain.model",
        "inspect_kit.domain.scoring",
        "inspect_kit.store.store",
    } <= set(PRESENT)


def test_importing_the_whole_core_loads_no_ui_library():
    imports = "\n".join(f"import {m}" for m in PRESENT)
    heavy = loaded_after(imports) & set(HEAVY)
    assert heavy == set(), f"core pulled in {heavy}"


@pytest.mark.parametrize("module", PRESENT)
def test_each_core_module_alone_loads_no_ui_library(module):
    heavy = loaded_after(f"import {module}") & set(HEAVY)
    assert heavy == set(), f"{module} pulled in {heavy}"


def test_scoring_a_demo_sheet_loads_no_ui_library():
    code = ("from inspect_kit.demo.generator import DemoPlan, build_demo, demo_forms\n"
            "forms = [f for f in demo_forms() if f.form.form == 'four-oclock-school']\n"
            "_, finals, _ = build_demo(forms, DemoPlan(subjects=1, raters=1, rounds=1))\n"
            "finals[0][0].to_record()\n")  # fmt: skip
    assert loaded_after(code) & set(HEAVY) == set()


@pytest.mark.parametrize("args", [["--help"], ["forms", "--help"], ["results", "--help"]])
def test_cli_help_does_not_import_textual_or_matplotlib(args):
    code = (
        "import sys\n"
        f"sys.argv = ['inspect-kit', *{args!r}]\n"
        "from inspect_kit.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
    )
    loaded = loaded_after(code)
    assert "click" in loaded  # the probe really ran the CLI
    assert not loaded & {"textual", "matplotlib"}, loaded & {"textual", "matplotlib"}


def test_python_m_inspect_kit_help_importtime():
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "inspect_kit", "--help"],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "用法：" in result.stdout
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "inspect_kit" in imported
    assert not imported & {"textual", "matplotlib"}, imported & {"textual", "matplotlib"}
