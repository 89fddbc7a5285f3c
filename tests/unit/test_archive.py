"""The partitioned archive (issue 7 item 3): shards per form and round, capacity rollover, the
index written with the sheet, filtered reads that open only matching shards, migration of the
old one-file layout, and merging sources of either layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from inspect_kit.base.paths import Workspace
from inspect_kit.demo.generator import DemoPlan, build_demo
from inspect_kit.store import index as index_module
from inspect_kit.store.archive import Shards, archive_dir, safe_part, shard_rel
from inspect_kit.store.doctor import check_workspace
from inspect_kit.store.files import main_tree
from inspect_kit.store.merge import import_file
from inspect_kit.store.store import Store

PLAN = dict(subjects=3, raters=2, rounds=2)


def demo_sheets(forms, seed: int = 1):
    subjects, finals, _ = build_demo(forms, DemoPlan(**PLAN, seed=seed, drafts=0))
    return subjects, finals


def filled(root: Path, forms, seed: int = 1) -> Store:
    (root / "results").mkdir(parents=True, exist_ok=True)
    store = Store(Workspace(root))
    subjects, finals = demo_sheets(forms, seed)
    store.add_subjects(subjects)
    store.bulk_finalize(finals)
    return store


def shard_paths(store: Store) -> list[str]:
    root = archive_dir(store.db.path)
    return sorted(p.relative_to(root).as_posix() for p in root.glob("[!.]*/*.json"))


def main_tables(store: Store) -> dict:
    """The main file with its companions' rows and events (store.ledger)."""
    return main_tree(store.db.path)


@pytest.fixture
def two_forms(builtin_forms):
    return [builtin_forms["edu-base-inspection"], builtin_forms["four-oclock-school"]]


def test_one_shard_per_form_and_round_and_the_main_file_keeps_the_index(tmp_path, two_forms):
    store = filled(tmp_path / "ws", two_forms)
    every = store.submissions(all_revisions=True)
    groups = {(d["form"], d["round"]) for d in every}
    assert shard_paths(store) == sorted(shard_rel(f, r, 1) for f, r in groups)
    main = main_tables(store)
    assert "submissions" not in main
    assert {(r["uuid"], r["revision"]) for r in main["sheets"].values()} == {
        (d["uuid"], d["revision"]) for d in every
    }
    for rel in shard_paths(store):  # each shard holds exactly its own form and round
        docs = orjson.loads((archive_dir(store.db.path) / rel).read_bytes())["submissions"]
        assert {shard_rel(d["form"], d["round"], 1) for d in docs.values()} == {rel}
    assert check_workspace(store.workspace).ok


def test_a_full_shard_rolls_over_to_the_next(tmp_path, edu_form, monkeypatch):
    monkeypatch.setattr(index_module, "SHARD_CAPACITY", 4)
    store = filled(tmp_path / "ws", [edu_form])
    per_round: dict[str, int] = {}
    for d in store.submissions(all_revisions=True):
        per_round[d["round"]] = per_round.get(d["round"], 0) + 1
    expected = {}
    for round_, n in per_round.items():
        full, rest = divmod(n, 4)
        sizes = [4] * full + ([rest] if rest else [])
        for number, size in enumerate(sizes, 1):
            expected[shard_rel(edu_form.form.form, round_, number)] = size
    assert shard_paths(store) == sorted(expected)
    assert {rel: len(store.shards.read(rel)) for rel in expected} == expected
    # more sheets of the newest round fill the newest shard up first, then start the next
    newest = max(per_round)
    last = max(r for r in expected if r.split("/")[1].startswith(newest))
    room = 4 - expected[last]
    extra = [s for s, _ in demo_sheets([edu_form], seed=9)[1] if s.round == newest][: room + 1]
    store.bulk_finalize([(s, edu_form) for s in extra])
    number = int(last.rsplit("-", 1)[1].removesuffix(".json"))
    assert len(store.shards.read(last)) == 4
    assert len(store.shards.read(shard_rel(edu_form.form.form, newest, number + 1))) == 1
    total = sum(per_round.values()) + len(extra)
    assert len(store.summaries(all_revisions=True)) == total
    assert len(store.submissions(all_revisions=True)) == total
    assert check_workspace(store.workspace).ok


def test_finalize_writes_the_shard_the_index_row_and_the_event(workspace, edu_form):
    store = Store(workspace)
    sheet = next(s for s, _ in demo_sheets([edu_form])[1])
    store.start_sheet(edu_form, sheet)
    doc = store.finalize(sheet, edu_form, force=True)
    rel = shard_rel(doc["form"], doc["round"], 1)
    assert store.shards.read(rel) == [doc]
    main = main_tables(store)
    [row] = main["sheets"].values()
    assert row["uuid"] == doc["uuid"] and row["shard"] == rel
    assert row["total"] == doc["score"]["total"] and row["grade"] == doc["score"]["grade"]
    [shard] = main["shards"].values()
    assert shard["shard"] == rel and shard["count"] == 1
    assert [e["event"] for e in main["events"].values()] == ["finalized"]
    # the newest backup of each file is its state after the write
    main_backup = store.db.newest_backup()
    assert main_backup.read_bytes() == store.db.path.read_bytes()
    shard_backup = store.shards.db(rel).newest_backup()
    assert shard_backup.read_bytes() == (archive_dir(store.db.path) / rel).read_bytes()
    assert shard_backup.stat().st_ino != (archive_dir(store.db.path) / rel).stat().st_ino


