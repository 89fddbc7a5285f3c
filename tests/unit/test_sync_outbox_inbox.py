"""The outbox and the inbox without Syncthing: bundles are copied between workspaces by the test,
as Syncthing (or a USB stick) would deliver them.

Three laptops (demo seeds 1, 2, 3) and an office: every sheet arrives once, conflicting amends are
listed by `results conflicts`, re-delivering a bundle changes nothing, a bad bundle is
quarantined with its reason, Syncthing's temporary files are never read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspect_kit.base.paths import Workspace
from inspect_kit.base.sync_config import SyncPaths, SyncSettings, save_sync_settings
from inspect_kit.cli import cli
from inspect_kit.services import outbox as outbox_module
from inspect_kit.services.inbox import import_inbox, is_bundle_name
from inspect_kit.services.outbox import NAME, outbox_bundles, publish
from inspect_kit.services.sync_status import sync_status
from inspect_kit.store.sources import read_bundle
from inspect_kit.store.store import Store

IDS = {
    "office": "OFFICE1-AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG",
    "l1": "LAPTOP1-AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG",
    "l2": "LAPTOP2-AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG",
    "l3": "LAPTOP3-AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG",
}
DEMO = ["--subjects", "2", "--raters", "2", "--rounds", "1", "--form", "edu-base-inspection"]


class Laptop:
    """One machine: its own workspace, settings and device key (so its bundles are its own)."""

    def __init__(self, root: Path, name: str, monkeypatch: pytest.MonkeyPatch):
        self.name = name
        self.root = root / name
        (self.root / "forms").mkdir(parents=True)
        self.workspace = Workspace(self.root)
        self.key = root / f"{name}-key.pem"
        self.config = root / f"{name}-config.json"
        self.monkeypatch = monkeypatch
        self.device_id = IDS[name]

    @contextlib.contextmanager
    def active(self):
        with self.monkeypatch.context() as m:
            m.setenv("INSPECT_KIT_KEY", str(self.key))
            m.setenv("INSPECT_KIT_CONFIG", str(self.config))
            yield

    def enable_sync(self) -> None:
        """What `sync init` leaves on disk, without Syncthing."""
        save_sync_settings(self.workspace, SyncSettings(self.device_id, "127.0.0.1:1"))

    def kit(self, *args: str) -> str:
        with self.active():
            result = CliRunner().invoke(cli, ["--workspace", str(self.root), *args])
        assert result.exit_code == 0, (args, result.output)
        return result.output

    def store(self) -> Store:
        return Store(self.workspace)

    @property
    def outbox(self) -> list[Path]:
        return outbox_bundles(self.workspace, self.device_id)

    def deliver_to(self, other: Laptop, bundles: list[Path] | None = None) -> None:
        """Copy this laptop's outbox into the other's inbox, as Syncthing would."""
        inbox = SyncPaths.of(other.workspace).inbox / self.device_id
        inbox.mkdir(parents=True, exist_ok=True)
        for bundle in self.outbox if bundles is None else bundles:
            shutil.copy2(bundle, inbox / bundle.name)

    def import_inbox(self):
        with self.active():
            return import_inbox(self.store(), self.workspace)


@pytest.fixture
def laptops(tmp_path, monkeypatch):
    made = {name: Laptop(tmp_path, name, monkeypatch) for name in IDS}
    for laptop in made.values():
        laptop.enable_sync()
    return made


def _db_bytes(laptop: Laptop) -> bytes:
    return laptop.workspace.db_path.read_bytes()


# ------------------------------------------------------------------ the outbox


def test_no_outbox_before_sync_is_set_up(tmp_path, monkeypatch):
    laptop = Laptop(tmp_path, "l1", monkeypatch)
    laptop.kit("demo", *DEMO, "--seed", "1")
    assert not (laptop.root / "sync").exists()


def test_every_change_writes_a_new_signed_write_once_bundle(laptops):
    l1 = laptops["l1"]
    l1.kit("demo", *DEMO, "--seed", "1")  # many sheets at once: one bundle
    first = l1.outbox
    assert len(first) == 1 and NAME.match(first[0].name)
    first_bytes = first[0].read_bytes()
    sheets = l1.store().submissions()
    with l1.active():
        incoming = read_bundle(first[0])
    assert {d["uuid"] for d in incoming.submissions} == {d["uuid"] for d in sheets}
    assert incoming.forms and incoming.subjects and incoming.events
    with zipfile.ZipFile(first[0]) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["signature"]["key"] and manifest["filters"] == {"sync": l1.device_id}

    victim = sheets[0]["uuid"]
    l1.kit("results", "void", victim, "--reason", "重复录入")
    bundles = l1.outbox
    assert [int(NAME.match(p.name).group(2)) for p in bundles] == [1, 2]
    assert bundles[0].read_bytes() == first_bytes  # never rewritten
    with l1.active():
        voided = read_bundle(bundles[1])
    # the whole sheet travels: every revision, so bundles may arrive in any order
    assert sorted((d["uuid"], d["revision"], d["status"]) for d in voided.submissions) == [
        (victim, 1, "final"),
        (victim, 2, "void"),
    ]
    assert {e["event"] for e in voided.events} >= {"finalized", "voided"}
    assert not any(SyncPaths.of(l1.workspace).staging.iterdir())  # nothing half-written left
    assert not (l1.root / "results" / "sync").exists()


def test_a_sheet_finalized_through_the_drafts_service_goes_out(laptops, builtin_forms):
    from inspect_kit.demo.generator import DemoPlan, build_demo
    from inspect_kit.formfiles.catalog import FormCatalog
    from inspect_kit.services.drafts import DraftsService

    l1 = laptops["l1"]
    loaded = builtin_forms["edu-base-inspection"]
    roster, finals, _ = build_demo([loaded], DemoPlan(subjects=1, raters=1, rounds=1, seed=5))
    with l1.active():
        store = l1.store()
        store.add_subjects(roster)
        service = DraftsService(store, l1.workspace, FormCatalog(l1.workspace))
        sheet, form = finals[0]
        doc = service.store_new(form, sheet, finalize=True)
    assert doc is not None
    (bundle,) = l1.outbox
    with l1.active():
        assert [d["uuid"] for d in read_bundle(bundle).submissions] == [doc["uuid"]]


def test_a_failed_outbox_write_is_sent_with_the_next_bundle(laptops, monkeypatch):
    l1 = laptops["l1"]
    l1.kit("demo", *DEMO, "--seed", "1")
    uuids = sorted(d["uuid"] for d in l1.store().submissions())
    real = outbox_module.write_bundle

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outbox_module, "write_bundle", full_disk)
    with l1.active():
        assert publish(l1.store(), l1.workspace, [uuids[0]]) is None
    unsent = SyncPaths.of(l1.workspace).unsent
    assert json.loads(unsent.read_text()) == [uuids[0]]
    monkeypatch.setattr(outbox_module, "write_bundle", real)
    with l1.active():
        path = publish(l1.store(), l1.workspace, [uuids[1]])
    assert path is not None and not unsent.exists()
    with l1.active():
        assert {d["uuid"] for d in read_bundle(path).submissions} == {uuids[0], uuids[1]}


# ------------------------------------------------------------------ the inbox


def test_three_laptops_and_an_office(laptops):
    office, l1, l2, l3 = (laptops[n] for n in ("office", "l1", "l2", "l3"))
    for seed, laptop in enumerate((l1, l2, l3), start=1):
        laptop.kit("demo", *DEMO, "--seed", str(seed))
    # l2 also holds one of l1's sheets (carried over on a USB stick, say) and amends it too
    l1.deliver_to(l2)
    assert l2.import_inbox().sheets_added == len(l1.store().submissions())
    shared = l1.store().submissions()[0]["uuid"]
    for laptop, note in ((l1, "复查：台账已补齐"), (l2, "复查：台账仍缺两项")):
        _amend(laptop, shared, note)

    for laptop in (l1, l2, l3):
        laptop.deliver_to(office)
    result = office.import_inbox()
    assert not result.quarantined and not result.waiting
    expected = {}
    for laptop in (l1, l2, l3):
        for doc in laptop.store().submissions(all_revisions=True):
            expected.setdefault((doc["uuid"], doc["revision"]), doc)
    got = office.store().submissions(all_revisions=True)
    keys = [(d["uuid"], d["revision"]) for d in got]
    assert len(keys) == len(set(keys))  # every sheet once
    assert set(keys) == set(expected)

    out = office.kit("results", "conflicts")
    assert shared[:8] in out and "未处理" in out  # the two amendments differ: one conflict
    assert out.count("第 2 版") == 1

    # re-delivering changes nothing: the same files again, and copies under other names
    before = _db_bytes(office)
    for laptop in (l1, l2, l3):
        laptop.deliver_to(office)
    assert not office.import_inbox().anything
    again = SyncPaths.of(office.workspace).inbox / l3.device_id
    for bundle in l3.outbox:
        shutil.copy2(bundle, again / f"29991231T000000Z-{bundle.name[-10:]}")
    result = office.import_inbox()
    assert result.imported and result.sheets_added == 0
    assert all(not h.report.changed for h in result.imported)
    assert _db_bytes(office) == before

    status = {d.device_id: d for d in sync_status(office.workspace, live=False).devices}
    assert status[l1.device_id].imported == len(l1.outbox)
    assert status[l3.device_id].sheets == len({d["uuid"] for d in l3.store().submissions()})
    assert status[l2.device_id].conflicts == 1
    assert all(d.pending == 0 and d.quarantined == 0 for d in status.values())


def _amend(laptop: Laptop, sheet_uuid: str, note: str) -> None:
    from inspect_kit.formfiles.catalog import FormCatalog
    from inspect_kit.services.drafts import DraftsService
    from inspect_kit.services.revisions import Revisions

    with laptop.active():
        store = laptop.store()
        sheet = Revisions(store, laptop.workspace).amend(sheet_uuid, "复查后修改", "王建国")
        session = DraftsService(store, laptop.workspace, FormCatalog(laptop.workspace)).resume(
            sheet.uuid
        )
        item = next(iter(session.sheet.answers.items))
        session.set_note(item, note)
        session.finalize()


def test_a_bad_bundle_is_quarantined_with_its_reason_and_the_rest_imported(laptops):
    office, l1, l2 = laptops["office"], laptops["l1"], laptops["l2"]
    l1.kit("demo", *DEMO, "--seed", "1")
    l2.kit("demo", *DEMO, "--seed", "2")
    l1.deliver_to(office)
    l2.deliver_to(office)
    inbox = SyncPaths.of(office.workspace).inbox / l2.device_id
    (good,) = inbox.iterdir()
    tampered = inbox / "20261202T000000Z-000009.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "sheets.json":
                data = data.replace(b'"final": ', b'"final": 1', 1)
            dst.writestr(info, data)
    (inbox / "20261202T000000Z-000010.zip").write_bytes(b"not a zip at all")

    result = office.import_inbox()
    assert sorted(h.key.rsplit("/", 1)[1] for h in result.quarantined) == [
        "20261202T000000Z-000009.zip",
        "20261202T000000Z-000010.zip",
    ]
    assert len(result.imported) == 2
    quarantine = SyncPaths.of(office.workspace).quarantine / l2.device_id
    for h in result.quarantined:
        name = h.key.rsplit("/", 1)[1]
        assert (quarantine / name).is_file() and not (inbox / name).exists()
        reason = (quarantine / f"{name}.txt").read_text(encoding="utf-8")
        assert reason.count("\n") == 1 and reason.strip() == h.reason
    assert "校验值" in result.quarantined[0].reason  # the hash no longer matches
    assert {d["uuid"] for d in office.store().submissions()} == {
        d["uuid"] for laptop in (l1, l2) for d in laptop.store().submissions()
    }
    status = {d.device_id: d for d in sync_status(office.workspace, live=False).devices}
    assert status[l2.device_id].quarantined == 2 and status[l2.device_id].received == 3
    assert not office.import_inbox().anything  # handled once


def test_a_bundle_from_an_unpinned_device_is_quarantined_once_devices_are_pinned(laptops):
    office, l1, l2 = laptops["office"], laptops["l1"], laptops["l2"]
    l2.kit("devices", "show")  # makes l2's key
    from inspect_kit.base.signing import device_key

    with l2.active():
        l2_key = device_key()
    assert l2_key is not None
    office.kit("devices", "trust", l2_key.public_key, "--name", "李的电脑")
    l1.kit("demo", *DEMO, "--seed", "1")
    l1.deliver_to(office)
    result = office.import_inbox()
    assert len(result.quarantined) == 1 and not result.imported
    assert "devices trust" in result.quarantined[0].reason or "未" in result.quarantined[0].reason
    assert office.store().submissions() == []


def test_syncthing_temporary_and_hidden_files_are_never_read(laptops):
    office, l1 = laptops["office"], laptops["l1"]
    l1.kit("demo", *DEMO, "--seed", "1")
    inbox = SyncPaths.of(office.workspace).inbox / l1.device_id
    inbox.mkdir(parents=True)
    (bundle,) = l1.outbox
    half = bundle.read_bytes()[: len(bundle.read_bytes()) // 2]
    temps = [f".syncthing.{bundle.name}.tmp", f"~syncthing~{bundle.name}.tmp", f".{bundle.name}"]
    for name in temps:
        (inbox / name).write_bytes(half)
    (inbox / ".stfolder").mkdir()
    result = office.import_inbox()
    assert not result.anything
    assert sorted(p.name for p in inbox.iterdir()) == sorted([*temps, ".stfolder"])
    assert not office.workspace.db_path.exists() or office.store().submissions() == []
    assert not is_bundle_name("x.zip.tmp") and is_bundle_name(bundle.name)
    # the finished file, once renamed into place, is imported
    os.replace(inbox / temps[0], inbox / bundle.name)
    (inbox / bundle.name).write_bytes(bundle.read_bytes())
    assert office.import_inbox().sheets_added == len(l1.store().submissions())


def test_sync_import_and_status_commands(laptops):
    office, l1 = laptops["office"], laptops["l1"]
    l1.kit("demo", *DEMO, "--seed", "1")
    l1.deliver_to(office)
    out = office.kit("sync", "import")
    assert "新增" in out and l1.outbox[0].name in out
    assert "没有新的数据包" in office.kit("sync", "import")
    status = office.kit("sync", "status", "--json")
    data = json.loads(status[status.index("{") :])
    (row,) = [d for d in data["devices"] if d["device_id"] == l1.device_id]
    assert row["imported"] == 1 and row["connected"] is None
    digest = hashlib.sha256(_db_bytes(office)).hexdigest()
    assert "已导入 1" in office.kit("sync", "status")
    assert hashlib.sha256(_db_bytes(office)).hexdigest() == digest  # status writes nothing


def test_without_syncthing_every_sync_command_says_so_in_one_line(laptops, monkeypatch):
    office = laptops["office"]
    monkeypatch.setenv("INSPECT_KIT_SYNCTHING", "")
    commands = [
        ["init"],
        ["id"],
        ["pair", IDS["l1"], "--name", "x"],
        ["run"],
        ["unpair", IDS["l1"]],
    ]
    for args in commands:
        with office.active():
            result = CliRunner().invoke(cli, ["--workspace", str(office.root), "sync", *args])
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "apt-get install -y syncthing" in lines[0], result.output
    with office.active():
        result = CliRunner().invoke(cli, ["--workspace", str(office.root), "sync", "status"])
    assert result.exit_code == 0 and "apt-get install -y syncthing" in result.output
    with office.active():
        result = CliRunner().invoke(
            cli, ["--workspace", str(office.root), "--lang", "en", "sync", "init"]
        )
    assert result.exit_code == 1 and "Syncthing was not found" in result.output


def test_a_database_problem_leaves_bundles_waiting_not_quarantined(laptops, monkeypatch):
    from inspect_kit.base.errors import StoreError
    from inspect_kit.services import inbox as inbox_module

    office, l1 = laptops["office"], laptops["l1"]
    l1.kit("demo", *DEMO, "--seed", "1")
    l1.deliver_to(office)

    def locked(*args, **kwargs):
        raise StoreError("数据库正被另一个程序使用")

    with monkeypatch.context() as m:
        m.setattr(inbox_module, "merge_many", locked)
        result = office.import_inbox()
    assert result.waiting and not result.quarantined and not result.imported
    quarantine = SyncPaths.of(office.workspace).quarantine
    assert not quarantine.exists() or not any(quarantine.rglob("*.zip"))
    assert office.import_inbox().sheets_added == len(l1.store().submissions())


def test_a_process_killed_before_its_bundle_leaves_the_sheets_noted(laptops, monkeypatch):
    from inspect_kit.services.outbox import flush_unsent

    l1 = laptops["l1"]
    l1.kit("demo", *DEMO, "--seed", "1")
    uuid = l1.store().submissions()[0]["uuid"]

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # stands for the process dying while it writes

    with monkeypatch.context() as m, pytest.raises(KeyboardInterrupt):
        m.setattr(outbox_module, "write_outbox_bundle", killed)
        with l1.active():
            publish(l1.store(), l1.workspace, [uuid])
    assert json.loads(SyncPaths.of(l1.workspace).unsent.read_text()) == [uuid]
    with l1.active():
        path = flush_unsent(l1.store(), l1.workspace)
        assert path is not None and flush_unsent(l1.store(), l1.workspace) is None
        assert [d["uuid"] for d in read_bundle(path).submissions] == [uuid]


# --------------------------------------------- 整改 items and office review travel too


def test_rectification_changes_and_review_decisions_travel_both_ways(laptops):
    office, l1 = laptops["office"], laptops["l1"]
    l1.kit("demo", *DEMO, "--seed", "1")
    sheet = l1.store().submissions()[0]
    l1.kit("rectify", "add", "--subject", sheet["subject"], "--sheet", sheet["uuid"],
           "--requirement", "补齐活动台账", "--deadline", "2027-01-15",
           "--by", "王建国")  # fmt: skip
    l1.deliver_to(office)
    assert not office.import_inbox().quarantined
    items = json.loads(office.kit("rectify", "list", "--json", "--sheet", sheet["uuid"]))
    mine = [i for i in items if i["requirement"] == "补齐活动台账"]
    assert len(mine) == 1 and mine[0]["status"] == "open"  # the laptop's new item arrived

    # the office returns the sheet: the decision goes back by itself
    office.kit(
        "results", "review", sheet["uuid"], "--return", "--reason", "缺现场照片", "--by", "李审核"
    )
    office.deliver_to(l1)
    assert not l1.import_inbox().quarantined
    returned = json.loads(l1.kit("results", "list", "--review", "returned", "--json"))
    assert [d["uuid"] for d in returned] == [sheet["uuid"]]
    # and the unit's report on the item, recorded at the office, too
    office.kit("rectify", "update", mine[0]["uuid"][:8], "--status", "reported",
               "--note", "已补齐", "--by", "办公室")  # fmt: skip
    office.deliver_to(l1)
    assert not l1.import_inbox().quarantined
    back = json.loads(l1.kit("rectify", "list", "--json", "--sheet", sheet["uuid"]))
    assert [i["status"] for i in back if i["uuid"] == mine[0]["uuid"]] == ["reported"]
