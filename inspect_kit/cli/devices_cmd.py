"""`inspect-kit devices show | list | trust KEY --name NAME | untrust KEY`: device keys.

Each laptop signs its bundles and its record with its own key (base/signing.py); the office
pins the keys it accepts bundles from (store/devices.py)."""

from __future__ import annotations

import click

from inspect_kit.base.safe_text import safe_text
from inspect_kit.cli import Kit, pass_kit


@click.group()
def devices() -> None:
    """设备密钥：签名与信任 / device keys: signing and trust."""


@devices.command("show")
@pass_kit
def show(kit: Kit) -> None:
    """This device's public key (made on first use), to pin at the office."""
    import platform

    from inspect_kit.base.signing import device_key, key_path

    key = device_key()
    assert key is not None
    click.echo(f"本机：{platform.node()}")
    click.echo(f"公钥：{key.public_key}")
    click.echo(f"指纹：{key.fingerprint}")
    click.echo(f"私钥文件：{key_path()}（只有本用户可读，勿复制到别处）")
    click.echo(
        f"在办公室固定它：inspect-kit devices trust {key.public_key} --name {platform.node()}"
    )


@devices.command("list")
@pass_kit
def list_devices(kit: Kit) -> None:
    """The device keys this workspace trusts."""
    from inspect_kit.store.devices import trusted_devices

    rows = trusted_devices(kit.workspace)
    if not rows:
        click.echo("还没有固定任何设备：任何签名有效的数据包都会被接受。"
                   "用 `inspect-kit devices trust KEY --name 名称` 固定。")  # fmt: skip
        return
    for d in rows:
        click.echo(safe_text(f"{d.name}  指纹 {d.fingerprint}  {d.public_key}  {d.added_at[:10]}"))
    click.echo(f"共 {len(rows)} 台设备；只接受它们（和本机）签名的数据包。")


@devices.command("trust")
@click.argument("key")
@click.option("--name", required=True, help="A name for the device, e.g. the inspector's laptop.")
@pass_kit
def trust(kit: Kit, key: str, name: str) -> None:
    """Accept bundles signed by KEY (from `devices show` on that laptop)."""
    from inspect_kit.store.devices import trust_device

    entry = trust_device(kit.workspace, key, name)
    click.echo(safe_text(f"已信任 {entry.name}（指纹 {entry.fingerprint}）。"))


@devices.command("untrust")
@click.argument("key")
@pass_kit
def untrust(kit: Kit, key: str) -> None:
    """Stop accepting bundles signed by KEY."""
    from inspect_kit.base.errors import InspectKitError
    from inspect_kit.store.devices import untrust_device

    if not untrust_device(kit.workspace, key):
        raise InspectKitError(f"没有受信任的设备使用这个公钥：{key[:60]}")
    click.echo("已取消信任。")
