"""Tamper evidence (issue 16 item 5): bundles are signed by the exporting device, events form a
signed hash chain per device; an edited bundle is refused on import, `doctor --verify` names an
edited event in a copied database, and a database from before signing still opens."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import zipfile
from pathlib import Path

import pytest
from rel_helpers import assert_clean_failure, fill_demo, run_cli

from inspect_kit.base import bundle_format as bf
from inspect_kit.base.paths import Workspace
from inspect_kit.base.signing import device_key, key_path
from inspect_kit.store.files import main_tree, write_main_tree
from inspect_kit.store.store import Store

pytestmark = pytest.mark.reliability


def as_device(monkeypatch, tmp_path: Path, name: str) -> None:
    """Run as another laptop: its own settings folder, so its own key."""
    monkeypatch.setenv("INSPECT_KIT_CONFIG", str(tmp_path / f"{name}-config" / "config.json"))


@pytest.fixture
def two_laptops(tmp_path, monkeypatch):
    laptop, office = (Workspace(tmp_path / n) for n in ("laptop", "office"))
    for ws in (laptop, office):
        (ws.root / "forms").mkdir(parents=True)
    as_device(monkeypatch, tmp_path, "laptop")
    fill_demo(laptop)
    bundle = tmp_path / "usb" / "b.zip"
    result = run_cli(laptop, "results", "export", "--format", "bundle", "--out", str(bundle))
    assert result.exit_code == 0, result.output
    laptop_key = device_key()
    assert laptop_key is not None
    as_device(monkeypatch, tmp_path, "office")
    return laptop, office, bundle, laptop_key


def rewrite(bundle: Path, change, *, fix_hashes: bool = True, sign=None) -> None:
    """Edit one bundle as a forger would: change the data, fix the manifest's hashes."""
    with zipfile.ZipFile(bundle) as zf:
        contents = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(contents.pop(bf.MANIFEST))
    change(contents, manifest)
    if fix_hashes:
        manifest["files"] = {n: bf.sha256_bytes(d) for n, d in contents.items()}
    if sign is not None:
        manifest[bf.SIGNATURE] = {"key": sign.public_key,
                                  "sig": sign.sign(bf.manifest_message(manifest))}  # fmt: skip
    contents[bf.MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(bundle, "w") as zf:
        for name, data in contents.items():
            zf.writestr(name, data)


def edit_sheets(edit):
    def change(contents, manifest):
        sheets = json.loads(contents[bf.SHEETS])
        edit(sheets)
        contents[bf.SHEETS] = json.dumps(sheets, ensure_ascii=False).encode()

    return change


def set_score(sheets):
    sheets[0]["score"]["final"] = sheets[0]["score"]["total"] = 100


def set_void(sheets):
    sheets[0]["status"] = "void"


def add_revision(sheets):
    sheets.append({**sheets[0], "revision": 7, "status": "void", "supersedes": None})


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_device_key_is_private_and_made_once(two_laptops):
    path = key_path()
    key = device_key()
    assert key is not None and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert device_key() == key


def test_a_signed_bundle_imports_and_the_record_verifies(two_laptops):
    laptop, office, bundle, laptop_key = two_laptops
    result = run_cli(office, "results", "import", str(bundle))
    assert result.exit_code == 0, result.output
    assert "签名有效" in result.output and laptop_key.fingerprint in result.output
    assert Store(office).summaries()
    verified = run_cli(office, "doctor", "--verify")
    assert verified.exit_code == 0, verified.output
    assert "记录链检查通过" in verified.output and laptop_key.fingerprint in verified.output


@pytest.mark.parametrize("edit", [set_score, set_void, add_revision])
def test_a_bundle_edited_after_export_is_refused(two_laptops, edit):
    _, office, bundle, _ = two_laptops
    rewrite(bundle, edit_sheets(edit))
    text = assert_clean_failure(run_cli(office, "results", "import", str(bundle)))
    assert "签名不符" in text and "被改动过" in text
    assert Store(office).summaries() == []


def test_an_unsigned_bundle_needs_trust_unsigned(two_laptops):
    _, office, bundle, _ = two_laptops
    rewrite(bundle, lambda c, m: m.pop(bf.SIGNATURE))
    text = assert_clean_failure(run_cli(office, "results", "import", str(bundle)))
    assert "没有签名" in text and "--trust-unsigned" in text
    assert Store(office).summaries() == []
    result = run_cli(office, "results", "import", str(bundle), "--trust-unsigned")
    assert result.exit_code == 0, result.output
    assert Store(office).summaries()


def test_a_bundle_re_signed_by_a_forger_is_refused_once_keys_are_pinned(two_laptops, tmp_path,
                                                                        monkeypatch):  # fmt: skip
    _, office, bundle, laptop_key = two_laptops
    as_device(monkeypatch, tmp_path, "forger")
    forger = device_key()
    as_device(monkeypatch, tmp_path, "office")
    assert run_cli(office, "devices", "trust", laptop_key.public_key, "--name", "王建国的电脑"
                   ).exit_code == 0  # fmt: skip
    listed = run_cli(office, "devices", "list").output
    assert "王建国的电脑" in listed and laptop_key.fingerprint in listed
    rewrite(bundle, edit_sheets(set_score), sign=forger)
    text = assert_clean_failure(run_cli(office, "results", "import", str(bundle)))
    assert "未受信任的设备" in text and forger.fingerprint in text
    assert Store(office).summaries() == []
    bad = run_cli(office, "devices", "trust", "not-a-key", "--name", "x")
    assert "不是设备公钥" in assert_clean_failure(bad)


def test_doctor_verify_names_an_edited_event_in_a_copied_database(two_laptops, tmp_path):
    laptop, _, _, _ = two_laptops
    copy = Workspace(tmp_path / "copy")
    shutil.copytree(laptop.root, copy.root)
    data = main_tree(copy.db_path)
    row, event = next(iter(data["events"].items()))
    event["by"] = "别人"  # who scored it, changed after the fact
    write_main_tree(copy.db_path, data)
    result = run_cli(copy, "doctor", "--verify")
    text = assert_clean_failure(result)
    assert f"第 {row} 条记录" in text and "签名不符" in text


def test_doctor_verify_names_a_stripped_signature_and_a_broken_link(two_laptops, tmp_path,
                                                                    monkeypatch):  # fmt: skip
    laptop, _, _, _ = two_laptops
    data = main_tree(laptop.db_path)
    rows = sorted(data["events"], key=int)
    stripped = data["events"][rows[-1]]
    for k in ("key", "seq", "prev", "sig"):
        stripped.pop(k)
    del data["events"][rows[1]]  # an event deleted from the middle of this device's chain
    write_main_tree(laptop.db_path, data)
    # as the laptop itself: its own chain must be whole
    as_device(monkeypatch, tmp_path, "laptop")
    text = assert_clean_failure(run_cli(laptop, "doctor", "--verify"))
    assert f"第 {rows[-1]} 条记录" in text and "签名可能被去掉" in text
    assert "本机的记录链缺少链序号 2" in text


def test_doctor_verify_names_a_reordered_event(two_laptops):
    laptop, _, _, _ = two_laptops
    data = main_tree(laptop.db_path)
    rows = sorted(data["events"], key=int)
    a, b = data["events"][rows[2]], data["events"][rows[3]]
    a["seq"], b["seq"] = b["seq"], a["seq"]  # swapped: each signature now fails
    write_main_tree(laptop.db_path, data)
    text = assert_clean_failure(run_cli(laptop, "doctor", "--verify"))
    assert f"第 {rows[2]} 条记录" in text and f"第 {rows[3]} 条记录" in text


def test_a_database_from_before_signing_opens_and_verifies_as_unsigned(workspace):
    fill_demo(workspace)
    data = main_tree(workspace.db_path)
    for event in data["events"].values():
        for k in ("key", "seq", "prev", "sig"):
            event.pop(k)
    write_main_tree(workspace.db_path, data)
    assert run_cli(workspace, "results", "list").exit_code == 0
    result = run_cli(workspace, "doctor", "--verify")
    assert result.exit_code == 0, result.output
    assert f"{len(data['events'])} 条记录没有签名" in result.output
    assert "before signing was introduced" in result.output
    sheet = Store(workspace).summaries()[0]["uuid"]
    assert run_cli(workspace, "results", "void", sheet, "--reason", "重复").exit_code == 0
    after = run_cli(workspace, "doctor", "--verify")  # new events sign; the old stay unsigned
    assert after.exit_code == 0, after.output
    assert "1 条，签名与链接完整" in after.output


def _edit_first_sheet(node, change) -> dict | None:
    """Change the first sheet record found in a shard's JSON tree; returns it."""
    if isinstance(node, dict):
        if "uuid" in node and "answers" in node:
            change(node)
            return node
        for value in node.values():
            if (found := _edit_first_sheet(value, change)) is not None:
                return found
    return None


def test_doctor_verify_names_a_sheet_edited_in_its_shard(workspace):
    from tests.unit.test_answer_files import GOOD

    fill_demo(workspace)
    answers = workspace.root / "a.yaml"
    answers.write_text(GOOD, encoding="utf-8")
    filled = run_cli(workspace, "fill", "edu-base-inspection", "--subject", "eb-001",
                     "--answers", str(answers))  # fmt: skip
    assert filled.exit_code == 0, filled.output
    ok = run_cli(workspace, "doctor", "--verify")
    assert ok.exit_code == 0 and "与其签名记录核对一致" in ok.output, ok.output
    shard = sorted(
        p
        for p in (workspace.results_dir / "archive").rglob("*.json")
        if ".roster" not in p.parts and ".ledger" not in p.parts
    )[0]  # a shard of sheets, not the roster or a companion
    data = json.loads(shard.read_text(encoding="utf-8"))
    edited = _edit_first_sheet(data, lambda d: d.update(rater="别人"))  # score unchanged
    assert edited is not None
    shard.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    text = assert_clean_failure(run_cli(workspace, "doctor", "--verify"))
    assert f"评分表 {edited['uuid'][:8]} 第 {edited['revision']} 版与签名记录不符" in text
