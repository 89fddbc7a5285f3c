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
}
