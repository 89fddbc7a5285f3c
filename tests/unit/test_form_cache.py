"""The parsed-forms cache (formfiles/form_cache.py): a form text is parsed once, by its sha256;
a damaged, stale or foreign entry is never trusted, it is parsed again and rewritten."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_kit.base.paths import Workspace
from inspect_kit.formfiles import form_cache, loader
from inspect_kit.formfiles.catalog import FormCatalog

REPO = Path(__file__).resolve().parents[2]


def no_parsing(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("parsed a form the cache holds")

    monkeypatch.setattr(loader, "parse_form_text", refuse)


def entries(workspace: Workspace) -> list[Path]:
    return sorted((workspace.results_dir / ".cache" / "forms").glob("*.json"))


def test_a_second_catalog_takes_every_form_from_the_cache(workspace, monkeypatch):
    first, broken = FormCatalog(workspace).scan()
    assert first and not broken
    assert len(entries(workspace)) == len(first)
    no_parsing(monkeypatch)
    again, _ = FormCatalog(workspace).scan()
    assert [f.form for f in again] == [f.form for f in first]
    assert [(f.sha256, f.source, f.path) for f in again] == [
        (f.sha256, f.source, f.path) for f in first
    ]


def test_summaries_show_what_the_forms_say(workspace):
    forms, _ = FormCatalog(workspace).scan()
    cold, _ = FormCatalog(Workspace(workspace.root / "elsewhere")).summaries()  # no cache
    warm, _ = FormCatalog(workspace).summaries()
    for listed in (cold, warm):
        by_id = {s.form: s for s in listed}
        for loaded in forms:
            s, form = by_id[loaded.form.form], loaded.form
            assert (s.title, s.title_en, s.item_count, s.total, s.bonus_cap, s.sha256) == (
                form.title, form.title_en, form.item_count, form.total, form.bonus_cap,
                loaded.sha256,
            )  # fmt: skip
            assert s.title_for("en") == form.title_for("en")
            assert s.review_required == (form.review == "required")


@pytest.mark.parametrize(
    "damage",
    ["truncated", "not json", "summary edited", "other sha", "older code", "form edited"],
)
def test_a_damaged_or_stale_entry_is_parsed_again_and_rewritten(workspace, damage):
    (loaded, *_), _ = FormCatalog(workspace).scan()
    path = workspace.results_dir / ".cache" / "forms" / f"{loaded.sha256}.json"
    entry = json.loads(path.read_text(encoding="utf-8"))
    if damage == "truncated":
        path.write_text(path.read_text(encoding="utf-8")[:500], encoding="utf-8")
    elif damage == "not json":
        path.write_bytes(b"\x00\xff")
    else:
        if damage == "summary edited":
            entry["summary"]["title"] = "别的表"
        elif damage == "other sha":
            entry["sha256"] = "0" * 64
        elif damage == "older code":
            entry["fingerprint"] = "0" * 64
        elif damage == "form edited":
            entry["form"]["total"] = 1  # checksum no longer holds
        path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    catalog = FormCatalog(workspace)
    assert catalog.parsed.summary(loaded.sha256, loaded.path, True) is None
    assert catalog.parsed.form(loaded.sha256) is None
    again = catalog.get(loaded.form.form)
    assert again.form == loaded.form
    assert catalog.parsed.form(loaded.sha256) == loaded.form  # rebuilt


def test_an_entry_whose_form_no_longer_validates_is_a_miss(workspace, monkeypatch):
    (loaded, *_), _ = FormCatalog(workspace).scan()
    path = workspace.results_dir / ".cache" / "forms" / f"{loaded.sha256}.json"
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["form"]["sections"] = []  # the model refuses this
    entry["check"] = form_cache._checksum(entry["summary"], entry["form"])
    path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    assert FormCatalog(workspace).parsed.form(loaded.sha256) is None


def test_an_edited_form_file_is_parsed_under_its_new_text(workspace):
    source = (REPO / "forms" / "four-oclock-school.yaml").read_text(encoding="utf-8")
    own = workspace.forms_dir / "four-oclock-school.yaml"
    own.write_text(source, encoding="utf-8")
    catalog = FormCatalog(workspace)
    assert catalog.get("four-oclock-school").form.title in source
    own.write_text(source.replace("title: ", "title: 新版", 1), encoding="utf-8")
    edited = FormCatalog(workspace).get("four-oclock-school")
    assert edited.form.title.startswith("新版")
    (summary,) = [s for s in FormCatalog(workspace).summaries()[0]
                  if s.form == "four-oclock-school"]  # fmt: skip
    assert summary.title.startswith("新版") and summary.sha256 == edited.sha256


def test_no_cache_folder_where_there_is_no_results_folder(tmp_path):
    workspace = Workspace(tmp_path)
    forms, _ = FormCatalog(workspace).scan()
    assert forms and not (tmp_path / "results").exists()


def test_listing_cached_forms_imports_neither_pydantic_nor_yaml(workspace):
    FormCatalog(workspace).scan()  # fills the cache
    code = (
        "import sys\n"
        "from inspect_kit.base.paths import Workspace\n"
        "from inspect_kit.formfiles.catalog import FormCatalog\n"
        f"forms, broken = FormCatalog(Workspace(__import__('pathlib').Path({str(workspace.root)!r}))).summaries()\n"  # noqa: E501
        "assert forms and not broken\n"
        "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_reading_the_index_rows_imports_no_form_model(tmp_path):
    code = (
        "import sys\n"
        "from inspect_kit.base.paths import Workspace\n"
        "from inspect_kit.store.store import Store\n"
        f"store = Store(Workspace(__import__('pathlib').Path({str(tmp_path)!r})))\n"
        "store.summaries(); store.review_states()\n"
        "print(sorted(m for m in ('pydantic', 'inspect_kit.domain.model') if m in sys.modules))\n"
    )
    (tmp_path / "results").mkdir()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
