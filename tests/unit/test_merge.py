"""Merging laptops: database files and bundles, idempotence, conflicts, refusals that change
nothing, attachments, tampering and path traversal."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspect_kit.base import bundle_format as bf
from inspect_kit.base.errors import StoreError
from inspect_kit.base.paths import Workspace
from inspect_kit.cli import cli
from inspect_kit.demo.generator import DemoPlan, build_demo
from inspect_kit.exports.bundle import write_bundle
from inspect_kit.store.merge import ImportRefused, conflicts, import_file, resolve_conflict
from inspect_kit.store.store import Store, Subject

PLAN = dict(subjects=3, raters=3, rounds=1)


def laptop(root: Path, forms, seed: int) -> Store:
    """A workspace filled like `inspect-kit demo --seed S` on one inspector's laptop."""
    (root / "results").mkdir(parents=True)
    store = Store(Workspace(root))
    subjects, finals, _ = build_demo(forms, DemoPlan(**PLAN, seed=seed))
    store.add_subjects(subjects)
    store.bulk_finalize(finals)
    return store


def bundle_of(store: Store, out: Path, **filters) -> Path:
    newest = store.submissions(**filters)
    uuids = {r["uuid"] for r in newest}
    records = [r for r in store.submissions(all_revisions=True) if r["uuid"] in uuids]
    shas = {r["form_sha256"] for r in records}
    write_bundle(
        out,
        records=records,
        form_versions=[f for f in store.form_versions() if f["sha256"] in shas],
        subjects=[s.to_dict() for s in store.subjects() if s.id in {r["subject"] for r in records}],
        events=[e for e in store.events() if e.get("uuid") in uuids],
        attachments_dir=store.workspace.attachments_dir,
        device="laptop-test",
        kit_version="0.1.0",
        created_at="2026-05-01T10:00:00+08:00",
    )
    return out


def state(store: Store) -> bytes | None:
    path = store.db.path
    return path.read_bytes() if path.exists() else None


@pytest.fixture
def forms(edu_form):
    return [edu_form]


@pytest.fixture
def target(tmp_path) -> Store:
    (tmp_path / "secretary" / "results").mkdir(parents=True)
    return Store(Workspace(tmp_path / "secretary"))


def test_three_laptops_merge_into_a_fourth_and_twice_changes_nothing(tmp_path, forms, target):
    laptops = [laptop(tmp_path / f"l{seed}", forms, seed) for seed in (1, 2, 3)]
    sources = [
        laptops[0].db.path,
        bundle_of(laptops[1], tmp_path / "b2.zip"),
        bundle_of(laptops[2], tmp_path / "b3.zip"),
    ]
    reports = [import_file(target, src, who="秘书") for src in sources]
    expected = sum(len(s.submissions(all_revisions=True)) for s in laptops)
    assert len(target.submissions(all_revisions=True)) == expected
    assert [r.added for r in reports] == [len(s.submissions()) for s in laptops]
    # Same roster on every laptop: added once, never reported as different.
    assert len(target.subjects()) == len(laptops[0].subjects())
    assert all(not r.subjects_differ for r in reports)
    assert len(target.form_versions()) == 1
    imported = [e for e in target.events() if e["event"] == "imported"]
    assert len(imported) == 3 and {e["source_device"] for e in imported} == {
        laptops[0].submissions()[0]["device"],
        "laptop-test",
    }
    finalized = [e for e in target.events() if e["event"] == "finalized"]
    assert len(finalized) == expected

    before = state(target)
    again = [import_file(target, src) for src in sources]
    assert all(r.added == 0 and r.conflicts == 0 and not r.changed for r in again)
    assert [r.skipped for r in again] == [len(s.submissions()) for s in laptops]
    assert state(target) == before


