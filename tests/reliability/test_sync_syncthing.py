"""Two real Syncthing instances on 127.0.0.1 only, managed by `inspect-kit sync`: a sheet
finalized on the laptop is imported at the office within 60 s; Syncthing killed in the middle of
a transfer leaves nothing half-imported, and the transfer finishes after a restart; every socket
either Syncthing opens is on the loopback address (no test traffic leaves 127.0.0.1).

Listen addresses and GUI/REST ports are explicit loopback ports, global discovery and relays are
off (the default), local discovery is off (a loopback listen address), each peer's address is
given to `sync pair`. Skipped, with the reason, only where `syncthing` is not installed.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspect_kit.syncthing.home import Home, free_port
from inspect_kit.syncthing.rest import Rest

REPO = Path(__file__).resolve().parents[2]
MISSING = shutil.which("syncthing") is None
pytestmark = pytest.mark.skipif(
    MISSING, reason="syncthing is not installed (apt-get install -y syncthing): "
    "the two-instance sync test needs it"
)  # fmt: skip
ARRIVAL_S = 60


class Side:
    """One workspace with its own settings and device key, driven through the CLI."""

    def __init__(self, root: Path, name: str):
        self.root = root / name
        (self.root / "forms").mkdir(parents=True)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("INSPECT_KIT")},
            "INSPECT_KIT_CONFIG": str(root / f"{name}-config.json"),
            "INSPECT_KIT_KEY": str(root / f"{name}-key.pem"),
            "PYTHONPATH": str(REPO),
        }
        self.listen = free_port()
        self.api = free_port()
        self.run_proc: subprocess.Popen | None = None
        self.run_log = root / f"{name}-run.log"

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "inspect_kit", "--workspace", str(self.root), *args]

    def kit(self, *args: str) -> str:
        done = subprocess.run(self.argv(*args), env=self.env, capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(self.argv(*args), env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip

    @property
    def device_id(self) -> str:
        return json.loads((self.root / "sync" / "sync.json").read_text())["device_id"]

    def rest(self) -> Rest:
        return Rest(f"127.0.0.1:{self.api}", Home(self.root / "sync" / ".syncthing").api_key())

    def run(self) -> None:
        log = open(self.run_log, "a")  # noqa: SIM115 (the child owns it until it ends)
        self.run_proc = subprocess.Popen(self.argv("sync", "run", "--interval", "0.3"),
                                         env=self.env, stdout=log, stderr=log)  # fmt: skip
        _until(lambda: self.rest().alive(), 30, f"{self.root.name}'s Syncthing to answer")

    def syncthing_pid(self) -> int:
        assert self.run_proc is not None
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                fields = stat[stat.rindex(")") + 2 :].split()
                if int(fields[1]) == self.run_proc.pid and "syncthing" in stat[: stat.rindex(")")]:
                    return int(entry.name)
        raise AssertionError("no syncthing child")

    def stop(self) -> None:
        if self.run_proc is not None and self.run_proc.poll() is None:
            self.run_proc.send_signal(signal.SIGTERM)
            try:
                self.run_proc.wait(20)
            except subprocess.TimeoutExpired:
                self.run_proc.kill()
                self.run_proc.wait()

    def sheets(self) -> dict[tuple[str, int], dict]:
        """Every stored revision, read in this process (a CLI run per poll would be slow)."""
        from inspect_kit.base.paths import Workspace
        from inspect_kit.store.store import Store

        if not (self.root / "results" / "inspect-kit.json").exists():
            return {}
        docs = Store(Workspace(self.root)).submissions(all_revisions=True)
        return {(d["uuid"], d["revision"]): d for d in docs}


def _until(check, seconds: float, what: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check():
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def _sockets(pid: int) -> list[tuple[str, str, str, str]]:
    """(protocol, local address, remote address, state) of every inet socket the process has."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        for line in Path(f"/proc/{pid}/net/{proto}").read_text().splitlines()[1:]:
            parts = line.split()
            if parts[9] in inodes:
                found.append((proto, _addr(parts[1]), _addr(parts[2]), parts[3]))
    return found


def _addr(text: str) -> str:
    hexip, _, hexport = text.partition(":")
    raw = bytes.fromhex(hexip)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    family = socket.AF_INET if len(raw) == 4 else socket.AF_INET6
    return f"{socket.inet_ntop(family, words)}|{int(hexport, 16)}"


