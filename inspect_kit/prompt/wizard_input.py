"""What the `forms new` wizard accepts as typed text: options, bands and numbers, parsed or
refused in plain words (the refusal is shown under the question)."""

from __future__ import annotations

import re
from typing import Any

from inspect_kit.base.errors import InspectKitError


def parse_options(text: str) -> list[dict[str, Any]]:
    """`规范=3; 基本规范=2; 无=0` -> options; raises InspectKitError in plain words."""
    options = []
    for part in re.split(r"[;；\n]", text):
        part = part.strip()
        if not part:
            continue
        label, sep, points = part.rpartition("=") if "=" in part else part.rpartition("＝")
        if not sep or not label.strip():
            raise InspectKitError(f"“{part}”应写成 名称=分数")
        options.append({"label": label.strip(), "points": number(points)})
    if len({o["label"] for o in options}) != len(options):
        raise InspectKitError("选项名称不能重复")
    return options


def parse_bands(text: str) -> list[dict[str, Any]]:
    """`12=8; 6=4; 0=0` (at least N earns P) -> bands, highest first, the last from 0."""
    bands = [{"min": o["label"], "points": o["points"]} for o in parse_options(text)]
    for band in bands:
        band["min"] = number(band["min"])
    bands.sort(key=lambda b: -b["min"])
    if not bands or bands[-1]["min"] != 0:
        raise InspectKitError("最后一档应从 0 开始，例如 0=0")
    return bands


def number(text: Any) -> float:
    try:
        value = float(str(text).strip())
    except ValueError:
        raise InspectKitError(f"“{text}”不是数字") from None
    if value < 0:
        raise InspectKitError("不能是负数")
    return int(value) if value == int(value) else value


def validator(parse):
    def check(text: str) -> bool | str:
        try:
            parse(text)
        except InspectKitError as exc:
            return str(exc)
        return True

    return check