def test_same_uuid_and_revision_with_other_content_is_a_conflict(tmp_path, forms, target):
    source = laptop(tmp_path / "l1", forms, 1)
    import_file(target, source.db.path)
    # The same sheet changed differently on the other laptop: craft that laptop's bundle.
    original = source.submissions()[0]
    changed = json.loads(json.dumps(original))
    item = next(k for k, a in changed["answers"].items() if a.get("note"))
    changed["answers"][item]["note"] = "另一台电脑上改过的理由"
    other = tmp_path / "other"
    (other / "results").mkdir(parents=True)
    other_store = Store(Workspace(other))
    with other_store.db.transaction() as db:
        db.table("submissions").insert(changed)
        for f in source.form_versions():
            db.table("forms").insert(f)
    path = bundle_of(other_store, tmp_path / "other.zip")

    count = len(target.submissions(all_revisions=True))
    report = import_file(target, path)
    assert report.conflicts == 1 and report.added == 0
    assert len(target.submissions(all_revisions=True)) == count
    kept = target.submission(original["uuid"])
    assert kept["answers"][item]["note"] == original["answers"][item]["note"]
    [conflict] = conflicts(target)
    assert conflict["local"]["answers"][item]["note"] == original["answers"][item]["note"]
    assert conflict["incoming"]["answers"][item]["note"] == "另一台电脑上改过的理由"
    assert conflict["source_device"] == "laptop-test"

    before = state(target)
    assert import_file(target, path).known_conflicts == 1
    assert state(target) == before and len(conflicts(target)) == 1

    resolve_conflict(target, original["uuid"][:8], None, "incoming", who="秘书")
    assert target.submission(original["uuid"])["answers"][item]["note"] == "另一台电脑上改过的理由"
    assert conflicts(target) == [] and len(conflicts(target, include_resolved=True)) == 1
    assert any(e["event"] == "conflict_resolved" for e in target.events(original["uuid"]))
    # Re-importing the first laptop now finds the version already decided: no new conflict.
    report = import_file(target, source.db.path)
    assert report.conflicts == 0 and report.known_conflicts == 1
    with pytest.raises(StoreError, match="没有编号"):
        resolve_conflict(target, original["uuid"], None, "local")


def test_differing_roster_entry_keeps_local(tmp_path, forms, target):
    source = laptop(tmp_path / "l1", forms, 1)
    first = source.subjects()[0]
    target.add_subjects([Subject(id=first.id, name="本机改过的名称", kind=first.kind)])
    report = import_file(target, source.db.path)
    assert report.subjects_differ == [first.id]
    assert target.subject(first.id).name == "本机改过的名称"


