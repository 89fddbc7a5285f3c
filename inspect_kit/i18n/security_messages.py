"""Sentences of the safety checks (attachments, signed bundles and records, devices, serve) in
Chinese and English. Part of the one catalog (`inspect_kit.i18n.catalog`)."""

from __future__ import annotations

SECURITY_STRINGS: dict[str, tuple[str, str]] = {
    # attachments (intake/attachments.py)
    "photo.bad_name": ("照片文件名不可用：{path}", "This photo file name cannot be used: {path}"),
    "photo.missing": ("找不到照片文件 {path}", "Photo file not found: {path}"),
    "photo.unreadable": ("无法读取照片 {path}：{why}", "Cannot read the photo {path}: {why}"),
    "photo.not_regular": (
        "{path} 不是普通文件（设备、管道或系统文件），不能作为照片",
        "{path} is not a regular file (a device, pipe or system file); it cannot be a photo",
    ),
    "photo.hidden": (
        "{path} 是隐藏文件或在隐藏文件夹中，不能作为照片",
        "{path} is hidden or in a hidden folder; it cannot be a photo",
    ),
    "photo.outside": (
        "{path} 不在答案文件所在的文件夹 {folder} 内；"
        "照片须与答案文件放在同一文件夹（或其子文件夹）",
        "{path} is outside {folder}, the answer file's folder; photos must be in that folder "
        "(or below it)",
    ),
    "photo.too_big": (
        "照片 {path} 有 {size} MB，超过上限 {limit} MB"
        "（`inspect-kit config photo_max_mb N` 可调整）",
        "The photo {path} is {size} MB, over the {limit} MB limit (change it with "
        "`inspect-kit config photo_max_mb N`)",
    ),
    "photo.not_image": (
        "{path} 不是照片：只能附加 JPEG、PNG、HEIC 或 WebP 图片（按文件内容判断，不看扩展名）",
        "{path} is not a photo: only JPEG, PNG, HEIC or WebP images can be attached (judged by "
        "the content, not the name)",
    ),
    # this device's key (base/signing.py) and the trusted devices (store/devices.py)
    "device.key_damaged": (
        "本机密钥文件 {path} 已损坏；移走它会生成新密钥（办公室需重新固定）",
        "This device's key file {path} is damaged; moving it away makes a new key (the office "
        "must pin it again)",
    ),
    "device.key_unwritable": (
        "无法创建本机密钥 {path}：{why}",
        "Cannot create this device's key {path}: {why}",
    ),
    "devices.damaged": (
        "受信任设备列表 {path} 已损坏；请修正或删除它",
        "The trusted-device list {path} is damaged; fix or delete it",
    ),
    "devices.bad_key": (
        "“{public_key}”不是设备公钥（应为 `inspect-kit devices show` 显示的 44 个字符）",
        "“{public_key}” is not a device key (it is the 44 characters "
        "`inspect-kit devices show` prints)",
    ),
    "devices.no_name": ("请用 --name 给设备起个名字", "Give the device a name with --name"),
    # signed bundles (store/devices.py)
    "bundle.unreadable": (
        "{path}：读不出数据包清单，已拒绝",
        "{path}: the bundle's manifest cannot be read; refused",
    ),
    "bundle.unsigned": (
        "{path} 没有签名（旧版本导出的，或签名被去掉了），未导入。"
        "确认来源可靠后可加 --trust-unsigned 导入",
        "{path} is not signed (exported by an older kit, or its signature was removed); nothing "
        "imported. If you trust where it came from, add --trust-unsigned",
    ),
    "bundle.bad_signature": (
        "{path} 的签名不符：数据包在导出后被改动过，未导入",
        "{path} has a signature that does not match: the bundle was changed after it was "
        "exported; nothing imported",
    ),
    "bundle.untrusted": (
        "{path} 由未受信任的设备签名（指纹 {fingerprint}），未导入。核实后固定它："
        "inspect-kit devices trust {public_key} --name 名称",
        "{path} is signed by a device that is not trusted (fingerprint {fingerprint}); nothing "
        "imported. Once checked, pin it: inspect-kit devices trust {public_key} --name NAME",
    ),
    # doctor --verify (store/event_chain.py)
    "verify.failed": (
        "记录链检查发现 {n} 处问题（见上）",
        "The record check found {n} problem(s) (listed above)",
    ),
}