def _loopback_or_unset(addr: str) -> bool:
    ip = ipaddress.ip_address(addr.split("|")[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback) or ip.is_unspecified and \
        addr.endswith("|0")  # fmt: skip


@pytest.mark.reliability
def test_two_syncthings_on_loopback_carry_sheets_and_survive_a_kill(tmp_path):
    laptop, office = Side(tmp_path, "laptop"), Side(tmp_path, "office")
    try:
        _scenario(laptop, office)
    finally:
        for side in (laptop, office):
            side.stop()
        for side in (laptop, office):
            if side.run_log.exists():
                print(side.root.name, side.run_log.read_text()[-2000:])


def _scenario(laptop: Side, office: Side) -> None:
    started = time.monotonic()
    inits = [side.start("sync", "init", "--listen", f"tcp://127.0.0.1:{side.listen}",
                        "--api", f"127.0.0.1:{side.api}") for side in (laptop, office)]  # fmt: skip
    for proc in inits:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, (out, err)
        assert "局域网发现关闭" in out  # a loopback listen address: no LAN broadcasts either
    for side in (laptop, office):
        side.run()
    pairs = [
        a.start("sync", "pair", b.device_id, "--name", name, "--address",
                f"tcp://127.0.0.1:{b.listen}")
        for a, b, name in ((laptop, office, "鄞州区办公室"), (office, laptop, "王建国的电脑"))
    ]  # fmt: skip
    for proc in pairs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, (out, err)

    # Every socket either Syncthing holds is on 127.0.0.1 (GUI/REST, sync protocol, peers).
    for side in (laptop, office):
        _until(lambda s=side: s.rest().connections().get(
            (office if s is laptop else laptop).device_id, {}).get("connected"), 30,
            "the two devices to connect")  # fmt: skip
        sockets = _sockets(side.syncthing_pid())
        assert sockets, "no sockets found"
        for proto, local, remote, _state in sockets:
            assert _loopback_or_unset(local) and _loopback_or_unset(remote), (proto, local, remote)
        listening = {local for proto, local, _, state in sockets if state == "0A"}
        assert listening == {f"127.0.0.1|{side.listen}", f"127.0.0.1|{side.api}"}, listening
        options = side.rest().options()
        assert not options["globalAnnounceEnabled"] and not options["relaysEnabled"]
        assert not options["localAnnounceEnabled"] and not options["natEnabled"]

    # A sheet finalized on the laptop reaches the office's database by itself.
    laptop.kit("demo", "--subjects", "1", "--raters", "1", "--rounds", "1",
               "--form", "edu-base-inspection")  # fmt: skip
    sent = laptop.sheets()
    (bundle,) = laptop.root.glob("sync/outbox/*/*.zip")
    assert sent
    _until(lambda: set(office.sheets()) >= set(sent), ARRIVAL_S, "the sheets to arrive")
    took = time.time() - bundle.stat().st_mtime
    assert took < ARRIVAL_S
    print(f"imported {took:.1f} s after the bundle was written")
    got = office.sheets()
    for key, doc in sent.items():
        assert got[key]["score"] == doc["score"] and got[key]["answers"] == doc["answers"]

    # Syncthing killed mid-transfer: the office imports nothing half-received.
    victim = next(iter(sent))[0]
    photo = laptop.root / "results" / "attachments" / victim / "现场照片.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    payload = os.urandom(6 * 1024 * 1024)
    photo.write_bytes(payload)
    office.rest().patch_options({"maxRecvKbps": 600, "limitBandwidthInLan": True})
    db = office.root / "results" / "inspect-kit.json"
    before = db.read_bytes()
    ledger_file = office.root / "sync" / "ledger.json"
    ledger_before = json.loads(ledger_file.read_text())
    laptop.kit("results", "void", victim, "--reason", "照片补传后重新提交")
    inbox = office.root / "sync" / "inbox" / laptop.device_id
    _until(lambda: any(p.name.startswith(".syncthing.") for p in inbox.iterdir()), 30,
           "the transfer to start")  # fmt: skip
    os.kill(office.syncthing_pid(), signal.SIGKILL)
    assert office.run_proc is not None
    office.run_proc.wait(15)
    assert office.run_proc.returncode == 1  # `sync run` says Syncthing stopped, and exits
    assert "Syncthing" in office.run_log.read_text()
    assert db.read_bytes() == before
    assert json.loads(ledger_file.read_text()) == ledger_before
    names = [p.name for p in inbox.iterdir()]
    assert len([n for n in names if n.endswith(".zip") and not n.startswith(".")]) == len(
        ledger_before["bundles"]
    ), names  # the half-received bundle exists only as Syncthing's temporary file

    # Restarted, Syncthing finishes the transfer and the void is imported whole.
    office.run()
    office.rest().patch_options({"maxRecvKbps": 0})
    copy = office.root / "results" / "attachments" / victim / "现场照片.jpg"
    # (the merge writes photos after the database: wait for both)
    _until(lambda: (victim, 2) in office.sheets() and copy.exists(), ARRIVAL_S, "the void")
    assert office.sheets()[(victim, 2)]["status"] == "void"
    assert copy.read_bytes() == payload
    status = json.loads(office.kit("sync", "status", "--json"))
    (row,) = status["devices"]
    assert row["device_id"] == laptop.device_id and row["name"] == "王建国的电脑"
    assert row["imported"] == len(list(laptop.root.glob("sync/outbox/*/*.zip")))
    assert row["pending"] == 0 and row["quarantined"] == 0 and row["connected"] is True
    print(f"whole scenario {time.monotonic() - started:.1f} s")
