"""`inspect-kit sync …`: several laptops and an office, sheets travelling by themselves through
Syncthing (services/sync_setup.py, outbox.py, inbox.py, sync_status.py; inspect_kit/syncthing).

Without Syncthing installed every command says so in one line, with how to install it: `init`,
`id`, `pair`, `unpair` and `run` stop there (exit 1); `import` and `status` go on with what is
on disk (bundles copied into sync/inbox/ by hand import as well).
"""

from __future__ import annotations

import json
import signal
import time
from types import FrameType

import click

from inspect_kit.base.safe_text import safe_json, safe_text
from inspect_kit.cli import Kit, pass_kit


def _tr(kit: Kit, key: str, **values: object) -> str:
    from inspect_kit.i18n.catalog import tr

    return tr(key, kit.lang, **values)


def _setup(kit: Kit):
    from inspect_kit.services.sync_setup import SyncSetup

    return SyncSetup(kit.store, kit.workspace)


def _need_syncthing() -> None:
    from inspect_kit.syncthing.home import find_syncthing

    find_syncthing()  # SyncthingMissing: one line with how to install it, exit 1


def _note_if_missing(kit: Kit) -> None:
    from inspect_kit.syncthing.home import syncthing_available

    if not syncthing_available():
        click.echo(_tr(kit, "sync.no_syncthing"), err=True)


@click.group()
def sync() -> None:
    """多台电脑同步（Syncthing） / several laptops, one office: sheets travel through Syncthing."""


@sync.command("init")
@click.option("--listen", default=None, metavar="ADDR",
              help="Sync protocol address (default tcp://0.0.0.0:22000).")  # fmt: skip
@click.option("--api", default=None, metavar="HOST:PORT",
              help="GUI/REST address, on 127.0.0.1 only (default a free port).")  # fmt: skip
@click.option("--discovery", is_flag=True,
              help="Turn on global discovery and relays (off by default).")  # fmt: skip
@pass_kit
def init(kit: Kit, listen: str | None, api: str | None, discovery: bool) -> None:
    """Set this workspace up for sync: a private Syncthing home, its outbox and inbox."""
    from inspect_kit.syncthing.home import listen_is_loopback

    _need_syncthing()
    result = _setup(kit).init(listen=listen, api=api, discovery=discovery)
    s = result.settings
    loopback = listen_is_loopback(s.listen)
    local = "sync.discovery.local_off" if loopback else "sync.discovery.local_on"
    said = (_tr(kit, "sync.discovery.on") if s.discovery
            else _tr(kit, "sync.discovery.off", local=_tr(kit, local)))  # fmt: skip
    if result.again:
        click.echo(_tr(kit, "sync.init.again", device=s.device_id, listen=s.listen, discovery=said))
        return
    click.echo(_tr(kit, "sync.init.done", device=s.device_id, api=s.api, listen=s.listen,
                   discovery=said, run=kit.command("sync", "run")))  # fmt: skip
    if result.published is not None:
        n = len(kit.store.summaries())
        click.echo(_tr(kit, "sync.init.published", n=n, path=result.published))


@sync.command("id")
@pass_kit
def show_id(kit: Kit) -> None:
    """This device's Syncthing ID, to pair it on the other laptop."""
    import platform

    _need_syncthing()
    settings = _setup(kit).settings()
    click.echo(_tr(kit, "sync.id.line", device=settings.device_id))
    click.echo(_tr(kit, "sync.id.hint", device=settings.device_id, name=platform.node()))


@sync.command("pair")
@click.argument("device_id")
@click.option("--name", required=True, help="A name for that device, e.g. 鄞州区办公室.")
@click.option("--address", default=None, metavar="tcp://HOST:PORT",
              help="Its address (default: found by discovery).")  # fmt: skip
@pass_kit
def pair(kit: Kit, device_id: str, name: str, address: str | None) -> None:
    """Send this laptop's outbox to DEVICE_ID and receive its outbox."""
    _need_syncthing()
    setup = _setup(kit)
    peer = setup.pair(device_id, name, address)
    from inspect_kit.services.sync_setup import normalize_device_id

    peer_id = normalize_device_id(device_id)
    click.echo(safe_text(_tr(kit, "sync.pair.done", name=peer.name, device=peer_id,
                             inbox=setup.paths.inbox / peer_id, address=peer.address)))  # fmt: skip
    click.echo(_tr(kit, "sync.pair.other_side", device=setup.settings().device_id))


@sync.command("unpair")
@click.argument("device_id")
@pass_kit
def unpair(kit: Kit, device_id: str) -> None:
    """Stop syncing with DEVICE_ID (a lost laptop: also `devices untrust` its key)."""
    _need_syncthing()
    setup = _setup(kit)
    peer_id, peer = setup.unpair(device_id)
    click.echo(safe_text(_tr(kit, "sync.unpair.done", name=peer.name, device=peer_id,
                             inbox=setup.paths.inbox / peer_id)))  # fmt: skip


def _peer_names(kit: Kit) -> dict[str, str]:
    from inspect_kit.base.sync_config import load_sync_settings

    settings = load_sync_settings(kit.workspace)
    return {k: p.name for k, p in settings.peers.items()} if settings else {}


