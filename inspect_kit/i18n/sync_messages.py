"""Sentences of the several-laptops sync (`inspect-kit sync …`, the outbox and inbox, the
Syncthing adapter and the app's sync line), in Chinese and English.

Part of the one catalog (`inspect_kit.i18n.catalog.tr`).
"""

from __future__ import annotations

SYNC_STRINGS: dict[str, tuple[str, str]] = {
    # errors (codes of InspectKitError)
    "sync.no_syncthing": (
        "未找到 Syncthing：Debian/Ubuntu 上运行 `sudo apt-get install -y syncthing`，Windows 和 "
        "macOS 从 https://syncthing.net/downloads/ 安装（或用环境变量 INSPECT_KIT_SYNCTHING "
        "指明它）；U 盘数据包照常可用（results export --format bundle / results import）。",
        "Syncthing was not found: on Debian/Ubuntu run `sudo apt-get install -y syncthing`; on "
        "Windows and macOS install it from https://syncthing.net/downloads/ (or name it in "
        "INSPECT_KIT_SYNCTHING); USB bundles work as before (results export --format bundle / "
        "results import).",
    ),
    "sync.settings_damaged": (
        "同步设置文件 {path} 已损坏；移走它后重新运行 inspect-kit sync init",
        "The sync settings file {path} is damaged; move it away and run inspect-kit sync init "
        "again",
    ),
    "sync.not_set_up": (
        "本工作区还没有设置同步：先运行 {command}",
        "This workspace is not set up for sync yet: run {command} first",
    ),
    "sync.bad_listen": (
        "监听地址 {listen} 不对：应为 tcp://主机:端口（例如 tcp://0.0.0.0:22000）",
        "Listen address {listen} is not valid: use tcp://HOST:PORT (e.g. tcp://0.0.0.0:22000)",
    ),
    "sync.bad_api": (
        "--api {api} 不对：应为 127.0.0.1:端口",
        "--api {api} is not valid: use 127.0.0.1:PORT",
    ),
    "sync.api_not_loopback": (
        "--api {api} 不是本机地址：Syncthing 的界面和 REST 接口只在 127.0.0.1 上开放",
        "--api {api} is not a loopback address: Syncthing's GUI and REST API stay on 127.0.0.1",
    ),
    "sync.bad_device_id": (
        "设备 ID {device} 不对：应为对方 `inspect-kit sync id` 显示的 8 组字母数字",
        "Device ID {device} is not valid: use the 8 groups shown by `inspect-kit sync id` on "
        "that laptop",
    ),
    "sync.self_pair": ("这是本机自己的设备 ID", "That is this laptop's own device ID"),
    "sync.not_paired": ("没有配对过设备 {device}", "No device {device} is paired"),
    "sync.home_damaged": (
        "Syncthing 配置 {path} 无法读取；移走 sync/.syncthing 后重新运行 inspect-kit sync init"
        "（设备 ID 会改变，需重新配对）",
        "Syncthing's config {path} cannot be read; move sync/.syncthing away and run "
        "inspect-kit sync init again (the device ID changes: pair again)",
    ),
    "sync.generate_failed": (
        "Syncthing 未能生成密钥和配置：{why}",
        "Syncthing could not make its keys and config: {why}",
    ),
    "sync.already_running": (
        "本工作区的 Syncthing 已在运行（{api}）：另一个 `inspect-kit sync run` 还开着",
        "This workspace's Syncthing is already running ({api}): another `inspect-kit sync run` "
        "is open",
    ),
    "sync.start_failed": (
        "Syncthing 启动后退出了（代码 {code_}）；看日志 {log}（端口可能被占用）",
        "Syncthing exited after starting (code {code_}); see its log {log} (a port may be busy)",
    ),
    "sync.start_timeout": (
        "Syncthing 在 30 秒内没有就绪；看日志 {log}",
        "Syncthing was not ready within 30 s; see its log {log}",
    ),
    "sync.stopped": (
        "Syncthing 意外退出（代码 {code_}）；看日志 {log}",
        "Syncthing stopped unexpectedly (code {code_}); see its log {log}",
    ),
    "sync.rest_unreachable": (
        "无法连接 Syncthing 的 REST 接口 {api}：{why}",
        "Cannot reach Syncthing's REST API at {api}: {why}",
    ),
    "sync.rest_failed": ("Syncthing 拒绝了 {what}：{why}", "Syncthing refused {what}: {why}"),
    "sync.outbox_names": (
        "发件箱 {folder} 中找不到可用的文件名",
        "No free file name in the outbox {folder}",
    ),
    # sync init / id / pair / unpair
    "sync.init.done": (
        "已设置同步。本机设备 ID：{device}\n界面/REST：http://{api}（只在本机），监听 {listen}，"
        "{discovery}\n下一步：在另一台电脑上运行 `inspect-kit sync id`，然后双方互相 "
        "`inspect-kit sync pair 对方ID --name 名称`，再运行 {run}",
        "Sync is set up. This device's ID: {device}\nGUI/REST: http://{api} (this machine "
        "only), listening on {listen}, {discovery}\nNext: run `inspect-kit sync id` on the "
        "other laptop, then on each side `inspect-kit sync pair THEIR-ID --name NAME`, then {run}",
    ),
    "sync.init.again": (
        "本工作区已设置过同步（设备 ID {device}）；已更新设置：监听 {listen}，{discovery}",
        "This workspace was set up already (device ID {device}); settings updated: listening on "
        "{listen}, {discovery}",
    ),
    "sync.init.published": (
        "已有的 {n} 张评分表已放入发件箱：{path}",
        "The {n} sheets already here are in the outbox: {path}",
    ),
    "sync.discovery.off": (
        "全局发现和中继已关闭{local}",
        "global discovery and relays off{local}",
    ),
    "sync.discovery.on": ("全局发现和中继已开启", "global discovery and relays on"),
    "sync.discovery.local_on": ("，局域网发现开启", ", local discovery on"),
    "sync.discovery.local_off": (
        "，局域网发现关闭（本机地址）",
        ", local discovery off (loopback)",
    ),
    "sync.id.line": ("本机设备 ID：{device}", "This device's ID: {device}"),
    "sync.id.hint": (
        "在另一台电脑上配对：inspect-kit sync pair {device} --name {name}",
        "Pair on the other laptop: inspect-kit sync pair {device} --name {name}",
    ),
    "sync.pair.done": (
        "已配对 {name}（{device}）：本机发件箱只发送给它，它的发件箱只接收到 {inbox}；"
        "地址 {address}",
        "Paired {name} ({device}): this outbox is sent to it (send-only), its outbox is "
        "received into {inbox} (receive-only); address {address}",
    ),
    "sync.pair.other_side": (
        "对方也要配对本机：inspect-kit sync pair {device} --name 名称",
        "The other side must pair this laptop too: inspect-kit sync pair {device} --name NAME",
    ),
    "sync.unpair.done": (
        "已取消与 {name}（{device}）的同步；收到的数据包保留在 {inbox}。",
        "Stopped syncing with {name} ({device}); what it sent stays in {inbox}.",
    ),
    # sync run / import
    "sync.run.started": (
        "Syncthing 已启动（本机 {device}，界面 http://{api}，日志 {log}）。收到的数据包会自动导入；"
        "按 Ctrl-C 停止。",
        "Syncthing started (this device {device}, GUI http://{api}, log {log}). Bundles are "
        "imported as they arrive; Ctrl-C stops.",
    ),
    "sync.run.stopped": ("Syncthing 已停止。", "Syncthing stopped."),
    "sync.import.none": ("收件箱中没有新的数据包。", "No new bundles in the inbox."),
    "sync.import.line": (
        "{bundle}（{peer}）：新增 {added} 张，相同已跳过 {skipped} 张，冲突 {conflicts} 张",
        "{bundle} ({peer}): {added} added, {skipped} already here, {conflicts} conflicts",
    ),
    "sync.import.quarantined": (
        "{bundle}（{peer}）已移到隔离区：{reason}",
        "{bundle} ({peer}) moved to quarantine: {reason}",
    ),
    "sync.import.waiting": ("稍后再试：{what}", "Will try again: {what}"),
    "sync.import.conflicts": (
        "有冲突，查看并处理：{command}",
        "There are conflicts; see and resolve them: {command}",
    ),
    # sync status and the app's line
    "sync.status.none": (
        "还没有配对的设备。配对：inspect-kit sync pair 对方ID --name 名称",
        "No device is paired yet. Pair one: inspect-kit sync pair THEIR-ID --name NAME",
    ),
    "sync.status.me": (
        "本机 {device}（{state}）：发件箱 {sent} 个数据包",
        "This laptop {device} ({state}): {sent} bundles in the outbox",
    ),
    "sync.status.running": ("Syncthing 运行中", "Syncthing running"),
    "sync.status.not_running": ("Syncthing 未运行", "Syncthing not running"),
    "sync.status.device": (
        "{name}（{short}）：最近在线 {seen}；已发送 {sent}，收到 {received}，已导入 {imported}，"
        "待导入 {pending}，隔离 {quarantined}，冲突 {conflicts}；带来 {sheets} 张评分表，"
        "最近一次 {last}",
        "{name} ({short}): last seen {seen}; sent {sent}, received {received}, imported "
        "{imported}, pending {pending}, quarantined {quarantined}, conflicts {conflicts}; "
        "{sheets} sheets from it, latest {last}",
    ),
    "sync.status.connected": ("现在在线", "connected now"),
    "sync.status.never": ("从未", "never"),
    "sync.status.unknown": ("未知（Syncthing 未运行）", "unknown (Syncthing not running)"),
    "sync.app.line": (
        "{name}：最近 {last}，已导入 {imported} 包 / {sheets} 张{extra}",
        "{name}: latest {last}, {imported} bundles / {sheets} sheets imported{extra}",
    ),
    "sync.app.pending": ("，待导入 {n}", ", {n} pending"),
    "sync.app.quarantined": ("，隔离 {n}", ", {n} quarantined"),
    "sync.app.conflicts": ("，冲突 {n}", ", {n} conflicts"),
    "sync.app.imported": (
        "已从同步收件箱导入 {bundles} 个数据包，新增 {sheets} 张评分表",
        "Imported {bundles} bundles from the sync inbox: {sheets} new sheets",
    ),
    "sync.app.quarantine_note": (
        "{n} 个数据包未通过核验，已移到 sync/quarantine/",
        "{n} bundles failed their checks and were moved to sync/quarantine/",
    ),
}