def _damaged_sources(tmp_path: Path, good: Path) -> dict[str, Path]:
    raw = good.read_bytes()
    files = {
        "truncated": raw[: len(raw) // 2],
        "garbage": b"\x00\xffnot json at all",
        "empty": b"",
        "foreign": json.dumps({"_default": {"1": {"name": "x"}}}).encode(),
        "wrong-shape": json.dumps([1, 2, 3]).encode(),
        "bad-record": json.dumps(
            {"submissions": {"1": {"uuid": "../../x", "revision": 1}}}
        ).encode(),
        "newer-schema": json.dumps({"meta": {"1": {"schema": 99}}, "submissions": {}}).encode(),
        "drafts": json.dumps({"drafts": {}}).encode(),
        "not-a-zip.zip": b"PK\x03\x04broken",
    }
    out = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        out[name] = tmp_path / name
    return out


def test_damaged_or_foreign_files_are_refused_and_nothing_changes(tmp_path, forms, target):
    source = laptop(tmp_path / "l1", forms, 1)
    import_file(target, source.db.path)
    before, backups = state(target), target.db.backups()
    for name, path in _damaged_sources(tmp_path, source.db.path).items():
        with pytest.raises(ImportRefused) as err:
            import_file(target, path)
        assert "未做任何改动" in str(err.value), name
        assert state(target) == before, name
    assert target.db.backups() == backups
    with pytest.raises(ImportRefused, match="正在使用"):
        import_file(target, target.db.path)


def test_bundle_round_trip_carries_attachments(tmp_path, forms, target):
    source = laptop(tmp_path / "l1", forms, 1)
    sheet_uuid = source.submissions()[0]["uuid"]
    folder = source.workspace.attachments_dir / sheet_uuid / "photos"
    folder.mkdir(parents=True)
    (folder / "现场1.jpg").write_bytes(b"\xff\xd8jpeg bytes")
    os.symlink("/etc/passwd", folder / "link.jpg")  # never packed
    path = bundle_of(source, tmp_path / "b.zip")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    assert f"attachments/{sheet_uuid}/photos/现场1.jpg" in names
    assert not any(n.endswith("link.jpg") for n in names)

    report = import_file(target, path)
    assert report.attachments_added == 1
    copied = target.workspace.attachments_dir / sheet_uuid / "photos" / "现场1.jpg"
    assert copied.read_bytes() == b"\xff\xd8jpeg bytes"
    assert target.submissions(all_revisions=True) == source.submissions(all_revisions=True)
    assert import_file(target, path).changed is False


def _rewrite(src: Path, dest: Path, change) -> Path:
    """Copy a bundle, letting `change(name, data)` alter or drop (None) each entry."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
    return dest


def test_tampered_bundle_is_refused(tmp_path, forms, target):
    source = laptop(tmp_path / "l1", forms, 1)
    good = bundle_of(source, tmp_path / "b.zip")

    def raise_score(name, data):
        return data.replace(b'"total": ', b'"total": 1') if name == bf.SHEETS else data

    tampered = _rewrite(good, tmp_path / "t.zip", raise_score)
    with pytest.raises(ImportRefused, match="校验值"):
        import_file(target, tampered)
    dropped = _rewrite(good, tmp_path / "d.zip", lambda n, d: None if n == bf.EVENTS else d)
    with pytest.raises(ImportRefused, match=bf.EVENTS):
        import_file(target, dropped)
    assert state(target) is None


def _with_entry(good: Path, dest: Path, name: str, data: bytes, *, symlink: bool = False) -> Path:
    """A bundle with one extra entry, listed in the manifest with its right hash."""
    with zipfile.ZipFile(good) as zin:
        contents = {i.filename: zin.read(i) for i in zin.infolist()}
    manifest = json.loads(contents[bf.MANIFEST])
    manifest["files"][name] = bf.sha256_bytes(data)
    contents[bf.MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dest, "w") as zout:
        for entry, content in contents.items():
            zout.writestr(entry, content)
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = 0o120777 << 16
        zout.writestr(info, data)
    return dest


@pytest.mark.parametrize(
    "entry",
    [
        "../../x",
        "attachments/{uuid}/../../../x",
        "/tmp/inspect-kit-evil-x",
        "attachments/../../x",
        "attachments/{uuid}/..\\..\\x",
        "C:/x",
    ],
)
def test_path_traversal_entries_are_refused(tmp_path, forms, target, entry):
    source = laptop(tmp_path / "l1", forms, 1)
    good = bundle_of(source, tmp_path / "b.zip")
    name = entry.format(uuid=source.submissions()[0]["uuid"])
    evil = _with_entry(good, tmp_path / "evil.zip", name, b"owned")
    with pytest.raises(ImportRefused, match="已拒绝"):
        import_file(target, evil)
    assert state(target) is None
    assert not (tmp_path / "x").exists() and not Path("/tmp/inspect-kit-evil-x").exists()
    assert not target.workspace.attachments_dir.exists()


def test_symlink_entry_is_refused(tmp_path, forms, target):
    source = laptop(tmp_path / "l1", forms, 1)
    good = bundle_of(source, tmp_path / "b.zip")
    name = f"attachments/{source.submissions()[0]['uuid']}/link.jpg"
    evil = _with_entry(good, tmp_path / "evil.zip", name, b"/etc/passwd", symlink=True)
    with pytest.raises(ImportRefused, match="符号链接"):
        import_file(target, evil)
    assert state(target) is None


def test_attachment_name_with_traversal_inside_a_record_is_refused(tmp_path, forms, target):
    source = laptop(tmp_path / "l1", forms, 1)
    record = source.submissions()[0]
    answers = dict(record["answers"])
    answers["site-photos"] = {
        "value": ["../../x.jpg"],
        "na": False,
        "note": "",
        "attachments": ["../../x.jpg"],
    }
    (row,) = [r for r in source.summaries() if r["uuid"] == record["uuid"]]
    with source.db.transaction():  # a hand-edited shard on the other laptop
        table = source.shards.read_table(row["shard"])
        for doc in table.values():
            if doc["uuid"] == record["uuid"]:
                doc["answers"] = answers
        source.shards.write_table(row["shard"], table)
    with pytest.raises(ImportRefused, match="附件名"):
        import_file(target, source.db.path)


@pytest.mark.parametrize("attachments", [5, True, "x.jpg"])
def test_an_attachment_list_that_is_not_a_list_is_refused_with_its_reason(
    tmp_path, forms, target, attachments
):
    """It used to raise a TypeError out of the check (5, true) or be read letter by letter."""
    source = laptop(tmp_path / "l1", forms, 1)
    record = source.submissions()[0]
    answers = dict(record["answers"])
    answers["site-photos"] = {"value": None, "na": False, "note": "", "attachments": attachments}
    (row,) = [r for r in source.summaries() if r["uuid"] == record["uuid"]]
    with source.db.transaction():
        table = source.shards.read_table(row["shard"])
        for doc in table.values():
            if doc["uuid"] == record["uuid"]:
                doc["answers"] = answers
        source.shards.write_table(row["shard"], table)
    with pytest.raises(ImportRefused, match="附件列表格式不对"):
        import_file(target, source.db.path)


def test_cli_import_and_conflicts(tmp_path, forms, target):
    sources = [laptop(tmp_path / f"l{seed}", forms, seed) for seed in (1, 2)]
    runner = CliRunner()
    base = ["--workspace", str(target.workspace.root), "results"]
    result = runner.invoke(cli, [*base, "import", *(str(s.db.path) for s in sources)])
    assert result.exit_code == 0, result.output
    assert "新增" in result.output
    assert len(target.submissions()) == sum(len(s.submissions()) for s in sources)
    # One bad file among good ones: nothing is imported at all.
    bad = tmp_path / "bad.json"
    bad.write_text("{broken", encoding="utf-8")
    before = state(target)
    result = runner.invoke(cli, [*base, "import", str(sources[0].db.path), str(bad)])
    assert (
        result.exit_code == 1 and "bad.json" in result.output and "Traceback" not in result.output
    )
    assert state(target) == before
    result = runner.invoke(cli, [*base, "conflicts"])
    assert result.exit_code == 0 and "没有冲突" in result.output
    result = runner.invoke(cli, [*base, "conflicts", "--keep", "local"])
    assert result.exit_code == 2


def _files(store: Store) -> dict[str, bytes]:
    """Every live file of the workspace (main database and shards), by relative path."""
    root = store.workspace.results_dir
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*.json"))
        if "backups" not in p.parts and not p.name.startswith(".tmp-")
    }


def _counts(report) -> tuple:
    return (report.source, report.added, report.skipped, report.conflicts,
            report.known_conflicts, report.forms_added, report.subjects_added,
            report.events_added)  # fmt: skip


def test_several_sources_in_one_pass_equal_one_after_the_other(tmp_path, forms, monkeypatch):
    from inspect_kit.store.archive import Shards
    from inspect_kit.store.merge import import_files

    laptops = [laptop(tmp_path / f"l{seed}", forms, seed) for seed in (1, 2, 3)]
    sources = [laptops[0].db.path, bundle_of(laptops[1], tmp_path / "b2.zip"), laptops[2].db.path]
    one_by_one, together = (Store(Workspace(tmp_path / name)) for name in ("seq", "batch"))
    for s in (one_by_one, together):
        s.workspace.results_dir.mkdir(parents=True)
    expected = [_counts(import_file(one_by_one, src)) for src in sources]
    # the same source twice in one command: the second copy is skipped, like a second import
    expected.append(_counts(import_file(one_by_one, sources[0])))

    written: list[str] = []
    real = Shards.stage_table

    def spy(self, rel, table, *name):
        written.append(rel)
        return real(self, rel, table, *name)

    monkeypatch.setattr(Shards, "stage_table", spy)
    mains_before = len(together.db.backups())
    reports = import_files(together, [*sources, sources[0]])
    assert [_counts(r) for r in reports] == expected
    assert written and len(written) == len(set(written)), "each shard written once"
    assert len(together.db.backups()) - mains_before <= 2, "the main file written once"
    assert together.submissions(all_revisions=True) == one_by_one.submissions(all_revisions=True)
    assert len(together.events()) == len(one_by_one.events())
    imported = [e for e in together.events() if e["event"] == "imported"]
    assert [e["added"] for e in imported] == [len(s.submissions()) for s in laptops]

    before = _files(together)
    again = import_files(together, sources)
    assert not any(r.changed for r in again)
    assert _files(together) == before


def test_one_refused_source_in_a_batch_changes_nothing(tmp_path, forms, target):
    from inspect_kit.store.merge import import_files

    good = laptop(tmp_path / "l1", forms, 1)
    other = laptop(tmp_path / "l2", forms, 2)
    records = [dict(r, form_sha256="f" * 64) for r in other.submissions(all_revisions=True)]
    lacking = tmp_path / "lacking.zip"
    write_bundle(lacking, records=records, form_versions=[], subjects=[], events=[],
                 attachments_dir=None, device="x", kit_version="0.1.0",
                 created_at="2026-05-01T10:00:00+08:00")  # fmt: skip
    with pytest.raises(ImportRefused, match="表单版本"):
        import_files(target, [good.db.path, lacking])
    assert state(target) is None and target.submissions() == []
    assert not (target.workspace.results_dir / "archive").exists()


def test_events_are_deduplicated_exactly(tmp_path, forms, target):
    from inspect_kit.store.merge import _Events

    base = {"event": "finalized", "uuid": "u1", "at": "2026-05-01T10:00:00+08:00",
            "revision": 1, "by": "张", "device": "d"}  # fmt: skip
    held = _Events([base])
    assert held.add(dict(reversed(list(base.items())))) is False  # key order does not matter
    assert held.add({**base, "reason": "另一条"}) is True  # same key, other content: kept
    assert held.add({**base, "reason": "另一条"}) is False
    assert held.add({**base, "revision": 1.0}) is True  # 1.0 is not 1 in the file