_SHOWN_KEYS: set[str] = set()
"""Unpinned signing keys already named in this process (`sync run` imports many bundles)."""


def _show_result(kit: Kit, result) -> None:
    names = _peer_names(kit)
    conflicts = 0
    for h in result.imported:
        report = h.report
        conflicts += report.conflicts
        click.echo(safe_text(_tr(kit, "sync.import.line", bundle=h.key.split("/", 1)[1],
                                 peer=names.get(h.peer) or h.peer[:7], added=report.added,
                                 skipped=report.skipped, conflicts=report.conflicts)))  # fmt: skip
        key = h.signer.public_key if h.signer is not None else None
        if key and not h.signer.name and key not in _SHOWN_KEYS:  # once per run and key
            _SHOWN_KEYS.add(key)
            click.echo(safe_text("  " + h.signer.line(h.key)))
    for h in result.quarantined:
        click.echo(safe_text(_tr(kit, "sync.import.quarantined", bundle=h.key.split("/", 1)[1],
                                 peer=names.get(h.peer) or h.peer[:7], reason=h.reason)),
                   err=True)  # fmt: skip
    for what in result.waiting:
        click.echo(safe_text(_tr(kit, "sync.import.waiting", what=what)), err=True)
    if conflicts:
        click.echo(_tr(kit, "sync.import.conflicts", command=kit.command("results", "conflicts")))


@sync.command("import")
@pass_kit
def import_inbox_cmd(kit: Kit) -> None:
    """Import every new bundle under sync/inbox/ (each whole or not at all)."""
    from inspect_kit.base.sync_config import load_sync_settings
    from inspect_kit.services.inbox import import_inbox

    _note_if_missing(kit)
    if load_sync_settings(kit.workspace) is None:  # set up first (the inbox is made by init)
        _setup(kit).settings()
    result = import_inbox(kit.store, kit.workspace, who=kit.default_rater() or "")
    if not result.anything:
        click.echo(_tr(kit, "sync.import.none"))
    _show_result(kit, result)


class _Stop(Exception):
    pass


@sync.command("run")
@click.option("--interval", default=2.0, show_default=True, type=click.FloatRange(0.2, 600),
              help="Seconds between looks at the inbox.")  # fmt: skip
@pass_kit
def run(kit: Kit, interval: float) -> None:
    """Run Syncthing and import bundles as they arrive, until Ctrl-C or SIGTERM."""
    from inspect_kit.base.errors import InspectKitError
    from inspect_kit.services.inbox import import_inbox
    from inspect_kit.services.outbox import flush_unsent

    _need_syncthing()
    setup = _setup(kit)
    settings, running = setup.start()

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise _Stop()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        click.echo(_tr(kit, "sync.run.started", device=settings.device_id, api=settings.api,
                       log=setup.home.log))  # fmt: skip
        who = kit.default_rater() or ""
        while True:
            code = running.process.poll() if running.process else None
            if code is not None:
                raise InspectKitError(code="sync.stopped", code_=code, log=str(setup.home.log))
            flush_unsent(kit.store, kit.workspace)  # sheets a killed process left unsent
            result = import_inbox(kit.store, kit.workspace, who=who)
            _show_result(kit, result)
            time.sleep(interval)
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        running.stop()
    click.echo(_tr(kit, "sync.run.stopped"))


def _when(text: str | None) -> str:
    return text[:16].replace("T", " ") if text else "—"


@sync.command("status")
@click.option("--json", "as_json", is_flag=True, help="The status as JSON.")
@pass_kit
def status(kit: Kit, as_json: bool) -> None:
    """Each paired device: last seen, bundles sent, received, imported, pending, conflicts."""
    from inspect_kit.services.sync_status import sync_status

    _note_if_missing(kit)
    state = sync_status(kit.workspace)
    if state is None:
        _setup(kit).settings()  # raises: not set up, with the command to run
        return
    if as_json:
        click.echo(safe_json(json.dumps(state.to_json(), ensure_ascii=False, indent=1)))
        return
    running = "sync.status.running" if state.running else "sync.status.not_running"
    click.echo(_tr(kit, "sync.status.me", device=state.device_id, state=_tr(kit, running),
                   sent=state.outbox))  # fmt: skip
    if not state.devices:
        click.echo(_tr(kit, "sync.status.none"))
    for d in state.devices:
        if d.connected:
            seen = _tr(kit, "sync.status.connected")
        elif d.connected is None:
            seen = _tr(kit, "sync.status.unknown")
        else:
            seen = _when(d.last_seen) if d.last_seen else _tr(kit, "sync.status.never")
        click.echo(safe_text(_tr(
            kit, "sync.status.device", name=d.name or "?", short=d.device_id[:7], seen=seen,
            sent="?" if d.sent is None else d.sent, received=d.received, imported=d.imported,
            pending=d.pending, quarantined=d.quarantined, conflicts=d.conflicts,
            sheets=d.sheets, last=_when(d.last_import),
        )))  # fmt: skip
