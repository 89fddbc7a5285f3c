"""User settings kept between runs (rater name, default round, language), one JSON file.

The file lives in the platform's user config folder; INSPECT_KIT_CONFIG points elsewhere
(tests use it so a developer's own settings never leak in).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

from inspect_kit.base.errors import InspectKitError
from inspect_kit.base.settings_file import config_path

__all__ = ["KEYS", "Settings", "config_path", "load_settings", "save_settings", "update_setting"]

PHOTO_MAX_MB = (1, 2000)


@dataclass(frozen=True)
class Settings:
    """The settings file, checked (see `from_mapping`). A plain dataclass, not a pydantic
    model: every command and the TUI read it before their first output, and importing pydantic
    for six fields cost a quarter of the TUI's start."""

    rater: str = ""
    """The inspector's name, written on every sheet they score."""
    reviewer: str = ""
    """The office reviewer's name, written on every review decision (default: `rater`)."""
    round: str = ""
    """Default round (e.g. "2026"); empty means the current year."""
    lang: Literal["zh", "en"] = "zh"
    """Language of the interface."""
    organizer: str = ""
    """The organising body printed on the meeting pack's cover (`report --organizer`)."""
    timezone: str = "Asia/Shanghai"
    """Time zone exports show times in (an IANA name, e.g. Asia/Shanghai)."""
    photo_max_mb: int = 20
    """Largest photo that may be attached, in MB (a bigger file is refused, not shrunk)."""

    @classmethod
    def from_mapping(cls, data: Any) -> Settings:
        """The settings in `data` (unknown keys ignored, missing ones default); ValueError
        naming the first value that does not fit."""
        if not isinstance(data, dict):
            raise ValueError("the settings file holds no mapping")
        known = {k: data[k] for k in KEYS if k in data}
        for key in ("rater", "reviewer", "round", "organizer", "timezone"):
            if key in known and not isinstance(known[key], str):
                raise ValueError(f"{key} must be text")
        if "lang" in known and known["lang"] not in ("zh", "en"):
            raise ValueError("lang must be zh or en")
        if "photo_max_mb" in known:
            known["photo_max_mb"] = _whole_number(known["photo_max_mb"], "photo_max_mb")
            low, high = PHOTO_MAX_MB
            if not low <= known["photo_max_mb"] <= high:
                raise ValueError(f"photo_max_mb must be {low} to {high}")
        if "timezone" in known:
            _known_zone(known["timezone"])
        return cls(**known)


KEYS = tuple(f.name for f in fields(Settings))


def _whole_number(value: Any, key: str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{key} must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value.strip())
    raise ValueError(f"{key} must be a whole number")


def _known_zone(value: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}") from None


def load_settings() -> Settings:
    path = config_path()
    try:
        return Settings.from_mapping(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return Settings()
    except ValueError:
        # A damaged settings file must not stop field work; defaults are safe.
        return Settings()


def save_settings(settings: Settings) -> Path:
    from inspect_kit.base.fsio import atomic_write_bytes

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(asdict(settings), ensure_ascii=False, indent=2).encode("utf-8")
    atomic_write_bytes(path, payload)
    return path


def update_setting(key: str, value: str) -> Settings:
    if key not in KEYS:
        raise InspectKitError(f"没有设置项 {key}；可用：{', '.join(KEYS)}")
    if key == "round" and value.strip():
        from inspect_kit.base.rounds import parse_round

        value = parse_round(value)  # the default round follows the one round rule too
    try:
        settings = Settings.from_mapping({**asdict(load_settings()), key: value})
    except ValueError:
        raise InspectKitError(f"{key} 的值 “{value}” 无效") from None
    save_settings(settings)
    return settings