@pytest.mark.parametrize("kind", ["file", "memory"])
def test_filtered_reads_open_only_matching_shards(tmp_path, two_forms, kind, monkeypatch):
    if kind == "file":
        store = filled(tmp_path / "ws", two_forms)
    else:
        store = Store(memory=True)
        subjects, finals = demo_sheets(two_forms)
        store.add_subjects(subjects)
        store.bulk_finalize(finals)
    opened: list[str] = []
    real = Shards.read_table

    def spy(self, rel):
        opened.append(rel)
        return real(self, rel)

    monkeypatch.setattr(Shards, "read_table", spy)
    every = store.submissions()
    assert len(set(opened)) == 4  # 2 forms x 2 rounds
    round_ = every[0]["round"]
    opened.clear()
    docs = store.submissions(form="four-oclock-school", round=round_)
    assert opened == [shard_rel("four-oclock-school", round_, 1)]
    assert docs and all(d["form"] == "four-oclock-school" and d["round"] == round_ for d in docs)
    opened.clear()
    assert {d["form"] for d in store.submissions(form="edu-base-inspection")} == {
        "edu-base-inspection"
    }
    assert {r.split("/")[0] for r in opened} == {"edu-base-inspection"} and len(opened) == 2
    opened.clear()
    summaries = store.summaries()
    assert opened == []  # the list screens' rows come from the index alone
    assert sorted((r["uuid"], r["final"]) for r in summaries) == sorted(
        (d["uuid"], d["score"]["final"]) for d in every
    )
    target = every[3]
    opened.clear()
    assert store.submission(target["uuid"][:8]) == target
    assert len(opened) == 1  # the index names the one shard to open


def old_layout(store: Store, dest: Workspace) -> list[dict]:
    """Write `dest`'s main file in the old single-file layout (every sheet in `submissions`)."""
    docs = store.submissions(all_revisions=True)
    data = main_tables(store)
    data.pop("sheets")
    data.pop("shards")
    data["submissions"] = {str(i): d for i, d in enumerate(docs, 1)}
    dest.results_dir.mkdir(parents=True, exist_ok=True)
    dest.db_path.write_bytes(orjson.dumps(data))
    return docs


def test_an_old_single_file_database_is_read_then_moved_into_shards(tmp_path, two_forms):
    source = filled(tmp_path / "src", two_forms)
    ws = Workspace(tmp_path / "old")
    docs = old_layout(source, ws)
    store = Store(ws)
    # reading needs no write: the old layout is read as it is
    before = ws.db_path.read_bytes()
    assert store.submissions(all_revisions=True) == docs
    assert store.submission(docs[0]["uuid"]) == docs[0]
    assert len(store.summaries(all_revisions=True)) == len(docs)
    assert check_workspace(ws).ok
    assert ws.db_path.read_bytes() == before and not archive_dir(ws.db_path).exists()
    # the first write transaction moves the sheets into shards
    store.log("note", None, "秘书")
    main = main_tables(store)
    assert "submissions" not in main and len(main["sheets"]) == len(docs)
    assert store.submissions(all_revisions=True) == docs  # every sheet, exactly
    assert len(shard_paths(store)) == 4
    assert check_workspace(ws).ok
    # a move cut short (shards written, main file not): doing it again adds nothing twice
    ws.db_path.write_bytes(before)
    store.log("note", None, "秘书")
    assert store.submissions(all_revisions=True) == docs
    assert sum(len(store.shards.read(rel)) for rel in shard_paths(store)) == len(docs)
    report = check_workspace(ws)
    assert report.ok and not report.archive.warnings, report.archive.warnings


def test_merge_reads_old_and_new_layout_sources(tmp_path, edu_form, builtin_forms):
    new = filled(tmp_path / "new", [edu_form], seed=1)
    old_src = filled(tmp_path / "tmp", [builtin_forms["four-oclock-school"]], seed=2)
    old_ws = Workspace(tmp_path / "old")
    old_docs = old_layout(old_src, old_ws)
    (tmp_path / "target" / "results").mkdir(parents=True)
    target = Store(Workspace(tmp_path / "target"))
    a = import_file(target, new.db.path)
    b = import_file(target, old_ws.db_path)
    assert a.added == len(new.submissions(all_revisions=True)) and b.added == len(old_docs)
    expected = sorted(new.submissions(all_revisions=True) + old_docs, key=lambda d: d["uuid"])
    assert sorted(target.submissions(all_revisions=True), key=lambda d: d["uuid"]) == expected
    assert check_workspace(target.workspace).ok
    files = {p: p.read_bytes() for p in target.db.path.parent.rglob("*.json")}
    assert not import_file(target, new.db.path).changed
    assert not import_file(target, old_ws.db_path).changed
    assert {p: p.read_bytes() for p in target.db.path.parent.rglob("*.json")} == files


def test_a_main_file_copied_without_its_archive_folder_is_refused(tmp_path, edu_form):
    from inspect_kit.store.merge import ImportRefused

    source = filled(tmp_path / "src", [edu_form])
    lone = tmp_path / "usb" / "inspect-kit.json"
    lone.parent.mkdir()
    shutil.copyfile(source.db.path, lone)
    (tmp_path / "target" / "results").mkdir(parents=True)
    target = Store(Workspace(tmp_path / "target"))
    with pytest.raises(ImportRefused, match="archive"):
        import_file(target, lone)
    assert not target.db.path.exists()


def test_safe_names_for_forms_and_rounds():
    assert safe_part("edu-base-inspection") == "edu-base-inspection"
    assert safe_part("2026") == "2026"
    odd = safe_part("../第一轮 2026")
    assert "/" not in odd and "." not in odd and odd != safe_part("../第二轮 2026")
